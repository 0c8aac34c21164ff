/* container.c - `hull container VERB`: the verb table and the verbs that control a container's life (start, stop,
 * restart, kill, rm, prune, wait, attach, exec), over the engine and the container's monitor. Must never signal
 * anything but the container's own processes (through libhull), nor remove a container that still runs. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/container_verbs.h"
#include "cli/container_show.h"
#include "container.h"
#include "engine/runtime.h"
#include "monitor/attach.h"
#include "monitor/monitor.h"
#include "util/cleanup.h"
#include "util/passwd.h"
#include "util/signals.h"
#include "util/xalloc.h"

#define POLL_MS 20
/* exec that could not start its process (runc's exit code, which podman passes on when it does not map it) */
#define EXIT_EXEC_FAILED 255

int container_fail(hull_err *err)
{
	cli_fail(err);
	return EXIT_ENGINE;
}

int container_failf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	cli_failf("%s", msg);
	return EXIT_ENGINE;
}

/* a runtime's words for a process it could not start (runc's, which podman reads) -> podman's exit codes */
static const struct {
	const char *words;
	int code;
} start_failure_words[] = {
	{ "no such file or directory", EXIT_NOT_FOUND },
	{ "executable file not found", EXIT_NOT_FOUND },
	{ "permission denied", EXIT_CANNOT_RUN },
};

static int start_failure_code(const char *msg, int otherwise)
{
	for (size_t i = 0; msg && i < ARRAY_SIZE(start_failure_words); i++)
		if (strstr(msg, start_failure_words[i].words))
			return start_failure_words[i].code;
	return otherwise;
}

int container_exec_fail(hull_err *err)
{
	int code = start_failure_code(*err ? (*err)->msg : NULL, EXIT_ENGINE);
	cli_fail(err);
	return code;
}

struct verb {
	const char *name;
	int (*run)(struct cli_globals *g, int argc, char **argv);
	const char *summary;
	const char *usage;
};
static const struct verb *verb_get(const char *name);

int container_verb_parse(const char *verb, int argc, char **argv, const char *shorts, const struct option *longs,
			 cli_opt_handler handle, void *data, int min, int max, hull_err *err)
{
	static struct cli_command c;
	static char full[64];
	const struct verb *v = verb_get(verb);
	snprintf(full, sizeof(full), "container %s", v->name);
	c = (struct cli_command){ full, NULL, v->summary, v->usage };
	int ind = cli_parse(&c, argc, argv, shorts, longs, handle, data);
	if (ind < 0) {
		/* a handler's error is in *err; cli_parse reported its own */
		if (ind == -1 && *err)
			return -1;
		if (ind == -1)
			hull_fail_code(err, EINVAL, "container %s: invalid flags", verb), hull_err_free(err);
		return ind == -2 ? -2 : -3;
	}
	if (cli_want_args(&c, argc, ind, min, max < 0 ? argc : max) < 0)
		return -3;
	return ind;
}

/* The verbs' common start: flags parsed, the engine open. -1: return *rc. */
static int begin(struct cli_globals *g, const char *verb, int argc, char **argv, const char *shorts,
		 const struct option *longs, cli_opt_handler handle, void *data, int min, int max, struct engine *e,
		 int *rc)
{
	_cleanup_err_ hull_err err = NULL;
	int ind = container_verb_parse(verb, argc, argv, shorts, longs, handle ? handle : cli_no_flags, data, min, max, &err);
	if (ind < 0) {
		*rc = ind == -2 ? 0 : err ? container_fail(&err) : EXIT_ENGINE;
		return -1;
	}
	if (engine_open(e, g->storage, &err) < 0) {
		*rc = container_fail(&err);
		return -1;
	}
	return ind;
}

/* --- stopping --- */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Wait until the monitor let go of the container (its last run recorded), at most ms (-1: for ever); false on
 * timeout. A container without a monitor (killed) is waited for through libhull's state. */
