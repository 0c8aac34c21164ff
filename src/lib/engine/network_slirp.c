/* network_slirp.c - rootless networking: slirp4netns on the container's namespace file (tap0, 10.0.2.100, DNS at
 * 10.0.2.3), -p through its API socket (add_hostfwd). Must never signal a process other than the slirp4netns it
 * started for that container, nor leave one running after a teardown. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "engine/network_slirp.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/unixsock.h"
#include "util/xalloc.h"

extern char **environ;

#define SLIRP_READY_TIMEOUT_MS 10000
#define SLIRP_STOP_TIMEOUT_MS 2000
#define SLIRP_MTU "65520"
#define SLIRP_READY_FD 3           /* the fd number slirp4netns writes to when tap0 is configured */
#define FD_ABOVE_STDIO 10          /* dup'ed above it, so that no dup2 of the spawn has the same source and target */
#define API_REPLY_MAX 4096
#define LOG_SHOWN 512

static char *slirp_file(const struct net_opts *o, const char *ext)
{
	return xasprintf("%s/slirp/%s.%s", o->state_dir, o->id, ext);
}

/* What slirp4netns logged before it gave up (its cause and then "child failed"), on one line. */
static char *log_text(const struct net_opts *o)
{
	_cleanup_free_ char *path = slirp_file(o, "log"), *text = NULL;
	size_t len;
	_cleanup_err_ hull_err ignored = NULL;
	if (fs_read_file_max(AT_FDCWD, path, (size_t)1 << 20, &text, &len, &ignored) < 0 || len == 0)
		return xstrdup("no message");
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	char *line = xstrdup("");
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l && strlen(line) < LOG_SHOWN; l = strtok_r(NULL, "\n", &save)) {
		char *joined = xasprintf("%s%s%.*s", line, *line ? "; " : "", LOG_SHOWN, l);
		free(line);
		line = joined;
	}
	return line;
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int wait_ready(int fd, pid_t pid, const struct net_opts *o, hull_err *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;
	while ((n = poll(&p, 1, SLIRP_READY_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	char c;
	if (n == 1 && read(fd, &c, 1) == 1)
		return 0;
	kill_and_reap(pid);
	_cleanup_free_ char *why = log_text(o);
	return hull_fail_code(err, EIO, "network: slirp4netns %s: %s", n == 0 ? "did not come up in time" : "failed",
			      why);
}

static int spawn_slirp(const struct net_opts *o, const char *netns, int ready_fd, int log_fd, pid_t *pid,
		       hull_err *err)
{
	/* relative to its working directory (the slirp dir): a store's path is longer than a socket address takes */
	_cleanup_free_ char *sock = slirp_file(o, "sock"), *dir = xasprintf("%s/slirp", o->state_dir);
	_cleanup_free_ char *api = xasprintf("--api-socket=%s.sock", o->id);
	_cleanup_free_ char *ready = xasprintf("--ready-fd=%d", SLIRP_READY_FD);
	const char *exe = getenv("HULL_SLIRP4NETNS");
	exe = exe && *exe ? exe : "slirp4netns";
	char *argv[] = { (char *)exe, "--configure", "--mtu=" SLIRP_MTU, "--disable-host-loopback",
			 "--netns-type=path", ready, api, (char *)netns, "tap0", NULL };
	unlink(sock);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, log_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, log_fd, 2);
	posix_spawn_file_actions_adddup2(&fa, ready_fd, SLIRP_READY_FD);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawnattr_init(&attr);
	/* its own session: a ^C to `hull run` must not take the container's network with it */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	int rc = posix_spawnp(pid, exe, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return hull_fail_errno(err, rc, "network: start %s", exe);
	return 0;
}

/* One request on its own connection, as slirp4netns's API takes them: {"return": ...} or {"error": {"desc"}}. */
static int api_call(const struct net_opts *o, const char *request, hull_err *err)
{
	_cleanup_free_ char *sock = slirp_file(o, "sock"), *dir = xasprintf("%s/slirp", o->state_dir);
	_cleanup_close_ int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return hull_fail_sys(err, "network: %s", dir);
	/* through our fd of its directory: the whole path may be longer than a socket address takes */
	_cleanup_free_ char *short_path = xasprintf("/proc/self/fd/%d/%s.sock", dirfd, o->id);
	_cleanup_close_ int fd = unix_connect(short_path, "slirp4netns's API socket", err);
	if (fd < 0)
		return -1;
	size_t len = strlen(request);
	if (write(fd, request, len) != (ssize_t)len || shutdown(fd, SHUT_WR) < 0)
		return hull_fail_sys(err, "network: write to %s", sock);
	_cleanup_free_ char *reply = NULL;
	size_t n;
	if (fs_read_fd_max(fd, sock, API_REPLY_MAX, &reply, &n, err) < 0)
		return -1;
	json_object *r = json_tokener_parse(reply), *e, *desc;
	int ret = 0;
	if (r == NULL || !json_object_is_type(r, json_type_object))
		ret = hull_fail_code(err, EPROTO, "network: slirp4netns answered \"%s\"", reply);
	else if (json_object_object_get_ex(r, "error", &e))
		ret = hull_fail_code(err, EIO, "network: slirp4netns: %s",
				     json_object_object_get_ex(e, "desc", &desc) ? json_object_get_string(desc)
										  : reply);
	json_object_put(r);
	return ret;
}

/* Why the host refuses m's address and port to us (an errno), or 0: slirp4netns answers a refused add_hostfwd with
 * "slirp_add_hostfwd failed" alone, and its bind(2) in the host's network namespace is the one we can repeat. */
static int host_bind_errno(const struct port_map *m)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} a = { 0 };
	const char *ip = m->host_ip[0] ? m->host_ip : "0.0.0.0";
	socklen_t len = sizeof(a.v4);
	a.v4.sin_family = AF_INET;
	a.v4.sin_port = htons(m->host_port);
	if (inet_pton(AF_INET, ip, &a.v4.sin_addr) != 1) {
		a.v6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons(m->host_port) };
		len = sizeof(a.v6);
		if (inet_pton(AF_INET6, ip, &a.v6.sin6_addr) != 1)
			return 0;
	}
	int type = strcmp(m->proto, "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	_cleanup_close_ int fd = socket(a.sa.sa_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	return bind(fd, &a.sa, len) < 0 ? errno : 0;
}

static int add_hostfwd(const struct net_opts *o, const struct port_map *m, hull_err *err)
{
	json_object *args = json_object_new_object(), *req = json_object_new_object();
	json_object_object_add(args, "proto", json_object_new_string(m->proto));
	json_object_object_add(args, "host_addr", json_object_new_string(m->host_ip[0] ? m->host_ip : "0.0.0.0"));
	json_object_object_add(args, "host_port", json_object_new_int(m->host_port));
	json_object_object_add(args, "guest_port", json_object_new_int(m->container_port));
	json_object_object_add(req, "execute", json_object_new_string("add_hostfwd"));
	json_object_object_add(req, "arguments", args);
	int ret = api_call(o, json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), err);
	json_object_put(req);
	int why = ret < 0 ? host_bind_errno(m) : 0;
	if (why != 0)
		hull_fail_errno(err, why, "network: slirp4netns cannot listen on %s%s%s:%u/%s", strchr(m->host_ip, ':') ? "[" : "",
				m->host_ip[0] ? m->host_ip : "0.0.0.0", strchr(m->host_ip, ':') ? "]" : "", m->host_port,
				m->proto);
	if (ret < 0)
		return hull_err_prefix(err, "-p %u:%u/%s", m->host_port, m->container_port, m->proto);
	return 0;
}

