/* runspec.c - a container's runtime config from its image's: the engine defaults Docker and podman give a container
 * (capabilities, masked paths, /etc files, seccomp, namespaces), then each run flag. Must never touch the host beyond
 * reading device nodes and making named volumes; the image's root is read only through rootfd (RESOLVE_IN_ROOT). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "engine/runspec.h"
#include "engine/seccomp_default.h"
#include "linux/caps.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/fs.h"
#include "util/passwd.h"
#include "util/signals.h"
#include "util/xalloc.h"

#define CPU_PERIOD 100000
#define VOLUME_ID_BYTES 32

/* Docker's default capabilities (moby oci/caps/defaults.go) */
static const char *const default_caps[] = { "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
					    "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
					    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE" };
static const char *const masked_paths[] = { "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
					    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
					    "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
					    "/sys/devices/virtual/powercap", NULL };
static const char *const readonly_paths[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
					      NULL };
/* podman's --read-only-tmpfs (on by default): writable scratch under a read-only root */
static const char *const read_only_tmpfs[] = { "/tmp", "/var/tmp", "/run" };

/* Docker's default device cgroup rules: mknod of any, and the devices every container has */
static const struct dev_rule {
	char type;
	int64_t major, minor; /* -1: any */
	const char *access;
} default_dev_rules[] = {
	{ 'c', -1, -1, "m" }, { 'b', -1, -1, "m" },   { 'c', 1, 3, "rwm" }, { 'c', 1, 5, "rwm" },
	{ 'c', 1, 7, "rwm" }, { 'c', 1, 8, "rwm" },   { 'c', 1, 9, "rwm" }, { 'c', 5, 0, "rwm" },
	{ 'c', 5, 1, "rwm" }, { 'c', 136, -1, "rwm" }, { 'c', 5, 2, "rwm" }, { 'c', 10, 200, "rwm" },
};

static json_object *child(json_object *parent, const char *key, json_type type)
{
	json_object *v = json_object_object_get(parent, key);
	if (!json_object_is_type(v, type)) {
		v = type == json_type_array ? json_object_new_array() : json_object_new_object();
		json_object_object_add(parent, key, v);
	}
	return v;
}

static json_object *strs(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n && v[i]; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* --- capabilities: Docker's TweakCapabilities ------------------------------------------------------------------- */

/* "ALL" (and --privileged): every capability hull and the kernel know that our own bounding set holds, as podman
 * does (a sandbox without CAP_SYS_RESOURCE, say, cannot give it: capset would fail) */
static uint64_t all_caps(void)
{
	int last = caps_last_cap();
	int known = caps_known_count() - 1;
	int top = last >= 0 && last < known ? last : known;
	uint64_t set = 0;
	for (int i = 0; i <= top && i < 64; i++)
		if (prctl(PR_CAPBSET_READ, (unsigned long)i, 0, 0, 0) == 1)
			set |= 1ULL << i;
	return set;
}

static uint64_t caps_of(char *const *names)
{
	uint64_t set = 0;
	for (; names && *names; names++) {
		int cap = caps_from_name(*names); /* the parser let only known names and ALL through */
		set |= strcmp(*names, "ALL") == 0 ? all_caps() : cap >= 0 && cap < 64 ? 1ULL << cap : 0;
	}
	return set;
}

static uint64_t container_caps(const struct run_spec *s)
{
	if (s->privileged)
		return all_caps();
	uint64_t add = caps_of(s->cap_add), drop = caps_of(s->cap_drop);
	uint64_t base = 0;
	for (size_t i = 0; i < ARRAY_SIZE(default_caps); i++)
		base |= 1ULL << caps_from_name(default_caps[i]);
	if (drop == all_caps() && strv_len(s->cap_drop) && caps_of(s->cap_add) != all_caps())
		return add;
	return (base | add) & ~(drop & ~add);
}

static void set_caps(json_object *process, uint64_t caps)
{
	json_object *set = json_object_new_array();
	for (int i = 0; i < 64; i++)
		if (caps >> i & 1)
			json_object_array_add(set, json_object_new_string(caps_name(i)));
	json_object *c = json_object_new_object();
	json_object_object_add(c, "bounding", set);
	json_object_object_add(c, "effective", json_object_get(set));
	json_object_object_add(c, "permitted", json_object_get(set));
	json_object_object_add(process, "capabilities", c);
}

/* --- environment ------------------------------------------------------------------------------------------------ */

static json_object *env_find(json_object *env, const char *kv, size_t *idx)
{
	size_t klen = strcspn(kv, "=");
	for (size_t i = 0; i < json_object_array_length(env); i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(env, i));
		if (strncmp(e, kv, klen) == 0 && (e[klen] == '=' || e[klen] == '\0')) {
			*idx = i;
			return json_object_array_get_idx(env, i);
		}
	}
	return NULL;
}

static void env_set(json_object *env, const char *kv, bool override)
{
	size_t i;
	if (env_find(env, kv, &i)) {
		if (override)
			json_object_array_put_idx(env, i, json_object_new_string(kv));
		return;
	}
	json_object_array_add(env, json_object_new_string(kv));
}

/* --- -u: the image's /etc/passwd and /etc/group (util/passwd.c) ------------------------------------------------ */

/* USER[:GROUP] -> process.user, and HOME (returned) from the passwd entry */
static int apply_user(const char *spec, int rootfd, json_object *process, char **home, hull_err *err)
{
	struct passwd_user pu;
	if (passwd_resolve(rootfd, spec, &pu, err) < 0)
		return -1;
	json_object *u = json_object_new_object();
	json_object_object_add(u, "uid", json_object_new_int64(pu.uid));
	json_object_object_add(u, "gid", json_object_new_int64(pu.gid));
	/* the primary group is a supplementary one too (runc's user lookup starts the list with it, so Docker's and podman's
	 * `id` show groups=GID) */
	json_object *gids = json_object_new_array();
	json_object_array_add(gids, json_object_new_int64(pu.gid));
	for (size_t i = 0; i < pu.n_gids; i++)
		json_object_array_add(gids, json_object_new_int64(pu.gids[i]));
	json_object_object_add(u, "additionalGids", gids);
	json_object_object_add(process, "user", u);
	*home = take_ptr(pu.home);
	return 0;
}

/* HOME of the configured uid when no -u resolved one */
static char *home_of_uid(int rootfd, json_object *process)
{
	json_object *uidv = json_object_object_get(json_object_object_get(process, "user"), "uid");
	return passwd_home_of(rootfd, (unsigned)json_object_get_int64(uidv));
}

/* --- mounts ----------------------------------------------------------------------------------------------------- */

static json_object *mount_json(const char *dst, const char *type, const char *src, json_object *options)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "destination", json_object_new_string(dst));
	json_object_object_add(m, "type", json_object_new_string(type));
	json_object_object_add(m, "source", json_object_new_string(src));
	json_object_object_add(m, "options", options);
	return m;
}