static bool wait_gone(struct engine *e, struct ctr *c, int sock, int ms)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = ms < 0 ? POLL_MS : ms - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		if (sock >= 0) {
			struct pollfd p = { sock, POLLIN, 0 };
			if (poll(&p, 1, (int)(left < POLL_MS ? left : POLL_MS)) > 0) {
				char buf[1 + ATTACH_MSG_MAX];
				ssize_t n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);
				if (n <= 0)
					sock = -1; /* the monitor closed: it is done */
			}
			if (sock >= 0)
				continue;
			if (!ctr_owned(c))
				return true;
		} else if (!ctr_owned(c) && !ctr_init_alive(e, c)) {
			return true;
		} else {
			sleep_ms(POLL_MS);
		}
	}
}

/* Stop: no restart, the stop signal, SIGKILL after timeout seconds; then the monitor's records are final. */
static int stop_one(struct engine *e, struct ctr *c, int timeout, hull_err *err)
{
	if (c->status.state != CTR_RUNNING && !ctr_owned(c))
		return 0;
	_cleanup_close_ int sock = attach_connect(c, err);
	hull_err_free(err);
	if (sock >= 0)
		attach_send(sock, ATTACH_NO_RESTART, NULL, 0);
	_cleanup_err_ hull_err kerr = NULL;
	if (timeout > 0 && ctr_rt_kill(e, c, c->rec.stop_signal, false, &kerr) == 0 &&
	    wait_gone(e, c, sock, timeout * 1000))
		goto done;
	hull_err_free(&kerr);
	ctr_rt_kill(e, c, SIGKILL, true, &kerr);
	wait_gone(e, c, sock, -1);
done:
	if (ctr_status_read(c, err) < 0) {
		hull_err_free(err);
		return 0; /* removed by its monitor (--rm) */
	}
	if (c->status.state == CTR_RUNNING && !ctr_owned(c)) {
		/* its monitor was killed: record what we know */
		c->status.state = CTR_EXITED;
		c->status.exit_code = 137;
		c->status.pid = 0;
		ctr_rt_delete(e, c);
		return ctr_status_write(c, err);
	}
	return 0;
}

/* --- verbs over a list of containers --- */

struct many_flags {
	int timeout;
	bool force, all, volumes;
	int sig;
	hull_err err;
	bool rm_codes; /* rm's exit codes (podman's): 1 for a container not found (none with -f), 2 for a running one */
};

enum { M_TIME = 't', M_FORCE = 'f', M_SIGNAL = 's', M_ALL = 'a', M_VOLUMES = 'v' };

static int many_flag(int opt, const char *arg, void *data)
{
	struct many_flags *f = data;
	switch (opt) {
	case M_TIME:
		return cli_parse_int("--time", arg, 0, 1 << 30, &f->timeout);
	case M_FORCE:
		f->force = true;
		return 0;
	case M_ALL:
		f->all = true;
		return 0;
	case M_VOLUMES:
		f->volumes = true;
		return 0;
	case M_SIGNAL:
		f->sig = signal_parse(arg);
		if (f->sig <= 0)
			return hull_fail_code(&f->err, EINVAL, "invalid signal: %s", arg);
		return 0;
	}
	return -1;
}

typedef int (*one_fn)(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err);

/* Each named container in turn; errors are reported one a line and make the exit code 125 (as podman). */
/* podman rm's exit code for a container it could not remove */
static int rm_code(const hull_err err, bool force)
{
	int e = err ? err->errnum : 0;
	if (e == ENOENT)
		return force ? 0 : 1;
	return e == EBUSY ? 2 : EXIT_ENGINE;
}

static int each(struct cli_globals *g, const char *verb, int argc, char **argv, const char *shorts,
		const struct option *longs, struct many_flags *f, one_fn fn, bool print_name)
{
	struct engine e = { .dirfd = -1 };
	int rc = 0;
	int ind = begin(g, verb, argc, argv, shorts, longs, many_flag, f, 1, -1, &e, &rc);
	if (ind < 0) {
		if (f->err)
			rc = container_fail(&f->err);
		return rc;
	}
	for (int i = ind; i < argc; i++) {
		_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
		hull_err err = NULL;
		if (ctr_find(&e, argv[i], &c, &err) < 0 || fn(&e, &c, f, &err) < 0) {
			int code = f->rm_codes ? rm_code(err, f->force) : EXIT_ENGINE;
			if (code == 0)
				hull_err_free(&err);
			else
				container_fail(&err);
			/* the worst of them: the engine's failure, then a running container, then a missing one */
			if (code == EXIT_ENGINE || (rc != EXIT_ENGINE && code > rc))
				rc = code;
			continue;
		}
		if (print_name)
			printf("%s\n", argv[i]);
	}
	engine_close(&e);
	return rc;
}

