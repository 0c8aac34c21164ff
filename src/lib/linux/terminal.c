/* terminal.c - ptys for containers and the console-socket protocol (SCM_RIGHTS, runc-compatible).
 * Must never hand the container a pty fd that is not on its own devpts. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/terminal.h"
#include "util/cleanup.h"
#include "util/fs.h"

int terminal_connect(const char *path, hull_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return hull_fail(err, "--console-socket %s: path too long", path);
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hull_fail_sys(err, "--console-socket: socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		return hull_fail_errno(err, e, "--console-socket: connect %s", path);
	}
	return fd;
}

int terminal_send_fd(int sock, int fd, const char *name, hull_err *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
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
		return hull_fail_sys(err, "send the pty master over the console socket");
	return 0;
}

int terminal_recv_fd(int sock, hull_err *err)
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
		return hull_fail_sys(err, "receive the pty master");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS)
		return hull_fail(err, "receive the pty master: no fd in the message");
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

int terminal_setup(const struct hull_process *p, int rootfd, int console_fd, bool bind_console, hull_err *err)
{
	int fd = fs_open_in_root(rootfd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "process.terminal: open /dev/pts/ptmx in the container");
	_cleanup_close_ int master = fd;
	if (!fs_is_fstype(master, DEVPTS_SUPER_MAGIC))
		return hull_fail(err, "process.terminal: /dev/pts/ptmx is not on devpts");
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return hull_fail_sys(err, "process.terminal: unlock the pty");
	_cleanup_close_ int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return hull_fail_sys(err, "process.terminal: open the pty peer");
	if (!fs_is_fstype(slave, DEVPTS_SUPER_MAGIC))
		return hull_fail(err, "process.terminal: the pty peer is not on devpts");
	if (p->console_height || p->console_width) {
		struct winsize ws = { .ws_row = (unsigned short)p->console_height, .ws_col = (unsigned short)p->console_width };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return hull_fail_sys(err, "process.consoleSize");
	}
	int cfd = bind_console ? fs_open_in_root(rootfd, "/dev/console", O_PATH | O_NOFOLLOW, 0) : -1;
	if (cfd >= 0) {
		_cleanup_close_ int console = cfd;
		if (mount_bind_fd(slave, console, 0, false, "/dev/console", err) < 0)
			return -1;
	}
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return hull_fail_sys(err, "process.terminal: set the controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return hull_fail_sys(err, "process.terminal: dup2");
	if (terminal_send_fd(console_fd, master, "/dev/ptmx", err) < 0)
		return -1;
	return 0;
}