/* A mount given by the user replaces a default one at the same destination. */
static void mounts_drop(json_object *mounts, const char *dst)
{
	for (size_t i = json_object_array_length(mounts); i-- > 0;) {
		const char *d = json_object_get_string(json_object_object_get(json_object_array_get_idx(mounts, i), "destination"));
		if (d && strcmp(d, dst) == 0)
			json_object_array_del_idx(mounts, i, 1);
	}
}

static bool mounts_have(json_object *mounts, const char *dst)
{
	for (size_t i = 0; i < json_object_array_length(mounts); i++) {
		const char *d = json_object_get_string(json_object_object_get(json_object_array_get_idx(mounts, i), "destination"));
		if (d && strcmp(d, dst) == 0)
			return true;
	}
	return false;
}

static void strip_option(json_object *mount, const char *opt)
{
	json_object *o = json_object_object_get(mount, "options");
	for (size_t i = json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 0; i-- > 0;)
		if (strcmp(json_object_get_string(json_object_array_get_idx(o, i)), opt) == 0)
			json_object_array_del_idx(o, i, 1);
}

static void bind_etc_file(json_object *mounts, const char *src, const char *dst, bool read_only)
{
	if (src == NULL)
		return;
	static const char *const rw[] = { "rbind", "rprivate" }, *const ro[] = { "rbind", "rprivate", "ro" };
	mounts_drop(mounts, dst);
	json_object_array_add(mounts, mount_json(dst, "bind", src, read_only ? strs(ro, 3) : strs(rw, 2)));
}

static bool has_option(char *const *opts, const char *o)
{
	for (; opts && *opts; opts++)
		if (strcmp(*opts, o) == 0)
			return true;
	return false;
}