static int stop_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	return stop_one(e, c, f->timeout >= 0 ? f->timeout : c->rec.stop_timeout, err);
}

static int container_stop(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "time", required_argument, NULL, M_TIME }, { 0 } };
	struct many_flags f = { .timeout = -1 };
	return each(g, "stop", argc, argv, "t:", longs, &f, stop_fn, true);
}

static int start_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	(void)f;
	int lock = ctr_own(c, false, err);
	if (lock == -EWOULDBLOCK)
		return 0; /* running already: Docker's start is then a no-op */
	if (lock < 0)
		return -1;
	c->lock = lock;
	if (ctr_mount(e, c, err) < 0)
		return -1;
	return monitor_start(e, c, -1, err) < 0 ? -1 : 0;
}

static int container_start(struct cli_globals *g, int argc, char **argv)
{
	struct many_flags f = { 0 };
	return each(g, "start", argc, argv, "", NULL, &f, start_fn, true);
}

static int restart_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	if (stop_fn(e, c, f, err) < 0)
		return -1;
	if (faccessat(c->dirfd, "ctr.json", F_OK, 0) < 0)
		return hull_fail_code(err, ENOENT, "container %s was removed when it stopped (--rm)", c->rec.name);
	return start_fn(e, c, f, err);
}

static int container_restart(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "time", required_argument, NULL, M_TIME }, { 0 } };
	struct many_flags f = { .timeout = -1 };
	return each(g, "restart", argc, argv, "t:", longs, &f, restart_fn, true);
}

static int kill_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	if (c->status.state != CTR_RUNNING || !ctr_init_alive(e, c))
		return hull_fail_code(err, EINVAL, "can only kill running containers. %s is in state %s: container state improper",
				      c->rec.id, ctr_state_names[c->status.state]);
	return ctr_rt_kill(e, c, f->sig, false, err);
}

static int container_kill(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "signal", required_argument, NULL, M_SIGNAL }, { 0 } };
	struct many_flags f = { .sig = SIGKILL };
	return each(g, "kill", argc, argv, "s:", longs, &f, kill_fn, true);
}

static int rm_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	bool monitor = ctr_monitor_alive(c), init = ctr_init_alive(e, c);
	if ((monitor && c->status.state == CTR_RUNNING) || init) {
		if (!f->force)
			return hull_fail_code(err, EBUSY,
					      "cannot remove container %s as it is running - running or paused containers cannot "
					      "be removed without force: container state improper",
					      c->rec.id);
		if (monitor && stop_one(e, c, 0, err) < 0)
			return -1;
		/* no monitor: its container (created or running) is an orphan, which its runtime kills and deletes */
		if (!monitor)
			ctr_rt_delete(e, c);
	}
	/* its monitor is done (or was never there): the container is ours to unmake */
	int lock = ctr_own(c, true, err);
	if (lock < 0)
		return -1;
	c->lock = lock;
	if (faccessat(c->dirfd, "ctr.json", F_OK, 0) < 0)
		return 0; /* --rm took it meanwhile */
	return ctr_remove(e, c, f->volumes, err);
}

static int container_rm(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "force", no_argument, NULL, M_FORCE },
					       { "volumes", no_argument, NULL, M_VOLUMES }, { 0 } };
	struct many_flags f = { .rm_codes = true };
	return each(g, "rm", argc, argv, "fv", longs, &f, rm_fn, true);
}

