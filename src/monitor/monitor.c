/* monitor.c - the per-container monitor: forked (not exec'ed) from the command that starts the container, in a
 * session of its own; it holds the container's stdio (pipes or the pty master), logs it, relays it to attached
 * clients, waits for the init through its pidfd, records the exit, restarts or removes as the record says.
 * Must never outlive the container's last run, nor hold the image store's lock (image rm would wait forever). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cgroup/stats.h"
#include "container.h"
#include "engine/runtime.h"
#include "monitor/attach.h"
#include "monitor/log.h"
#include "monitor/monitor.h"
#include "spec_json.h"
#include "state.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/unixsock.h"
#include "util/xalloc.h"

#define CLIENTS_MAX 32
#define DRAIN_MS 2000
#define RESTART_DELAY_MS 100
#define RESTART_DELAY_MAX_MS 10000
#define LOG_FILES_DEFAULT 1
/* stdin bytes held for a container that does not read them yet: past this its writer is not read (backpressure) */
#define STDIN_BUF_MAX (4 * ATTACH_MSG_MAX)

struct mon {
	struct engine *e;
	struct ctr *c;
	int out, err;          /* the container's stdout and stderr (read ends; out is the pty master with a tty) */
	int in;                /* the write end of its stdin (non-blocking), or -1 */
	char *inbuf;           /* stdin bytes from the clients the container has not taken yet */
	size_t in_len;
	bool in_eof;           /* a client's stdin ended: close in once inbuf is written */
	int listen;
	int clients[CLIENTS_MAX];
	bool stalled[CLIENTS_MAX]; /* its next message is stdin, for which inbuf has no room: not read until it has */
	struct log_writer *log;
	bool no_restart;
	struct winsize ws;     /* the terminal's last size (the starting command's, then its resizes): set before start */
	pid_t pid;
	int pidfd;
	char *memcg;           /* the container's memory cgroup (rootful), and its OOM kill count when it started */
	uint64_t oom_base;
	struct net_opts net;
	struct net_result netres;
};

static void stamp(char *buf, size_t size)
{
	_cleanup_free_ char *now = state_now_rfc3339();
	snprintf(buf, size, "%s", now);
}

static void close_others(int *keep, size_t n);

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* --- clients --- */

static void client_add(struct mon *m, int fd)
{
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (m->clients[i] < 0) {
			m->clients[i] = fd;
			m->stalled[i] = false;
			return;
		}
	close(fd);
}

static void broadcast(struct mon *m, enum attach_type type, const void *data, size_t len)
{
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (m->clients[i] >= 0 && attach_send(m->clients[i], type, data, len) < 0) {
			close(m->clients[i]);
			m->clients[i] = -1;
		}
}

static void stdin_close(struct mon *m)
{
	close_fd(&m->in);
	m->in_len = 0;
	m->in_eof = false;
	memset(m->stalled, 0, sizeof(m->stalled));
}

/* Write what the container takes of inbuf without waiting (a container that does not read its stdin must not stall
 * the monitor); close its stdin once a client's EOF is reached, or when it is gone. */
static void stdin_flush(struct mon *m)
{
	while (m->in >= 0 && m->in_len > 0) {
		ssize_t w = write(m->in, m->inbuf, m->in_len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w <= 0) { /* EPIPE: nobody reads it any more */
			stdin_close(m);
			return;
		}
		memmove(m->inbuf, m->inbuf + w, m->in_len - (size_t)w);
		m->in_len -= (size_t)w;
	}
	if (m->in >= 0 && m->in_eof)
		stdin_close(m);
}

static bool stdin_has_room(const struct mon *m)
{
	return m->in_len + ATTACH_MSG_MAX <= STDIN_BUF_MAX;
}