static json_object *bind_options(char *const *opts)
{
	json_object *a = json_object_new_array();
	json_object_array_add(a, json_object_new_string("rbind"));
	bool propagation = false;
	for (; opts && *opts; opts++) {
		if (strcmp(*opts, "nocopy") == 0 || strcmp(*opts, "rw") == 0)
			continue;
		propagation |= strcmp(*opts, "ro") != 0; /* the parser lets through only ro, rw, nocopy and propagations */
		json_object_array_add(a, json_object_new_string(*opts));
	}
	if (!propagation)
		json_object_array_add(a, json_object_new_string("rprivate"));
	return a;
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char buf[VOLUME_ID_BYTES];
	if (getrandom(buf, bytes, 0) != (ssize_t)bytes)
		xalloc_die(); /* getrandom of 32 bytes does not fail short on Linux after boot */
	for (size_t i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", buf[i]);
}

/* volumes_dir/NAME/_data, made if missing; a new one is filled from the image's content at dst (Docker's copy-up) */
static int volume_source(const struct runspec_env *env, const char *name, const char *dst, bool copy, int rootfd,
			 char **out, hull_err *err)
{
	if (env->volumes_dir == NULL)
		return hull_fail_code(err, EINVAL, "volume %s: the engine has no volumes directory", name);
	_cleanup_free_ char *data = xasprintf("%s/%s/_data", env->volumes_dir, name);
	struct stat st;
	bool fresh = stat(data, &st) < 0;
	if (fresh && fs_mkdir_p(data, 0755, err) < 0)
		return hull_err_prefix(err, "volume %s", name);
	if (fresh && copy && rootfd >= 0) {
		_cleanup_close_ int src = fs_open_in_root(rootfd, dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		_cleanup_close_ int to = src >= 0 ? open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		if (src >= 0 && (to < 0 || fs_copy_tree(src, to, err) < 0))
			return to < 0 ? hull_fail_sys(err, "open %s", data) : hull_err_prefix(err, "volume %s: copy %s", name, dst);
		struct stat top; /* the volume's root takes the owner and mode of the image's directory, as Docker's copy-up */
		if (src >= 0 && (fstat(src, &top) < 0 || fchown(to, top.st_uid, top.st_gid) < 0 || fchmod(to, top.st_mode & 07777) < 0))
			return hull_fail_sys(err, "volume %s: owner and mode of %s", name, dst);
	}
	*out = take_ptr(data);
	return 0;
}

static int add_user_mount(const struct run_mount *m, const struct runspec_env *env, int rootfd, json_object *mounts,
			  json_object *anon, hull_err *err)
{
	_cleanup_free_ char *src = NULL;
	json_object *opts;
	const char *type = "bind";
	if (m->kind == MOUNT_TMPFS) {
		type = "tmpfs";
		src = xstrdup("tmpfs");
		opts = json_object_new_array();
		static const char *const safe[][2] = { { "nosuid", "suid" }, { "nodev", "dev" }, { "noexec", "exec" } };
		for (size_t i = 0; i < ARRAY_SIZE(safe); i++)
			if (!has_option(m->options, safe[i][0]) && !has_option(m->options, safe[i][1]))
				json_object_array_add(opts, json_object_new_string(safe[i][0]));
		for (char **o = m->options; o && *o; o++)
			json_object_array_add(opts, json_object_new_string(*o));
	} else if (m->kind == MOUNT_BIND) {
		struct stat st;
		if (stat(m->source, &st) < 0)
			return hull_fail_code(err, errno, "invalid mount config for type \"bind\": bind source path does not exist: %s",
					      m->source);
		src = xstrdup(m->source);
		opts = bind_options(m->options);
	} else {
		char name[2 * VOLUME_ID_BYTES + 1];
		if (m->source == NULL) {
			random_hex(name, VOLUME_ID_BYTES);
			json_object_array_add(anon, json_object_new_string(name));
		}
		if (volume_source(env, m->source ? m->source : name, m->destination, !has_option(m->options, "nocopy"), rootfd,
				  &src, err) < 0)
			return -1;
		opts = bind_options(m->options);
	}
	mounts_drop(mounts, m->destination);
	json_object_array_add(mounts, mount_json(m->destination, type, src, opts));
	return 0;
}

static int apply_mounts(const struct run_spec *s, const struct runspec_env *env, int rootfd, json_object *config,
			hull_err *err)
{
	json_object *mounts = child(config, "mounts", json_type_array);
	for (size_t i = 0; i < json_object_array_length(mounts); i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *d = json_object_get_string(json_object_object_get(m, "destination"));
		if (s->privileged && d && (strcmp(d, "/sys") == 0 || strcmp(d, "/sys/fs/cgroup") == 0))
			strip_option(m, "ro");
		/* Docker's and podman's proc: no set-id programs, device nodes or executables from it */
		if (d && strcmp(d, "/proc") == 0) {
			static const char *const opts[] = { "nosuid", "noexec", "nodev" };
			json_object_object_add(m, "options", strs(opts, ARRAY_SIZE(opts)));
		}
		/* sysfs may be mounted only by the owner of the network namespace: rootless on the host's, or with a user
		 * namespace of the container's own (the engine made the network namespace before it), a bind */
		bool netns_not_ours = (env->rootless && env->host_network) || s->n_uidmap || s->n_gidmap;
		if (netns_not_ours && d && strcmp(d, "/sys") == 0) {
			static const char *const opts[] = { "rbind", "nosuid", "noexec", "nodev", "ro" };
			json_object_object_add(m, "type", json_object_new_string("none"));
			json_object_object_add(m, "source", json_object_new_string("/sys"));
			json_object_object_add(m, "options", strs(opts, 5));
		}
	}
	bind_etc_file(mounts, env->hosts, "/etc/hosts", s->read_only);
	bind_etc_file(mounts, env->resolv_conf, "/etc/resolv.conf", s->read_only);
	bind_etc_file(mounts, env->hostname_file, "/etc/hostname", s->read_only);
	json_object *anon = json_object_new_array();
	for (char **v = env->image_volumes; v && *v; v++) { /* Docker: an anonymous volume for each of the image's */
		bool covered = false;
		for (size_t i = 0; i < s->n_mounts; i++)
			covered |= strcmp(s->mounts[i].destination, *v) == 0;
		struct run_mount m = { .kind = MOUNT_VOLUME, .destination = *v };
		if (!covered && add_user_mount(&m, env, rootfd, mounts, anon, err) < 0) {
			json_object_put(anon);
			return hull_err_prefix(err, "image volume %s", *v);
		}
	}
	for (size_t i = 0; i < s->n_mounts; i++)
		if (add_user_mount(&s->mounts[i], env, rootfd, mounts, anon, err) < 0) {
			json_object_put(anon);
			return hull_err_prefix(err, "mount %s", s->mounts[i].destination);
		}
	if (json_object_array_length(anon)) /* the engine removes them with the container (--rm) */
		json_object_object_add(child(config, "annotations", json_type_object), "hull.anonymous-volumes",
				       json_object_new_string(json_object_to_json_string_ext(anon, JSON_C_TO_STRING_PLAIN)));
	json_object_put(anon);
	if (s->read_only) {
		json_object_object_add(child(config, "root", json_type_object), "readonly", json_object_new_boolean(1));
		static const char *const opts[] = { "rw", "rprivate", "nosuid", "nodev", "tmpcopyup" };
		for (size_t i = 0; i < ARRAY_SIZE(read_only_tmpfs); i++)
			if (!mounts_have(mounts, read_only_tmpfs[i]))
				json_object_array_add(mounts, mount_json(read_only_tmpfs[i], "tmpfs", "tmpfs", strs(opts, 5)));
	}
	return 0;
}

/* --- devices ---------------------------------------------------------------------------------------------------- */

static json_object *dev_rule_json(bool allow, char type, int64_t major, int64_t minor, const char *access)
{
	json_object *r = json_object_new_object();
	json_object_object_add(r, "allow", json_object_new_boolean(allow));
	if (type) {
		char t[2] = { type, '\0' };
		json_object_object_add(r, "type", json_object_new_string(t));
	}
	if (major >= 0)
		json_object_object_add(r, "major", json_object_new_int64(major));
	if (minor >= 0)
		json_object_object_add(r, "minor", json_object_new_int64(minor));
	json_object_object_add(r, "access", json_object_new_string(access));
	return r;
}

static int device_json(const char *host, const char *path, struct stat *st, json_object **out, hull_err *err)
{
	if (stat(host, st) < 0)
		return hull_fail_sys(err, "error gathering device information while adding custom device \"%s\"", host);
	if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode))
		return hull_fail_code(err, EINVAL, "error gathering device information while adding custom device \"%s\": not a device node", host);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "path", json_object_new_string(path));
	json_object_object_add(d, "type", json_object_new_string(S_ISCHR(st->st_mode) ? "c" : "b"));
	json_object_object_add(d, "major", json_object_new_int64(major(st->st_rdev)));
	json_object_object_add(d, "minor", json_object_new_int64(minor(st->st_rdev)));
	json_object_object_add(d, "fileMode", json_object_new_int(st->st_mode & 07777));
	json_object_object_add(d, "uid", json_object_new_int64(st->st_uid));
	json_object_object_add(d, "gid", json_object_new_int64(st->st_gid));
	*out = d;
	return 0;
}

