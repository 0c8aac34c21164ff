/* unixsock.c - AF_UNIX plumbing: connect to a path, pass one fd with a payload (SCM_RIGHTS).
 * Must never leave an fd without O_CLOEXEC: received fds included. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/unixsock.h"

int unix_connect(const char *path, const char *what, hull_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return hull_fail(err, "%s %s: path too long", what, path);
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hull_fail_sys(err, "%s: socket", what);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		return hull_fail_errno(err, e, "%s: connect %s", what, path);
	}
	return fd;
}

int unix_send_fd(int sock, int fd, const char *payload, hull_err *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = strlen(payload) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t r;
	do
		r = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return hull_fail_sys(err, "send an fd over a unix socket");
	/* a stream socket may take part of the name: the receiver would read a cut one */
	if ((size_t)r != iov.iov_len)
		return hull_fail_errno(err, EIO, "send an fd over a unix socket: %zd of %zu bytes sent", r, iov.iov_len);
	return 0;
}

int unix_recv_fd(int sock, hull_err *err)
{
	char name[4096];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t r;
	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return hull_fail_sys(err, "receive an fd");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS)
		return hull_fail(err, "receive an fd: no fd in the message");
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

