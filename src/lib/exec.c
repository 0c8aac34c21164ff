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
#include "linux/caps.h"
#include "linux/process.h"
#include "linux/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"

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

static int parse_user(const char *user, struct hull_process *p, hull_err *err)
{
	char *end = NULL;
	unsigned long uid = strtoul(user, &end, 10);
	if (end == user || (*end && *end != ':'))
		return hull_fail(err, "--user \"%s\": expected uid[:gid]", user);
	p->uid = (uid_t)uid;
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
	char **v = calloc(na + nb + 1, sizeof(char *));
	for (size_t i = 0; i < na; i++)
		v[i] = strdup(a[i]);
	for (size_t i = 0; i < nb; i++)
		v[na + i] = strdup(b[i]);
	return v;
}

/* The process to run: --process as given, or the container's own process with the caller's changes. */
static int build_process(const struct hull_exec_opts *o, const struct hull_spec *s, struct hull_process **out, hull_err *err)
{
	if (o->process_file) {
		_cleanup_free_ char *text = NULL;
		if (fs_read_file(AT_FDCWD, o->process_file, &text, NULL, err) < 0)
			return hull_err_prefix(err, "--process");
		json_object *j = json_tokener_parse(text);
		int r = spec_parse_process(j, o->process_file, out, err);
		json_object_put(j);
		return r;
	}
	if (o->args == NULL || o->args[0] == NULL)
		return hull_fail(err, "exec: a command to run is required");
	if (s->process == NULL)
		return hull_fail(err, "exec: the container's config has no process to start from");
	struct hull_process *p = calloc(1, sizeof(*p));
	*p = *s->process;
	/* deep-copy what the process owns, so spec_free and spec_process_free stay independent */
	p->args = strv_concat(o->args, NULL);
	p->env = strv_concat(s->process->env, o->env);
	p->cwd = strdup(o->cwd ? o->cwd : s->process->cwd);
	p->additional_gids = calloc(p->n_additional_gids + 1, sizeof(gid_t));
	if (p->n_additional_gids)
		memcpy(p->additional_gids, s->process->additional_gids, p->n_additional_gids * sizeof(gid_t));
	p->rlimits = calloc(p->n_rlimits + 1, sizeof(struct hull_rlimit));
	if (p->n_rlimits)
		memcpy(p->rlimits, s->process->rlimits, p->n_rlimits * sizeof(struct hull_rlimit));
	p->apparmor_profile = s->process->apparmor_profile ? strdup(s->process->apparmor_profile) : NULL;
	p->selinux_label = s->process->selinux_label ? strdup(s->process->selinux_label) : NULL;
	p->terminal = false;
	*out = p;
	if (o->user && parse_user(o->user, p, err) < 0)
		return -1;
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

/* In the child: join, fork into the pid namespace, report the pid, wait for the cgroup, exec. */
_Noreturn static void exec_child(int sync_fd, int pidfd, int ns_flags, const struct hull_spec *s,
				 const struct hull_process *p, int preserve_fds)
{
	hull_err err = NULL;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_DUMPABLE, 0);
	if (ns_flags && setns(pidfd, ns_flags) < 0) {
		hull_fail_sys(&err, "exec: join the container's namespaces");
		sync_send_error(sync_fd, err);
		_exit(1);
	}
	struct clone_args args = { .flags = CLONE_PARENT };
	pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (child < 0) {
		hull_fail_sys(&err, "exec: clone3");
		sync_send_error(sync_fd, err);
		_exit(1);
	}
	if (child > 0) {
		sync_send(sync_fd, SYNC_PID, child, NULL, NULL);
		_exit(0);
	}
	prctl(PR_SET_DUMPABLE, 0);
	_cleanup_free_ char *path = NULL;
	char **env = NULL;
	if (sync_expect(sync_fd, SYNC_GO, NULL, &err) < 0)
		_exit(1);
	if (process_apply_early(s, p, &err) < 0 || process_find_executable(p, &path, &err) < 0 ||
	    (env = process_build_env(p)) == NULL || process_apply_identity(p, &err) < 0 ||
	    syscall(SYS_close_range, 3 + preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		if (err == NULL)
			hull_fail_sys(&err, "exec: prepare the process");
		sync_send_error(sync_fd, err);
		_exit(1);
	}
	sync_send(sync_fd, SYNC_READY, 0, NULL, NULL);
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, p->args, env);
	dprintf(2, "hull: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

int hull_exec(const struct hull_exec_opts *o, pid_t *pid_out, int *pidfd_out, hull_err *err)
{
	_cleanup_close_ int dirfd = -1, initfd = -1;
	struct hull_state st;
	if (container_load_live(o->root, o->id, false, &dirfd, &st, err) < 0)
		return -1;
	struct hull_spec *s = NULL;
	struct hull_process *p = NULL;
	int ret = -1, sv[2] = { -1, -1 };
	pid_t helper = -1;
	int32_t pid = -1;
	if (state_status(dirfd, &st) == STATUS_PAUSED && !o->ignore_paused) {
		hull_fail(err, "container %s is paused (use --ignore-paused)", o->id);
		goto out;
	}
	if (container_load_saved_spec(dirfd, &st, &s, err) < 0 || build_process(o, s, &p, err) < 0)
		goto out;
	initfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (initfd < 0 || state_proc_start_time(st.pid, NULL) != st.start_time) {
		hull_fail(err, "container %s is not running", o->id);
		goto out;
	}
	int ns_flags = differing_namespaces(st.pid);
	if (sync_pair(sv, err) < 0)
		goto out;
	helper = fork();
	if (helper < 0) {
		hull_fail_sys(err, "exec: fork");
		goto out;
	}
	if (helper == 0) {
		close(sv[0]);
		exec_child(sv[1], initfd, ns_flags, s, p, o->preserve_fds);
	}
	close(sv[1]);
	sv[1] = -1;
	int r = sync_expect(sv[0], SYNC_PID, &pid, err);
	while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
		;
	if (r < 0)
		goto out;
	*pidfd_out = (int)syscall(SYS_pidfd_open, pid, 0);
	/* the cgroup before anything of the process runs */
	if (*pidfd_out < 0 || cgroup_enter(st.cgroup, pid, NULL, err) < 0) {
		if (*pidfd_out >= 0)
			hull_err_prefix(err, "exec");
		else
			hull_fail_sys(err, "exec: pidfd_open");
		goto out;
	}
	if (sync_send(sv[0], SYNC_GO, 0, NULL, err) < 0 || sync_expect(sv[0], SYNC_READY, NULL, err) < 0)
		goto out;
	if (o->pid_file) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%d", pid);
		if (fs_write_file_atomic(AT_FDCWD, o->pid_file, buf, (size_t)n, 0644, err) < 0)
			goto out;
	}
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
	state_clear(&st);
	return ret;
}
