/* terminal.c - ptys for containers and the console-socket protocol (SCM_RIGHTS, runc-compatible).
 * Must never hand the container a pty fd that is not on its own devpts. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/terminal.h"
#include "util/unixsock.h"
#include "util/cleanup.h"
#include "util/fs.h"

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
	/* runc gives the process's user the pty (the gid stays devpts' gid=5): a non-root process
	 * must be able to use its own terminal. EINVAL/EPERM: the owner is not mapped in our user
	 * namespace; runc then leaves the pty as it is, and so do we. */
	if (fchown(slave, p->uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
		return hull_fail_sys(err, "process.terminal: chown the pty to uid %u", p->uid);
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
	if (unix_send_fd(console_fd, master, "/dev/ptmx", err) < 0)
		return -1;
	return 0;
}
