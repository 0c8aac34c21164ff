/* exec.c - one more process in a running container: its namespaces (one setns through the init's pidfd),
 * its cgroup, and a process made from the container's own config with the caller's overrides.
 * Must never let the joining process be ptraced or read by the container before it execs (non-dumpable). */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
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

#include "container.h"
#include "container_internal.h"
#include "cgroup/cgroup.h"
#include "linux/caps.h"
#include "linux/intelrdt.h"
#include "linux/process.h"
#include "linux/lsm.h"
#include "linux/seccomp_load.h"
#include "linux/sync.h"
#include "linux/terminal.h"
#include "linux/userns.h"
#include "util/unixsock.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"

/* The namespaces of pid that differ from ours, as setns(pidfd) flags; user first is the kernel's job. */
static int differing_namespaces(pid_t pid)
{
	int flags = 0;
	for (int k = 0; k < NS_COUNT; k++) {
		char theirs[64], ours[64];
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", pid, hull_ns_proc_names[k]);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", hull_ns_proc_names[k]);
		struct stat a, b;
		if (stat(theirs, &a) == 0 && stat(ours, &b) == 0 && (a.st_ino != b.st_ino || a.st_dev != b.st_dev))
			flags |= hull_ns_clone_flags[k];
	}
	return flags;
}

/* As runc's exec: the uid (and gid, when given) replace the config's, whose other groups stay. groups_only (the
 * engine's exec -u, podman's): the config's groups go, gid 0 unless given. */
static int parse_user(const char *user, bool groups_only, struct hull_process *p, hull_err *err)
{
	char *end = NULL;
	unsigned long uid = strtoul(user, &end, 10);
	if (end == user || (*end && *end != ':'))
		return hull_fail(err, "--user \"%s\": expected uid[:gid]", user);
	p->uid = (uid_t)uid;
	if (groups_only) {
		p->gid = 0;
		p->n_additional_gids = 0;
	}
	if (*end == ':') {
		char *gend = NULL;
		unsigned long gid = strtoul(end + 1, &gend, 10);
		if (gend == end + 1 || *gend)
			return hull_fail(err, "--user \"%s\": expected uid[:gid]", user);
		p->gid = (gid_t)gid;
	}
	return 0;
}

static char **strv_concat(char **a, char **b)
{
	size_t na = 0, nb = 0;
	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	char **v = xcalloc(na + nb + 1, sizeof(char *));
	for (size_t i = 0; i < na; i++)
		v[i] = xstrdup(a[i]);
	for (size_t i = 0; i < nb; i++)
		v[na + i] = xstrdup(b[i]);
	return v;
}

/* What runc's exec flags change in the container's process (not in a --process file). */
static int apply_overrides(const struct hull_exec_opts *o, struct hull_process *p, hull_err *err)
{
	if (o->n_additional_gids) {
		gid_t *g = xreallocarray(p->additional_gids, p->n_additional_gids + o->n_additional_gids + 1,
					 sizeof(gid_t));
		memcpy(g + p->n_additional_gids, o->additional_gids, o->n_additional_gids * sizeof(gid_t));
		p->additional_gids = g;
		p->n_additional_gids += o->n_additional_gids;
	}
	if (o->apparmor) {
		free(p->apparmor_profile);
		p->apparmor_profile = xstrdup(o->apparmor);
	}
	if (o->process_label) {
		free(p->selinux_label);
		p->selinux_label = xstrdup(o->process_label);
	}
	if (o->no_new_privs)
		p->no_new_privileges = true;
	for (size_t i = 0; o->caps && o->caps[i]; i++) {
		int cap = caps_from_name(o->caps[i]);
		if (cap < 0)
			return hull_fail(err, "--cap: unknown capability \"%s\"", o->caps[i]);
		/* CVE-2022-29162: never inheritable */
		uint64_t bit = 1ULL << cap;
		p->caps.bounding |= bit;
		p->caps.effective |= bit;
		p->caps.permitted |= bit;
		p->caps.ambient |= bit;
		p->has_caps = true;
	}
	return 0;
}

