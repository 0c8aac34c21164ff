/* namespaces.c - clone3 into new namespaces, setns into given ones, id maps, time offsets, hostname.
 * Must never call setns() in the hull process itself: joins happen in the joiner child. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/namespaces.h"
#include "linux/sync.h"
#include "linux/userns.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Namespaces made by the init itself after SYNC_GO rather than by clone3. */
static const int late_kinds = (1 << NS_CGROUP) | (1 << NS_TIME);

/* cgroup_fd >= 0: the child is born in that cgroup v2 directory (CLONE_INTO_CGROUP). */
static pid_t clone3_raw(uint64_t flags, int *pidfd, int cgroup_fd)
{
	struct clone_args args = {
		.flags = flags | (pidfd ? CLONE_PIDFD : 0) | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
		.cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
	};
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

int ns_supported(int kind)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/ns/%s", hull_ns_proc_names[kind]);
	return access(path, F_OK) == 0;
}

/* A new IPC namespace made together with a new user namespace would get its mqueue filesystem from
 * hull's credentials (the host's root owns /dev/mqueue then); as runc, the init makes it once it is the
 * root of its user namespace. */
static bool ipc_is_late(const struct hull_spec *s)
{
	return s->ns[NS_IPC].enabled && s->ns[NS_IPC].path == NULL && s->ns[NS_USER].enabled && s->ns[NS_USER].path == NULL;
}

static uint64_t new_ns_flags(const struct hull_spec *s)
{
	uint64_t flags = 0;
	for (int k = 0; k < NS_COUNT; k++)
		if (s->ns[k].enabled && s->ns[k].path == NULL && !(late_kinds & (1 << k)) && !(k == NS_IPC && ipc_is_late(s)))
			flags |= (uint64_t)hull_ns_clone_flags[k];
	return flags;
}

/* Is this namespace (an nsfs inode) the one of `kind` we run in ourselves? */
static bool is_own_ns(const struct stat *ns, int kind)
{
	char own[64];
	struct stat b;
	snprintf(own, sizeof(own), "/proc/self/ns/%s", hull_ns_proc_names[kind]);
	return stat(own, &b) == 0 && ns->st_dev == b.st_dev && ns->st_ino == b.st_ino;
}

/* The kinds of namespace hull writes into for the config: sysctls, the uts names. */
static unsigned written_kinds(const struct hull_spec *s)
{
	unsigned kinds = 0;
	for (size_t i = 0; i < s->n_sysctl; i++) {
		enum hull_ns_kind k = spec_sysctl_namespace(s->sysctl[i].key);
		if (k != NS_COUNT)
			kinds |= 1u << k;
	}
	if ((s->hostname && *s->hostname) || (s->domainname && *s->domainname))
		kinds |= 1u << NS_UTS;
	return kinds;
}

static int join_one(const struct hull_spec *s, int kind, hull_err *err)
{
	_cleanup_close_ int fd = open(s->ns[kind].path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "open %s namespace %s", hull_ns_names[kind], s->ns[kind].path);
	/* check_joined_host_ns looked at the path; this is what we join, should the path have changed since */
	struct stat st;
	if ((written_kinds(s) & (1u << kind)) && (fstat(fd, &st) < 0 || is_own_ns(&st, kind)))
		return hull_fail(err, "%s namespace %s: the host's, and the config writes into it", hull_ns_names[kind],
				 s->ns[kind].path);
	if (setns(fd, hull_ns_clone_flags[kind]) < 0)
		return hull_fail_sys(err, "join %s namespace %s", hull_ns_names[kind], s->ns[kind].path);
	return 0;
}

uint32_t ns_map_id(const struct hull_idmap *map, size_t n, uint32_t id, uint32_t unmapped)
{
	for (size_t i = 0; i < n; i++)
		if (id >= map[i].container_id && id - map[i].container_id < map[i].size)
			return map[i].host_id + (id - map[i].container_id);
	return unmapped;
}

