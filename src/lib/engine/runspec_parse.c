/* runspec_parse.c - each `hull container run/create` flag parsed once into struct run_spec, errors worded as Docker's.
 * Must never read the image nor touch the host beyond reading --env-file and our own environment. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "engine/runspec.h"
#include "linux/caps.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/signals.h"
#include "util/xalloc.h"

#define ENV_FILE_MAX ((size_t)1 << 20)
#define MEMORY_MIN ((int64_t)6 << 20) /* Docker's "Minimum memory limit allowed is 6MB" */

static void strv_push(char ***v, const char *s)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	*v = xreallocarray(*v, n + 2, sizeof(char *));
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

static void strv_free(char **v)
{
	cleanup_strvp(&v);
}

struct flag_def;
typedef int (*flag_fn)(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err);
struct flag_def {
	const char *name, *shown; /* shown: as Docker's usage prints it, "-m, --memory" */
	flag_fn parse;
	size_t field;             /* offsetof the field a generic handler sets */
};

static int bad_arg(hull_err *err, const struct flag_def *f, const char *arg, const char *why)
{
	return hull_fail_code(err, EINVAL, "invalid argument \"%s\" for \"%s\" flag: %s", arg, f->shown, why);
}

#define FIELD(s, f, type) ((type *)((char *)(s) + (f)->field))

/* "64m", "1g", "512k", "1.5g", "100" (bytes): Docker's RAMInBytes (binary units, optional "b"/"ib") */
int runspec_parse_bytes(const char *s, int64_t *out)
{
	static const char units[] = "bkmgtp";
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !isdigit((unsigned char)*s) || v < 0)
		return -1;
	if (*end == ' ')
		end++;
	double mult = 1;
	if (*end) {
		const char *u = strchr(units, tolower((unsigned char)*end));
		if (u == NULL)
			return -1;
		for (ptrdiff_t i = 0; i < u - units; i++)
			mult *= 1024;
		end++;
		if (mult > 1 && tolower((unsigned char)*end) == 'i')
			end++;
		if (mult > 1 && tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (*end || v * mult >= 9.2e18)
		return -1;
	*out = (int64_t)(v * mult);
	return 0;
}

static int parse_bool_flag(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	bool v = true;
	if (arg && (strcmp(arg, "false") == 0 || strcmp(arg, "0") == 0))
		v = false;
	else if (arg && strcmp(arg, "true") != 0 && strcmp(arg, "1") != 0) {
		_cleanup_free_ char *why = xasprintf("strconv.ParseBool: parsing \"%s\": invalid syntax", arg);
		return bad_arg(err, f, arg, why);
	}
	*FIELD(s, f, bool) = v;
	return 0;
}

static int parse_string(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)err;
	char **field = FIELD(s, f, char *);
	free(*field);
	*field = xstrdup(arg);
	return 0;
}

static int parse_hostname(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	if (*arg == '\0' || strlen(arg) > HOST_NAME_MAX || strchr(arg, '/'))
		return bad_arg(err, f, arg, "invalid hostname");
	return parse_string(s, f, arg, err);
}

static int parse_workdir(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	if (arg[0] != '/')
		return hull_fail_code(err, EINVAL, "the working directory '%s' is invalid, it needs to be an absolute path", arg);
	return parse_string(s, f, arg, err);
}

static int parse_user(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	if (*arg == '\0' || arg[0] == ':' || strchr(arg, ':') != strrchr(arg, ':'))
		return bad_arg(err, f, arg, "invalid user");
	return parse_string(s, f, arg, err);
}

static int parse_entrypoint(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	(void)err;
	strv_free(s->entrypoint);
	s->entrypoint = xcalloc(2, sizeof(char *));
	if (*arg)
		s->entrypoint[0] = xstrdup(arg);
	s->entrypoint_set = true;
	return 0;
}

/* K=V as is; K alone takes our environment's value, and is dropped when we have none (as Docker does) */
static int add_env(struct run_spec *s, const char *kv, hull_err *err)
{
	if (kv[0] == '=' || kv[0] == '\0')
		return hull_fail_code(err, EINVAL, "invalid environment variable: %s", kv);
	if (strchr(kv, '=')) {
		strv_push(&s->env, kv);
		return 0;
	}
	const char *v = getenv(kv);
	if (v) {
		_cleanup_free_ char *full = xasprintf("%s=%s", kv, v);
		strv_push(&s->env, full);
	}
	return 0;
}

