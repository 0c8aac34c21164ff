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

int cli_wait_forwarding(int pidfd, const sigset_t *forwarded)
{
	int sfd = signalfd(-1, forwarded, SFD_CLOEXEC);
	struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	for (;;) {
		int r = poll(p, sfd >= 0 ? 2 : 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo, NULL, 0);
		}
		if (p[0].revents & POLLIN)
			break;
	}
	siginfo_t info = { 0 };
	while (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0 && errno == EINTR)
		;
	if (sfd >= 0)
		close(sfd);
	/* runc's convention: the exit status, or 128+N when killed by signal N */
	return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}
