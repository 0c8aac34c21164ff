/* ttyhelper.c - the two ends of a terminal that hull's tests need, playing the person at the keyboard.
 *
 *   ttyhelper recv [opts] SOCKET   a console-socket receiver, like runc's recvtty: listen on SOCKET,
 *                                  take one pty master over SCM_RIGHTS, then drive it
 *   ttyhelper run [opts] -- CMD..  run CMD with a new pty as its controlling terminal and stdio,
 *                                  then drive it (for `hull run -t` / `exec -t` without a socket)
 *
 * Driving: type -i TEXT (C escapes \n \t \\ \xNN) once the terminal is there, copy everything the other
 * side prints to -o FILE (default stdout) until it closes the terminal (EIO); with -W MARK, once MARK has
 * been printed, set the window size to -w ROWSxCOLS and type -I TEXT. -s ROWSxCOLS sets the initial size.
 * recv: -d returns as soon as SOCKET listens and drives in the background (-p FILE gets its pid);
 *       -n FILE gets the name sent with the fd and the pts number of the master.
 * run: exits with CMD's status; -r FILE gets "restored" or "raw" (ICANON|ECHO after CMD exits).
 * Must never hang: every wait is bounded by -t SECONDS (default 30), then it exits 124. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct opts {
	const char *input, *late_input, *mark, *out, *pid_file, *name_file, *restore_file;
	struct winsize size, late_size;
	bool has_size, daemon;
	int timeout;
};

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "ttyhelper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(124);
}

static bool parse_size(const char *s, struct winsize *ws)
{
	unsigned r, c;
	if (sscanf(s, "%ux%u", &r, &c) != 2)
		return false;
	*ws = (struct winsize){ .ws_row = (unsigned short)r, .ws_col = (unsigned short)c };
	return true;
}

/* C escapes, so tests can type control characters */
static char *unescape(const char *s, size_t *len)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'x': {
			char hex[3] = { 0 };
			for (int n = 0; n < 2 && isxdigit((unsigned char)s[1]); n++)
				hex[n] = *++s;
			*o++ = (char)strtol(hex, NULL, 16);
			break;
		}
		default: *o++ = *s; break;
		}
	}
	*len = (size_t)(o - out);
	return out;
}

static void type_text(int master, const char *text)
{
	if (text == NULL)
		return;
	size_t len;
	char *buf = unescape(text, &len);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(master, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("type into the terminal");
		off += (size_t)w;
	}
	free(buf);
}

/* Copy the terminal's output to out until EIO (the other side is gone) or the deadline. */
static int drive(int master, const struct opts *o, int out)
{
	if (o->has_size && ioctl(master, TIOCSWINSZ, &o->size) < 0)
		die("set the window size");
	type_text(master, o->input);
	size_t mlen = o->mark ? strlen(o->mark) : 0, seen = 0;
	bool marked = o->mark == NULL;
	time_t deadline = time(NULL) + o->timeout;
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		int r = poll(&p, 1, 200);
		if (r < 0 && errno != EINTR)
			die("poll");
		if (time(NULL) > deadline) {
			fprintf(stderr, "ttyhelper: timed out after %ds\n", o->timeout);
			return 124;
		}
		if (r <= 0)
			continue;
		char buf[4096];
		ssize_t n = read(master, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return 0;
		if (write(out, buf, (size_t)n) != n)
			die("write the output");
		/* the mark may straddle two reads: match it byte by byte */
		for (ssize_t i = 0; i < n && !marked; i++) {
			seen = buf[i] == o->mark[seen] ? seen + 1 : buf[i] == o->mark[0];
			if (seen == mlen) {
				marked = true;
				if (o->late_size.ws_row && ioctl(master, TIOCSWINSZ, &o->late_size) < 0)
					die("resize");
				type_text(master, o->late_input);
			}
		}
	}
}

static int open_out(const struct opts *o)
{
	if (o->out == NULL)
		return STDOUT_FILENO;
	int fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(o->out);
	return fd;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	if (f == NULL)
		die(path);
	fputs(text, f);
	fclose(f);
}

static int recv_master(int conn, char *name, size_t name_len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = name_len - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		die("recvmsg");
	name[n] = 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "ttyhelper: the message carried no fd\n");
		exit(1);
	}
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static int cmd_recv(const struct opts *o, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "ttyhelper: socket path too long\n");
		return 1;
	}
	strcpy(addr.sun_path, path);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 1) < 0)
		die(path);
	if (o->daemon) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid > 0) {
			if (o->pid_file) {
				char buf[32];
				snprintf(buf, sizeof(buf), "%d\n", pid);
				write_file(o->pid_file, buf);
			}
			return 0;
		}
		setsid();
	}
	alarm((unsigned)o->timeout);
	int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept");
	alarm(0);
	char name[256];
	int master = recv_master(conn, name, sizeof(name));
	close(conn);
	close(ls);
	unlink(path);
	if (o->name_file) {
		unsigned ptn = 0;
		char buf[512];
		if (ioctl(master, TIOCGPTN, &ptn) < 0)
			die("TIOCGPTN: the fd is not a pty master");
		snprintf(buf, sizeof(buf), "%s\n%u\n", name, ptn);
		write_file(o->name_file, buf);
	}
	return drive(master, o, open_out(o));
}

static int cmd_run(const struct opts *o, char **argv)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		die("posix_openpt");
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		die("open the pty's slave");
	if (o->has_size && ioctl(master, TIOCSWINSZ, &o->size) < 0)
		die("set the window size");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) < 0)
			die("TIOCSCTTY");
		for (int i = 0; i < 3; i++)
			dup2(slave, i);
		execvp(argv[0], argv);
		die(argv[0]);
	}
	close(slave);
	int out = open_out(o);
	int r = drive(master, o, out);
	int status = 0;
	if (r == 124) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 124;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (o->restore_file) {
		struct termios t;
		/* the master reads the line settings of its pty */
		if (tcgetattr(master, &t) < 0)
			die("tcgetattr");
		write_file(o->restore_file, (t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO) ? "restored\n" : "raw\n");
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: ttyhelper recv [-d] [-p PIDFILE] [-n NAMEFILE] [opts] SOCKET\n"
			"       ttyhelper run [-r FILE] [opts] -- CMD...\n"
			"opts: -i TEXT -I TEXT -W MARK -w ROWSxCOLS -s ROWSxCOLS -o OUT -t SECONDS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *mode = argv[1];
	struct opts o = { .timeout = 30 };
	int c;
	optind = 2;
	while ((c = getopt(argc, argv, "+i:I:W:w:s:o:t:dp:n:r:")) != -1) {
		switch (c) {
		case 'i': o.input = optarg; break;
		case 'I': o.late_input = optarg; break;
		case 'W': o.mark = optarg; break;
		case 'w': if (!parse_size(optarg, &o.late_size)) usage(); break;
		case 's': if (!parse_size(optarg, &o.size)) usage(); o.has_size = true; break;
		case 'o': o.out = optarg; break;
		case 't': o.timeout = atoi(optarg); break;
		case 'd': o.daemon = true; break;
		case 'p': o.pid_file = optarg; break;
		case 'n': o.name_file = optarg; break;
		case 'r': o.restore_file = optarg; break;
		default: usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	if (strcmp(mode, "recv") == 0 && optind == argc - 1)
		return cmd_recv(&o, argv[optind]);
	if (strcmp(mode, "run") == 0 && optind < argc)
		return cmd_run(&o, argv + optind);
	usage();
}