static void client_message(struct mon *m, int i)
{
	char buf[1 + ATTACH_MSG_MAX];
	char type;
	if (m->in >= 0 && !stdin_has_room(m) && recv(m->clients[i], &type, 1, MSG_DONTWAIT | MSG_PEEK) == 1 &&
	    type == ATTACH_STDIN) {
		m->stalled[i] = true;
		return;
	}
	ssize_t n = recv(m->clients[i], buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(m->clients[i]);
		m->clients[i] = -1;
		return;
	}
	int v = -1;
	if (n == 1 + (ssize_t)sizeof(int))
		memcpy(&v, buf + 1, sizeof(int));
	switch (buf[0]) {
	case ATTACH_STDIN:
		if (m->in >= 0 && !m->in_eof) {
			if (m->inbuf == NULL)
				m->inbuf = xmalloc(STDIN_BUF_MAX);
			memcpy(m->inbuf + m->in_len, buf + 1, (size_t)n - 1);
			m->in_len += (size_t)n - 1;
			stdin_flush(m);
		}
		break;
	case ATTACH_STDIN_EOF:
		if (m->in >= 0 && !m->c->rec.tty) {
			m->in_eof = true;
			stdin_flush(m);
		}
		break;
	case ATTACH_RESIZE:
		if (n == 1 + 2 * (ssize_t)sizeof(unsigned short) && m->c->rec.tty) {
			unsigned short rc[2];
			memcpy(rc, buf + 1, sizeof(rc));
			m->ws = (struct winsize){ .ws_row = rc[0], .ws_col = rc[1] };
			ioctl(m->out, TIOCSWINSZ, &m->ws);
		}
		break;
	case ATTACH_SIGNAL:
		if (v > 0 && v < 65 && m->pidfd >= 0)
			syscall(SYS_pidfd_send_signal, m->pidfd, v, NULL, 0);
		break;
	case ATTACH_NO_RESTART:
		m->no_restart = true;
		break;
	}
}

/* --- one run --- */

static int null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	close(fd);
	return 0;
}

/* The config's hostname (the default: the short id), for /etc/hostname and /etc/hosts. */
static char *config_hostname(json_object *config, const char *id)
{
	json_object *h = NULL;
	if (json_object_object_get_ex(config, "hostname", &h) && json_object_is_type(h, json_type_string))
		return xasprintf("%s\n", json_object_get_string(h));
	return xasprintf("%.12s\n", id);
}

/* The network namespace entry of the config names the file setup made; true when it changed. */
static bool config_netns(json_object *config, const char *want)
{
	json_object *linux_ = NULL, *ns = NULL;
	if (*want == '\0' || !json_object_object_get_ex(config, "linux", &linux_) ||
	    !json_object_object_get_ex(linux_, "namespaces", &ns))
		return false;
	bool changed = false;
	for (size_t i = 0; i < json_object_array_length(ns); i++) {
		json_object *n = json_object_array_get_idx(ns, i), *type = NULL, *path = NULL;
		if (!json_object_object_get_ex(n, "type", &type) || strcmp(json_object_get_string(type), "network") != 0)
			continue;
		json_object_object_get_ex(n, "path", &path);
		if (path == NULL || strcmp(json_object_get_string(path), want) != 0) {
			json_object_object_add(n, "path", json_object_new_string(want));
			changed = true;
		}
	}
	return changed;
}