static int pid_file_write(const struct net_opts *o, pid_t pid, hull_err *err)
{
	_cleanup_free_ char *path = slirp_file(o, "pid");
	char text[32];
	int n = snprintf(text, sizeof(text), "%d\n", (int)pid);
	return fs_write_file_atomic(AT_FDCWD, path, text, (size_t)n, 0600, err);
}

int slirp_start(const struct net_opts *o, const char *netns, pid_t *pid, hull_err *err)
{
	_cleanup_free_ char *dir = xasprintf("%s/slirp", o->state_dir);
	_cleanup_free_ char *log = slirp_file(o, "log");
	if (fs_mkdir_p(dir, 0700, err) < 0)
		return -1;
	_cleanup_close_ int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int pipefd[2];
	if (log_fd < 0 || pipe2(pipefd, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "network: make slirp4netns's log and ready pipe");
	_cleanup_close_ int ready_r = pipefd[0];
	_cleanup_close_ int ready_w = fcntl(pipefd[1], F_DUPFD_CLOEXEC, FD_ABOVE_STDIO);
	close(pipefd[1]);
	_cleanup_close_ int log_hi = fcntl(log_fd, F_DUPFD_CLOEXEC, FD_ABOVE_STDIO);
	if (ready_w < 0 || log_hi < 0)
		return hull_fail_sys(err, "network: dup slirp4netns's fds");
	if (spawn_slirp(o, netns, ready_w, log_hi, pid, err) < 0)
		return -1;
	close(take_fd(&ready_w)); /* EOF on ready_r when slirp4netns dies before it is ready */
	if (wait_ready(ready_r, *pid, o, err) < 0) {
		_cleanup_err_ hull_err ignored = NULL;
		slirp_stop(o, 0, &ignored); /* its log, told in err */
		return -1;
	}
	int ret = pid_file_write(o, *pid, err);
	for (size_t i = 0; ret == 0 && i < o->n_ports; i++)
		ret = add_hostfwd(o, &o->ports[i], err);
	if (ret < 0) {
		_cleanup_err_ hull_err ignored = NULL;
		slirp_stop(o, *pid, &ignored);
	}
	return ret;
}

/* Is pid the slirp4netns of this container? (its API socket, relative to its working directory the store's slirp
 * dir, is on its command line) */
static bool is_our_slirp(const struct net_opts *o, pid_t pid)
{
	_cleanup_free_ char *proc = xasprintf("/proc/%d/cmdline", (int)pid), *cmd = NULL;
	_cleanup_free_ char *want = xasprintf("--api-socket=%s.sock", o->id);
	_cleanup_free_ char *cwd_link = xasprintf("/proc/%d/cwd", (int)pid), *dir = xasprintf("%s/slirp", o->state_dir);
	_cleanup_free_ char *cwd = realpath(cwd_link, NULL), *real_dir = realpath(dir, NULL);
	size_t len;
	_cleanup_err_ hull_err ignored = NULL;
	if (cwd == NULL || real_dir == NULL || strcmp(cwd, real_dir) != 0 ||
	    fs_read_file_max(AT_FDCWD, proc, (size_t)1 << 16, &cmd, &len, &ignored) < 0)
		return false;
	for (size_t at = 0; at < len; at += strlen(cmd + at) + 1)
		if (strcmp(cmd + at, want) == 0)
			return true;
	return false;
}

static pid_t pid_file_read(const struct net_opts *o)
{
	_cleanup_free_ char *path = slirp_file(o, "pid"), *text = NULL;
	size_t len;
	_cleanup_err_ hull_err ignored = NULL;
	if (fs_read_file_max(AT_FDCWD, path, 64, &text, &len, &ignored) < 0)
		return 0;
	long v = strtol(text, NULL, 10);
	return v > 0 && v < INT_MAX ? (pid_t)v : 0;
}

static void wait_gone(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	for (int waited = 0; waited < SLIRP_STOP_TIMEOUT_MS; waited += 10) {
		pid_t w = waitpid(pid, NULL, WNOHANG); /* ours when this process started it */
		if (w == pid || (w < 0 && errno == ECHILD && kill(pid, 0) < 0))
			return;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, WNOHANG);
}

int slirp_stop(const struct net_opts *o, pid_t pid, hull_err *err)
{
	if (pid <= 0)
		pid = pid_file_read(o);
	if (pid > 0 && is_our_slirp(o, pid)) {
		if (kill(pid, SIGTERM) < 0 && errno != ESRCH)
			return hull_fail_sys(err, "network: stop slirp4netns (pid %d)", (int)pid);
		wait_gone(pid);
	}
	static const char *const exts[] = { "pid", "sock", "log" };
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
		_cleanup_free_ char *path = slirp_file(o, exts[i]);
		if (unlink(path) < 0 && errno != ENOENT)
			return hull_fail_sys(err, "network: remove %s", path);
	}
	return 0;
}
