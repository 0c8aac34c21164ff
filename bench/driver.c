/* driver.c - hull-bench-driver: runs bench/runtime.sh's steps (a command; a container's whole lifecycle) timed, and the
 * whole run as a subreaper. Must never time more than the runtime's own fork and exec, nor leave a child behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64
#define REAP_GRACE_MS 10000 /* how long descendants may outlive the command before they count as left behind */

extern char **environ;

struct step {
	int64_t us;
	long rss_kib;
};

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void print_command(char *const argv[])
{
	for (size_t i = 0; argv[i]; i++)
		fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
	fputc('\n', stderr);
}

/* argv (an absolute path first) to its end: 0 when it exited 0. posix_spawn is glibc's vfork-like clone, the
 * cheapest way to start it; its cost and the exec are the only things timed besides the command. */
static int run_timed(char *const argv[], struct step *out)
{
	pid_t pid;
	struct rusage ru;
	int status;
	int64_t t0 = now_us();
	int e = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	if (e) {
		errno = e;
		fprintf(stderr, "hull-bench-driver: cannot start %s: %s\n", argv[0], strerror(e));
		return -1;
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	out->us = now_us() - t0;
	out->rss_kib = ru.ru_maxrss;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "hull-bench-driver: %s %d: ", WIFEXITED(status) ? "exit" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	print_command(argv);
	return -1;
}

static int append_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	/* one write of a short line: parallel drivers appending to one file never interleave */
	ssize_t n = fd < 0 ? -1 : write(fd, line, strlen(line));
	if (fd >= 0)
		close(fd);
	if (n == (ssize_t)strlen(line))
		return 0;
	fprintf(stderr, "hull-bench-driver: cannot append to %s: %s\n", path, strerror(errno));
	return -1;
}

static int cmd_time(const char *out, char **argv)
{
	struct step s;
	char line[64];
	if (run_timed(argv, &s) < 0)
		return 1;
	snprintf(line, sizeof(line), "%" PRId64 " %ld\n", s.us, s.rss_kib);
	return append_line(out, line) < 0;
}

/* runtime[] followed by the words of one subcommand, in argv (MAX_ARGS long) */
static char **with_subcommand(char **argv, char **runtime, const char *const *words)
{
	size_t n = 0;
	for (; runtime[n] && n < MAX_ARGS - 8; n++)
		argv[n] = runtime[n];
	for (; *words; words++)
		argv[n++] = (char *)*words;
	argv[n] = NULL;
	return argv;
}

static pid_t read_pid_file(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
	if (pid <= 0)
		fprintf(stderr, "hull-bench-driver: no pid in %s\n", path);
	return (pid_t)pid;
}

/* The container's init is reparented to us (a subreaper) when the runtime exits: its exit is seen on a pidfd and
 * reaped here; an init that is not our child is only watched. */
static int wait_for_exit(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	siginfo_t info;
	if (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) < 0 && errno != ECHILD)
		return -1;
	return 0;
}

static int cmd_lifecycle(const char *out, const char *bundle, const char *id, char **runtime)
{
	char pid_file[4096], line[160], *argv[MAX_ARGS];
	struct step create, start, del;
	int pidfd = -1, ret = 1;
	pid_t pid;
	int64_t t_started, waited;
	snprintf(pid_file, sizeof(pid_file), "%s.pid", out);
	unlink(pid_file);
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	const char *const create_words[] = { "create", "--bundle", bundle, "--pid-file", pid_file, id, NULL };
	const char *const start_words[] = { "start", id, NULL };
	const char *const delete_words[] = { "delete", id, NULL };
	const char *const force_words[] = { "delete", "-f", id, NULL };
	int64_t t0 = now_us();
	if (run_timed(with_subcommand(argv, runtime, create_words), &create) < 0)
		goto out;
	pid = read_pid_file(pid_file);
	pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0 || run_timed(with_subcommand(argv, runtime, start_words), &start) < 0)
		goto out;
	t_started = now_us();
	if (wait_for_exit(pidfd) < 0)
		goto out;
	waited = now_us() - t_started;
	if (run_timed(with_subcommand(argv, runtime, delete_words), &del) < 0)
		goto out;
	snprintf(line, sizeof(line), "%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %ld\n", now_us() - t0,
		 create.us, start.us, waited, del.us, create.rss_kib);
	ret = append_line(out, line) < 0;
