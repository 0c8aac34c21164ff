/* spec_default.c - the default config.json runc's `spec` writes (and its rootless variant): the base of `hull spec`
 * and of the bundles made from images. Must never depend on anything but the host's cgroup layout and ids. */
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "config.h"
#include "spec_default.h"
#include "spec_json.h"

static json_object *mount(const char *dest, const char *type, const char *source, const char *const *options)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "destination", json_object_new_string(dest));
	json_object_object_add(m, "type", json_object_new_string(type));
	json_object_object_add(m, "source", json_object_new_string(source));
	if (options)
		json_object_object_add(m, "options", sj_new_strv(options));
	return m;
}

static json_object *idmap(unsigned host)
{
	json_object *a = json_object_new_array();
	json_object *m = json_object_new_object();
	json_object_object_add(m, "containerID", json_object_new_int(0));
	json_object_object_add(m, "hostID", json_object_new_int64(host));
	json_object_object_add(m, "size", json_object_new_int(1));
	json_object_array_add(a, m);
	return a;
}

json_object *spec_default(bool rootless)
{
	static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
	static const char *const env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL };
	static const char *const args[] = { "sh", NULL };
	static const char *const masked[] = { "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
					      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
					      "/proc/scsi", NULL };
	static const char *const readonly[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };
	static const char *const dev_opts[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	static const char *const pts_opts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL };
	static const char *const pts_opts_rootless[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
	static const char *const shm_opts[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
	static const char *const mq_opts[] = { "nosuid", "noexec", "nodev", NULL };
	static const char *const sys_opts[] = { "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const sys_bind_opts[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const cg_opts[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };

	json_object *s = json_object_new_object();
	json_object_object_add(s, "ociVersion", json_object_new_string(HULL_OCI_VERSION));

	json_object *p = json_object_new_object();
	json_object_object_add(p, "terminal", json_object_new_boolean(1));
	json_object *user = json_object_new_object();
	json_object_object_add(user, "uid", json_object_new_int(0));
	json_object_object_add(user, "gid", json_object_new_int(0));
	json_object_object_add(p, "user", user);
	json_object_object_add(p, "args", sj_new_strv(args));
	json_object_object_add(p, "env", sj_new_strv(env));
	json_object_object_add(p, "cwd", json_object_new_string("/"));
	json_object *c = json_object_new_object();
	static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
	for (size_t i = 0; i < 4; i++)
		json_object_object_add(c, sets[i], sj_new_strv(caps));
	json_object_object_add(p, "capabilities", c);
	json_object *rl = json_object_new_object();
	json_object_object_add(rl, "type", json_object_new_string("RLIMIT_NOFILE"));
	json_object_object_add(rl, "hard", json_object_new_int(1024));
	json_object_object_add(rl, "soft", json_object_new_int(1024));
	json_object *rls = json_object_new_array();
	json_object_array_add(rls, rl);
	json_object_object_add(p, "rlimits", rls);
	json_object_object_add(p, "noNewPrivileges", json_object_new_boolean(1));
	json_object_object_add(s, "process", p);

	json_object *root = json_object_new_object();
	json_object_object_add(root, "path", json_object_new_string("rootfs"));
	json_object_object_add(root, "readonly", json_object_new_boolean(1));
	json_object_object_add(s, "root", root);
	json_object_object_add(s, "hostname", json_object_new_string("hull"));

	json_object *mounts = json_object_new_array();
	json_object_array_add(mounts, mount("/proc", "proc", "proc", NULL));
	json_object_array_add(mounts, mount("/dev", "tmpfs", "tmpfs", dev_opts));
	json_object_array_add(mounts, mount("/dev/pts", "devpts", "devpts", rootless ? pts_opts_rootless : pts_opts));
	json_object_array_add(mounts, mount("/dev/shm", "tmpfs", "shm", shm_opts));
	json_object_array_add(mounts, mount("/dev/mqueue", "mqueue", "mqueue", mq_opts));
	if (rootless)
		json_object_array_add(mounts, mount("/sys", "none", "/sys", sys_bind_opts));
	else
		json_object_array_add(mounts, mount("/sys", "sysfs", "sysfs", sys_opts));
	json_object_array_add(mounts, mount("/sys/fs/cgroup", "cgroup", "cgroup", cg_opts));
	json_object_object_add(s, "mounts", mounts);

	json_object *lx = json_object_new_object();
	if (!rootless) {
		json_object *res = json_object_new_object();
		json_object *devs = json_object_new_array();
		json_object *deny = json_object_new_object();
		json_object_object_add(deny, "allow", json_object_new_boolean(0));
		json_object_object_add(deny, "access", json_object_new_string("rwm"));
		json_object_array_add(devs, deny);
		json_object_object_add(res, "devices", devs);
		json_object_object_add(lx, "resources", res);
	} else {
		json_object_object_add(lx, "uidMappings", idmap(getuid()));
		json_object_object_add(lx, "gidMappings", idmap(getgid()));
	}
	/* as runc's: a cgroup namespace too on a pure cgroup v2 host */
	bool v2 = cgroup_layout() == CGROUP_LAYOUT_V2;
	static const char *const ns_root[] = { "pid", "network", "ipc", "uts", "mount", "cgroup", NULL };
	static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "cgroup", "user", NULL };
	json_object *nss = json_object_new_array();
	for (const char *const *n = rootless ? ns_rootless : ns_root; *n; n++) {
		if (strcmp(*n, "cgroup") == 0 && !v2)
			continue;
		json_object *ns = json_object_new_object();
		json_object_object_add(ns, "type", json_object_new_string(*n));
		json_object_array_add(nss, ns);
	}
	json_object_object_add(lx, "namespaces", nss);
	json_object_object_add(lx, "maskedPaths", sj_new_strv(masked));
	json_object_object_add(lx, "readonlyPaths", sj_new_strv(readonly));
	json_object_object_add(s, "linux", lx);
	return s;
}

