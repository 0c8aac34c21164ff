/* seccomp_agent.c - a seccomp notify agent for hull's tests, playing the part runtime-spec's
 * linux.seccomp.listenerPath describes: listen on SOCKET, receive one seccomp notify fd with the
 * container process state (SCM_RIGHTS), write the state to STATEFILE, then answer every notified
 * syscall with success (return value 0, the syscall is not run) and log "syscall NR" lines to
 * STATEFILE.log, until the container is gone.
 *
 *   seccomp_agent [-p PIDFILE] [-e ERRNO] SOCKET STATEFILE
 *
 * It forks into the background once SOCKET listens (its pid in PIDFILE); -e answers with -ERRNO
 * instead of success. Must never hang: it gives up after 30 s without a container. */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "seccomp_agent: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int receive(int conn, char *state, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = state, .iov_len = len - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		die("recvmsg");
	state[n] = 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "seccomp_agent: no fd received\n");
		exit(1);
	}
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static void serve(int listener, int answer_errno, FILE *log)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };
		if (poll(&p, 1, 30000) <= 0 || (p.revents & (POLLHUP | POLLERR)))
			return; /* every filtered process is gone */
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return;
		}
		fprintf(log, "syscall %d\n", req.data.nr);
		fflush(log);
		resp = (struct seccomp_notif_resp){ .id = req.id, .val = 0, .error = answer_errno ? -answer_errno : 0 };
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
			return;
	}
}

int main(int argc, char **argv)
{
	const char *pid_file = NULL;
	int answer_errno = 0, c;
	while ((c = getopt(argc, argv, "p:e:")) != -1) {
		if (c == 'p')
			pid_file = optarg;
		else if (c == 'e')
			answer_errno = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: seccomp_agent [-p PIDFILE] [-e ERRNO] SOCKET STATEFILE\n");
		return 2;
	}
	const char *path = argv[optind], *state_file = argv[optind + 1];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return 2;
	strcpy(addr.sun_path, path);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 1) < 0)
		die(path);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		if (pid_file) {
			FILE *f = fopen(pid_file, "we");
			if (f == NULL)
				die(pid_file);
			fprintf(f, "%d\n", pid);
			fclose(f);
		}
		return 0;
	}
	setsid();
	alarm(30);
	int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept");
	alarm(0);
	static char state[65536];
	int listener = receive(conn, state, sizeof(state));
	close(conn);
	close(ls);
	unlink(path);
	char log_path[4096];
	snprintf(log_path, sizeof(log_path), "%s.log", state_file);
	FILE *log = fopen(log_path, "we");
	if (log == NULL)
		die(log_path);
	FILE *f = fopen(state_file, "we");
	if (f == NULL)
		die(state_file);
	fputs(state, f);
	fclose(f);
	serve(listener, answer_errno, log);
	fclose(log);
	return 0;
}
