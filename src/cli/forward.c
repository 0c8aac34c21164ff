/* forward.c - foreground `run` and `exec`: relay signals to the container process and return its status.
 * Must never return before the process has exited and been reaped. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

void cli_forwarded_signals(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGCHLD);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
}

int cli_wait_forwarding(int pidfd, const sigset_t *forwarded, int master)
{
	int sfd = signalfd(-1, forwarded, SFD_CLOEXEC);
	/* the terminal relay, when hull is the console: stdin -> master, master -> stdout */
	struct pollfd p[4] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
		{ .fd = master >= 0 ? STDIN_FILENO : -1, .events = POLLIN },
		{ .fd = master, .events = POLLIN },
	};
	for (;;) {
		int r = poll(p, 4, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH && master >= 0)
					cli_tty_resize(master);
				else
					syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo, NULL, 0);
			}
		}
		/* stdin at its end: stop reading it and type an end-of-file (^D), the process may still have output */
		if (p[2].revents && !cli_tty_copy(STDIN_FILENO, master)) {
			p[2].fd = -1;
			cli_tty_eof(master);
		}
		/* EIO: every holder of the pty's other end closed it */
		if (p[3].revents && !cli_tty_copy(master, STDOUT_FILENO))
			p[3].fd = -1;
		if (p[0].revents & POLLIN)
			break;
	}
	if (master >= 0)
		cli_tty_end(master);
	siginfo_t info = { 0 };
	while (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0 && errno == EINTR)
		;
	if (sfd >= 0)
		close(sfd);
	/* runc's convention: the exit status, or 128+N when killed by signal N */
	return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}