/* --privileged: every device node under the host's /dev (not pts, shm, mqueue: the container has its own) */
static void add_host_devices(const char *dir, json_object *devices, int depth)
{
	static const char *const skipped[] = { "pts", "shm", "mqueue", "fd", "console", ".lxc", ".udev" };
	_cleanup_closedir_ DIR *d = depth < 4 ? opendir(dir) : NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		bool skip = e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0);
		for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
			skip |= strcmp(e->d_name, skipped[i]) == 0;
		if (skip)
			continue;
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			add_host_devices(path, devices, depth + 1);
			continue;
		}
		json_object *dev = NULL;
		_cleanup_err_ hull_err ignored = NULL;
		if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && device_json(path, path, &st, &dev, &ignored) == 0)
			json_object_array_add(devices, dev);
	}
}

static int apply_devices(const struct run_spec *s, const struct runspec_env *env, json_object *linux_,
			 hull_err *err)
{
	json_object *devices = child(linux_, "devices", json_type_array);
	json_object *rules = env->rootless ? NULL : json_object_new_array();
	if (rules) {
		json_object_array_add(rules, dev_rule_json(false, 0, -1, -1, "rwm"));
		if (s->privileged)
			json_object_array_add(rules, dev_rule_json(true, 0, -1, -1, "rwm"));
		else
			for (size_t i = 0; i < ARRAY_SIZE(default_dev_rules); i++) {
				const struct dev_rule *r = &default_dev_rules[i];
				json_object_array_add(rules, dev_rule_json(true, r->type, r->major, r->minor, r->access));
			}
	}
	if (s->privileged)
		add_host_devices("/dev", devices, 0);
	for (char **d = s->devices; d && *d; d++) {
		_cleanup_free_ char *host = NULL, *path = NULL, *perms = NULL;
		struct stat st;
		json_object *dev;
		if (runspec_split_device(*d, &host, &path, &perms) < 0 || device_json(host, path, &st, &dev, err) < 0) {
			json_object_put(rules);
			return host ? -1 : hull_fail_code(err, EINVAL, "invalid device specification: %s", *d);
		}
		json_object_array_add(devices, dev);
		if (rules)
			json_object_array_add(rules, dev_rule_json(true, S_ISCHR(st.st_mode) ? 'c' : 'b', major(st.st_rdev),
								   minor(st.st_rdev), perms));
	}
	if (rules)
		json_object_object_add(child(linux_, "resources", json_type_object), "devices", rules);
	return 0;
}

