/* check_cgroups.c - checks of config-linux.md control groups: cgroupsPath as /proc/self/cgroup shows it, and linux.resources (memory, cpu, pids, devices) read back from the container's own cgroup under /sys/fs/cgroup, v1 or v2.
 * Must never write to a cgroup file, open a device for writing other than /dev/null, or leave a device node it made: it only reads cgroup files and probes devices with read-only opens. */
#include "checker.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define CAP_MKNOD_BIT 27
#define MAX_CPUS 4096

/* Where a controller's files for this container are, as found from inside. */
struct cg_dir {
	bool found;
	int version; /* 1: a v1 hierarchy of the controller, 2: the unified hierarchy */
	char path[PATH_MAX];
	char why[512]; /* when not found */
};

/* Path of this process's cgroup in /proc/self/cgroup: of the v1 hierarchy carrying controller, or with controller NULL the v2 ("0::") one. */
static bool own_cgroup_path(const char *controller, char *out, size_t out_len)
{
	char *text = read_text_file("/proc/self/cgroup");
	bool found = false;

	if (!text)
		return false;
	for (char *line = strtok(text, "\n"); line && !found; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		char *list = c1 + 1;
		if (!controller) {
			found = strncmp(line, "0:", 2) == 0 && *list == '\0';
		} else {
			for (char *save = NULL, *name = strtok_r(list, ",", &save); name && !found; name = strtok_r(NULL, ",", &save))
				found = strcmp(name, controller) == 0;
		}
		if (found)
			snprintf(out, out_len, "%s", c2 + 1);
	}
	free(text);
	return found;
}

/* /proc/self/cgroup names a v1 controller: the host (as the container sees it) has v1 hierarchies. */
static bool cgroup_v1_in_use(void)
{
	char *text = read_text_file("/proc/self/cgroup");
	bool v1 = false;

	for (char *line = text ? strtok(text, "\n") : NULL; line && !v1; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':');
		v1 = c1 && c1[1] != ':' && strncmp(c1 + 1, "name=", 5) != 0;
	}
	free(text);
	return v1;
}

static bool list_has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *out = s;
	for (char *in = s; *in; in++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			*out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 3;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
}

/* pid (as this pid namespace numbers it) is listed in dir/cgroup.procs */
static bool procs_has_pid(const char *dir, pid_t pid)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	char *text = read_text_file(path);
	bool found = false;
	for (char *line = text ? strtok(text, "\n") : NULL; line && !found; line = strtok(NULL, "\n"))
		found = atoll(line) == (long long)pid;
	free(text);
	return found;
}

/*
 * The directory of this container's cgroup for controller: the topmost cgroup (v1 with the controller in its super
 * options) or cgroup2 mount under /sys/fs/cgroup whose root holds our cgroup, joined with the rest of our path from
 * /proc/self/cgroup (empty when the runtime bound our own cgroup at the mount, or we are in a cgroup namespace).
 * It must list this process in cgroup.procs: a directory that does not is not ours, whatever the paths say.
 */
