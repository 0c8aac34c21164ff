/* rootless.c - the engine of a user who is not root: one long-lived pause process holds a user namespace (the user as
 * root, /etc/subuid's and /etc/subgid's range for the other ids) and a mount namespace; every `hull container` command
 * of the user joins both, so that its overlay mounts, monitors and files are the same for all of them (podman's pause
 * process). Must never map an id the user was not given, nor join a process that is not the user's own pause. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/rootless.h"
#include "linux/userns.h"
#include "state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define SUBID_MAX_FILE ((size_t)1 << 20)
#define PAUSE_PID "pause.pid"
#define PAUSE_LOCK "pause.lock"
#define SUBID_MAPS_MAX 32 /* lines of a map: the user, then its ranges (the kernel takes 340, shadow's tools as many) */

/* Does [start, start + count) share a host id with one of map[0..n)? (the kernel refuses such a map whole) */
static bool overlaps(const struct hull_idmap *map, size_t n, uint64_t start, uint64_t count)
{
	for (size_t i = 0; i < n; i++)
		if (start < (uint64_t)map[i].host_id + map[i].size && map[i].host_id < start + count)
			return true;
	return false;
}

/* The user's ranges in /etc/subuid (or subgid), by name or id, in the file's order, as ids 1 and up one after the
 * other (podman maps them so); a line that does not parse, or repeats ids already mapped, is passed over. After
 * map[0], the user itself. */
static size_t maps_for(const char *file, const char *name, unsigned own, struct hull_idmap map[SUBID_MAPS_MAX])
{
	map[0] = (struct hull_idmap){ 0, own, 1 };
	size_t n = 1;
	_cleanup_free_ char *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (fs_read_file_max(AT_FDCWD, file, SUBID_MAX_FILE, &text, NULL, &err) < 0)
		return n;
	char idtext[16];
	snprintf(idtext, sizeof(idtext), "%u", own);
	uint64_t next = 1;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && n < SUBID_MAPS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c1 = '\0';
		if (strcmp(line, idtext) != 0 && (name == NULL || strcmp(line, name) != 0))
			continue;
		char *end1 = NULL, *end2 = NULL;
		unsigned long start = strtoul(c1 + 1, &end1, 10), count = strtoul(c2 + 1, &end2, 10);
		if (end1 != c2 || *end2 != '\0' || count == 0 || start > UINT32_MAX || count > UINT32_MAX - start ||
		    next + count > UINT32_MAX || overlaps(map, n, start, count))
			continue;
		map[n++] = (struct hull_idmap){ (uint32_t)next, (uint32_t)start, (uint32_t)count };
		next += count;
	}
	return n;
}

static int join(pid_t pid, hull_err *err)
{
	static const struct { const char *ns; int type; } order[] = { { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS } };
	int fds[2] = { -1, -1 };
	for (size_t i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, order[i].ns);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			hull_fail_sys(err, "rootless: the pause process's %s namespace", order[i].ns);
			goto fail;
		}
	}
	for (size_t i = 0; i < 2; i++)
		if (setns(fds[i], order[i].type) < 0) {
			hull_fail_sys(err, "rootless: join the pause process's %s namespace", order[i].ns);
			goto fail;
		}
	close(fds[0]);
	close(fds[1]);
	return 0;
fail:
	for (size_t i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return -1;
}

/* The recorded pause process, when it still is that process and the user's. */
static pid_t recorded_pause(int dirfd)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (fs_read_file_max(dirfd, PAUSE_PID, 64, &text, NULL, &err) < 0)
		return 0;
	long pid = 0;
	unsigned long long start = 0;
	if (sscanf(text, "%ld %llu", &pid, &start) != 2 || pid <= 1)
		return 0;
	bool zombie = false;
	char proc[32];
	struct stat st;
	snprintf(proc, sizeof(proc), "/proc/%ld", pid);
	if (state_proc_start_time((pid_t)pid, &zombie) != start || zombie || stat(proc, &st) < 0 || st.st_uid != getuid())
		return 0;
	return (pid_t)pid;
}

static void wait_byte(int fd)
{
	char c;
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* The pause process: a user namespace (mapped by us, its parent), then a mount namespace of its own, then nothing. */
static _Noreturn void pause_main(int to_parent, int from_parent)
{
	if (unshare(CLONE_NEWUSER) < 0)
		_exit(1);
	if (write(to_parent, "u", 1) != 1)
		_exit(1);
	wait_byte(from_parent); /* the maps are written */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		_exit(1);
	setsid();
	prctl(PR_SET_NAME, "hull-pause");
	if (write(to_parent, "m", 1) != 1)
		_exit(1);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	syscall(SYS_close_range, 3, ~0U, 0);
	if (chdir("/") < 0)
		_exit(1);
	sigset_t all;
	sigfillset(&all);
	sigdelset(&all, SIGTERM);
	sigdelset(&all, SIGKILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (;;)
		pause();
}

static int make_pause(int dirfd, const char *root, hull_err *err)
{
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw ? pw->pw_name : NULL;
	struct hull_idmap uids[SUBID_MAPS_MAX], gids[SUBID_MAPS_MAX];
	size_t nu = maps_for("/etc/subuid", name, getuid(), uids), ng = maps_for("/etc/subgid", name, getgid(), gids);
	int up[2], down[2];
	if (pipe2(up, O_CLOEXEC) < 0)
		return hull_fail_sys(err, "rootless: pipe");
	if (pipe2(down, O_CLOEXEC) < 0) {
		close(up[0]), close(up[1]);
		return hull_fail_sys(err, "rootless: pipe");
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		pause_main(up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	int ret = -1;
	char c = 0;
	_cleanup_free_ char *rec = NULL;
	if (pid < 0) {
		hull_fail_sys(err, "rootless: fork the pause process");
		goto out;
	}
	if (read(up[0], &c, 1) != 1 || c != 'u') {
		hull_fail_code(err, EPERM, "rootless: the pause process could not make a user namespace (unprivileged user "
					   "namespaces disabled?)");
		goto out;
	}
	if (userns_write_idmaps(pid, uids, nu, gids, ng, err) < 0) {
		hull_err_prefix(err, "rootless");
		goto out;
	}
	if (write(down[1], "g", 1) != 1 || read(up[0], &c, 1) != 1 || c != 'm') {
		hull_fail_code(err, EPERM, "rootless: the pause process could not make its mount namespace");
		goto out;
	}
	rec = xasprintf("%d %llu\n", pid, (unsigned long long)state_proc_start_time(pid, NULL));
	if (fs_write_file_atomic(dirfd, PAUSE_PID, rec, strlen(rec), 0600, err) < 0)
		goto out;
	ret = join(pid, err);
out:
	if (ret < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	close(up[0]);
	close(down[1]);
	(void)root;
	return ret;
}

int rootless_enter(const char *root, hull_err *err)
{
	if (fs_mkdir_p(root, 0700, err) < 0)
		return -1;
	_cleanup_close_ int dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return hull_fail_sys(err, "store %s", root);
	_cleanup_close_ int lock = openat(dirfd, PAUSE_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		return hull_fail_sys(err, "store %s: %s", root, PAUSE_LOCK);
	pid_t pid = recorded_pause(dirfd);
	if (pid > 0)
		return join(pid, err);
	return make_pause(dirfd, root, err);
}
