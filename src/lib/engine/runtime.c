/* runtime.c - a container's runtime: libhull in process, or runc/crun through their command line (`--runtime`),
 * each container's runtime the one its record names, with its state under STORE/runtime-NAME. Must never run a binary
 * the record does not name, nor read more than a line of what it prints. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "engine/runtime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/signals.h"
#include "util/xalloc.h"

extern char **environ;

#define RT_LOG_MAX ((size_t)1 << 20)
#define PID_FILE "init.pid"
#define RT_LOG "runtime.log"

/* STORE/runtime-NAME: each binary's states apart from libhull's and from each other's */
char *ctr_rt_root(struct engine *e, struct ctr *c)
{
	_cleanup_free_ char *copy = xstrdup(c->rec.runtime);
	return xasprintf("%s-%s", e->runtime_root, basename(copy));
}

/* run RUNTIME --root R ARGS..., stdio /dev/null but stderr kept in a pipe; 0 or its last line of stderr as err */
static int rt_run(struct engine *e, struct ctr *c, const char *const *args, hull_err *err)
{
	_cleanup_free_ char *root = ctr_rt_root(e, c);
	size_t n = 0;
	while (args[n])
		n++;
	_cleanup_free_ char **argv = xcalloc(n + 4, sizeof(char *));
	argv[0] = c->rec.runtime;
	argv[1] = "--root";
	argv[2] = root;
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = (char *)args[i];
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "runtime %s", c->rec.runtime);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	pid_t pid;
	int rc = posix_spawn(&pid, c->rec.runtime, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return hull_fail_errno(err, rc, "runtime %s", c->rec.runtime);
	}
	_cleanup_free_ char *out = NULL;
	size_t len = 0;
	_cleanup_err_ hull_err rerr = NULL;
	fs_read_fd_max(pipefd[0], "runtime", RT_LOG_MAX, &out, &len, &rerr);
	close(pipefd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	while (out && len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	char *last = out ? strrchr(out, '\n') : NULL;
	return hull_fail_code(err, EIO, "%s %s: %s", c->rec.runtime, args[0], last ? last + 1 : out && *out ? out : "failed");
}

int ctr_rt_create(struct engine *e, struct ctr *c, int console_fd, const char *console_socket, hull_err *err)
{
	if (c->rec.runtime == NULL) {
		struct hull_create_opts o = { .root = e->runtime_root, .id = c->rec.id, .bundle = c->dir,
					      .console_fd = console_fd, .rootless = e->rootless ? 1 : 0 };
		struct hull_created cr = { .pidfd = -1 };
		if (hull_create(&o, &cr, err) < 0)
			return -1;
		return cr.pid;
	}
	_cleanup_free_ char *root = ctr_rt_root(e, c), *pidfile = xasprintf("%s/%s", c->dir, PID_FILE),
			    *log = xasprintf("%s/%s", c->dir, RT_LOG);
	unlink(pidfile);
	unlink(log);
	char *argv[] = { c->rec.runtime, "--root", root, "--log", log, "--log-format", "json", "create", "--bundle",
			 c->dir, "--pid-file", pidfile, "--console-socket", (char *)console_socket, c->rec.id, NULL };
	if (console_socket == NULL) { /* no terminal: the id in the flag's place */
		size_t flag = ARRAY_SIZE(argv) - 4;
		argv[flag] = c->rec.id;
		argv[flag + 1] = NULL;
	}
	execv(c->rec.runtime, argv);
	return hull_fail_sys(err, "--runtime %s", c->rec.runtime);
}

char *ctr_rt_log_msg(struct ctr *c, const char *name)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	_cleanup_err_ hull_err err = NULL;
	if (fs_read_file_max(c->dirfd, name, RT_LOG_MAX, &text, &len, &err) < 0)
		return NULL;
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	char *line = strrchr(text, '\n');
	json_object *o = json_tokener_parse(line ? line + 1 : text), *msg = NULL;
	char *s = o && json_object_object_get_ex(o, "msg", &msg) ? xstrdup(json_object_get_string(msg)) : NULL;
	json_object_put(o);
	return s;
}

int ctr_rt_created_pid(struct engine *e, struct ctr *c, int status, pid_t *pid, hull_err *err)
{
	(void)e;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		_cleanup_free_ char *msg = ctr_rt_log_msg(c, RT_LOG);
		return hull_fail_code(err, EIO, "%s create: %s", c->rec.runtime, msg ? msg : "failed");
	}
	_cleanup_free_ char *text = NULL;
	if (fs_read_file_max(c->dirfd, PID_FILE, 64, &text, NULL, err) < 0)
		return -1;
	long p = strtol(text, NULL, 10);
	if (p <= 1)
		return hull_fail_code(err, EINVAL, "%s create: pid file \"%s\"", c->rec.runtime, text);
	*pid = (pid_t)p;
	return 0;
}

int ctr_rt_start(struct engine *e, struct ctr *c, hull_err *err)
{
	if (c->rec.runtime == NULL)
		return hull_start(e->runtime_root, c->rec.id, err);
	const char *const args[] = { "start", c->rec.id, NULL };
	return rt_run(e, c, args, err);
}

int ctr_rt_kill(struct engine *e, struct ctr *c, int sig, bool all, hull_err *err)
{
	if (c->rec.runtime == NULL)
		return hull_kill(e->runtime_root, c->rec.id, sig, all, err);
	char num[16];
	snprintf(num, sizeof(num), "%d", sig);
	const char *const with_all[] = { "kill", "--all", c->rec.id, num, NULL }, *const one[] = { "kill", c->rec.id, num, NULL };
	return rt_run(e, c, all ? with_all : one, err);
}

void ctr_rt_delete(struct engine *e, struct ctr *c)
{
	_cleanup_err_ hull_err err = NULL;
	if (c->rec.runtime == NULL) {
		hull_delete(e->runtime_root, c->rec.id, true, &err);
		return;
	}
	const char *const args[] = { "delete", "--force", c->rec.id, NULL };
	rt_run(e, c, args, &err);
}

bool ctr_init_alive(struct engine *e, struct ctr *c)
{
	json_object *st = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (c->rec.runtime == NULL) {
		if (hull_state(e->runtime_root, c->rec.id, &st, &err) < 0)
			return false;
	} else {
		/* the state's pid, alive and not a zombie: the runtime's own `state` would need its stdout */
		_cleanup_free_ char *text = NULL;
		if (fs_read_file_max(c->dirfd, PID_FILE, 64, &text, NULL, &err) < 0)
			return false;
		long p = strtol(text, NULL, 10);
		char path[64], buf[512];
		snprintf(path, sizeof(path), "/proc/%ld/stat", p);
		_cleanup_close_ int fd = p > 1 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		char *rp = strrchr(buf, ')');
		return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
	}
	json_object *status = NULL;
	bool alive = json_object_object_get_ex(st, "status", &status) && strcmp(json_object_get_string(status), "stopped") != 0;
	json_object_put(st);
	return alive;
}