static void find_cgroup_dir(const char *controller, struct cg_dir *d)
{
	bool v1 = cgroup_v1_in_use();
	char own[PATH_MAX], mount_root[PATH_MAX] = "", mount_point[PATH_MAX] = "";
	char *text;

	memset(d, 0, sizeof *d);
	d->version = v1 ? 1 : 2;
	if (!own_cgroup_path(v1 ? controller : NULL, own, sizeof own)) {
		snprintf(d->why, sizeof d->why, "no %s line in /proc/self/cgroup", v1 ? controller : "0::");
		return;
	}
	text = read_text_file("/proc/self/mountinfo");
	if (!text) {
		snprintf(d->why, sizeof d->why, "/proc/self/mountinfo: %s", strerror(errno));
		return;
	}
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *fields[6] = { 0 }, *sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		char *fstype = strtok_r(sep + 3, " ", &sep), *source = fstype ? strtok_r(NULL, " ", &sep) : NULL;
		char *super = source ? strtok_r(NULL, " ", &sep) : NULL;
		char *save = NULL;
		fields[0] = strtok_r(line, " ", &save);
		for (int i = 1; i < 6 && fields[i - 1]; i++)
			fields[i] = strtok_r(NULL, " ", &save);
		if (!fields[4] || !fstype || !super)
			continue;
		unescape(fields[3]);
		unescape(fields[4]);
		if (strncmp(fields[4], "/sys/fs/cgroup", 14) != 0 || (fields[4][14] != '/' && fields[4][14] != '\0'))
			continue;
		bool match = v1 ? strcmp(fstype, "cgroup") == 0 && list_has_word(super, controller)
				: strcmp(fstype, "cgroup2") == 0 && strcmp(fields[4], "/sys/fs/cgroup") == 0;
		if (match) { /* later lines are mounted on top of earlier ones: keep the last */
			snprintf(mount_root, sizeof mount_root, "%s", fields[3]);
			snprintf(mount_point, sizeof mount_point, "%s", fields[4]);
		}
	}
	free(text);
	if (!*mount_point) {
		snprintf(d->why, sizeof d->why, "no %s mount under /sys/fs/cgroup in /proc/self/mountinfo",
			 v1 ? controller : "cgroup2");
		return;
	}
	size_t root_len = strcmp(mount_root, "/") == 0 ? 0 : strlen(mount_root);
	if (strncmp(own, mount_root, root_len) != 0 || (own[root_len] != '/' && own[root_len] != '\0')) {
		snprintf(d->why, sizeof d->why, "own cgroup %.200s is outside the mount's root %.200s", own, mount_root);
		return;
	}
	const char *rest = own + root_len;
	snprintf(d->path, sizeof d->path, "%.2000s%.2000s", mount_point, strcmp(rest, "/") == 0 ? "" : rest);
	if (!procs_has_pid(d->path, getpid())) {
		snprintf(d->why, sizeof d->why, "%.300s/cgroup.procs does not list this process (pid %d)", d->path, (int)getpid());
		return;
	}
	d->found = true;
}

/* First line of dir/file, whitespace-normalized; NULL (errno set) when unreadable. */
static char *read_cgroup_file(const struct cg_dir *d, const char *file)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", d->path, file);
	char *text = read_text_file(path);
	if (text) {
		char *nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		normalize_space(text);
	}
	return text;
}

/* Compares one cgroup file with the expected text; the check name says which config field and file. */
static void expect_file_since(const struct cg_dir *d, const char *file, const char *want, const char *since,
			      const char *name)
{
	char got[256];
	char *text = read_cgroup_file(d, file);

	snprintf(got, sizeof got, text ? "%s" : "unreadable (%s)", text ? text : strerror(errno));
	tap_check(text && strcmp(text, want) == 0, since, want, got, "%s (%s is %s)", name, file, want);
	free(text);
}

static void expect_file(const struct cg_dir *d, const char *file, const char *want, const char *name)
{
	expect_file_since(d, file, want, NULL, name);
}

/* The directory for controller, found once per controller, as its own check (the resource checks need it). */
static bool controller_dir(const char *controller, const char *section, struct cg_dir *d)
{
	find_cgroup_dir(controller, d);
	tap_check(d->found, NULL, "the directory of the container's own cgroup", d->why,
		  "config-linux.md#%s: the container's %s cgroup is visible under /sys/fs/cgroup", section, controller);
	return d->found;
}

