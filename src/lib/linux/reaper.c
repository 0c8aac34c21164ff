/* reaper.c - hull's own container init: the process as its only child, every orphan reaped, every signal passed on.
 * Must never allocate, open a file, or change anything of the container: it runs with the process's credentials
 * and seccomp filter, and exits as soon as the process is gone. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/process.h"
#include "linux/reaper.h"
#include "util/error.h"

/* The command line hull was started with (glibc hands it to constructors): the reaper never execs, so without a wipe
 * the container would read the host's `hull ... run ...` (paths, names, flags) in /proc/1/cmdline. */
static char *args_start;
static size_t args_len;

static __attribute__((constructor)) void remember_args(int argc, char **argv)
{
	if (argc > 0 && argv && argv[0]) {
		args_start = argv[0];
		args_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
	}
}

/* /proc/1/cmdline says REAPER_COMM, as Docker's says docker-init: the rest of the region zeroed. */
static void wipe_args(void)
{
	if (args_start == NULL || args_len < sizeof(REAPER_COMM))
		return;
	memset(args_start, 0, args_len);
	memcpy(args_start, REAPER_COMM, sizeof(REAPER_COMM));
}

/* The status a shell would report for the process: tini's and catatonit's exit code. */
#define SIGNALLED_STATUS_BASE 128

/* In the child, before exec (every signal still blocked): a process group of its own, made the terminal's
 * foreground group when stdin is our controlling terminal, so that ^C and SIGWINCH reach the process
 * and not the reaper (tini's isolate_child). SIGTTOU is blocked, so tcsetpgrp from the background works. */
static void child_take_foreground(void)
{
	if (setpgid(0, 0) < 0 || (tcsetpgrp(STDIN_FILENO, getpgrp()) < 0 && errno != ENOTTY && errno != ENXIO)) {
		dprintf(2, "hull: hull.init: make the process the terminal's foreground group: %s\n", hull_errtext(errno));
		_exit(127);
	}
}

/* The child's whole life, in a frame of its own below ours: under vfork it writes nothing of our frame. */
static __attribute__((noinline)) _Noreturn void child_start(const char *path, char *const argv[], char *const envp[])
{
	child_take_foreground();
	process_exec(path, argv, envp);
}

/* Reap every zombie there is now; true once `child` was among them, with its wait status in *status.
 * __WALL: an orphan cloned with another exit signal is a zombie of ours too. */
static bool reap_zombies(pid_t child, int *status)
{
	bool child_gone = false;
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (pid == child) {
			*status = st;
			child_gone = true;
		}
	}
	return child_gone;
}

static int exit_code_of(int status)
{
	return WIFSIGNALED(status) ? SIGNALLED_STATUS_BASE + WTERMSIG(status) : WEXITSTATUS(status);
}

/* What our own execve would have done to our fds: every fd is close-on-exec past n_fds (init_create's
 * close_range), and below it those that hull opened. */
static void close_as_exec_would(int n_fds)
{
	for (int fd = 0; fd < n_fds; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags >= 0 && (flags & FD_CLOEXEC))
			close(fd);
	}
	syscall(SYS_close_range, n_fds, ~0U, 0);
}

/* The reaper's life after the vfork, in a frame of its own: nothing of it lives across vfork's return. */
static __attribute__((noinline)) _Noreturn void reap_and_forward(pid_t child, int n_fds)
{
	/* CVE-2019-5736: unlike the init, the reaper never execs, so it runs the host's hull binary for as long as the
	 * container lives. Non-dumpable, /proc/1/exe is closed to every process of the container that lacks
	 * CAP_SYS_PTRACE in the host's user namespace. Said again: process_apply_identity's change of uid reset the
	 * flag to fs.suid_dumpable, which may be 1. */
	prctl(PR_SET_DUMPABLE, 0);
	close_as_exec_would(n_fds);
	sigset_t all;
	sigfillset(&all);
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(&all, &info);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		int status;
		if (reap_zombies(child, &status))
			_exit(exit_code_of(status));
	}
}

void reaper_exec(const char *path, char *const argv[], char *const envp[], int n_fds)
{
	sigset_t all;
	sigfillset(&all);
	/* blocked before the fork: a signal sent in between waits for sigwaitinfo instead of being lost */
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* an inherited SIG_IGN would have the kernel reap the child unseen */
	signal(SIGCHLD, SIG_DFL);
	/* Without a pid namespace of our own the orphans go to the host's (or the joined namespace's)
	 * init unless we claim them. */
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* named before the process exists: it may read /proc/1/comm and /proc/1/cmdline at once (the child's exec gives
	 * it its own name; its argv is the config's, not this region) */
	prctl(PR_SET_NAME, REAPER_COMM);
	wipe_args();
	/* vfork: the child borrows our memory until its execve, instead of a copy of hull's whole address space
	 * (every library mapped) to be torn down again at once: a plain fork cost 2.3 ms of CPU per start, this
	 * nothing measurable (docs/init-reaper.md). No atfork handler runs. The child only changes its own process
	 * group and signal state (its own copies), then execs, or writes one line and _exits. */
	pid_t child = vfork();
	if (child < 0) {
		dprintf(2, "hull: hull.init: fork the process: %s\n", hull_errtext(errno));
		_exit(127);
	}
	if (child == 0)
		child_start(path, argv, envp);
	reap_and_forward(child, n_fds);
}