static int wait_fn(struct engine *e, struct ctr *c, struct many_flags *f, hull_err *err)
{
	(void)f;
	_cleanup_close_ int sock = attach_connect(c, err);
	hull_err_free(err);
	if (sock >= 0) {
		int code = attach_wait_exit(sock);
		if (code >= 0) {
			printf("%d\n", code);
			return 0;
		}
	}
	wait_gone(e, c, -1, -1);
	if (ctr_status_read(c, err) < 0)
		return -1;
	printf("%d\n", c->status.exit_code);
	return 0;
}

static int container_wait(struct cli_globals *g, int argc, char **argv)
{
	struct many_flags f = { 0 };
	return each(g, "wait", argc, argv, "", NULL, &f, wait_fn, false);
}

static int container_prune(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "force", no_argument, NULL, M_FORCE }, { 0 } };
	struct many_flags f = { 0 };
	struct engine e = { .dirfd = -1 };
	int rc = 0;
	if (begin(g, "prune", argc, argv, "f", longs, many_flag, &f, 0, 0, &e, &rc) < 0)
		return rc;
	struct ctr *v = NULL;
	size_t n = 0;
	hull_err err = NULL;
	if (ctr_list(&e, &v, &n, &err) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	for (size_t i = 0; i < n; i++) {
		struct ctr *c = &v[i];
		if (c->status.state == CTR_RUNNING || ctr_owned(c))
			continue;
		int lock = ctr_own(c, false, &err);
		if (lock < 0) {
			hull_err_free(&err);
			continue;
		}
		c->lock = lock;
		if (ctr_remove(&e, c, f.volumes, &err) < 0)
			rc = container_fail(&err);
		else
			printf("%s\n", c->rec.id);
	}
	ctr_list_free(v, n);
	engine_close(&e);
	return rc;
}

/* --- attach, exec --- */

struct attach_flags {
	bool no_stdin, sig_proxy;
};

enum { A_NO_STDIN = 5100, A_SIG_PROXY };

static int attach_flag(int opt, const char *arg, void *data)
{
	struct attach_flags *f = data;
	if (opt == A_NO_STDIN) {
		f->no_stdin = true;
		return 0;
	}
	return cli_parse_bool("--sig-proxy", arg, &f->sig_proxy);
}

static int container_attach(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "no-stdin", no_argument, NULL, A_NO_STDIN },
					       { "sig-proxy", optional_argument, NULL, A_SIG_PROXY }, { 0 } };
	struct attach_flags f = { .sig_proxy = true };
	struct engine e = { .dirfd = -1 };
	int rc = 0;
	int ind = begin(g, "attach", argc, argv, "", longs, attach_flag, &f, 1, 1, &e, &rc);
	if (ind < 0)
		return rc;
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	hull_err err = NULL;
	int sock = -1;
	if (ctr_find(&e, argv[ind], &c, &err) < 0 || (sock = attach_connect(&c, &err)) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	rc = attach_relay(sock, c.rec.interactive && !f.no_stdin, c.rec.tty, f.sig_proxy, &err);
	close(sock);
	if (rc < 0)
		rc = container_fail(&err);
	engine_close(&e);
	return rc;
}

/* exec: runc's exec over the engine's runtime root, with Docker's flags */
struct exec_flags {
	char **argv;
	size_t n;
	const char *user; /* -u USER[:GROUP], resolved in the container's root */
	bool env_home;    /* -e HOME=...: the user's HOME wins over the passwd entry's */
};

static void push(struct exec_flags *f, const char *a, const char *b)
{
	f->argv = xreallocarray(f->argv, f->n + 3, sizeof(char *));
	f->argv[f->n++] = (char *)a;
	if (b)
		f->argv[f->n++] = (char *)b;
	f->argv[f->n] = NULL;
}

enum { X_INTERACTIVE = 'i', X_TTY = 't', X_DETACH = 'd', X_USER = 'u', X_ENV = 'e', X_WORKDIR = 'w', X_PRIVILEGED = 5200 };