/* --- the rest --------------------------------------------------------------------------------------------------- */

static void add_namespace(json_object *nss, const char *type, const char *path)
{
	json_object *ns = json_object_new_object();
	json_object_object_add(ns, "type", json_object_new_string(type));
	if (path)
		json_object_object_add(ns, "path", json_object_new_string(path));
	json_object_array_add(nss, ns);
}

static json_object *idmaps_json(const struct hull_idmap *m, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "containerID", json_object_new_int64(m[i].container_id));
		json_object_object_add(e, "hostID", json_object_new_int64(m[i].host_id));
		json_object_object_add(e, "size", json_object_new_int64(m[i].size));
		json_object_array_add(a, e);
	}
	return a;
}

static void apply_namespaces(const struct run_spec *s, const struct runspec_env *env, json_object *linux_)
{
	json_object *nss = json_object_new_array();
	static const char *const always[] = { "pid", "ipc", "uts", "mount" };
	for (size_t i = 0; i < ARRAY_SIZE(always); i++)
		add_namespace(nss, always[i], NULL);
	if (!env->host_network)
		add_namespace(nss, "network", env->netns);
	if (cgroup_layout() == CGROUP_LAYOUT_V2) /* podman: a private cgroup namespace on v2, the host's on v1 */
		add_namespace(nss, "cgroup", NULL);
	if (s->n_uidmap || s->n_gidmap) {
		json_object_object_add(linux_, "uidMappings", idmaps_json(s->uidmap, s->n_uidmap ? s->n_uidmap : s->n_gidmap));
		json_object_object_add(linux_, "gidMappings",
				       idmaps_json(s->n_gidmap ? s->gidmap : s->uidmap, s->n_gidmap ? s->n_gidmap : s->n_uidmap));
	}
	/* rootless, the engine already runs as root of the user's pause namespace (engine/rootless.c), whose maps hold
	 * the user's subordinate ids: the container needs no user namespace of its own */
	if (s->n_uidmap || s->n_gidmap)
		add_namespace(nss, "user", NULL);
	json_object_object_add(linux_, "namespaces", nss);
}

