/* sync.c - typed messages over a SOCK_SEQPACKET pair between hull and the container's init.
 * Must never block on a peer that died: EOF is reported as an error. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "linux/sync.h"

static const char *const type_names[] = { "?", "pid", "go", "hooks", "hooks-done", "ready", "error" };

int sync_pair(int fds[2], hull_err *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return hull_fail_sys(err, "socketpair");
	return 0;
}

int sync_send(int fd, enum sync_type type, int32_t value, const char *payload, hull_err *err)
{
	struct sync_msg m = { .type = type, .value = value };
	size_t len = offsetof(struct sync_msg, payload);
	if (payload) {
		size_t pl = strnlen(payload, SYNC_PAYLOAD_MAX - 1);
		memcpy(m.payload, payload, pl);
		m.payload[pl] = '\0';
		len += pl + 1;
	}
	ssize_t w;
	do
		w = send(fd, &m, len, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return hull_fail_sys(err, "send %s message to the container", type_names[type]);
	return 0;
}

int sync_expect(int fd, enum sync_type want, int32_t *value, hull_err *err)
{
	struct sync_msg m;
	ssize_t r;
	do
		r = recv(fd, &m, sizeof(m), 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return hull_fail_sys(err, "receive from the container's init");
	if (r == 0)
		return hull_fail(err, "the container's init exited during setup");
	if ((size_t)r < offsetof(struct sync_msg, payload))
		return hull_fail(err, "short message from the container's init");
	if (m.type == SYNC_ERROR) {
		m.payload[SYNC_PAYLOAD_MAX - 1] = '\0';
		return hull_err_raw(err, m.value, (size_t)r > offsetof(struct sync_msg, payload) ? m.payload : "unknown error");
	}
	if (m.type != (uint32_t)want)
		return hull_fail(err, "protocol error: expected %s, got message %u", type_names[want], m.type);
	if (value)
		*value = m.value;
	return 0;
}

void sync_send_error(int fd, const struct hull_error *e)
{
	sync_send(fd, SYNC_ERROR, e ? e->errnum : 0, e ? e->msg : "unknown error", NULL);
}