static int exec_flag(int opt, const char *arg, void *data)
{
	struct exec_flags *f = data;
	switch (opt) {
	case X_INTERACTIVE:
		return 0; /* the process always has our stdin, as runc's exec gives it */
	case X_TTY:
		push(f, "--tty", NULL);
		return 0;
	case X_DETACH:
		push(f, "--detach", NULL);
		return 0;
	case X_USER:
		f->user = arg;
		return 0;
	case X_ENV:
		f->env_home |= strncmp(arg, "HOME=", 5) == 0;
		push(f, "--env", arg);
		return 0;
	case X_WORKDIR:
		push(f, "--cwd", arg);
		return 0;
	case X_PRIVILEGED: {
		static const char *const all[] = { "CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE" };
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			push(f, "--cap", all[i]);
		return 0;
	}
	}
	return -1;
}

/* -u USER[:GROUP] as podman's exec gives it: resolved in the container's /etc/passwd and /etc/group, the groups that
 * list the user its only supplementary ones, HOME its passwd entry's (unless -e gave one). The strings pushed are
 * kept in owned (freed by the caller). */
static int exec_user(struct ctr *c, struct exec_flags *f, char ***owned, hull_err *err)
{
	_cleanup_close_ int rootfd = openat(c->dirfd, "rootfs", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return hull_fail_sys(err, "container %s: rootfs", c->rec.name);
	struct passwd_user u;
	if (passwd_resolve(rootfd, f->user, &u, err) < 0)
		return -1;
	char **o = *owned = xcalloc(4, sizeof(char *));
	o[0] = xasprintf("%u:%u", u.uid, u.gid);
	push(f, "--user", o[0]);
	if (u.n_gids) {
		size_t len = 0, cap = u.n_gids * 11 + 1;
		o[1] = xcalloc(cap, 1);
		for (size_t i = 0; i < u.n_gids; i++)
			len += (size_t)snprintf(o[1] + len, cap - len, "%s%u", i ? "," : "", u.gids[i]);
		push(f, "--additional-gids", o[1]);
	}
	if (!f->env_home) {
		o[2] = xasprintf("HOME=%s", u.home);
		push(f, "--env", o[2]);
	}
	passwd_user_free(&u);
	return 0;
}

/* the errno of a process that could not be started -> podman's exit codes (its OCI "not found" and "permission
 * denied"); another failure is the runtime's 255 */
static const struct {
	int errnum, code;
} exec_errno_codes[] = {
	{ ENOENT, EXIT_NOT_FOUND }, { EACCES, EXIT_CANNOT_RUN }, { EPERM, EXIT_CANNOT_RUN }, { ENOEXEC, EXIT_CANNOT_RUN },
};

static int exec_failure_code(int errnum)
{
	for (size_t i = 0; i < ARRAY_SIZE(exec_errno_codes); i++)
		if (exec_errno_codes[i].errnum == errnum)
			return exec_errno_codes[i].code;
	return EXIT_EXEC_FAILED;
}

/* The container's runtime's own exec (runc's flags being hull's) in the foreground, our signals relayed to it; a
 * process it could not start (255) exits 127 or 126 as under libhull, by the words of its log. */
static int exec_runtime(struct engine *e, struct ctr *c, struct exec_flags *f)
{
	_cleanup_free_ char *root = ctr_rt_root(e, c), *logname = xasprintf("exec-%d.log", (int)getpid()),
			    *log = xasprintf("%s/%s", c->dir, logname);
	const char *pre[] = { c->rec.runtime, "--root", root, "--log", log, "--log-format", "json" };
	_cleanup_free_ char **argv = xcalloc(ARRAY_SIZE(pre) + f->n + 1, sizeof(char *));
	memcpy(argv, pre, sizeof(pre));
	memcpy(argv + ARRAY_SIZE(pre), f->argv, f->n * sizeof(char *));
	sigset_t forwarded, old;
	cli_forwarded_signals(&forwarded);
	sigprocmask(SIG_BLOCK, &forwarded, &old);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execv(c->rec.runtime, argv);
		_exit(container_failf("exec: %s: %s", c->rec.runtime, strerror(errno)));
	}
	int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return container_failf("exec: %s: %s", c->rec.runtime, strerror(errno));
	}
	int rc = cli_wait_forwarding(pidfd, &forwarded, -1);
	close(pidfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == EXIT_EXEC_FAILED) {
		_cleanup_free_ char *msg = ctr_rt_log_msg(c, logname);
		rc = start_failure_code(msg, rc);
	}
	unlinkat(c->dirfd, logname, 0);
	return rc;
}