static void apply_resources(const struct run_spec *s, const struct runspec_env *env, json_object *linux_)
{
	/* rootless, the container shares the user's cgroup (hull does not know whether it is delegated): told once, as
	 * podman tells it on cgroup v1 */
	if (env->rootless) {
		if (s->memory > 0 || s->cpus_milli > 0 || s->pids_limit)
			hull_warn("resource limits are not supported and ignored rootless (the container shares the user's cgroup)");
		return;
	}
	json_object *res = child(linux_, "resources", json_type_object);
	if (s->memory > 0)
		json_object_object_add(child(res, "memory", json_type_object), "limit", json_object_new_int64(s->memory));
	if (s->cpus_milli > 0) {
		json_object *cpu = child(res, "cpu", json_type_object);
		json_object_object_add(cpu, "quota", json_object_new_int64(s->cpus_milli * CPU_PERIOD / 1000));
		json_object_object_add(cpu, "period", json_object_new_int64(CPU_PERIOD));
	}
	if (s->pids_limit)
		json_object_object_add(child(res, "pids", json_type_object), "limit", json_object_new_int64(s->pids_limit));
}

static int apply_seccomp(const struct run_spec *s, uint64_t caps, json_object *linux_, hull_err *err)
{
	json_object_object_del(linux_, "seccomp");
	if (s->privileged || (s->seccomp && strcmp(s->seccomp, "unconfined") == 0))
		return 0;
	json_object *prof = NULL;
	if (s->seccomp == NULL)
		prof = seccomp_default_profile(caps);
	else if (seccomp_docker_profile(s->seccomp, caps, &prof, err) < 0)
		return hull_err_prefix(err, "--security-opt seccomp=%s", s->seccomp);
	json_object_object_add(linux_, "seccomp", prof);
	return 0;
}

/* Docker's: --entrypoint drops the image's Cmd; a command replaces Cmd after the entrypoint in force */
static int apply_args(const struct run_spec *s, const struct runspec_env *env, json_object *process, hull_err *err)
{
	if (!s->entrypoint_set && s->command == NULL)
		return 0;
	json_object *args = json_object_new_array();
	char *const *ep = s->entrypoint_set ? s->entrypoint : env->image_entrypoint;
	char *const *cmd = s->command ? s->command : (s->entrypoint_set ? NULL : env->image_cmd);
	for (size_t i = 0; ep && ep[i]; i++)
		json_object_array_add(args, json_object_new_string(ep[i]));
	for (size_t i = 0; cmd && cmd[i]; i++)
		json_object_array_add(args, json_object_new_string(cmd[i]));
	if (json_object_array_length(args) == 0) {
		json_object_put(args);
		return hull_fail_code(err, EINVAL, "no command specified");
	}
	json_object_object_add(process, "args", args);
	return 0;
}

