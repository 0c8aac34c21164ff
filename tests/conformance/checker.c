/* checker.c - entry point of hull-conformance-checker: runs as the container's process, loads config.json and the host facts, runs every check group and prints TAP.
 * Must never report a check as passed that it did not verify, nor exit 0 when any check failed. */
#include "checker.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static void tap_print(const char *verdict, const char *name, const char *since, const char *directive)
{
	tap_count++;
	printf("%s %d - %s", verdict, tap_count, name);
	if (since)
		printf(" [spec>=%s]", since);
	if (directive)
		printf(" # %s", directive);
	putchar('\n');
}

/* Keeps TAP one line per result whatever a value contains. */
static void flatten_newlines(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

void tap_check(bool passed, const char *since, const char *expected, const char *got, const char *name_fmt, ...)
{
	char name[1024], directive[2048];
	va_list ap;

	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	flatten_newlines(name);
	if (passed) {
		tap_print("ok", name, since, NULL);
		return;
	}
	tap_failed++;
	snprintf(directive, sizeof directive, "expected %s, got %s", expected ? expected : "?", got ? got : "?");
	flatten_newlines(directive);
	tap_print("not ok", name, since, directive);
}

void tap_skip(const char *reason, const char *name_fmt, ...)
{
	char name[1024], directive[1024];
	va_list ap;

	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	flatten_newlines(name);
	snprintf(directive, sizeof directive, "SKIP %s", reason);
	flatten_newlines(directive);
	tap_print("ok", name, NULL, directive);
}

void tap_expect_str(const char *since, const char *expected, const char *got, const char *name_fmt, ...)
{
	char name[1024], exp_q[512], got_q[512];
	va_list ap;

	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	snprintf(exp_q, sizeof exp_q, "\"%s\"", expected ? expected : "(null)");
	snprintf(got_q, sizeof got_q, got ? "\"%s\"" : "%s", got ? got : "(nothing)");
	tap_check(expected && got && strcmp(expected, got) == 0, since, exp_q, got_q, "%s", name);
}

void tap_expect_int(const char *since, long long expected, long long got, const char *name_fmt, ...)
{
	char name[1024], exp_s[32], got_s[32];
	va_list ap;

	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	snprintf(exp_s, sizeof exp_s, "%lld", expected);
	snprintf(got_s, sizeof got_s, "%lld", got);
	tap_check(expected == got, since, exp_s, got_s, "%s", name);
}

json_object *cfg_get(json_object *obj, const char *dotted_path)
{
	char key[128];
	const char *p = dotted_path;

	while (obj && *p) {
		size_t len = strcspn(p, ".");
		if (len >= sizeof key)
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &obj))
			return NULL;
		p += len;
		if (*p == '.')
			p++;
	}
	return obj;
}

const char *cfg_str(json_object *obj, const char *dotted_path)
{
	json_object *v = cfg_get(obj, dotted_path);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool cfg_int(json_object *obj, const char *dotted_path, long long *out)
{
	json_object *v = cfg_get(obj, dotted_path);
	if (!json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

bool cfg_bool(json_object *obj, const char *dotted_path, bool *out)
{
	json_object *v = cfg_get(obj, dotted_path);
	if (!json_object_is_type(v, json_type_boolean))
		return false;
	*out = json_object_get_boolean(v);
	return true;
}

static char *facts_text;

bool facts_load(const char *path)
{
	facts_text = read_text_file(path);
	return facts_text != NULL;
}

/* Finds the line "<kind> <key> <numbers...>" and parses up to two numbers after the key. */
static bool facts_find(const char *kind, const char *key, unsigned long long *first, unsigned long long *second)
{
	const char *line = facts_text;
	size_t kind_len = strlen(kind), key_len = strlen(key);

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t line_len = end ? (size_t)(end - line) : strlen(line);
		if (line_len > kind_len + key_len + 2 && strncmp(line, kind, kind_len) == 0 && line[kind_len] == ' ' &&
		    strncmp(line + kind_len + 1, key, key_len) == 0 && line[kind_len + 1 + key_len] == ' ') {
			const char *nums = line + kind_len + key_len + 2;
			char *after;
			errno = 0;
			*first = strtoull(nums, &after, 10);
			if (errno || after == nums)
				return false;
			if (second) {
				const char *rest = after;
				*second = strtoull(rest, &after, 10);
				if (errno || after == rest)
					return false;
			}
			return true;
		}
		line = end ? end + 1 : NULL;
	}
	return false;
}

bool facts_ns(const char *type, unsigned long long *inode)
{
	return facts_text && facts_find("ns", type, inode, NULL);
}

bool facts_nspath(const char *path, unsigned long long *inode)
{
	return facts_text && facts_find("nspath", path, inode, NULL);
}

bool facts_stat(const char *path, unsigned long long *dev, unsigned long long *ino)
{
	return facts_text && facts_find("stat", path, dev, ino);
}

bool facts_value(const char *key, long long *out)
{
	const char *line;
	char prefix[160];

	if (!facts_text)
		return false;
	/* values may be negative (oom_score_adj), so parse them with strtoll */
	snprintf(prefix, sizeof prefix, "value %s ", key);
	for (line = facts_text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			char *after;
			errno = 0;
			*out = strtoll(line + strlen(prefix), &after, 10);
			return errno == 0 && after != line + strlen(prefix);
		}
	}
	return false;
}

char *read_text_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *grown = realloc(buf, cap + 65536);
			if (!grown) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
			cap += 65536;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int saved = errno;
		free(buf);
		fclose(f);
		errno = saved ? saved : EIO;
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

void normalize_space(char *s)
{
	char *out = s;
	bool pending_space = false;

	for (char *in = s; *in; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r') {
			pending_space = out != s;
			continue;
		}
		if (pending_space)
			*out++ = ' ';
		pending_space = false;
		*out++ = *in;
	}
	*out = '\0';
}

