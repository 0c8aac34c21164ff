/* pidfdrecv.c - the engine's end of `--pidfd-socket` (runc 1.2; containerd's shim can take it): listen on
 * SOCKET, take one fd over SCM_RIGHTS, check that it is a pidfd, and report it.
 *
 *   pidfdrecv [-s SIGNAL] [-t SECONDS] SOCKET OUT
 *
 * Prints "listening" on stdout once SOCKET accepts connections (the caller waits for it), then writes
 * "PAYLOAD PID" (the message sent with the fd, and the pid the pidfd's fdinfo names) to OUT, renamed into
 * place; with -s, sends SIGNAL through the pidfd (pidfd_send_signal), after writing OUT.
 * Must never hang: bounded by -t SECONDS (default 30), then it exits 124. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "pidfdrecv: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int pidfd_pid(int fd)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "re");
	int pid = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return pid;
}

int main(int argc, char **argv)
{
	int sig = 0, timeout = 30, opt;
	while ((opt = getopt(argc, argv, "s:t:")) != -1) {
		if (opt == 's')
			sig = atoi(optarg);
		else if (opt == 't')
			timeout = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: pidfdrecv [-s SIGNAL] [-t SECONDS] SOCKET OUT\n");
		return 2;
	}
	const char *path = argv[optind], *out = argv[optind + 1];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "pidfdrecv: %s: path too long\n", path);
		return 2;
	}
	strcpy(sa.sun_path, path);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0)
		die(path);
	printf("listening\n");
	fflush(stdout);
	struct pollfd p = { .fd = ls, .events = POLLIN };
	if (poll(&p, 1, timeout * 1000) <= 0)
		return 124;
	int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		die("accept");
	char payload[256] = { 0 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof(payload) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	p.fd = c;
	if (poll(&p, 1, timeout * 1000) <= 0)
		return 124;
	if (recvmsg(c, &msg, MSG_CMSG_CLOEXEC) < 0)
		die("recvmsg");
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	if (cm == NULL || cm->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "pidfdrecv: no fd received\n");
		return 1;
	}
	int fd;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	char link[64] = { 0 }, fdpath[64];
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (readlink(fdpath, link, sizeof(link) - 1) < 0 || strcmp(link, "anon_inode:[pidfd]") != 0) {
		fprintf(stderr, "pidfdrecv: the fd is %s, not a pidfd\n", link);
		return 1;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	FILE *f = fopen(tmp, "we");
	if (f == NULL || fprintf(f, "%s %d\n", payload, pidfd_pid(fd)) < 0 || fclose(f) != 0 || rename(tmp, out) < 0)
		die(out);
	if (sig && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
		die("pidfd_send_signal");
	return 0;
}