static int parse_env(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	return add_env(s, arg, err);
}

static int parse_env_file(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	_cleanup_free_ char *text = NULL;
	if (fs_read_file_max(AT_FDCWD, arg, ENV_FILE_MAX, &text, NULL, err) < 0)
		return -1;
	unsigned lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line += strspn(line, " \t");
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		if (strpbrk(line, " \t") && (!strchr(line, '=') || strpbrk(line, " \t") < strchr(line, '=')))
			return hull_fail_code(err, EINVAL, "variable '%s' contains whitespaces (%s line %u)", line, arg, lineno);
		if (add_env(s, line, err) < 0)
			return hull_err_prefix(err, "%s line %u", arg, lineno);
	}
	return 0;
}

static int parse_label(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	if (arg[0] == '=' || arg[0] == '\0')
		return bad_arg(err, f, arg, "invalid label: empty key");
	if (strchr(arg, '='))
		strv_push(&s->labels, arg);
	else {
		_cleanup_free_ char *kv = xasprintf("%s=", arg);
		strv_push(&s->labels, kv);
	}
	return 0;
}

static int parse_memory(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	int64_t v;
	if (runspec_parse_bytes(arg, &v) < 0) {
		_cleanup_free_ char *why = xasprintf("invalid size: '%s'", arg);
		return bad_arg(err, f, arg, why);
	}
	if (v > 0 && v < MEMORY_MIN)
		return hull_fail_code(err, EINVAL, "Minimum memory limit allowed is 6MB");
	s->memory = v;
	return 0;
}

static int parse_cpus(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(arg, &end);
	if (end == arg || *end || errno || !isfinite(v) || v < 0 || v > 1e6) {
		_cleanup_free_ char *why = xasprintf("failed to parse %s as a rational number", arg);
		return bad_arg(err, f, arg, why);
	}
	s->cpus_milli = (int64_t)(v * 1000 + 0.5); /* no libm for llround */
	return 0;
}

static int parse_pids_limit(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (end == arg || *end || errno) {
		_cleanup_free_ char *why = xasprintf("strconv.ParseInt: parsing \"%s\": invalid syntax", arg);
		return bad_arg(err, f, arg, why);
	}
	s->pids_limit = v <= 0 ? -1 : v; /* Docker: 0 and -1 both mean unlimited */
	return 0;
}

static int parse_stop_signal(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	if (signal_parse(arg) < 0)
		return hull_fail_code(err, EINVAL, "invalid signal: %s", arg);
	return parse_string(s, f, arg, err);
}

static int parse_cap(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)s;
	const char *bare = strncasecmp(arg, "CAP_", 4) == 0 ? arg + 4 : arg;
	_cleanup_free_ char *name = strcasecmp(bare, "ALL") == 0 ? xstrdup("ALL") : xasprintf("CAP_%s", bare);
	for (char *p = name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (strcmp(name, "ALL") != 0 && caps_from_name(name) < 0)
		return hull_fail_code(err, EINVAL, "unknown capability: \"%s\"", name);
	strv_push(FIELD(s, f, char **), name);
	return 0;
}

static int parse_security_opt(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	size_t klen = strcspn(arg, "=:");
	const char *val = arg[klen] ? arg + klen + 1 : NULL;
	if (klen == 7 && strncmp(arg, "seccomp", 7) == 0 && val && *val) {
		free(s->seccomp);
		s->seccomp = xstrdup(val);
		return 0;
	}
	if (klen == 17 && strncmp(arg, "no-new-privileges", 17) == 0) {
		if (val == NULL || strcmp(val, "true") == 0)
			s->no_new_privileges = true;
		else if (strcmp(val, "false") == 0)
			s->no_new_privileges = false;
		else
			return hull_fail_code(err, EINVAL, "invalid --security-opt 2: \"%s\"", arg);
		return 0;
	}
	/* SELinux and AppArmor are not hull's: accepted and ignored, as Docker does on a host without them */
	if (val && ((klen == 5 && strncmp(arg, "label", 5) == 0) || (klen == 8 && strncmp(arg, "apparmor", 8) == 0)))
		return 0;
	return hull_fail_code(err, EINVAL, "Invalid --security-opt: \"%s\"", arg);
}