bool proc_status_field(const char *key, char *out, size_t out_len)
{
	char *status = read_text_file("/proc/self/status");
	size_t key_len = strlen(key);
	bool found = false;

	if (!status)
		return false;
	for (char *line = status; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
			char *end = strchr(line, '\n');
			size_t n = end ? (size_t)(end - line) - key_len - 1 : strlen(line + key_len + 1);
			if (n >= out_len)
				n = out_len - 1;
			memcpy(out, line + key_len + 1, n);
			out[n] = '\0';
			normalize_space(out);
			found = true;
			break;
		}
	}
	free(status);
	return found;
}

/* Lists the descriptors the runtime left open, before this program opens any of its own. */
static int list_open_fds(int *fds, int max_fds)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int n = 0;

	if (!dir)
		return -1;
	while ((entry = readdir(dir)) && n < max_fds) {
		char *end;
		long fd = strtol(entry->d_name, &end, 10);
		if (*end || end == entry->d_name || fd == dirfd(dir))
			continue;
		fds[n++] = (int)fd;
	}
	closedir(dir);
	return n;
}

static const char *arg_value(int argc, char **argv, const char *flag, const char *fallback)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return argv[i + 1];
	return fallback;
}

int main(int argc, char **argv)
{
	int open_fds[256];
	int n_open_fds = list_open_fds(open_fds, 256);
	const char *config_path = arg_value(argc, argv, "--config", "/conformance/config.json");
	const char *facts_path = arg_value(argc, argv, "--facts", "/conformance/facts");
	json_object *config;

	setvbuf(stdout, NULL, _IOLBF, 0);
	config = json_object_from_file(config_path);
	tap_check(config != NULL, NULL, "a readable JSON object", json_util_get_last_err(),
		  "checker: config.json is readable at %s", config_path);
	if (!config) {
		printf("1..%d\n", tap_count);
		return 1;
	}
	tap_check(facts_load(facts_path), NULL, "readable", strerror(errno), "checker: host facts are readable at %s",
		  facts_path);

	check_inherited_fds(open_fds, n_open_fds);
	check_process(config, argc, argv);
	check_capabilities(config);
	check_linux_process(config);
	check_namespaces(config);
	check_uts_sysctl_ids(config);
	check_root_and_mounts(config);
	check_masked_readonly(config);
	check_devices(config);
	check_cgroups(config);
	check_seccomp(config);

	printf("1..%d\n", tap_count);
	json_object_put(config);
	return tap_failed ? 1 : 0;
}

bool cfg_spec_1_3(json_object *config)
{
	const char *v = cfg_str(config, "ociVersion");
	return v && strncmp(v, "1.", 2) == 0 && v[2] >= '0' && v[2] <= '9' && strtol(v + 2, NULL, 10) >= 3;
}
