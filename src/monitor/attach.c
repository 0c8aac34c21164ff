/* attach.c - the client's side of a monitor's socket: connect, send, relay a terminal or pipes both ways, wait for
 * the exit. Must never leave the user's terminal in raw mode, nor lose the exit code the monitor sends. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "monitor/attach.h"
#include "util/cleanup.h"

int attach_connect(struct ctr *c, hull_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	/* the container's dir may be longer than sun_path: reach it through our fd */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach.sock", c->dirfd);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hull_fail_sys(err, "container %s: attach socket", c->rec.name);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return hull_fail_code(err, e == ENOENT ? ECONNREFUSED : e, "container %s: no monitor to attach to",
				      c->rec.name);
	}
	return fd;
}

int attach_send(int sock, enum attach_type type, const void *data, size_t len)
{
	char buf[1 + ATTACH_MSG_MAX];
	if (len > ATTACH_MSG_MAX)
		len = ATTACH_MSG_MAX;
	buf[0] = (char)type;
	if (len)
		memcpy(buf + 1, data, len);
	ssize_t n;
	do
		n = send(sock, buf, 1 + len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int attach_send_int(int sock, enum attach_type type, int v)
{
	return attach_send(sock, type, &v, sizeof(v));
}

static int msg_int(const char *buf, ssize_t n)
{
	int v = -1;
	if (n == 1 + (ssize_t)sizeof(int))
		memcpy(&v, buf + 1, sizeof(int));
	return v;
}

int attach_wait_exit(int sock)
{
	char buf[1 + ATTACH_MSG_MAX];
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (buf[0] == ATTACH_EXIT)
			return msg_int(buf, n);
	}
}

static struct termios saved_tio;
static bool raw_mode;

static void terminal_raw(void)
{
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) < 0)
		return;
	struct termios t = saved_tio;
	cfmakeraw(&t);
	t.c_oflag |= OPOST; /* as docker's raw terminal: output processing stays */
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		raw_mode = true;
}

static void terminal_restore(void)
{
	if (raw_mode)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	raw_mode = false;
}

static void send_size(int sock)
{
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) {
		unsigned short rc[2] = { ws.ws_row, ws.ws_col };
		attach_send(sock, ATTACH_RESIZE, rc, sizeof(rc));
	}
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

int attach_relay(int sock, bool stdin_open, bool tty, bool sig_proxy, hull_err *err)
{
	sigset_t set, old;
	sigemptyset(&set);
	if (tty)
		sigaddset(&set, SIGWINCH);
	if (sig_proxy) {
		static const int proxied[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
		for (size_t i = 0; i < sizeof(proxied) / sizeof(proxied[0]); i++)
			sigaddset(&set, proxied[i]);
	}
	sigprocmask(SIG_BLOCK, &set, &old);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (tty) {
		terminal_raw();
		send_size(sock);
	}
	struct pollfd p[3] = { { sock, POLLIN, 0 }, { sfd, POLLIN, 0 }, { stdin_open ? STDIN_FILENO : -1, POLLIN, 0 } };
	char buf[1 + ATTACH_MSG_MAX];
	int code = -1;
	for (;;) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			ssize_t n = recv(sock, buf, sizeof(buf), 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (buf[0] == ATTACH_EXIT) {
				code = msg_int(buf, n);
				break;
			}
			int to = buf[0] == ATTACH_STDOUT ? STDOUT_FILENO : buf[0] == ATTACH_STDERR ? STDERR_FILENO : -1;
			if (to >= 0)
				write_all(to, buf + 1, (size_t)n - 1);
		}
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if ((int)si.ssi_signo == SIGWINCH)
					send_size(sock);
				else
					attach_send_int(sock, ATTACH_SIGNAL, (int)si.ssi_signo);
			}
		}
		if (p[2].fd >= 0 && p[2].revents) {
			ssize_t n = read(STDIN_FILENO, buf, ATTACH_MSG_MAX);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				attach_send(sock, ATTACH_STDIN_EOF, NULL, 0);
				p[2].fd = -1;
			} else {
				attach_send(sock, ATTACH_STDIN, buf, (size_t)n);
			}
		}
	}
	terminal_restore();
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (code < 0)
		return hull_fail_code(err, ECONNRESET, "the container's monitor went away without its exit code");
	return code;
}
