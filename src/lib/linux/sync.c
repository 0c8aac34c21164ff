/* sync.c - typed messages (some carrying one fd) over a SOCK_SEQPACKET pair between hull and the init.
 * Must never block on a peer that died: EOF is reported as an error. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "linux/sync.h"
#include "util/cleanup.h"

static const char *const type_names[] = { "?", "pid", "go", "hooks", "hooks-done", "ready", "error", "mount-fd" };

int sync_pair(int fds[2], hull_err *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return hull_fail_sys(err, "socketpair");
	return 0;
}

static int send_msg(int fd, enum sync_type type, int32_t value, const char *payload, int passfd, hull_err *err)
{
	struct sync_msg m = { .type = type, .value = value };
	size_t len = offsetof(struct sync_msg, payload);
	if (payload) {
		size_t pl = strnlen(payload, SYNC_PAYLOAD_MAX - 1);
		memcpy(m.payload, payload, pl);
		m.payload[pl] = '\0';
		len += pl + 1;
	}
	struct iovec iov = { .iov_base = &m, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (passfd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	}
	ssize_t w;
	do
		w = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return hull_fail_sys(err, "send %s message to the container", type_names[type]);
	if ((size_t)w != len)
		return hull_fail_errno(err, EIO, "send %s message to the container: %zd of %zu bytes sent", type_names[type], w, len);
	return 0;
}

int sync_send(int fd, enum sync_type type, int32_t value, const char *payload, hull_err *err)
{
	return send_msg(fd, type, value, payload, -1, err);
}

int sync_send_fd(int fd, enum sync_type type, int32_t value, int passfd, hull_err *err)
{
	return send_msg(fd, type, value, NULL, passfd, err);
}

int sync_expect(int fd, enum sync_type want, int32_t *value, hull_err *err)
{
	return sync_expect_fd(fd, want, value, NULL, err);
}

int sync_expect_fd(int fd, enum sync_type want, int32_t *value, int *passfd, hull_err *err)
{
	struct sync_msg m;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	ssize_t r;
	do
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	int got = -1;
	for (struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&got, CMSG_DATA(c), sizeof(int));
	/* only a successful expect_fd hands an fd on; every other path closes what came */
	_cleanup_close_ int received = got;
	if (passfd)
		*passfd = -1;
	if (r < 0)
		return hull_fail_sys(err, "receive from the container's init");
	if (r == 0)
		return hull_fail(err, "the container's init exited during setup");
	if ((size_t)r < offsetof(struct sync_msg, payload))
		return hull_fail(err, "short message from the container's init");
	/* a datagram longer than any message was cut: refused, not read as the part that fit */
	if (mh.msg_flags & MSG_TRUNC)
		return hull_fail(err, "protocol error: oversized message from the container's init");
	if (mh.msg_flags & MSG_CTRUNC)
		return hull_fail(err, "protocol error: message from the container's init with more than one fd");
	if (m.type == SYNC_ERROR) {
		/* the text ends where the message ended, terminated or not: nothing of our stack follows it */
		size_t pl = (size_t)r - offsetof(struct sync_msg, payload);
		m.payload[pl < SYNC_PAYLOAD_MAX ? pl : SYNC_PAYLOAD_MAX - 1] = '\0';
		return hull_err_raw(err, m.value, pl > 0 && m.payload[0] ? m.payload : "unknown error");
	}
	if (passfd && got < 0 && m.type == (uint32_t)want)
		return hull_fail(err, "protocol error: %s message without its fd", type_names[want]);
	if (m.type != (uint32_t)want)
		return hull_fail(err, "protocol error: expected %s, got message %u", type_names[want], m.type);
	if (value)
		*value = m.value;
	if (passfd)
		*passfd = take_fd(&received);
	return 0;
}

void sync_send_error(int fd, const struct hull_error *e)
{
	sync_send(fd, SYNC_ERROR, e ? e->errnum : 0, e ? e->msg : "unknown error", NULL);
}