/* runc's exec --process: capabilities, rlimits and LSM labels the file does not set are the container's. */
static void inherit_unset(struct hull_process *p, const struct hull_process *c)
{
	if (!p->has_caps && c->has_caps) {
		p->caps = c->caps;
		p->has_caps = true;
	}
	if (p->n_rlimits == 0 && c->n_rlimits) {
		struct hull_rlimit *r = xcalloc(c->n_rlimits + 1, sizeof(*r));
		memcpy(r, c->rlimits, c->n_rlimits * sizeof(*r));
		free(p->rlimits);
		p->rlimits = r;
		p->n_rlimits = c->n_rlimits;
	}
	if ((p->apparmor_profile == NULL || !*p->apparmor_profile) && c->apparmor_profile) {
		free(p->apparmor_profile);
		p->apparmor_profile = xstrdup(c->apparmor_profile);
	}
	if ((p->selinux_label == NULL || !*p->selinux_label) && c->selinux_label) {
		free(p->selinux_label);
		p->selinux_label = xstrdup(c->selinux_label);
	}
	/* as crun 1.25: the container's execCPUAffinity applies to every exec that names none */
	if (!p->exec_cpus_initial.set && !p->exec_cpus_final.set) {
		p->exec_cpus_initial = c->exec_cpus_initial;
		p->exec_cpus_final = c->exec_cpus_final;
	}
}

/* The process to run: --process as given, or the container's own process with the caller's changes. */
static int build_process(const struct hull_exec_opts *o, const struct hull_spec *s, struct hull_process **out, hull_err *err)
{
	if (o->process_file) {
		_cleanup_free_ char *text = NULL;
		if (fs_read_file_max(AT_FDCWD, o->process_file, FS_INPUT_MAX, &text, NULL, err) < 0)
			return hull_err_prefix(err, "--process");
		json_object *j = json_tokener_parse(text);
		int r = spec_parse_process(j, o->process_file, out, err);
		json_object_put(j);
		/* as runc: the file is the process and the flags that edit one apply to the other form only;
		 * what the file leaves out comes from the container's process */
		if (r == 0 && s->process)
			inherit_unset(*out, s->process);
		return r;
	}
	if (o->args == NULL || o->args[0] == NULL)
		return hull_fail(err, "exec: a command to run is required");
	if (s->process == NULL)
		return hull_fail(err, "exec: the container's config has no process to start from");
	struct hull_process *p = xcalloc(1, sizeof(*p));
	*p = *s->process;
	/* deep-copy what the process owns, so spec_free and spec_process_free stay independent */
	p->args = strv_concat(o->args, NULL);
	p->env = strv_concat(s->process->env, o->env);
	p->cwd = xstrdup(o->cwd ? o->cwd : s->process->cwd);
	p->additional_gids = xcalloc(p->n_additional_gids + 1, sizeof(gid_t));
	if (p->n_additional_gids)
		memcpy(p->additional_gids, s->process->additional_gids, p->n_additional_gids * sizeof(gid_t));
	p->rlimits = xcalloc(p->n_rlimits + 1, sizeof(struct hull_rlimit));
	if (p->n_rlimits)
		memcpy(p->rlimits, s->process->rlimits, p->n_rlimits * sizeof(struct hull_rlimit));
	p->apparmor_profile = s->process->apparmor_profile ? xstrdup(s->process->apparmor_profile) : NULL;
	p->selinux_label = s->process->selinux_label ? xstrdup(s->process->selinux_label) : NULL;
	p->terminal = o->tty;
	*out = p;
	if (o->user && parse_user(o->user, o->user_groups_only, p, err) < 0)
		return -1;
	return apply_overrides(o, p, err);
}

struct exec_child {
	int sync_fd, pidfd, cgroup_fd, console_fd;
	int ns_flags;  /* the namespaces of the init that differ from ours */
	int preserve_fds;
	const char *id;
	const struct hull_spec *spec;
	const struct hull_process *process;
	const struct seccomp_program *seccomp;  /* the container's filter, compiled; or NULL */
};

static void fail_to_parent(int sync_fd, hull_err *err, const char *what)
{
	if (*err == NULL)
		hull_fail_sys(err, "%s", what);
	sync_send_error(sync_fd, *err);
	_exit(1);
}

/* The process, in the container's pid namespace and cgroup but still in our other namespaces:
 * what needs the host (its procfs for the LSM handle, host root for rlimits and oom_score_adj),
 * then every other namespace of the init in one setns, then the process's own settings, then exec. */