static int parse_idmap(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	unsigned long long v[3];
	const char *p = arg;
	for (int i = 0; i < 3; i++) {
		char *end = NULL;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno || v[i] > UINT32_MAX || *p == '-' || (*end != (i < 2 ? ':' : '\0')))
			return bad_arg(err, f, arg, "want CONTAINER:HOST:SIZE");
		p = end + 1;
	}
	if (v[2] == 0 || v[0] + v[2] - 1 > UINT32_MAX || v[1] + v[2] - 1 > UINT32_MAX)
		return bad_arg(err, f, arg, "empty or overflowing range");
	bool uid = strcmp(f->name, "uidmap") == 0;
	struct hull_idmap **maps = uid ? &s->uidmap : &s->gidmap;
	size_t *n = uid ? &s->n_uidmap : &s->n_gidmap;
	*maps = xreallocarray(*maps, *n + 1, sizeof(**maps));
	(*maps)[(*n)++] = (struct hull_idmap){ (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2] };
	return 0;
}

/* HOST[:CONTAINER[:PERMS]]: split into its parts (the caller frees them); validated */
int runspec_split_device(const char *arg, char **host, char **container, char **perms)
{
	_cleanup_strv_ char **parts = xcalloc(4, sizeof(char *));
	size_t n = 0;
	for (const char *p = arg; n < 4; n++) {
		const char *c = strchr(p, ':');
		if (n == 3)
			return -1;
		parts[n] = c ? xstrndup(p, (size_t)(c - p)) : xstrdup(p);
		if (c == NULL) {
			n++;
			break;
		}
		p = c + 1;
	}
	const char *perm = "rwm";
	if (n == 3 || (n == 2 && parts[1][0] != '/')) {
		perm = parts[n - 1];
		if (*perm == '\0' || strspn(perm, "rwm") != strlen(perm) || strlen(perm) > 3)
			return -1;
	}
	const char *dst = n >= 2 && parts[1][0] == '/' ? parts[1] : parts[0];
	if (parts[0][0] != '/' || dst[0] != '/')
		return -1;
	*host = xstrdup(parts[0]);
	*container = xstrdup(dst);
	*perms = xstrdup(perm);
	return 0;
}

static int parse_device(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	_cleanup_free_ char *h = NULL, *c = NULL, *p = NULL;
	if (runspec_split_device(arg, &h, &c, &p) < 0)
		return hull_fail_code(err, EINVAL, "invalid device specification: %s", arg);
	strv_push(&s->devices, arg);
	return 0;
}

static struct run_mount *new_mount(struct run_spec *s, enum mount_kind kind)
{
	s->mounts = xreallocarray(s->mounts, s->n_mounts + 1, sizeof(*s->mounts));
	struct run_mount *m = &s->mounts[s->n_mounts++];
	*m = (struct run_mount){ .kind = kind };
	return m;
}

static bool valid_volume_name(const char *n)
{
	if (!isalnum((unsigned char)n[0]) || n[1] == '\0')
		return false;
	for (const char *p = n; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return false;
	return true;
}

static bool is_propagation(const char *o)
{
	static const char *const names[] = { "private", "rprivate", "shared", "rshared", "slave", "rslave" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(o, names[i]) == 0)
			return true;
	return false;
}

/* -v [SRC:]DST[:OPTS] */
static int parse_volume(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	(void)f;
	_cleanup_free_ char *copy = xstrdup(arg);
	char *part[4] = { 0 };
	size_t n = 0;
	for (char *save = NULL, *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (n == 3)
			return hull_fail_code(err, EINVAL, "invalid volume specification: '%s'", arg);
		part[n++] = p;
	}
	if (n == 0)
		return hull_fail_code(err, EINVAL, "invalid volume specification: '%s'", arg);
	/* "SRC:DST" vs "DST:OPTS": the second part of two is a destination when it is absolute */
	const char *src = n >= 2 && (n == 3 || part[1][0] == '/') ? part[0] : NULL;
	const char *dst = src ? part[1] : part[0];
	const char *opts = n == 3 ? part[2] : (n == 2 && !src ? part[1] : NULL);
	if (dst[0] != '/')
		return hull_fail_code(err, EINVAL, "invalid volume specification: '%s': invalid mount path: '%s' mount path must be absolute", arg, dst);
	if (strcmp(dst, "/") == 0)
		return hull_fail_code(err, EINVAL, "invalid volume specification: '%s': invalid mount config: destination can't be '/'", arg);
	_cleanup_free_ char *abs = NULL;
	if (src && src[0] == '.') { /* the Docker CLI makes ./x absolute */
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return hull_fail_sys(err, "getcwd");
		src = abs = xasprintf("%s/%s", cwd, src);
	}
	if (src && src[0] != '/' && !valid_volume_name(src))
		return hull_fail_code(err, EINVAL,
				      "create %s: \"%s\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
				      src, src);
	char **options = NULL;
	for (char *save = NULL, *o = opts ? strtok_r((char *)opts, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "z") == 0 || strcmp(o, "Z") == 0 || strcmp(o, "consistent") == 0 || strcmp(o, "cached") == 0 ||
		    strcmp(o, "delegated") == 0)
			continue; /* SELinux relabels and macOS consistency: nothing to do here */
		if (strcmp(o, "ro") != 0 && strcmp(o, "rw") != 0 && strcmp(o, "nocopy") != 0 && !is_propagation(o)) {
			strv_free(options);
			return hull_fail_code(err, EINVAL, "invalid mode: %s", o);
		}
		strv_push(&options, o);
	}
	struct run_mount *m = new_mount(s, src && src[0] == '/' ? MOUNT_BIND : MOUNT_VOLUME);
	m->source = src ? xstrdup(src) : NULL;
	m->destination = xstrdup(dst);
	m->options = options;
	return 0;
}