/* cgroupsPath: without a cgroup namespace the container sees its cgroup at the path itself, with one at "/". */
static void check_cgroups_path(json_object *config)
{
	const char *cgpath = cfg_str(config, "linux.cgroupsPath");
	static const char *const v1_controllers[] = { "memory", "cpu", "cpuset", "pids", "devices" };
	json_object *namespaces = cfg_get(config, "linux.namespaces");
	bool cgroupns = false;
	char want[PATH_MAX], got[PATH_MAX];

	if (!cgpath)
		return;
	if (cgpath[0] != '/') {
		tap_skip("relative cgroupsPath: its base is up to the runtime", "config-linux.md#cgroups-path: %s", cgpath);
		return;
	}
	for (size_t i = 0; json_object_is_type(namespaces, json_type_array) && i < json_object_array_length(namespaces); i++) {
		const char *type = cfg_str(json_object_array_get_idx(namespaces, i), "type");
		cgroupns |= type && strcmp(type, "cgroup") == 0;
	}
	snprintf(want, sizeof want, "%s", cgroupns ? "/" : cgpath);
	if (!cgroupns) /* the kernel prints the path without a trailing slash */
		for (size_t n = strlen(want); n > 1 && want[n - 1] == '/'; n--)
			want[n - 1] = '\0';
	if (!cgroup_v1_in_use()) {
		bool have = own_cgroup_path(NULL, got, sizeof got);
		tap_expect_str(NULL, want, have ? got : NULL, "config-linux.md#cgroups-path: /proc/self/cgroup shows the unified cgroup at %s",
			       cgroupns ? "/ (cgroup namespace)" : "cgroupsPath");
		return;
	}
	for (size_t i = 0; i < sizeof v1_controllers / sizeof v1_controllers[0]; i++) {
		bool have = own_cgroup_path(v1_controllers[i], got, sizeof got);
		if (!have) {
			tap_skip("no such v1 hierarchy", "config-linux.md#cgroups-path: %s cgroup", v1_controllers[i]);
			continue;
		}
		tap_expect_str(NULL, want, got, "config-linux.md#cgroups-path: /proc/self/cgroup shows the %s cgroup at %s",
			       v1_controllers[i], cgroupns ? "/ (cgroup namespace)" : "cgroupsPath");
	}
}

static void check_memory(json_object *config)
{
	long long limit, reservation;
	bool has_limit = cfg_int(config, "linux.resources.memory.limit", &limit);
	bool has_reservation = cfg_int(config, "linux.resources.memory.reservation", &reservation);
	struct cg_dir d;
	char want[32];

	if (!has_limit && !has_reservation)
		return;
	if (!controller_dir("memory", "memory", &d))
		return;
	if (has_limit) {
		snprintf(want, sizeof want, "%lld", limit);
		expect_file(&d, d.version == 1 ? "memory.limit_in_bytes" : "memory.max", want, "config-linux.md#memory: limit");
	}
	if (has_reservation) {
		snprintf(want, sizeof want, "%lld", reservation);
		expect_file(&d, d.version == 1 ? "memory.soft_limit_in_bytes" : "memory.low", want,
			    "config-linux.md#memory: reservation");
	}
}

static void check_pids(json_object *config)
{
	long long limit;
	struct cg_dir d;
	char want[32];

	if (!cfg_int(config, "linux.resources.pids.limit", &limit))
		return;
	if (!controller_dir("pids", "pids", &d))
		return;
	/* runtime-spec 1.3: 0 is a limit, a negative one is "max"; before, <= 0 was "no limit" */
	bool spec_1_3 = cfg_spec_1_3(config);
	if (limit > 0 || (limit == 0 && spec_1_3))
		snprintf(want, sizeof want, "%lld", limit);
	else
		snprintf(want, sizeof want, "max");
	expect_file_since(&d, "pids.max", want, limit == 0 && spec_1_3 ? SINCE_1_3_0 : NULL,
			  limit == 0 && spec_1_3 ? "config-linux.md#pids: limit 0 is a limit" : "config-linux.md#pids: limit");
}

/* "0-2,4" into a set; false when malformed */
static bool parse_cpu_list(const char *list, unsigned char *set)
{
	memset(set, 0, MAX_CPUS);
	for (const char *p = list; *p;) {
		char *end;
		long lo = strtol(p, &end, 10), hi;
		if (end == p || lo < 0 || lo >= MAX_CPUS)
			return false;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo || hi >= MAX_CPUS)
				return false;
		}
		for (long i = lo; i <= hi; i++)
			set[i] = 1;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return false;
	}
	return true;
}

/* Compares two list-format sets ("0-1" and "0,1" are equal). */
static void expect_same_set(const char *want, const char *got, const char *name_fmt, const char *what)
{
	static unsigned char want_set[MAX_CPUS], got_set[MAX_CPUS];
	bool same = got && parse_cpu_list(want, want_set) && parse_cpu_list(got, got_set) &&
		    memcmp(want_set, got_set, MAX_CPUS) == 0;
	char got_q[256];
	snprintf(got_q, sizeof got_q, "%s", got ? got : "nothing");
	tap_check(same, NULL, want, got_q, name_fmt, what, want);
}