_Noreturn static void exec_process(const struct exec_child *c)
{
	hull_err err = NULL;
	int attr_fd = -1;
	_cleanup_free_ char *path = NULL;
	char **env = NULL;
	/* SYNC_GO carries our pid as the host sees it, negated when we join the cgroup late */
	int32_t go = 0;
	prctl(PR_SET_DUMPABLE, 0);
	if (sync_expect(c->sync_fd, SYNC_GO, &go, &err) < 0)
		_exit(1);
	bool cgroup_late = go < 0;
	pid_t host_pid = go < 0 ? -go : go;
	const struct hull_process *p = c->process;
	/* in the container's cgroup now (unless paused: then once it is joined, below) */
	if (!cgroup_late && process_set_cpus(&p->exec_cpus_final, "process.execCPUAffinity.final", &err) < 0)
		fail_to_parent(c->sync_fd, &err, "exec");
	struct seccomp_install sec = { .profile = c->seccomp ? c->spec->seccomp : NULL, .prog = c->seccomp };
	if (lsm_prepare(p, &attr_fd, &err) < 0 || process_set_oom_score_adj(p, &err) < 0 ||
	    process_apply_early(c->spec, p, &err) < 0 ||
	    seccomp_connect_agent(&sec, &err) < 0)
		fail_to_parent(c->sync_fd, &err, "exec");
	if ((c->ns_flags & ~CLONE_NEWPID) && setns(c->pidfd, c->ns_flags & ~CLONE_NEWPID) < 0)
		fail_to_parent(c->sync_fd, &err, "exec: join the container's namespaces");
	/* runc's exec'd processes lead their own session, terminal or not */
	if (setsid() < 0)
		fail_to_parent(c->sync_fd, &err, "exec: setsid");
	if (p->terminal) {
		_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0 || terminal_setup(p, rootfd, c->console_fd, false, &err) < 0)
			fail_to_parent(c->sync_fd, &err, "exec: open the container's root");
	}
	if (process_find_executable(p, &path, &err) < 0 || (env = process_build_env(p)) == NULL ||
	    lsm_apply_exec_label(p, attr_fd, &err) < 0 ||
	    syscall(SYS_close_range, 3 + c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ||
	    process_apply_before_seccomp(p, &err) < 0 || (seccomp_load_early(p) && seccomp_install(&sec, c->spec, c->id, host_pid, "running", &err) < 0) ||
	    process_apply_identity(p, &err) < 0)
		fail_to_parent(c->sync_fd, &err, "exec: prepare the process");
	sync_send(c->sync_fd, SYNC_READY, 0, NULL, NULL);
	/* a paused container: we join its (frozen) cgroup now, and run when it is resumed */
	if (cgroup_late && sync_expect(c->sync_fd, SYNC_GO, NULL, &err) < 0)
		_exit(1);
	if (cgroup_late && process_set_cpus(&p->exec_cpus_final, "process.execCPUAffinity.final", &err) < 0) {
		dprintf(2, "hull: exec: %s\n", err->msg);
		_exit(1);
	}
	/* with no_new_privs, as late as it gets */
	if (!seccomp_load_early(p) && seccomp_install(&sec, c->spec, c->id, host_pid, "running", &err) < 0) {
		dprintf(2, "hull: exec: %s\n", err->msg);
		_exit(1);
	}
	process_exec(path, p->args, env);
}

static int first_cpu(const cpu_set_t *set)
{
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, set))
			return i;
	return -1;
}

/* The helper: join the container's pid namespace (it applies to children only), then clone the
 * process into it, and on a v2 host straight into its cgroup; report the pid and go. */