static int container_exec(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "interactive", no_argument, NULL, X_INTERACTIVE }, { "tty", no_argument, NULL, X_TTY },
		{ "detach", no_argument, NULL, X_DETACH },	     { "user", required_argument, NULL, X_USER },
		{ "env", required_argument, NULL, X_ENV },	     { "workdir", required_argument, NULL, X_WORKDIR },
		{ "privileged", no_argument, NULL, X_PRIVILEGED },  { 0 },
	};
	struct exec_flags f = { 0 };
	push(&f, "exec", NULL);
	struct engine e = { .dirfd = -1 };
	int rc = 0;
	int ind = begin(g, "exec", argc, argv, "+itdu:e:w:", longs, exec_flag, &f, 2, -1, &e, &rc);
	if (ind < 0) {
		free(f.argv);
		return rc;
	}
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	hull_err err = NULL;
	if (ctr_find(&e, argv[ind], &c, &err) < 0) {
		free(f.argv);
		engine_close(&e);
		return container_fail(&err);
	}
	if (c.status.state != CTR_RUNNING || !ctr_init_alive(&e, &c)) {
		free(f.argv);
		engine_close(&e);
		return container_failf("can only create exec sessions on running containers: container state improper");
	}
	_cleanup_strv_ char **owned = NULL;
	if (f.user && exec_user(&c, &f, &owned, &err) < 0) {
		free(f.argv);
		engine_close(&e);
		cli_fail(&err);
		return EXIT_EXEC_FAILED; /* podman's exit code for a user it cannot find */
	}
	push(&f, c.rec.id, NULL);
	for (int i = ind + 1; i < argc; i++)
		push(&f, argv[i], NULL);
	if (c.rec.runtime) {
		rc = exec_runtime(&e, &c, &f);
		free(f.argv);
		engine_close(&e);
		return rc;
	}
	struct cli_globals rg = *g;
	rg.root = e.runtime_root;
	int start_errno = 0;
	rc = cli_exec(&rg, (int)f.n, f.argv, true, &start_errno);
	if (rc == EXIT_EXEC_FAILED)
		rc = exec_failure_code(start_errno);
	free(f.argv);
	engine_close(&e);
	return rc;
}

/* --- the table --- */

