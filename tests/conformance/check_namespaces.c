/* check_namespaces.c - checks of config-linux.md namespaces, user namespace mappings, time offsets and sysctl, plus config.md hostname and domainname.
 * Must never write to /proc/sys or change a namespace: it only compares the /proc/self/ns links, uname(2) and /proc files with config.json and the host facts. */
#include "checker.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

struct ns_kind {
	const char *spec_type; /* linux.namespaces[].type */
	const char *proc_name; /* /proc/self/ns/<name> */
	const char *since;
};

static const struct ns_kind ns_kinds[] = {
	{ "pid", "pid", NULL },	  { "network", "net", NULL }, { "mount", "mnt", NULL },	      { "ipc", "ipc", NULL },
	{ "uts", "uts", NULL },	  { "user", "user", NULL },   { "cgroup", "cgroup", NULL }, { "time", "time", SINCE_1_1_0 },
};

static json_object *find_namespace(json_object *config, const char *spec_type)
{
	json_object *list = cfg_get(config, "linux.namespaces");

	for (size_t i = 0; json_object_is_type(list, json_type_array) && i < json_object_array_length(list); i++) {
		json_object *entry = json_object_array_get_idx(list, i);
		const char *type = cfg_str(entry, "type");
		if (type && strcmp(type, spec_type) == 0)
			return entry;
	}
	return NULL;
}

void check_namespaces(json_object *config)
{
	for (size_t k = 0; k < sizeof ns_kinds / sizeof ns_kinds[0]; k++) {
		const struct ns_kind *kind = &ns_kinds[k];
		json_object *entry = find_namespace(config, kind->spec_type);
		const char *path = entry ? cfg_str(entry, "path") : NULL;
		char self_path[64], want[64], got[64];
		unsigned long long host_inode, path_inode;
		struct stat st;

		snprintf(self_path, sizeof self_path, "/proc/self/ns/%s", kind->proc_name);
		if (stat(self_path, &st) != 0) {
			if (entry)
				tap_check(false, kind->since, "a namespace", strerror(errno), "config-linux.md#namespaces: %s namespace exists",
					  kind->spec_type);
			else
				tap_skip("kernel has no such namespace", "config-linux.md#namespaces: %s namespace", kind->spec_type);
			continue;
		}
		snprintf(got, sizeof got, "%s:[%llu]", kind->proc_name, (unsigned long long)st.st_ino);
		if (path) {
			if (!facts_nspath(path, &path_inode)) {
				tap_skip("runner gave no inode for that path", "config-linux.md#namespaces: %s namespace joined from %s",
					 kind->spec_type, path);
				continue;
			}
			snprintf(want, sizeof want, "%s:[%llu]", kind->proc_name, path_inode);
			tap_check(st.st_ino == path_inode, kind->since, want, got,
				  "config-linux.md#namespaces: %s namespace is the one at its path", kind->spec_type);
			continue;
		}
		if (!facts_ns(kind->proc_name, &host_inode)) {
			tap_skip("runner gave no host inode", "config-linux.md#namespaces: %s namespace", kind->spec_type);
			continue;
		}
		if (entry)
			snprintf(want, sizeof want, "not %s:[%llu]", kind->proc_name, host_inode);
		else
			snprintf(want, sizeof want, "%s:[%llu]", kind->proc_name, host_inode);
		if (entry)
			tap_check(st.st_ino != host_inode, kind->since, want, got,
				  "config-linux.md#namespaces: %s namespace is a new one, not the runtime's", kind->spec_type);
		else
			tap_check(st.st_ino == host_inode, NULL, want, got,
				  "config-linux.md#namespaces: %s namespace not listed: the runtime's is inherited", kind->spec_type);
	}
}

static void check_hostname(json_object *config)
{
	const char *hostname = cfg_str(config, "hostname");
	const char *domainname = cfg_str(config, "domainname");
	struct utsname uts;

	if (uname(&uts) != 0) {
		tap_check(false, NULL, "uname succeeds", strerror(errno), "config.md#hostname: uname(2) works");
		return;
	}
	if (hostname)
		tap_expect_str(NULL, hostname, uts.nodename, "config.md#hostname: hostname is \"%s\"", hostname);
	if (domainname)
		tap_expect_str(SINCE_1_1_0, domainname, uts.domainname, "config.md#domainname: domainname is \"%s\"", domainname);
}

static void check_sysctl(json_object *config)
{
	json_object *sysctl = cfg_get(config, "linux.sysctl");

	if (!json_object_is_type(sysctl, json_type_object))
		return;
	json_object_object_foreach(sysctl, key, value)
	{
		char path[512], want[256];
		char *got;
		snprintf(path, sizeof path, "/proc/sys/%s", key);
		for (char *c = path + strlen("/proc/sys/"); *c; c++)
			if (*c == '.')
				*c = '/';
		snprintf(want, sizeof want, "%s", json_object_get_string(value));
		normalize_space(want);
		got = read_text_file(path);
		if (got)
			normalize_space(got);
		tap_expect_str(NULL, want, got ? got : strerror(errno), "config-linux.md#sysctl: %s is \"%s\"", key, want);
		free(got);
	}
}