static int idmap_cmp(const void *a, const void *b)
{
	const struct hull_idmap *x = a, *y = b;
	return x->container_id < y->container_id ? -1 : x->container_id > y->container_id;
}

bool ns_maps_equal(const struct hull_idmap *a, size_t na, const struct hull_idmap *b, size_t nb)
{
	if (na != nb)
		return false;
	if (na == 0)
		return true;
	_cleanup_free_ struct hull_idmap *x = xmalloc(na * sizeof(*x)), *y = xmalloc(na * sizeof(*y));
	memcpy(x, a, na * sizeof(*x));
	memcpy(y, b, na * sizeof(*y));
	qsort(x, na, sizeof(*x), idmap_cmp);
	qsort(y, na, sizeof(*y), idmap_cmp);
	return memcmp(x, y, na * sizeof(*x)) == 0;
}

/* Does /proc/self/FILE (uid_map or gid_map) hold exactly these n mappings, in any order? */
static int own_map_is(const char *file, const struct hull_idmap *want, size_t n, hull_err *err)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/%s", file);
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (fs_read_file(AT_FDCWD, path, &text, &len, err) < 0)
		return -1;
	size_t have = 0, cap = 8;  /* the kernel keeps at most 340 lines */
	_cleanup_free_ struct hull_idmap *got = xmalloc(cap * sizeof(*got));
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (have == cap)
			got = xrealloc(got, (cap *= 2) * sizeof(*got));
		if (sscanf(line, "%u %u %u", &got[have].container_id, &got[have].host_id, &got[have].size) != 3)
			return hull_fail(err, "%s: unreadable line \"%s\"", path, line);
		have++;
	}
	return ns_maps_equal(want, n, got, have);
}

/* In the joiner, once in the user namespace joined by path: mappings in the config (a pod's containers
 * carry the sandbox's) must be that namespace's own, as runc checks; none are written. */
static int check_joined_idmaps(const struct hull_spec *s, hull_err *err)
{
	if (s->n_uid_mappings == 0)
		return 0;
	int u = own_map_is("uid_map", s->uid_mappings, s->n_uid_mappings, err);
	int g = u == 1 ? own_map_is("gid_map", s->gid_mappings, s->n_gid_mappings, err) : u;
	if (u < 0 || g < 0)
		return -1;
	if (!u || !g)
		return hull_fail(err, "linux.%s: not the mappings of user namespace %s, which it joins",
				 !u ? "uidMappings" : "gidMappings", s->ns[NS_USER].path);
	return 0;
}

/* In the joiner: user namespace first (it owns the others), then the rest. */
static int join_all(const struct hull_spec *s, hull_err *err)
{
	if (s->ns[NS_USER].path && (join_one(s, NS_USER, err) < 0 || check_joined_idmaps(s, err) < 0))
		return -1;
	for (int k = 0; k < NS_COUNT; k++)
		if (k != NS_USER && s->ns[k].path && !(late_kinds & (1 << k)) && join_one(s, k, err) < 0)
			return -1;
	return 0;
}

static bool any_joined(const struct hull_spec *s)
{
	for (int k = 0; k < NS_COUNT; k++)
		if (s->ns[k].path && !(late_kinds & (1 << k)))
			return true;
	return false;
}

/* Is the namespace joined by path the one hull itself runs in (the host's, as runc says: "current")? */
static bool joins_own_ns(const struct hull_spec *s, int kind)
{
	if (s->ns[kind].path == NULL)
		return false;
	struct stat a;
	/* a path that cannot be read fails the join itself, with its own error */
	return stat(s->ns[kind].path, &a) == 0 && is_own_ns(&a, kind);
}

/* What hull writes "inside" the container's namespaces must not land in the host's, reached through a
 * namespace joined by path: sysctls (runc checks net.*: "not allowed in host network namespace"; hull
 * each kind) and the uts names (runc's words for a missing uts namespace). */