out:
	if (ret) {
		struct step ignored;
		run_timed(with_subcommand(argv, runtime, force_words), &ignored);
	}
	if (pidfd >= 0)
		close(pidfd);
	unlink(pid_file);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		; /* orphans of the runtime that came to us */
	return ret;
}

static pid_t reaped_command;

static void forward_signal(int sig)
{
	if (reaped_command > 0)
		kill(reaped_command, sig);
}

static void ignore_signal(int sig)
{
	(void)sig;
}

/* Our children that are still running, from /proc (orphans of the command come to us): printed, killed. */
static int kill_children_left(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int left = 0;
	while (d && (e = readdir(d))) {
		char path[300], stat[512], *close_paren;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		int fd = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		ssize_t n = fd < 0 ? -1 : read(fd, stat, sizeof(stat) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		stat[n] = '\0';
		close_paren = strrchr(stat, ')');
		int ppid = 0;
		char state = 0;
		if (close_paren && sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2 && ppid == getpid() && state != 'Z') {
			fprintf(stderr, "hull-bench-driver: left behind, killed: %.*s\n", (int)(close_paren + 1 - stat), stat);
			kill(atoi(e->d_name), SIGKILL);
			left++;
		}
	}
	if (d)
		closedir(d);
	return left;
}

/* COMMAND as a child subreaper: what is orphaned below it (a container's init after create) is reaped here rather
 * than left a zombie under an init that may not reap; COMMAND's exit status, or 1 when it left processes behind. */
static int cmd_reap(char **argv)
{
	/* ^C reaches COMMAND from the terminal itself; a SIGTERM or SIGHUP sent to us alone is passed on. Handlers, not
	 * SIG_IGN: an ignored signal would stay ignored in COMMAND. */
	struct sigaction sa = { .sa_handler = ignore_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int e = posix_spawn(&reaped_command, argv[0], NULL, NULL, argv, environ);
	if (e) {
		fprintf(stderr, "hull-bench-driver: cannot start %s: %s\n", argv[0], strerror(e));
		return 1;
	}
	pid_t command = reaped_command;
	int status = 0, ret = -1;
	int64_t deadline = 0; /* 0 while COMMAND runs */
	for (;;) {
		pid_t pid = waitpid(-1, &status, deadline ? WNOHANG : 0);
		if (pid > 0 && pid == command) {
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			reaped_command = 0;
			deadline = now_us() + REAP_GRACE_MS * 1000;
		} else if (pid < 0 && errno == ECHILD) {
			break;
		} else if (pid == 0 && now_us() > deadline) {
			if (kill_children_left() && ret == 0)
				ret = 1;
			deadline = now_us() + REAP_GRACE_MS * 1000;
		} else if (pid == 0) {
			usleep(20000);
		}
	}
	return ret < 0 ? 1 : ret;
}

static int usage(void)
{
	fputs("usage: hull-bench-driver time OUT -- COMMAND [ARG...]\n"
	      "         appends \"<wall us> <peak RSS KiB>\" to OUT\n"
	      "       hull-bench-driver lifecycle OUT BUNDLE ID -- RUNTIME [GLOBAL-OPTION...]\n"
	      "         create (with --pid-file OUT.pid), start, wait for the exit, delete; appends\n"
	      "         \"<total us> <create us> <start us> <wait us> <delete us> <create's peak RSS KiB>\" to OUT\n"
	      "       hull-bench-driver reap -- COMMAND [ARG...]\n"
	      "         COMMAND as a child subreaper: orphans below it are reaped; those alive after it are killed\n"
	      "COMMAND and RUNTIME are absolute paths.\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int dash = 0;
	for (int i = 1; i < argc && !dash; i++)
		if (strcmp(argv[i], "--") == 0)
			dash = i;
	if (dash == 0 || dash + 1 >= argc || argc - dash > MAX_ARGS - 8 || argv[dash + 1][0] != '/')
		return usage();
	if (strcmp(argv[1], "time") == 0 && dash == 3)
		return cmd_time(argv[2], argv + dash + 1);
	if (strcmp(argv[1], "reap") == 0 && dash == 2)
		return cmd_reap(argv + dash + 1);
	if (strcmp(argv[1], "lifecycle") == 0 && dash == 5)
		return cmd_lifecycle(argv[2], argv[3], argv[4], argv + dash + 1);
	return usage();
}