/* Renders an id map (config array or /proc file) as sorted "inside outside count" triples joined by ", ". */
static int compare_triples(const void *a, const void *b)
{
	const unsigned long long *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void render_triples(unsigned long long (*triples)[3], size_t n, char *out, size_t out_len)
{
	size_t used = 0;

	qsort(triples, n, sizeof triples[0], compare_triples);
	out[0] = '\0';
	for (size_t i = 0; i < n && used < out_len; i++)
		used += (size_t)snprintf(out + used, out_len - used, "%s%llu %llu %llu", i ? ", " : "", triples[i][0], triples[i][1],
					 triples[i][2]);
}

static void check_id_map(json_object *config, const char *config_key, const char *proc_file)
{
	json_object *list = cfg_get(config, config_key);
	unsigned long long want[64][3], got[64][3];
	size_t n_want = 0, n_got = 0;
	char want_s[1024], got_s[1024], *text;

	if (!json_object_is_type(list, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(list) && n_want < 64; i++, n_want++) {
		json_object *entry = json_object_array_get_idx(list, i);
		want[n_want][0] = json_object_get_uint64(cfg_get(entry, "containerID"));
		want[n_want][1] = json_object_get_uint64(cfg_get(entry, "hostID"));
		want[n_want][2] = json_object_get_uint64(cfg_get(entry, "size"));
	}
	text = read_text_file(proc_file);
	for (char *line = text; line && *line && n_got < 64; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (sscanf(line, "%llu %llu %llu", &got[n_got][0], &got[n_got][1], &got[n_got][2]) == 3)
			n_got++;
	free(text);
	render_triples(want, n_want, want_s, sizeof want_s);
	render_triples(got, n_got, got_s, sizeof got_s);
	tap_expect_str(NULL, want_s, got_s, "config-linux.md#user-namespace-mappings: %s is [%s]", proc_file, want_s);
}

static void check_time_offsets(json_object *config)
{
	static const char *const clocks[] = { "monotonic", "boottime" };
	json_object *offsets = cfg_get(config, "linux.timeOffsets");
	char *text;

	if (!json_object_is_type(offsets, json_type_object))
		return;
	text = read_text_file("/proc/self/timens_offsets");
	for (size_t c = 0; c < 2; c++) {
		char key[64], want[96], got[96] = "(missing)";
		long long secs = 0, nanosecs = 0;
		snprintf(key, sizeof key, "%s.secs", clocks[c]);
		cfg_int(offsets, key, &secs);
		snprintf(key, sizeof key, "%s.nanosecs", clocks[c]);
		cfg_int(offsets, key, &nanosecs);
		snprintf(want, sizeof want, "%s %lld %lld", clocks[c], secs, nanosecs);
		for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			if (strncmp(line, clocks[c], strlen(clocks[c])) == 0) {
				size_t n = strcspn(line, "\n");
				snprintf(got, sizeof got, "%.*s", (int)(n < sizeof got ? n : sizeof got - 1), line);
				normalize_space(got);
			}
		}
		tap_expect_str(SINCE_1_1_0, want, text ? got : strerror(errno),
			       "config-linux.md#offset-for-time-namespace: %s offset is %lld s %lld ns", clocks[c], secs, nanosecs);
	}
	free(text);
}

/* linux.netDevices: each interface is in the container's network namespace under its new name, and no longer
 * under its host name (unless another entry renames an interface to that name). */
static void check_net_devices(json_object *config)
{
	json_object *devices = cfg_get(config, "linux.netDevices");

	if (!json_object_is_type(devices, json_type_object))
		return;
	json_object_object_foreach(devices, host_name, device)
	{
		const char *name = cfg_str(device, "name");
		bool taken = false;
		if (name == NULL || *name == '\0')
			name = host_name;
		tap_check(if_nametoindex(name) != 0, SINCE_1_3_0, "present", "absent",
			  "config-linux.md#network-devices: host interface %s is %s in the container", host_name, name);
		json_object_object_foreach(devices, other, other_device)
		{
			const char *other_name = cfg_str(other_device, "name");
			taken |= strcmp(other_name && *other_name ? other_name : other, host_name) == 0;
		}
		if (!taken)
			tap_check(if_nametoindex(host_name) == 0, SINCE_1_3_0, "absent", "present",
				  "config-linux.md#network-devices: the container has no interface %s (renamed to %s)", host_name, name);
	}
}

void check_uts_sysctl_ids(json_object *config)
{
	check_hostname(config);
	check_sysctl(config);
	check_id_map(config, "linux.uidMappings", "/proc/self/uid_map");
	check_id_map(config, "linux.gidMappings", "/proc/self/gid_map");
	check_time_offsets(config);
	check_net_devices(config);
}
