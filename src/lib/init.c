/* init.c - the container's init, step by step as runtime-spec "create" then "start" describe it.
 * Must never return into hull's code, and must never run user code before `hull start`. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"
#include "linux/devices.h"
#include "linux/hooks.h"
#include "linux/lsm.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/process.h"
#include "linux/reaper.h"
#include "linux/rootfs.h"
#include "linux/seccomp_load.h"
#include "linux/sync.h"
#include "linux/userns.h"
#include "linux/terminal.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1

struct exec_plan {
	char *path;
	char **env;
	int lsm_attr_fd;  /* verified /proc/self/attr, or -1 */
	pid_t host_pid;   /* our pid as the host sees it (SYNC_GO), for the seccomp agent */
	struct seccomp_install seccomp;
};

/* Hooks in the container namespace see the pid as the container sees it (runtime.md#state). */
static int run_container_hooks(const struct init_ctx *c, enum hull_hook_kind kind, const char *status, hull_err *err)
{
	if (c->spec->hooks[kind].n == 0)
		return 0;
	_cleanup_free_ char *state = hooks_state_json(c->spec, c->id, status, getpid());
	return hooks_run(c->spec, kind, state, err);
}

/* From SYNC_GO to SYNC_READY: the "create" operation, inside the container. */
static int init_create(const struct init_ctx *c, struct exec_plan *plan, hull_err *err)
{
	const struct hull_spec *s = c->spec;
	const struct hull_process *p = s->process;

	if (process_set_oom_score_adj(p, err) < 0 || ns_enter_time(s, err) < 0)
		return -1;
	/* root.path is reached as hull (runc's order): with a user namespace, the container's root may not pass the
	 * directories above it (a store below a 0700 directory) */
	_cleanup_close_ int below = s->ns[NS_MNT].enabled ? open(s->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	if (s->ns[NS_MNT].enabled && below < 0)
		return hull_fail_sys(err, "root.path %s", s->root_path);
	/* In a user namespace we are nobody until we take the namespace's root as our identity. The late
	 * namespaces come between uid and gid, as in runc: a new IPC namespace's mqueue filesystem belongs
	 * to the mapped root's uid and to the gid hull had (runc's /dev/mqueue is 100000:0 on the host). */
	if (s->ns[NS_USER].enabled && setresuid(0, 0, 0) < 0)
		return hull_fail_sys(err, "become root of the user namespace (is uid 0 mapped?)");
	if (ns_enter_late(s, err) < 0)
		return -1;
	if (s->ns[NS_USER].enabled && setresgid(0, 0, 0) < 0)
		return hull_fail_sys(err, "become root of the user namespace (is gid 0 mapped?)");
	/* the notify agent's socket is a host path: connect while our mount namespace still shows it */
	if (seccomp_connect_agent(&plan->seccomp, err) < 0)
		return -1;
	umask(0);
	if (setsid() < 0)
		return hull_fail_sys(err, "setsid");
	if (!c->no_new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, c->id) < 0 && errno != ENOSYS &&
	    errno != EPERM && errno != EACCES)
		return hull_fail_sys(err, "join a new session keyring");

	_cleanup_close_ int rootfd = -1, host_null = -1;
	bool own_mounts = s->ns[NS_MNT].enabled;
	int r = own_mounts ? rootfs_prepare(s, c->mount_fds, below, &rootfd, err) : 0;
	mounts_close_sources(c->mount_fds, s->n_mounts);
	if (r < 0)
		return -1;
	/* runc creates a missing cwd; inside the root, before anything can be read-only */
	if (own_mounts) {
		int cwd = fs_mkpath_in_root(rootfd, p->cwd, false, err);
		if (cwd < 0)
			return hull_err_prefix(err, "process.cwd");
		close(cwd);
	}
	/* Opened in our own mount namespace: a mount of the parent's namespace could not be bound here. */
	if (own_mounts && s->masked_paths && s->masked_paths[0] && (host_null = devices_open_host_null(err)) < 0)
		return -1;

	if (s->hooks[HOOK_PRESTART].n || s->hooks[HOOK_CREATE_RUNTIME].n) {
		if (sync_send(c->sync_fd, SYNC_HOOKS, 0, NULL, err) < 0 || sync_expect(c->sync_fd, SYNC_HOOKS_DONE, NULL, err) < 0)
			return -1;
	}
	/* runc runs createContainer hooks with the container's root as their cwd ("./lib/...") */
	if (own_mounts && fchdir(rootfd) < 0)
		return hull_fail_sys(err, "chdir to the container's root");
	if (run_container_hooks(c, HOOK_CREATE_CONTAINER, "creating", err) < 0)
		return -1;
	/* in the container's cgroup by now: the init runs on what its cpuset allows, not on hull's CPUs */
	if (process_set_cpus(NULL, "the init's CPU affinity", err) < 0 || process_apply_early(s, p, err) < 0 ||
	    lsm_prepare(p, &plan->lsm_attr_fd, err) < 0)
		return -1;

	if (own_mounts) {
		if (rootfs_write_sysctl(rootfd, s, err) < 0 || rootfs_protect_paths(rootfd, s, host_null, err) < 0)
			return -1;
		if (rootfs_pivot(rootfd, c->no_pivot, err) < 0 || rootfs_finalize(s, err) < 0)
			return -1;
	} else if (rootfs_chroot_only(s, &rootfd, err) < 0 || rootfs_write_sysctl(rootfd, s, err) < 0) {
		return -1;
	}
	if (ns_set_uts(s, err) < 0)
		return -1;
	if (p->terminal && terminal_setup(p, rootfd, c->console_fd, true, err) < 0)
		return -1;
	if (process_find_executable(p, &plan->path, err) < 0)
		return -1;
	plan->env = process_build_env(p);
	/* the exec label is ours to set while we still hold our capabilities */
	if (lsm_apply_exec_label(p, plan->lsm_attr_fd, err) < 0)
		return -1;
	/* Only fds 0-2 and the preserved ones reach the container process. */
	if (syscall(SYS_close_range, 3 + c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return hull_fail_sys(err, "close_range");
	if (process_apply_before_seccomp(p, err) < 0)
		return -1;
	/* From here the container outlives `hull create` (if hull dies now, SYNC_READY fails and we exit).
	 * CVE-2019-5736: until execve we are a clone of the hull binary. A process exec'd into the created
	 * container must not reach it through /proc/1/exe: non-dumpable, our /proc is closed to it (the
	 * kernel makes execve dumpable again). We were born non-dumpable (ns_spawn_init); said again here
	 * because each change of our credentials reset the flag to fs.suid_dumpable, which may be 1. Both
	 * prctls come before the filter: a profile may deny prctl. */
	prctl(PR_SET_PDEATHSIG, 0);
	prctl(PR_SET_DUMPABLE, 0);
	if (seccomp_load_early(p) &&
	    seccomp_install(&plan->seccomp, s, c->id, plan->host_pid, "creating", err) < 0)
		return -1;
	return process_apply_identity(p, err);
}

/* Block until `hull start` writes to exec.fifo. Before any writer came, poll reports nothing. */
static int wait_for_start(int fifo)
{
	struct pollfd pfd = { .fd = fifo, .events = POLLIN };
	for (;;) {
		int r = poll(&pfd, 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		char b;
		ssize_t n = read(fifo, &b, 1);
		if (n == 1)
			return 0;
		if (n < 0 && errno == EAGAIN)
			continue;
		return -1; /* a writer came and left without a byte */
	}
}

_Noreturn void init_run(struct init_ctx *c)
{
	hull_err err = NULL;
	struct exec_plan plan = { .lsm_attr_fd = -1, .seccomp = { .profile = c->seccomp ? c->spec->seccomp : NULL,
								 .prog = c->seccomp, .agent_fd = -1 } };
	int32_t host_pid = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(c->state_dirfd);
	if (mounts_receive_sources(c->spec, c->sync_fd, &c->mount_fds, &err) < 0 ||
	    sync_expect(c->sync_fd, SYNC_GO, &host_pid, &err) < 0)
		_exit(1);
	if (userns_maps_need_dumpable(c->spec)) /* dumpable for our maps until now (ns_spawn_init) */
		prctl(PR_SET_DUMPABLE, 0);
	plan.host_pid = host_pid;
	if (init_create(c, &plan, &err) < 0) {
		sync_send_error(c->sync_fd, err);
		_exit(1);
	}
	if (sync_send(c->sync_fd, SYNC_READY, 0, NULL, &err) < 0)
		_exit(1);
	close(c->sync_fd);

	if (wait_for_start(c->fifo_fd) < 0)
		_exit(1);
	/* with no_new_privs, only the startContainer hooks run under the filter of hull's work: they
	 * run in the container, and runc runs them with its filter too */
	if (!seccomp_load_early(c->spec->process) &&
	    seccomp_install(&plan.seccomp, c->spec, c->id, plan.host_pid, "created", &err) < 0) {
		dprintf(2, "hull: %s\n", err->msg);
		_exit(1);
	}
	if (run_container_hooks(c, HOOK_START_CONTAINER, "created", &err) < 0) {
		dprintf(2, "hull: %s\n", err->msg);
		_exit(1);
	}
	if (c->spec->init_reaper)
		reaper_exec(plan.path, c->spec->process->args, plan.env, 3 + c->preserve_fds);
	process_exec(plan.path, c->spec->process->args, plan.env);
}