static void apply_annotations(const struct run_spec *s, json_object *config)
{
	json_object *ann = child(config, "annotations", json_type_object);
	for (char **l = s->labels; l && *l; l++) {
		size_t k = strcspn(*l, "=");
		_cleanup_free_ char *key = xstrndup(*l, k);
		json_object_object_add(ann, key, json_object_new_string((*l)[k] ? *l + k + 1 : ""));
	}
	if (s->init)
		json_object_object_add(ann, "hull.init", json_object_new_string("true"));
	/* what inspect shows of the flags (HostConfig.Privileged, CapAdd, CapDrop; Config.User) as they were given */
	if (s->privileged)
		json_object_object_add(ann, "hull.privileged", json_object_new_string("true"));
	if (s->user)
		json_object_object_add(ann, "hull.user", json_object_new_string(s->user));
	static const char *const cap_keys[] = { "hull.cap-add", "hull.cap-drop" };
	char **const cap_lists[] = { s->cap_add, s->cap_drop };
	for (size_t i = 0; i < ARRAY_SIZE(cap_keys); i++) {
		if (!cap_lists[i] || !cap_lists[i][0])
			continue;
		json_object *list = json_object_new_array();
		for (char **p = cap_lists[i]; *p; p++)
			json_object_array_add(list, json_object_new_string(*p));
		json_object_object_add(ann, cap_keys[i],
				       json_object_new_string(json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN)));
		json_object_put(list);
	}
	const char *image_sig = json_object_get_string(json_object_object_get(ann, "org.opencontainers.image.stopSignal"));
	const char *sig = s->stop_signal ? s->stop_signal : image_sig;
	int num = sig ? signal_parse(sig) : -1;
	if (num > 0) { /* the engine's one place to read it: a name where there is one, else the number */
		const char *name = signal_name(num);
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", num);
		json_object_object_add(ann, "hull.stop-signal", json_object_new_string(name ? name : buf));
	}
}

static int apply_process(const struct run_spec *s, const struct runspec_env *env, int rootfd, json_object *config,
			 const char *hostname, hull_err *err)
{
	json_object *process = child(config, "process", json_type_object);
	_cleanup_free_ char *home = NULL;
	if (s->user && apply_user(s->user, rootfd, process, &home, err) < 0)
		return hull_err_prefix(err, "-u %s", s->user);
	if (apply_args(s, env, process, err) < 0)
		return -1;
	json_object_object_add(process, "terminal", json_object_new_boolean(s->tty));
	json_object_object_add(process, "noNewPrivileges", json_object_new_boolean(s->no_new_privileges && !s->privileged));
	json_object_object_del(process, "rlimits"); /* as Docker: the engine's own limits are inherited */
	if (s->workdir)
		json_object_object_add(process, "cwd", json_object_new_string(s->workdir));
	const char *cwd = json_object_get_string(json_object_object_get(process, "cwd"));
	if (rootfd >= 0 && cwd && strcmp(cwd, "/") != 0) { /* Docker makes a missing working directory */
		int fd = fs_mkpath_in_root(rootfd, cwd, false, err);
		if (fd < 0)
			return hull_err_prefix(err, "-w %s", cwd);
		close(fd);
	}
	json_object *env_arr = child(process, "env", json_type_array);
	_cleanup_free_ char *host_kv = xasprintf("HOSTNAME=%s", hostname);
	env_set(env_arr, host_kv, true);
	env_set(env_arr, "container=hull", true);
	for (char **e = s->env; e && *e; e++)
		env_set(env_arr, *e, true);
	if (s->tty)
		env_set(env_arr, "TERM=xterm", false);
	if (home == NULL)
		home = home_of_uid(rootfd, process);
	_cleanup_free_ char *home_kv = xasprintf("HOME=%s", home);
	env_set(env_arr, home_kv, false);
	return 0;
}

int runspec_apply(const struct run_spec *s, const struct runspec_env *env, int rootfd, json_object *config,
		  hull_err *err)
{
	char host[HOST_NAME_MAX + 1] = "";
	const char *hostname = s->hostname ? s->hostname : env->short_id ? env->short_id : "hull";
	if (env->host_network && s->hostname == NULL && gethostname(host, sizeof(host) - 1) == 0)
		hostname = host; /* Docker: --network host keeps the host's name */
	json_object_object_add(config, "hostname", json_object_new_string(hostname));
	if (apply_process(s, env, rootfd, config, hostname, err) < 0)
		return -1;
	json_object *process = json_object_object_get(config, "process");
	uint64_t caps = container_caps(s);
	set_caps(process, caps);
	json_object *linux_ = child(config, "linux", json_type_object);
	if (s->privileged) {
		json_object_object_del(linux_, "maskedPaths");
		json_object_object_del(linux_, "readonlyPaths");
	} else {
		json_object_object_add(linux_, "maskedPaths", strs(masked_paths, SIZE_MAX));
		json_object_object_add(linux_, "readonlyPaths", strs(readonly_paths, SIZE_MAX));
	}
	apply_namespaces(s, env, linux_);
	apply_resources(s, env, linux_);
	if (apply_seccomp(s, caps, linux_, err) < 0 || apply_devices(s, env, linux_, err) < 0 ||
	    apply_mounts(s, env, rootfd, config, err) < 0)
		return -1;
	apply_annotations(s, config);
	return 0;
}