static bool truthy(const char *v)
{
	return v == NULL || strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* --mount type=bind|volume|tmpfs,source=,target=,readonly,tmpfs-size=,tmpfs-mode=,... */
static int parse_mount(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	_cleanup_free_ char *copy = xstrdup(arg), *src = NULL, *dst = NULL;
	_cleanup_strv_ char **options = NULL;
	enum mount_kind kind = MOUNT_VOLUME;
	for (char *save = NULL, *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *v = strchr(kv, '=');
		if (v)
			*v++ = '\0';
		int64_t n;
		if (strcmp(kv, "type") == 0 && v) {
			static const char *const kinds[] = { [MOUNT_BIND] = "bind", [MOUNT_VOLUME] = "volume", [MOUNT_TMPFS] = "tmpfs" };
			size_t k = 0;
			while (k < ARRAY_SIZE(kinds) && strcmp(kinds[k], v) != 0)
				k++;
			if (k == ARRAY_SIZE(kinds)) {
				_cleanup_free_ char *why = xasprintf("invalid mount type \"%s\"", v);
				return bad_arg(err, f, arg, why);
			}
			kind = (enum mount_kind)k;
		} else if ((strcmp(kv, "source") == 0 || strcmp(kv, "src") == 0) && v) {
			free(src);
			src = xstrdup(v);
		} else if ((strcmp(kv, "target") == 0 || strcmp(kv, "destination") == 0 || strcmp(kv, "dst") == 0) && v) {
			free(dst);
			dst = xstrdup(v);
		} else if (strcmp(kv, "readonly") == 0 || strcmp(kv, "ro") == 0) {
			if (truthy(v))
				strv_push(&options, "ro");
		} else if (strcmp(kv, "bind-propagation") == 0 && v && is_propagation(v)) {
			strv_push(&options, v);
		} else if (strcmp(kv, "volume-nocopy") == 0) {
			if (truthy(v))
				strv_push(&options, "nocopy");
		} else if (strcmp(kv, "tmpfs-size") == 0 && v && runspec_parse_bytes(v, &n) == 0) {
			_cleanup_free_ char *o = xasprintf("size=%lld", (long long)n);
			strv_push(&options, o);
		} else if (strcmp(kv, "tmpfs-mode") == 0 && v && *v && strspn(v, "01234567") == strlen(v) && strlen(v) <= 5) {
			_cleanup_free_ char *o = xasprintf("mode=%o", (unsigned)strtoul(v, NULL, 8));
			strv_push(&options, o);
		} else if (strcmp(kv, "consistency") == 0 || strcmp(kv, "bind-nonrecursive") == 0) {
			continue;
		} else {
			_cleanup_free_ char *why = v ? xasprintf("unexpected key '%s' in '%s=%s'", kv, kv, v)
						     : xasprintf("invalid field '%s' must be a key=value pair", kv);
			return bad_arg(err, f, arg, why);
		}
	}
	if (dst == NULL || dst[0] != '/')
		return bad_arg(err, f, arg, dst ? "target must be an absolute path" : "target is required");
	if (kind == MOUNT_BIND && (src == NULL || src[0] != '/'))
		return hull_fail_code(err, EINVAL, "invalid mount config for type \"bind\": %s", src ? "invalid mount path: source must be absolute" : "field Source must not be empty");
	if (kind == MOUNT_VOLUME && src && !valid_volume_name(src))
		return bad_arg(err, f, arg, "invalid volume name");
	if (kind == MOUNT_TMPFS && src)
		return hull_fail_code(err, EINVAL, "invalid mount config for type \"tmpfs\": field Source must be empty");
	struct run_mount *m = new_mount(s, kind);
	m->source = take_ptr(src);
	m->destination = take_ptr(dst);
	m->options = take_ptr(options);
	return 0;
}

/* --tmpfs DST[:OPTS] */
static int parse_tmpfs(struct run_spec *s, const struct flag_def *f, const char *arg, hull_err *err)
{
	const char *colon = strchr(arg, ':');
	_cleanup_free_ char *dst = colon ? xstrndup(arg, (size_t)(colon - arg)) : xstrdup(arg);
	if (dst[0] != '/')
		return bad_arg(err, f, arg, "invalid mount path: mount path must be absolute");
	char **options = NULL;
	if (colon) {
		_cleanup_free_ char *opts = xstrdup(colon + 1);
		for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save))
			strv_push(&options, o);
	}
	struct run_mount *m = new_mount(s, MOUNT_TMPFS);
	m->destination = take_ptr(dst);
	m->options = options;
	return 0;
}