_Noreturn static void exec_helper(const struct exec_child *c)
{
	hull_err err = NULL;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_DUMPABLE, 0);
	/* rootless, only the container's user namespace gives the right to join its pid namespace: both in
	 * one setns (the kernel takes user first), and the process, in it already, does not join it again */
	struct exec_child joined = *c;
	int early = CLONE_NEWPID | (geteuid() != 0 ? CLONE_NEWUSER : 0);
	joined.ns_flags &= ~(early & ~CLONE_NEWPID);
	if ((c->ns_flags & early) && setns(c->pidfd, c->ns_flags & early) < 0)
		fail_to_parent(c->sync_fd, &err, "exec: join the container's pid namespace");
	/* the process is born with it and keeps it until it is in the container's cgroup */
	if (c->process->exec_cpus_initial.set) {
		if (process_set_cpus(&c->process->exec_cpus_initial, "process.execCPUAffinity.initial", &err) < 0)
			fail_to_parent(c->sync_fd, &err, "exec");
		cpu_set_t now;
		if (sched_getaffinity(0, sizeof(now), &now) == 0)
			hull_debug("exec: initial CPU affinity: %d CPUs, first %d", CPU_COUNT(&now), first_cpu(&now));
	}
	struct clone_args args = {
		.flags = CLONE_PARENT | (c->cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.cgroup = (uint64_t)(c->cgroup_fd >= 0 ? c->cgroup_fd : 0),
	};
	pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (child < 0)
		fail_to_parent(c->sync_fd, &err, "exec: clone3");
	if (child == 0)
		exec_process(&joined);
	sync_send(c->sync_fd, SYNC_PID, child, NULL, NULL);
	_exit(0);
}

/* As the host's root with no initial CPU affinity, hull itself is the helper: its pid namespace for children set to
 * the container's for the one clone3 and put back at once (setns of a pid namespace moves no process, hull included). */
static pid_t spawn_direct(const struct exec_child *c, hull_err *err)
{
	_cleanup_close_ int own = -1;
	if ((c->ns_flags & CLONE_NEWPID) &&
	    ((own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0 || setns(c->pidfd, CLONE_NEWPID) < 0))
		return hull_fail_sys(err, "exec: join the container's pid namespace");
	/* SIGCHLD, as the helper's CLONE_PARENT child inherits it: waited for like any child */
	struct clone_args args = {
		.flags = c->cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)(c->cgroup_fd >= 0 ? c->cgroup_fd : 0),
	};
	/* CVE-2019-5736: the process is a clone of the hull binary in the container's pid namespace until its execve;
	 * born non-dumpable (the flag is in the mm clone3 copies), as the helper makes it */
	prctl(PR_SET_DUMPABLE, 0);
	pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (child == 0)
		exec_process(c);
	int e = errno;
	if (own >= 0 && setns(own, CLONE_NEWPID) < 0) {
		/* cannot happen (our own namespace); should it, no later child of ours may be born in the container's */
		if (child > 0) {
			kill(child, SIGKILL);
			while (waitpid(child, NULL, __WALL) < 0 && errno == EINTR)
				;
		}
		return hull_fail_sys(err, "exec: return to hull's pid namespace");
	}
	if (child < 0)
		return hull_fail_errno(err, e, "exec: clone3");
	return child;
}