static void check_cpu(json_object *config)
{
	long long shares, quota, period;
	bool has_shares = cfg_int(config, "linux.resources.cpu.shares", &shares);
	bool has_quota = cfg_int(config, "linux.resources.cpu.quota", &quota);
	bool has_period = cfg_int(config, "linux.resources.cpu.period", &period);
	const char *cpus = cfg_str(config, "linux.resources.cpu.cpus");
	const char *mems = cfg_str(config, "linux.resources.cpu.mems");
	struct cg_dir d;
	char want[64];

	if (has_shares || has_quota || has_period) {
		if (controller_dir("cpu", "cpu", &d)) {
			if (has_shares) {
				if (d.version == 1)
					snprintf(want, sizeof want, "%lld", shares);
				else /* the conversion the runtime-spec's cgroup v2 mapping (and runc) use */
					snprintf(want, sizeof want, "%lld", shares == 0 ? 100 : 1 + ((shares - 2) * 9999) / 262142);
				expect_file(&d, d.version == 1 ? "cpu.shares" : "cpu.weight", want, "config-linux.md#cpu: shares");
			}
			if (d.version == 1) {
				if (has_quota) {
					snprintf(want, sizeof want, "%lld", quota);
					expect_file(&d, "cpu.cfs_quota_us", want, "config-linux.md#cpu: quota");
				}
				if (has_period) {
					snprintf(want, sizeof want, "%lld", period);
					expect_file(&d, "cpu.cfs_period_us", want, "config-linux.md#cpu: period");
				}
			} else if (has_quota && has_period) {
				if (quota > 0)
					snprintf(want, sizeof want, "%lld %lld", quota, period);
				else
					snprintf(want, sizeof want, "max %lld", period);
				expect_file(&d, "cpu.max", want, "config-linux.md#cpu: quota and period");
			} else {
				tap_skip("quota or period alone leaves the other half of cpu.max to the kernel",
					 "config-linux.md#cpu: quota and period");
			}
		}
	}
	if (!cpus && !mems)
		return;
	if (controller_dir("cpuset", "cpu", &d)) {
		if (cpus) {
			char *got = read_cgroup_file(&d, "cpuset.cpus");
			expect_same_set(cpus, got, "config-linux.md#cpu: cpus (%s is %s)", "cpuset.cpus");
			free(got);
		}
		if (mems) {
			char *got = read_cgroup_file(&d, "cpuset.mems");
			expect_same_set(mems, got, "config-linux.md#cpu: mems (%s is %s)", "cpuset.mems");
			free(got);
		}
	}
	char status[1024];
	if (cpus)
		expect_same_set(cpus, proc_status_field("Cpus_allowed_list", status, sizeof status) ? status : NULL,
				"config-linux.md#cpu: cpus (%s of the process is %s)", "Cpus_allowed_list");
	if (mems)
		expect_same_set(mems, proc_status_field("Mems_allowed_list", status, sizeof status) ? status : NULL,
				"config-linux.md#cpu: mems (%s of the process is %s)", "Mems_allowed_list");
}

/* What linux.resources.devices says about one access ('r', 'w', 'm'): the last matching rule wins; -1 when none matches. */
static int device_rule_verdict(json_object *rules, char type, unsigned major_n, unsigned minor_n, char access)
{
	int verdict = -1;

	for (size_t i = 0; i < json_object_array_length(rules); i++) {
		json_object *rule = json_object_array_get_idx(rules, i);
		const char *rtype = cfg_str(rule, "type"), *raccess = cfg_str(rule, "access");
		long long rmajor = -1, rminor = -1;
		bool allow = false;
		cfg_int(rule, "major", &rmajor);
		cfg_int(rule, "minor", &rminor);
		cfg_bool(rule, "allow", &allow);
		if (rtype && strcmp(rtype, "a") != 0 && (strlen(rtype) != 1 || rtype[0] != type))
			continue;
		if ((rmajor >= 0 && rmajor != major_n) || (rminor >= 0 && rminor != minor_n))
			continue;
		if (raccess && !strchr(raccess, access))
			continue;
		verdict = allow;
	}
	return verdict;
}

struct device_probe {
	const char *path;
	char type; /* 'c' or 'b' */
	unsigned major, minor;
	bool make;	 /* mknod it (and remove it) rather than use the one in /dev */
	bool write_test; /* also open for writing and write a byte (only /dev/null) */
};