static int check_joined_host_ns(const struct hull_spec *s, hull_err *err)
{
	for (size_t i = 0; i < s->n_sysctl; i++) {
		enum hull_ns_kind k = spec_sysctl_namespace(s->sysctl[i].key);
		if (k != NS_COUNT && joins_own_ns(s, k))
			return hull_fail(err, "linux.sysctl: sysctl \"%s\" not allowed in host %s namespace", s->sysctl[i].key,
					 hull_ns_names[k]);
	}
	if (((s->hostname && *s->hostname) || (s->domainname && *s->domainname)) && joins_own_ns(s, NS_UTS))
		return hull_fail(err, "%s: unable to set %s without a private UTS namespace (%s is the host's)",
				 s->hostname && *s->hostname ? "hostname" : "domainname",
				 s->hostname && *s->hostname ? "hostname" : "domainname", s->ns[NS_UTS].path);
	return 0;
}

pid_t ns_spawn_init(const struct hull_spec *s, int parent_fd, int child_fd, int cgroup_fd, int *pidfd, hull_err *err)
{
	uint64_t flags = new_ns_flags(s);
	for (int k = 0; k < NS_COUNT; k++)
		if (s->ns[k].enabled && !ns_supported(k))
			return hull_fail(err, "the kernel has no %s namespaces", hull_ns_names[k]);
	if (check_joined_host_ns(s, err) < 0)
		return -1;
	/* CVE-2019-5736, the window during create: until execve the joiner and the init are clones of the
	 * host's hull binary. In a user namespace owned by the host's root, every host process with euid 0
	 * (even without capabilities) holds CAP_SYS_PTRACE, and only the dumpable flag keeps /proc/PID/exe,
	 * /proc/PID/fd and ptrace from it. The flag lives in the mm that clone3 copies: made non-dumpable here,
	 * the children are from their first instruction (runc: nsexec, before any namespace).
	 * Rootless, the init stays dumpable until SYNC_GO: only then can its unprivileged parent (or newuidmap)
	 * write its maps; nothing but the user itself can reach it before (userns.h). */
	if (!userns_maps_need_dumpable(s) && prctl(PR_SET_DUMPABLE, 0) < 0)
		return hull_fail_sys(err, "make hull non-dumpable before spawning the init");

	if (!any_joined(s)) {
		pid_t pid = clone3_raw(flags, pidfd, cgroup_fd);
		if (pid < 0)
			return hull_fail_sys(err, "clone3 into new namespaces");
		if (pid == 0)
			close(parent_fd);
		return pid;
	}

	/* The joiner: setns() into the given namespaces, then clone3 the init as our sibling. */
	pid_t joiner = clone3_raw(0, NULL, -1);
	if (joiner < 0)
		return hull_fail_sys(err, "clone3");
	if (joiner == 0) {
		close(parent_fd);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		hull_err jerr = NULL;
		if (join_all(s, &jerr) < 0) {
			sync_send_error(child_fd, jerr);
			_exit(1);
		}
		pid_t pid = clone3_raw(flags | CLONE_PARENT, NULL, cgroup_fd);
		if (pid < 0) {
			hull_fail_sys(&jerr, "clone3 into new namespaces");
			sync_send_error(child_fd, jerr);
			_exit(1);
		}
		if (pid == 0)
			return 0;
		sync_send(child_fd, SYNC_PID, pid, NULL, NULL);
		_exit(0);
	}
	int32_t pid = 0;
	int ret = sync_expect(parent_fd, SYNC_PID, &pid, err);
	int status;
	while (waitpid(joiner, &status, 0) < 0 && errno == EINTR)
		;
	if (ret < 0)
		return -1;
	if (pidfd) {
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (*pidfd < 0) {
			kill(pid, SIGKILL);
			return hull_fail_sys(err, "pidfd_open %d", pid);
		}
		fcntl(*pidfd, F_SETFD, FD_CLOEXEC);
	}
	return pid;
}