#define AT(field) offsetof(struct run_spec, field)
static const struct flag_def flags[] = {
	{ "env", "-e, --env", parse_env, 0 },
	{ "env-file", "--env-file", parse_env_file, 0 },
	{ "workdir", "-w, --workdir", parse_workdir, AT(workdir) },
	{ "user", "-u, --user", parse_user, AT(user) },
	{ "entrypoint", "--entrypoint", parse_entrypoint, 0 },
	{ "hostname", "-h, --hostname", parse_hostname, AT(hostname) },
	{ "volume", "-v, --volume", parse_volume, 0 },
	{ "mount", "--mount", parse_mount, 0 },
	{ "tmpfs", "--tmpfs", parse_tmpfs, 0 },
	{ "read-only", "--read-only", parse_bool_flag, AT(read_only) },
	{ "cap-add", "--cap-add", parse_cap, AT(cap_add) },
	{ "cap-drop", "--cap-drop", parse_cap, AT(cap_drop) },
	{ "security-opt", "--security-opt", parse_security_opt, 0 },
	{ "privileged", "--privileged", parse_bool_flag, AT(privileged) },
	{ "device", "--device", parse_device, 0 },
	{ "memory", "-m, --memory", parse_memory, 0 },
	{ "cpus", "--cpus", parse_cpus, 0 },
	{ "pids-limit", "--pids-limit", parse_pids_limit, 0 },
	{ "init", "--init", parse_bool_flag, AT(init) },
	{ "uidmap", "--uidmap", parse_idmap, 0 },
	{ "gidmap", "--gidmap", parse_idmap, 0 },
	{ "tty", "-t, --tty", parse_bool_flag, AT(tty) },
	{ "interactive", "-i, --interactive", parse_bool_flag, AT(interactive) },
	{ "stop-signal", "--stop-signal", parse_stop_signal, AT(stop_signal) },
	{ "label", "-l, --label", parse_label, 0 },
};

static bool takes_no_value(flag_fn fn)
{
	return fn == parse_bool_flag;
}

int runspec_flag(struct run_spec *spec, const char *flag, const char *arg, hull_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		if (strcmp(flags[i].name, flag) != 0)
			continue;
		if (arg == NULL && !takes_no_value(flags[i].parse))
			return hull_fail_code(err, EINVAL, "flag needs an argument: --%s", flag);
		return flags[i].parse(spec, &flags[i], arg, err);
	}
	return hull_fail_code(err, EINVAL, "unknown flag: --%s", flag);
}

void runspec_clear(struct run_spec *s)
{
	char **strvs[] = { s->env, s->entrypoint, s->command, s->cap_add, s->cap_drop, s->devices, s->labels };
	for (size_t i = 0; i < ARRAY_SIZE(strvs); i++)
		strv_free(strvs[i]);
	for (size_t i = 0; i < s->n_mounts; i++) {
		free(s->mounts[i].source);
		free(s->mounts[i].destination);
		strv_free(s->mounts[i].options);
	}
	free(s->mounts);
	free(s->workdir);
	free(s->user);
	free(s->hostname);
	free(s->seccomp);
	free(s->stop_signal);
	free(s->uidmap);
	free(s->gidmap);
	*s = (struct run_spec){ 0 };
}