static const struct device_probe device_probes[] = {
	{ "/dev/null", 'c', 1, 3, false, true },
	{ "/dev/conformance-cgroup-loop0", 'b', 7, 0, true, false },
	{ "/dev/conformance-cgroup-loop-control", 'c', 10, 237, true, false },
};

/* What an attempt came to: "allowed", "EPERM" (what a refused access gives) or another error. */
static const char *outcome(int rc, int err) { return rc == 0 ? "allowed" : err == EPERM ? "EPERM" : strerror(err); }

static void probe_device(json_object *rules, const struct device_probe *p)
{
	char what[96];
	int v;

	snprintf(what, sizeof what, "%s (%c %u:%u)", p->path, p->type, p->major, p->minor);
	if (p->make) {
		v = device_rule_verdict(rules, p->type, p->major, p->minor, 'm');
		if (v < 0) {
			tap_skip("no rule decides mknod of it", "config-linux.md#allowed-device-list: mknod %s", what);
			return;
		}
		unlink(p->path);
		int rc = mknod(p->path, (p->type == 'b' ? S_IFBLK : S_IFCHR) | 0600, makedev(p->major, p->minor));
		int err = errno;
		tap_expect_str(NULL, v ? "allowed" : "EPERM", outcome(rc, err), "config-linux.md#allowed-device-list: mknod %s is %s",
			       what, v ? "allowed" : "refused");
		if (rc != 0)
			return;
	}
	v = device_rule_verdict(rules, p->type, p->major, p->minor, 'r');
	if (v < 0) {
		tap_skip("no rule decides reading it", "config-linux.md#allowed-device-list: open %s for reading", what);
	} else {
		/* read-only, non-blocking, no controlling tty: no side effect on a device that does open */
		int fd = open(p->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		int err = errno;
		if (fd >= 0)
			close(fd);
		tap_expect_str(NULL, v ? "allowed" : "EPERM", outcome(fd >= 0 ? 0 : -1, err),
			       "config-linux.md#allowed-device-list: open %s for reading is %s", what, v ? "allowed" : "refused");
	}
	if (p->write_test) {
		v = device_rule_verdict(rules, p->type, p->major, p->minor, 'w');
		if (v >= 0) {
			int fd = open(p->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			int err = errno, rc = fd >= 0 ? (write(fd, "x", 1) == 1 ? 0 : -1) : -1;
			if (fd >= 0) {
				err = errno;
				close(fd);
			}
			tap_expect_str(NULL, v ? "allowed" : "EPERM", outcome(rc, err),
				       "config-linux.md#allowed-device-list: open %s for writing and write is %s", what,
				       v ? "allowed" : "refused");
		}
	}
	if (p->make)
		unlink(p->path);
}

static bool has_user_namespace(json_object *config)
{
	json_object *namespaces = cfg_get(config, "linux.namespaces");
	for (size_t i = 0; json_object_is_type(namespaces, json_type_array) && i < json_object_array_length(namespaces); i++) {
		const char *type = cfg_str(json_object_array_get_idx(namespaces, i), "type");
		if (type && strcmp(type, "user") == 0)
			return true;
	}
	return false;
}

static void check_device_rules(json_object *config)
{
	json_object *rules = cfg_get(config, "linux.resources.devices");
	char capeff[64];

	if (!json_object_is_type(rules, json_type_array) || json_object_array_length(rules) == 0)
		return;
	/* the probes make nodes: without CAP_MKNOD (or in a user namespace, where it does not cover devices) EPERM proves nothing */
	if (!proc_status_field("CapEff", capeff, sizeof capeff) || !((strtoull(capeff, NULL, 16) >> CAP_MKNOD_BIT) & 1)) {
		tap_skip("the process has no CAP_MKNOD", "config-linux.md#allowed-device-list: devices");
		return;
	}
	if (has_user_namespace(config)) {
		tap_skip("in a user namespace CAP_MKNOD does not cover devices", "config-linux.md#allowed-device-list: devices");
		return;
	}
	for (size_t i = 0; i < sizeof device_probes / sizeof device_probes[0]; i++)
		probe_device(rules, &device_probes[i]);
}

void check_cgroups(json_object *config)
{
	check_cgroups_path(config);
	check_memory(config);
	check_pids(config);
	check_cpu(config);
	check_device_rules(config);
}