/* The network of this run: the namespace (and bridge), the /etc files, the config naming the namespace. */
static int net_begin(struct mon *m, hull_err *err)
{
	struct ctr *c = m->c;
	_cleanup_free_ char *text = NULL, *name = xasprintf("%s/config.json", c->dir);
	size_t len = 0;
	if (fs_read_file(c->dirfd, "config.json", &text, &len, err) < 0)
		return -1;
	json_object *config = sj_parse_document(text, len, name, err);
	if (config == NULL)
		return -1;
	_cleanup_free_ char *hostname = config_hostname(config, c->rec.id);
	int r = fs_write_file_atomic(c->dirfd, "hostname", hostname, strlen(hostname), 0644, err);
	hostname[strlen(hostname) - 1] = '\0';
	m->net.hostname = hostname;
	if (r == 0 && (r = network_setup(&m->net, &m->netres, err)) == 0) {
		snprintf(c->status.netns, sizeof(c->status.netns), "%s", m->netres.netns);
		snprintf(c->status.ip, sizeof(c->status.ip), "%s", m->netres.ip);
		r = network_write_etc(&m->net, &m->netres, c->dir, err);
	}
	m->net.hostname = NULL;
	if (r == 0 && c->rec.net != NET_HOST && config_netns(config, m->netres.netns)) {
		const char *t = json_object_to_json_string_ext(config, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
		r = fs_write_file_atomic(c->dirfd, "config.json", t, strlen(t), 0600, err);
	}
	json_object_put(config);
	return r;
}

static void net_end(struct mon *m)
{
	_cleanup_err_ hull_err err = NULL;
	if (m->c->rec.net != NET_HOST)
		network_teardown(&m->net, &m->netres, &err);
	m->c->status.netns[0] = m->c->status.ip[0] = '\0';
}

/* The container's stdio: pipes (stdin only with -i), or a console socket to receive the pty master on. The
 * container's ends become our 0, 1, 2 for hull_create to hand to the init. A runtime binary's console socket is a
 * path (CONSOLE_SOCK in the container's dir) where console[0] listens; libhull's a socket pair. */
struct stdio_ends {
	int out[2], err[2], in[2], console[2];
};

#define CONSOLE_SOCK "console.sock"

/* A listening socket at the container's dir's CONSOLE_SOCK, named through /proc/self/fd (the store's path can be
 * longer than sun_path) */
static int console_listen(struct ctr *c, hull_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/" CONSOLE_SOCK, c->dirfd);
	unlinkat(c->dirfd, CONSOLE_SOCK, 0);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return hull_fail_errno(err, e, "container %s: console socket", c->rec.name);
	}
	return fd;
}

/* The pty master a runtime binary sent to CONSOLE_SOCK (its create is done: the connection waits to be accepted). */
static int console_accept(struct ctr *c, int listen_fd, hull_err *err)
{
	_cleanup_close_ int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	unlinkat(c->dirfd, CONSOLE_SOCK, 0);
	if (conn < 0)
		return hull_fail_sys(err, "container %s: %s create sent no terminal", c->rec.name, c->rec.runtime);
	return unix_recv_fd(conn, err);
}

static int stdio_make(struct ctr *c, struct stdio_ends *s, hull_err *err)
{
	*s = (struct stdio_ends){ { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	if (c->rec.tty && c->rec.runtime) {
		s->console[0] = console_listen(c, err);
		return s->console[0] < 0 ? -1 : 0;
	}
	if (c->rec.tty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->console) < 0)
			return hull_fail_sys(err, "container %s: console socket", c->rec.name);
		return 0;
	}
	if (pipe2(s->out, O_CLOEXEC) < 0 || pipe2(s->err, O_CLOEXEC) < 0 ||
	    (c->rec.interactive && pipe2(s->in, O_CLOEXEC) < 0))
		return hull_fail_sys(err, "container %s: stdio pipes", c->rec.name);
	return 0;
}