static const struct verb verbs[] = {
	{ "run", container_run_cmd, "run a command in a new container",
	  "Usage: hull container run [options] IMAGE [COMMAND [ARG...]]\n\nOptions:\n"
	  "   -d, --detach              run in the background and print the container's id\n"
	  "   -i, --interactive         keep stdin open\n"
	  "   -t, --tty                 allocate a terminal\n"
	  "   --rm                      remove the container when it exits\n"
	  "   --name NAME               the container's name (default: generated)\n"
	  "   -e, --env K=V, --env-file FILE, -w, --workdir DIR, -u, --user USER[:GROUP], --entrypoint CMD\n"
	  "   --hostname NAME, -l, --label K=V\n"
	  "   -v, --volume SRC:DST[:ro], --mount type=bind|volume|tmpfs,..., --tmpfs DST[:OPTS], --read-only\n"
	  "   --cap-add CAP, --cap-drop CAP, --privileged, --device HOST[:CTR[:PERMS]]\n"
	  "   --security-opt seccomp=FILE|unconfined, --security-opt no-new-privileges\n"
	  "   -m, --memory SIZE, --cpus N, --pids-limit N, --init, --uidmap C:H:N, --gidmap C:H:N\n"
	  "   --network none|host|bridge, -p, --publish [IP:]HOST:CTR[/tcp|udp]\n"
	  "   --stop-signal SIG, --stop-timeout N, --restart no|on-failure[:N]|always, --log-opt max-size=SIZE\n" },
	{ "create", container_create_cmd, "create a container (run's flags), not started",
	  "Usage: hull container create [options] IMAGE [COMMAND [ARG...]]\n\nOptions: those of `hull container run`\n" },
	{ "start", container_start, "start created or exited containers",
	  "Usage: hull container start CONTAINER...\n" },
	{ "stop", container_stop, "stop containers: the stop signal, then SIGKILL",
	  "Usage: hull container stop [options] CONTAINER...\n\nOptions:\n   -t, --time N   seconds before SIGKILL (default: the container's, 10)\n" },
	{ "restart", container_restart, "stop and start containers",
	  "Usage: hull container restart [options] CONTAINER...\n\nOptions:\n   -t, --time N   seconds before SIGKILL\n" },
	{ "kill", container_kill, "signal containers' main processes",
	  "Usage: hull container kill [options] CONTAINER...\n\nOptions:\n   -s, --signal SIG   the signal (default: KILL)\n" },
	{ "rm", container_rm, "remove containers",
	  "Usage: hull container rm [options] CONTAINER...\n\nOptions:\n   -f, --force   stop running containers first\n" },
	{ "prune", container_prune, "remove every container that does not run",
	  "Usage: hull container prune [-f]\n" },
	{ "ls", container_ls, "list containers",
	  "Usage: hull container ls [options]\n\nOptions:\n   -a, --all   also those that do not run\n   -q, --quiet   ids only\n   --format table|json\n   --no-trunc   full ids and commands\n" },
	{ "inspect", container_inspect, "show containers' records and states as JSON",
	  "Usage: hull container inspect CONTAINER...\n" },
	{ "logs", container_logs, "print a container's log",
	  "Usage: hull container logs [options] CONTAINER\n\nOptions:\n   -f, --follow   follow the log\n   --tail N   the last N lines\n   -t, --timestamps   each line's time\n" },
	{ "wait", container_wait, "wait for containers to exit and print their exit codes",
	  "Usage: hull container wait CONTAINER...\n" },
	{ "attach", container_attach, "attach to a running container's stdio",
	  "Usage: hull container attach [options] CONTAINER\n\nOptions:\n   --no-stdin\n   --sig-proxy[=false]\n" },
	{ "exec", container_exec, "run a command in a running container",
	  "Usage: hull container exec [options] CONTAINER COMMAND [ARG...]\n\nOptions:\n   -i, -t, -d, -u USER, -e K=V, -w DIR, --privileged\n" },
	{ "top", container_top, "show a container's processes",
	  "Usage: hull container top CONTAINER [ps options]\n" },
	{ "stats", container_stats, "show containers' resource use",
	  "Usage: hull container stats --no-stream [CONTAINER...]\n" },
	{ NULL, NULL, NULL, NULL },
};

static const struct verb *verb_get(const char *name)
{
	for (const struct verb *v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	abort();
}

static void container_usage(FILE *f)
{
	fprintf(f, "NAME:\n   hull container - run and manage containers made from images\n\nUSAGE:\n"
		   "   hull container [--storage DIR] COMMAND [command options] [arguments...]\n\nCOMMANDS:\n");
	for (const struct verb *v = verbs; v->name; v++)
		fprintf(f, "   %-8s %s\n", v->name, v->summary);
	fprintf(f, "\nOPTIONS:\n   --storage value   the store (default: /var/lib/hull; $XDG_DATA_HOME/hull for a user)\n");
}

static const char *const aliases[][2] = { { "list", "ls" }, { "ps", "ls" }, { "remove", "rm" } };

int cmd_container(struct cli_globals *g, int argc, char **argv)
{
	int i = 1;
	struct cli_globals cg = *g;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			container_usage(stdout);
			return 0;
		}
		if (strncmp(argv[i], "--storage=", 10) == 0)
			cg.storage = argv[i] + 10;
		else if (strcmp(argv[i], "--storage") == 0 && i + 1 < argc)
			cg.storage = argv[++i];
		else
			return container_failf("container: flag provided but not defined: %s", argv[i]);
	}
	if (i >= argc) {
		container_usage(stderr);
		return EXIT_ENGINE;
	}
	const char *name = argv[i];
	for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
		if (strcmp(name, aliases[k][0]) == 0)
			name = aliases[k][1];
	for (const struct verb *v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v->run(&cg, argc - i, argv + i);
	return container_failf("container: no such command: %s (see hull container --help)", argv[i]);
}