int ns_write_map(pid_t pid, const char *file, const struct hull_idmap *map, size_t n, hull_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	size_t cap = n * 40 + 1, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%u %u %u\n", map[i].container_id, map[i].host_id, map[i].size);
	if (fs_write_file(AT_FDCWD, path, buf, len, err) < 0)
		return hull_err_prefix(err, "write %s", file);
	return 0;
}

int ns_write_idmaps(pid_t pid, const struct hull_spec *s, hull_err *err)
{
	if (!s->ns[NS_USER].enabled || s->ns[NS_USER].path)
		return 0;
	if (ns_write_map(pid, "uid_map", s->uid_mappings, s->n_uid_mappings, err) < 0 ||
	    ns_write_map(pid, "gid_map", s->gid_mappings, s->n_gid_mappings, err) < 0)
		return -1;
	return 0;
}

int ns_userns_fd(const struct hull_idmap *uids, size_t n_uids, const struct hull_idmap *gids, size_t n_gids,
		 hull_err *err)
{
	pid_t parent = getpid();
	pid_t pid = clone3_raw(CLONE_NEWUSER, NULL, -1);
	if (pid < 0)
		return hull_fail_sys(err, "clone3 a user namespace for an idmapped mount");
	if (pid == 0) {
		/* holds the namespace open while hull writes its maps and opens it; never outlives hull */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == parent)
			for (;;)
				pause();
		_exit(1);
	}
	int fd = -1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	if (ns_write_map(pid, "uid_map", uids, n_uids, err) == 0 && ns_write_map(pid, "gid_map", gids, n_gids, err) == 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			hull_fail_sys(err, "open %s", path);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

int ns_enter_time(const struct hull_spec *s, hull_err *err)
{
	if (!s->ns[NS_TIME].enabled)
		return 0;
	if (s->ns[NS_TIME].path) {
		_cleanup_close_ int fd = open(s->ns[NS_TIME].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
			return hull_fail_sys(err, "join time namespace %s", s->ns[NS_TIME].path);
		return 0;
	}
	/* Offsets can only be written before any process lives in the namespace: unshare makes it for our
	 * children, we set the offsets, then move ourselves in. */
	if (unshare(CLONE_NEWTIME) < 0)
		return hull_fail_sys(err, "create time namespace");
	if (s->has_time_offsets) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "monotonic %lld %u\nboottime %lld %u\n", (long long)s->monotonic_secs,
				 s->monotonic_nsecs, (long long)s->boottime_secs, s->boottime_nsecs);
		if (fs_write_file(AT_FDCWD, "/proc/self/timens_offsets", buf, (size_t)n, err) < 0)
			return hull_err_prefix(err, "set linux.timeOffsets");
	}
	_cleanup_close_ int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
		return hull_fail_sys(err, "enter the new time namespace");
	return 0;
}

int ns_enter_late(const struct hull_spec *s, hull_err *err)
{
	if (ipc_is_late(s) && unshare(CLONE_NEWIPC) < 0)
		return hull_fail_sys(err, "create ipc namespace");
	if (s->ns[NS_CGROUP].enabled) {
		if (s->ns[NS_CGROUP].path) {
			_cleanup_close_ int fd = open(s->ns[NS_CGROUP].path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || setns(fd, CLONE_NEWCGROUP) < 0)
				return hull_fail_sys(err, "join cgroup namespace %s", s->ns[NS_CGROUP].path);
		} else if (unshare(CLONE_NEWCGROUP) < 0) {
			return hull_fail_sys(err, "create cgroup namespace");
		}
	}
	return 0;
}

int ns_set_uts(const struct hull_spec *s, hull_err *err)
{
	if (s->hostname && *s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return hull_fail_sys(err, "set hostname \"%s\"", s->hostname);
	if (s->domainname && *s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return hull_fail_sys(err, "set domainname \"%s\"", s->domainname);
	return 0;
}