/* After create: the container's ends closed (it has them), ours kept in m. */
static int stdio_keep(struct mon *m, struct stdio_ends *s, hull_err *err)
{
	close_fd(&s->out[1]);
	close_fd(&s->err[1]);
	close_fd(&s->in[0]);
	close_fd(&s->console[1]);
	if (s->console[0] >= 0) {
		m->out = m->c->rec.runtime ? console_accept(m->c, s->console[0], err) : unix_recv_fd(s->console[0], err);
		close_fd(&s->console[0]);
		if (m->out < 0)
			return -1;
		m->in = m->c->rec.interactive ? fcntl(m->out, F_DUPFD_CLOEXEC, 3) : -1;
		m->err = -1;
		/* the size before the process starts: a client's resize would come after it looked (podman sets it in
		 * process.consoleSize) */
		if (m->ws.ws_row && m->ws.ws_col)
			ioctl(m->out, TIOCSWINSZ, &m->ws);
		/* the master's one file description: pump reads it non-blocking too (and takes EAGAIN) */
		if (m->in >= 0)
			fcntl(m->in, F_SETFL, fcntl(m->in, F_GETFL) | O_NONBLOCK);
		return 0;
	}
	m->out = s->out[0];
	m->err = s->err[0];
	m->in = s->in[1];
	s->out[0] = s->err[0] = s->in[1] = -1;
	if (m->in >= 0)
		fcntl(m->in, F_SETFL, fcntl(m->in, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void stdio_close(struct stdio_ends *s)
{
	int *all[] = { &s->out[0], &s->out[1], &s->err[0], &s->err[1], &s->in[0], &s->in[1], &s->console[0], &s->console[1] };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		close_fd(all[i]);
}

/* hull_create from a child of ours that holds nothing but the container's stdio: the init it makes (our child too:
 * CLONE_PARENT) then inherits none of our fds (the owner lock, the attach socket, the starting command's ready
 * pipe), so that a monitor killed before start leaves no process that holds them. The child reports "PID" or
 * "! ERRNO MESSAGE". */
static int create_in_child(struct mon *m, struct stdio_ends *s, pid_t *pid, hull_err *err)
{
	struct ctr *c = m->c;
	int rep[2];
	if (pipe2(rep, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "container %s: create", c->rec.name);
	pid_t child = fork();
	if (child < 0) {
		close(rep[0]);
		close(rep[1]);
		return hull_fail_sys(err, "container %s: create", c->rec.name);
	}
	if (child == 0) {
		if (!c->rec.tty) {
			if (s->in[0] >= 0)
				dup2(s->in[0], STDIN_FILENO);
			dup2(s->out[1], STDOUT_FILENO);
			dup2(s->err[1], STDERR_FILENO);
		}
		/* a runtime binary connects to the console socket through the container's dir, kept open for it */
		int dir = c->rec.tty && c->rec.runtime ? fcntl(c->dirfd, F_DUPFD, 3) : -1;
		char console_path[64] = "";
		if (dir >= 0)
			snprintf(console_path, sizeof(console_path), "/proc/self/fd/%d/" CONSOLE_SOCK, dir);
		int keep[] = { 0, 1, 2, s->console[1], rep[1], dir };
		close_others(keep, sizeof(keep) / sizeof(keep[0]));
		hull_err cerr = NULL;
		char buf[4096];
		/* a runtime binary execs (its pid file tells the init); libhull returns the init's pid */
		int pid = ctr_rt_create(m->e, c, s->console[1], dir >= 0 ? console_path : NULL, &cerr);
		int n = pid < 0 ? snprintf(buf, sizeof(buf), "! %d %s", cerr->errnum, cerr->msg)
				: snprintf(buf, sizeof(buf), "%d", pid);
		_exit(write(rep[1], buf, (size_t)(n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1)) < 0);
	}
	close(rep[1]);
	/* the child's one write (less than PIPE_BUF: whole) is there once it is gone; no EOF to wait for: the init it
	 * made holds the pipe until its execve */
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (c->rec.runtime) { /* the runtime's create was the child: its init is ours now (subreaper) */
		close(rep[0]);
		return ctr_rt_created_pid(m->e, c, status, pid, err);
	}
	char buf[4096];
	fcntl(rep[0], F_SETFL, O_NONBLOCK);
	ssize_t n;
	while ((n = read(rep[0], buf, sizeof(buf) - 1)) < 0 && errno == EINTR)
		;
	size_t len = n > 0 ? (size_t)n : 0;
	buf[len] = '\0';
	close(rep[0]);
	if (buf[0] == '!') {
		char *msg = NULL;
		long en = strtol(buf + 1, &msg, 10);
		return hull_fail_code(err, (int)en, "%s", msg && *msg == ' ' ? msg + 1 : "create failed");
	}
	char *end = NULL;
	long p = strtol(buf, &end, 10);
	if (len == 0 || *end || p <= 0)
		return hull_fail_code(err, EPIPE, "container %s: create died", c->rec.name);
	*pid = (pid_t)p;
	return 0;
}

/* Create and start the container with its stdio ours; its status "running". */
static int run_once(struct mon *m, hull_err *err)
{
	struct ctr *c = m->c;
	if (net_begin(m, err) < 0)
		return -1;
	fault_point("container.monitor_network");
	struct stdio_ends s;
	if (stdio_make(c, &s, err) < 0) {
		stdio_close(&s);
		return -1;
	}
	pid_t pid = -1;
	int r = create_in_child(m, &s, &pid, err);
	if (r == 0)
		r = stdio_keep(m, &s, err);
	stdio_close(&s);
	if (r < 0)
		return -1;
	m->pid = pid;
	m->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (m->pidfd < 0)
		return hull_fail_sys(err, "container %s: pidfd of its init", c->rec.name);
	fault_point("container.monitor_created");
	/* Docker's State.OOMKilled: did the OOM killer take a process of the container's memory cgroup while it
	 * ran. Read from the cgroup the runtime placed the init in; rootless, that is the user's own, shared */
	free(m->memcg);
	m->memcg = m->e->rootless ? NULL : cgroup_pid_dir(pid, "memory");
	m->oom_base = m->memcg ? cgroup_oom_kills_in(m->memcg) : 0;
	if (ctr_rt_start(m->e, c, err) < 0)
		return -1;
	c->status.state = CTR_RUNNING;
	c->status.pid = pid;
	c->status.monitor = getpid();
	c->status.exit_code = 0;
	c->status.oom_killed = false;
	stamp(c->status.started, sizeof(c->status.started));
	c->status.finished[0] = '\0';
	return ctr_status_write(c, err);
}

/* Copy what the container printed on fd into the log and to the clients; false at its end. */
static bool pump(struct mon *m, int fd, enum log_stream stream)
{
	char buf[ATTACH_MSG_MAX];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	_cleanup_err_ hull_err err = NULL;
	if (m->log)
		log_writer_write(m->log, stream, buf, (size_t)n, &err);
	broadcast(m, stream == LOG_STDOUT ? ATTACH_STDOUT : ATTACH_STDERR, buf, (size_t)n);
	return true;
}

static void accept_clients(struct mon *m)
{
	int fd;
	while ((fd = accept4(m->listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		int flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		/* a slow client must not stall the container: its sends time out and drop it */
		struct timeval tv = { .tv_sec = 5 };
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		client_add(m, fd);
	}
}

/* Serve until the init exits and its output is drained; returns its wait status. */
static int serve(struct mon *m)
{
	enum { P_PIDFD, P_LISTEN, P_OUT, P_ERR, P_IN, P_CLIENT };
	bool exited = false;
	int status = 0;
	struct timespec deadline = { 0 };
	for (;;) {
		struct pollfd p[P_CLIENT + CLIENTS_MAX];
		p[P_PIDFD] = (struct pollfd){ exited ? -1 : m->pidfd, POLLIN, 0 };
		p[P_LISTEN] = (struct pollfd){ m->listen, POLLIN, 0 };
		p[P_OUT] = (struct pollfd){ m->out, POLLIN, 0 };
		p[P_ERR] = (struct pollfd){ m->err, POLLIN, 0 };
		p[P_IN] = (struct pollfd){ m->in_len ? m->in : -1, POLLOUT, 0 };
		for (int i = 0; i < CLIENTS_MAX; i++) {
			if (m->stalled[i] && (m->in < 0 || stdin_has_room(m)))
				m->stalled[i] = false;
			p[P_CLIENT + i] = (struct pollfd){ m->stalled[i] ? -1 : m->clients[i], POLLIN, 0 };
		}
		if (exited && m->out < 0 && m->err < 0)
			break;
		int timeout = -1;
		if (exited) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			long ms = (deadline.tv_sec - now.tv_sec) * 1000 + (deadline.tv_nsec - now.tv_nsec) / 1000000;
			if (ms <= 0)
				break;
			timeout = (int)ms;
		}
		int n = poll(p, P_CLIENT + CLIENTS_MAX, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if (p[P_OUT].revents && !pump(m, m->out, LOG_STDOUT))
			close_fd(&m->out);
		if (p[P_ERR].revents && !pump(m, m->err, LOG_STDERR))
			close_fd(&m->err);
		if (p[P_IN].fd >= 0 && p[P_IN].revents)
			stdin_flush(m);
		if (p[P_LISTEN].revents)
			accept_clients(m);
		for (int i = 0; i < CLIENTS_MAX; i++)
			if (p[P_CLIENT + i].fd >= 0 && p[P_CLIENT + i].revents)
				client_message(m, i);
		if (!exited && p[P_PIDFD].revents) {
			if (waitpid(m->pid, &status, WNOHANG) == m->pid || errno == ECHILD) {
				exited = true;
				clock_gettime(CLOCK_MONOTONIC, &deadline);
				deadline.tv_sec += DRAIN_MS / 1000;
			}
		}
	}
	close_fd(&m->out);
	close_fd(&m->err);
	stdin_close(m);
	close_fd(&m->pidfd);
	/* whatever the runtime's helpers left to us (subreaper) */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return status;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

static bool should_restart(struct mon *m, int code)
{
	const struct ctr_record *r = &m->c->rec;
	if (m->no_restart)
		return false;
	switch (r->restart) {
	case RESTART_ALWAYS:
	case RESTART_UNLESS_STOPPED:
		return true;
	case RESTART_ON_FAILURE:
		return code != 0 && (r->restart_max == 0 || m->c->status.restarts < r->restart_max);
	default:
		return false;
	}
}

static int listen_socket(struct ctr *c, hull_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach.sock", c->dirfd);
	unlinkat(c->dirfd, "attach.sock", 0);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, CLIENTS_MAX) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return hull_fail_errno(err, e, "container %s: attach socket", c->rec.name);
	}
	return fd;
}

/* Tell the starting command how the first start went: "" for success, else errno and the message. */
static void report(int fd, hull_err err)
{
	if (fd < 0)
		return;
	char buf[4096];
	int n = err ? snprintf(buf, sizeof(buf), "%d %s", err->errnum, err->msg) : snprintf(buf, sizeof(buf), "ok");
	if (write(fd, buf, (size_t)(n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1)) < 0)
		n = 0;
	close(fd);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Forked, not exec'ed: every fd of the starting command but these would stay open in us (its end of the attach
 * socketpair among them, which would never see its end). */
static void close_others(int *keep, size_t n)
{
	qsort(keep, n, sizeof(int), cmp_int);
	unsigned int from = 0;
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < 0)
			continue;
		if ((unsigned int)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned int)keep[i] - 1, 0);
		from = (unsigned int)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

static int monitor_main(struct engine *e, struct ctr *c, int attach_fd, int ready, const struct winsize *ws)
{
	struct mon m = { .e = e, .c = c, .out = -1, .err = -1, .in = -1, .pidfd = -1, .ws = *ws };
	for (int i = 0; i < CLIENTS_MAX; i++)
		m.clients[i] = -1;
	m.net = (struct net_opts){ .mode = c->rec.net, .state_dir = e->network_dir, .id = c->rec.id, .name = c->rec.name,
				   .hostname = NULL, .ports = c->rec.ports, .n_ports = c->rec.n_ports,
				   .rootless = e->rootless };
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_NAME, "hull-monitor");
	/* not the store's user any more: image rm and prune must not wait for us */
	if (e->store->lockfd >= 0) {
		close(e->store->lockfd);
		e->store->lockfd = -1;
	}
	hull_err err = NULL;
	/* who holds the container from now on: `rm -f` tells a dead monitor's orphans by this */
	c->status.monitor = getpid();
	if (ctr_status_write(c, &err) < 0)
		hull_err_free(&err);
	_cleanup_free_ char *logpath = xasprintf("%s/ctr.log", c->dir);
	m.listen = listen_socket(c, &err);
	if (m.listen < 0 || log_writer_open(&m.log, logpath, c->rec.log_max_size,
					     c->rec.log_max_files ? c->rec.log_max_files : LOG_FILES_DEFAULT, &err) < 0 ||
	    run_once(&m, &err) < 0) {
		enum ctr_state was = c->status.state;
		net_end(&m);
		_cleanup_err_ hull_err derr = NULL;
		ctr_rt_delete(e, c);
		c->status.state = was == CTR_RUNNING ? CTR_EXITED : was;
		ctr_status_write(c, &derr);
		report(ready, err);
		hull_err_free(&err);
		if (attach_fd >= 0)
			close(attach_fd);
		unlinkat(c->dirfd, "attach.sock", 0);
		log_writer_close(&m.log);
		free(m.inbuf);
		free(m.memcg);
		return 1;
	}
	if (attach_fd >= 0)
		client_add(&m, attach_fd);
	report(ready, NULL);
	fault_point("container.monitor_running");
	int code = 0;
	for (int delay = RESTART_DELAY_MS;;) {
		code = exit_code(serve(&m));
		log_writer_flush(m.log, &err);
		hull_err_free(&err);
		c->status.oom_killed = m.memcg && cgroup_oom_kills_in(m.memcg) > m.oom_base;
		ctr_rt_delete(e, c);
		net_end(&m);
		c->status.state = CTR_EXITED;
		c->status.exit_code = code;
		c->status.pid = 0;
		stamp(c->status.finished, sizeof(c->status.finished));
		ctr_status_write(c, &err);
		hull_err_free(&err);
		fault_point("container.monitor_exited");
		if (!should_restart(&m, code))
			break;
		broadcast(&m, ATTACH_EXIT, &code, sizeof(code));
		sleep_ms(delay);
		delay = delay * 2 > RESTART_DELAY_MAX_MS ? RESTART_DELAY_MAX_MS : delay * 2;
		c->status.restarts++;
		if (run_once(&m, &err) < 0) {
			hull_err_free(&err);
			code = 127;
			break;
		}
	}
	log_writer_close(&m.log);
	free(m.inbuf);
	free(m.memcg);
	close_fd(&m.listen);
	unlinkat(c->dirfd, "attach.sock", 0);
	/* --rm: gone from sight before the clients hear the exit, its files deleted after (the disk's work, which a
	 * `run --rm` need not wait for) */
	bool unmade = c->rec.auto_remove && ctr_unmake(e, c, true, &err) == 0;
	hull_err_free(&err);
	broadcast(&m, ATTACH_EXIT, &code, sizeof(code));
	for (int i = 0; i < CLIENTS_MAX; i++) {
		/* a socket closed with messages unread resets its peer (ECONNRESET before the exit code is read): a
		 * client's last resize or stdin, sent as the container exited, is taken first */
		char buf[1 + ATTACH_MSG_MAX];
		while (m.clients[i] >= 0 && recv(m.clients[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		close_fd(&m.clients[i]);
	}
	if (unmade)
		ctr_sweep(e, c, &err);
	hull_err_free(&err);
	return 0;
}

int monitor_start(struct engine *e, struct ctr *c, int attach_fd, hull_err *err)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "container %s: start its monitor", c->rec.name);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return hull_fail_sys(err, "container %s: start its monitor", c->rec.name);
	}
	if (pid == 0) {
		close(ready[0]);
		setsid();
		pid_t mon = fork();
		if (mon != 0)
			_exit(mon < 0 ? 1 : 0);
		/* the starting command's terminal size, for the container's terminal */
		struct winsize ws = { 0 };
		if (c->rec.tty && attach_fd >= 0)
			ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
		null_stdio();
		int keep[] = { 0, 1, 2, c->dirfd, c->lock, e->dirfd, e->store->dirfd, e->store->lockfd, attach_fd, ready[1] };
		close_others(keep, sizeof(keep) / sizeof(keep[0]));
		_exit(monitor_main(e, c, attach_fd, ready[1], &ws));
	}
	close(ready[1]);
	if (attach_fd >= 0)
		close(attach_fd);
	waitpid(pid, NULL, 0);
	char buf[4096];
	ssize_t n;
	size_t len = 0;
	while (len < sizeof(buf) - 1 && ((n = read(ready[0], buf + len, sizeof(buf) - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(ready[0]);
	buf[len] = '\0';
	if (c->lock >= 0)
		close(c->lock);
	c->lock = -1;
	if (strcmp(buf, "ok") == 0)
		return 0;
	if (len == 0)
		return hull_fail_code(err, EPIPE, "container %s: its monitor died before the container ran", c->rec.name);
	char *msg = NULL;
	long en = strtol(buf, &msg, 10);
	if (msg && *msg == ' ')
		msg++;
	return hull_fail_code(err, (int)en, "%s", msg && *msg ? msg : "the container's monitor failed");
}
