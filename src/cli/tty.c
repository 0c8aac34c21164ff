/* tty.c - foreground `run -t` / `exec -t` without --console-socket: hull is the console. It receives the
 * pty master over a socketpair of its own, puts its terminal in raw mode, copies bytes both ways,
 * follows window size changes, and restores the terminal however the relay ends.
 * Must never leave the user's terminal in raw mode. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/unixsock.h"

static struct termios saved;
static bool raw;

static void restore(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw = false;
	}
}

int cli_console_pair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return cli_failf("console socketpair: %s", hull_errtext(errno));
	return 0;
}

int cli_tty_begin(int sock)
{
	hull_err err = NULL;
	int master = unix_recv_fd(sock, &err);
	if (master < 0)
		return cli_fail(&err);
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		/* fully raw, output too: the container's pty already turned \n into \r\n */
		cfmakeraw(&t);
		if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
			raw = true;
			atexit(restore);
		}
	}
	cli_tty_resize(master);
	return master;
}

void cli_tty_resize(int master)
{
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* Copy what is there from one fd to another; returns false at EOF or error of the source. */
bool cli_tty_copy(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += w;
	}
	return true;
}

void cli_tty_eof(int master)
{
	struct termios t;
	char eof = tcgetattr(master, &t) == 0 && t.c_cc[VEOF] ? (char)t.c_cc[VEOF] : 4;
	if (write(master, &eof, 1) < 0) {
		/* the process closed its terminal already: nothing to tell */
	}
}

void cli_tty_end(int master)
{
	/* what the process wrote before it exited is still in the pty */
	int fl = fcntl(master, F_GETFL);
	if (fl >= 0 && fcntl(master, F_SETFL, fl | O_NONBLOCK) == 0)
		while (cli_tty_copy(master, STDOUT_FILENO)) {
			int avail = 0;
			if (ioctl(master, FIONREAD, &avail) < 0 || avail == 0)
				break;
		}
	close(master);
	restore();
}
