/* hooks.c - fork/exec of a hook, state JSON on its stdin, timeout through a pidfd.
 * Must never leave a hook process behind: a timed-out hook is killed and reaped. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "linux/hooks.h"
#include "util/log.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

json_object *hooks_state_object(const struct hull_spec *s, const char *id, const char *status, int pid)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(HULL_OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
	if (s->annotations)
		json_object_object_add(o, "annotations", json_object_get(s->annotations));
	return o;
}

char *hooks_state_json(const struct hull_spec *s, const char *id, const char *status, int pid)
{
	json_object *o = hooks_state_object(s, id, status, pid);
	char *text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

/* "bad system call": the C library's description, in lower case as Go prints it */
static const char *signal_description(int sig, char *buf, size_t len)
{
	const char *d = sigdescr_np(sig);
	snprintf(buf, len, "%s", d ? d : "unknown signal");
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static int wait_hook(pid_t pid, int timeout, int *status, bool *timed_out)
{
	*timed_out = false;
	if (timeout > 0) {
		_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			int r;
			do
				r = poll(&p, 1, timeout * 1000);
			while (r < 0 && errno == EINTR);
			if (r == 0) {
				kill(pid, SIGKILL);
				*timed_out = true;
			}
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The state on the hook's stdin, whole: with large annotations it is larger than the pipe, so we write
 * as the hook reads. A hook may exit without reading (its right), or never read: we stop once it exited
 * or its timeout passed (without a timeout we would wait for its exit anyway). */
static void feed_state(int fd, pid_t pid, int timeout, const char *state, size_t len)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p[2] = { { .fd = fd, .events = POLLOUT }, { .fd = pidfd, .events = POLLIN } };
	while (len > 0) {
		int r = poll(p, pidfd >= 0 ? 2 : 1, timeout > 0 ? timeout * 1000 : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (p[1].revents & POLLIN) || (p[0].revents & (POLLERR | POLLHUP)))
			return;
		ssize_t n = write(fd, state, len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return;
		state += n;
		len -= (size_t)n;
	}
}

static int run_one(const struct hull_hook *h, const char *kind, size_t index, const char *state, hull_err *err)
{
	/* pipefd: the state on the hook's stdin; execfd: the errno of a failed execve (closed by a good one) */
	int pipefd[2], execfd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "%s hook %s: pipe", kind, h->path);
	if (pipe2(execfd, O_CLOEXEC) < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return hull_fail_sys(err, "%s hook %s: pipe", kind, h->path);
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(execfd[0]);
		close(execfd[1]);
		return hull_fail_sys(err, "%s hook %s: fork", kind, h->path);
	}
	if (pid == 0) {
		dup2(pipefd[0], 0);
		signal(SIGPIPE, SIG_DFL);
		/* hooks start with default signal handling, whatever hull had set */
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		execve(h->path, h->args, h->env);
		int e = errno;
		if (write(execfd[1], &e, sizeof(e)) < 0) {
			/* the parent then sees exit status 127 */
		}
		_exit(127);
	}
	close(pipefd[0]);
	close(execfd[1]);
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	feed_state(pipefd[1], pid, h->timeout, state, strlen(state));
	close(pipefd[1]);
	int status = 0;
	bool timed_out = false;
	int exec_errno = 0;
	ssize_t got = read(execfd[0], &exec_errno, sizeof(exec_errno));
	close(execfd[0]);
	if (wait_hook(pid, h->timeout, &status, &timed_out) < 0)
		return hull_fail_sys(err, "%s hook %s: wait", kind, h->path);
	if (got == sizeof(exec_errno))
		return hull_fail_errno(err, exec_errno, "%s hook #%zu %s", kind, index, h->path);
	if (timed_out)
		return hull_fail_code(err, ETIMEDOUT, "%s hook #%zu %s: timed out after %d s", kind, index, h->path, h->timeout);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* runc's (Go's) words, which people grep logs for: "error running hook: signal: killed" */
	char desc[64];
	if (WIFSIGNALED(status))
		return hull_fail(err, "%s hook #%zu %s: error running hook: signal: %s", kind, index, h->path,
				 signal_description(WTERMSIG(status), desc, sizeof(desc)));
	return hull_fail(err, "%s hook #%zu %s: error running hook: exit status %d", kind, index, h->path,
			 WEXITSTATUS(status));
}

int hooks_run(const struct hull_spec *s, enum hull_hook_kind kind, const char *state_json, hull_err *err)
{
	const struct hull_hook_list *l = &s->hooks[kind];
	for (size_t i = 0; i < l->n; i++)
		if (run_one(&l->hooks[i], hull_hook_names[kind], i, state_json, err) < 0)
			return -1;
	return 0;
}

void hooks_run_warn(const struct hull_spec *s, enum hull_hook_kind kind, const char *state_json)
{
	const struct hull_hook_list *l = &s->hooks[kind];
	for (size_t i = 0; i < l->n; i++) {
		hull_err err = NULL;
		if (run_one(&l->hooks[i], hull_hook_names[kind], i, state_json, &err) < 0)
			hull_warn("%s", err->msg);
		hull_err_free(&err);
	}
}