int hull_exec(const struct hull_exec_opts *o, pid_t *pid_out, int *pidfd_out, bool *terminal, hull_err *err)
{
	_cleanup_close_ int dirfd = -1, initfd = -1, console = -1, cgroup_fd = -1, pidsock = -1;
	*pidfd_out = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(o->root, o->id, false, &dirfd, &st, &status, err) < 0)
		return -1;
	/* runc's words: engines match them */
	if (status == STATUS_STOPPED || status == STATUS_CREATING) {
		state_clear(&st);
		return hull_fail(err, "cannot exec in a stopped container");
	}
	struct hull_spec *s = NULL;
	struct hull_process *p = NULL;
	struct hull_cgroup *sub = NULL;
	struct seccomp_program prog = { 0 };
	int ret = -1, sv[2] = { -1, -1 };
	pid_t helper = -1;
	int32_t pid = -1;
	/* --ignore-paused: the process is set up outside the frozen cgroup, then joins it before execve */
	bool cgroup_late = status == STATUS_PAUSED;
	if (cgroup_late && !o->ignore_paused) {
		hull_fail(err, "cannot exec in a paused container (use --ignore-paused to override)");
		goto out;
	}
	if (container_load_saved_spec(dirfd, &st, &s, err) < 0 || build_process(o, s, &p, err) < 0)
		goto out;
	*terminal = p->terminal;
	if (p->terminal && o->console_socket == NULL && o->console_fd < 0) {
		hull_fail(err, "exec: a terminal (--tty or process.terminal) needs --console-socket");
		goto out;
	}
	if (!p->terminal && o->console_socket) {
		hull_fail(err, "exec: --console-socket given without a terminal (--tty or process.terminal)");
		goto out;
	}
	if (o->cgroups && o->cgroups[0] && cgroup_sub(st.cgroup, o->cgroups, &sub, err) < 0)
		goto out;
	struct hull_cgroup *target = sub ? sub : st.cgroup;  /* the cgroup the process joins */
	if (p->terminal) {
		console = o->console_fd >= 0 ? fcntl(o->console_fd, F_DUPFD_CLOEXEC, 3) : unix_connect(o->console_socket, "--console-socket", err);
		if (console < 0) {
			if (o->console_fd >= 0)
				hull_fail_sys(err, "exec: console socket");
			goto out;
		}
	}
	if (o->pidfd_socket && (pidsock = unix_connect(o->pidfd_socket, "--pidfd-socket", err)) < 0)
		goto out;
	cgroup_fd = cgroup_late ? -1 : cgroup_v2_fd(target);
	initfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (initfd < 0 || state_proc_start_time(st.pid, NULL) != st.start_time) {
		hull_fail(err, "container %s is not running", o->id);
		goto out;
	}
	int ns_flags = differing_namespaces(st.pid);
	if (sync_pair(sv, err) < 0 || (s->seccomp && seccomp_compile_cached(s->seccomp, o->root, &prog, err) < 0))
		goto out;
	struct exec_child c = { .sync_fd = sv[1], .pidfd = initfd, .cgroup_fd = cgroup_fd, .console_fd = console,
				.ns_flags = ns_flags, .preserve_fds = o->preserve_fds, .id = o->id, .spec = s,
				.process = p, .seccomp = s->seccomp ? &prog : NULL };
	/* Root of the host, nothing to do in between that would change hull itself: no helper, the process is cloned from
	 * here. Not in a user namespace of its own (rootless podman's): hull could join the container's pid namespace but
	 * not return to its own, which the host's user namespace owns. */
	if (geteuid() == 0 && !p->exec_cpus_initial.set && !userns_nested()) {
		if ((pid = spawn_direct(&c, err)) < 0)
			goto out;
		close(sv[1]);
		sv[1] = -1;
	} else {
		helper = fork();
		if (helper < 0) {
			hull_fail_sys(err, "exec: fork");
			goto out;
		}
		if (helper == 0) {
			close(sv[0]);
			exec_helper(&c);
		}
		close(sv[1]);
		sv[1] = -1;
		int r = sync_expect(sv[0], SYNC_PID, &pid, err);
		while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
			;
		if (r < 0)
			goto out;
	}
	fault_point("exec.spawn");
	*pidfd_out = (int)syscall(SYS_pidfd_open, pid, 0);
	/* the cgroup before anything of the process runs (on v2 it was born there) */
	if (*pidfd_out < 0 || (cgroup_fd < 0 && !cgroup_late && cgroup_enter(target, pid, NULL, err) < 0)) {
		if (*pidfd_out >= 0)
			hull_err_prefix(err, "exec");
		else
			hull_fail_sys(err, "exec: pidfd_open");
		goto out;
	}
	fault_point("exec.cgroup_enter");
	/* resctrl groups are inherited from the parent, and ours is the host's: joined as runc's exec joins it */
	if (st.rdt.name && rdt_enter(&st.rdt, o->id, pid, err) < 0) {
		hull_err_prefix(err, "exec");
		goto out;
	}
	if (sync_send(sv[0], SYNC_GO, cgroup_late ? -pid : pid, NULL, err) < 0)
		goto out;
	if (sync_expect(sv[0], SYNC_READY, NULL, err) < 0) {
		hull_err_prefix(err, "unable to start container process");
		goto out;
	}
	if (cgroup_late && (cgroup_enter(target, pid, NULL, err) < 0 || sync_send(sv[0], SYNC_GO, 0, NULL, err) < 0))
		goto out;
	fault_point("exec.ready");
	if (o->pid_file && container_write_pid_file(o->pid_file, pid, err) < 0)
		goto out;
	if (pidsock >= 0 && container_send_pidfd(pidsock, pid, *pidfd_out, "setns", err) < 0)
		goto out;
	*pid_out = pid;
	ret = 0;
out:
	if (ret < 0 && pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (ret < 0 && *pidfd_out >= 0) {
		close(*pidfd_out);
		*pidfd_out = -1;
	}
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	/* build_process deep-copies every field it takes from the config: one free for both forms */
	spec_process_free(p);
	spec_free(s);
	cgroup_free(sub);
	seccomp_program_free(&prog);
	state_clear(&st);
	return ret;
}
