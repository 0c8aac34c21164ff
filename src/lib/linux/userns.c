/* userns.c - uid_map/gid_map of a container's new user namespace: written directly when hull may (root,
 * or one line mapping its own id), through newuidmap/newgidmap (Debian's uidmap) otherwise, as runc does.
 * Must never write "deny" to setgroups unless it is needed (an unprivileged gid_map written by hull). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/namespaces.h"
#include "linux/userns.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

extern char **environ;

/* what newuidmap says is kept to one line of this length */
#define HELPER_MSG_MAX 512

struct map_kind {
	const char *file;    /* uid_map */
	const char *helper;  /* newuidmap */
	const char *field;   /* linux.uidMappings */
	const char *subfile; /* /etc/subuid */
};
static const struct map_kind uid_kind = { "uid_map", "newuidmap", "linux.uidMappings", "/etc/subuid" };
static const struct map_kind gid_kind = { "gid_map", "newgidmap", "linux.gidMappings", "/etc/subgid" };

bool userns_unprivileged_maps(const struct hull_spec *s)
{
	return s->ns[NS_USER].enabled && s->ns[NS_USER].path == NULL && geteuid() != 0;
}

bool userns_maps_need_dumpable(const struct hull_spec *s)
{
	return userns_unprivileged_maps(s) || (s->ns[NS_USER].enabled && s->ns[NS_USER].path == NULL && userns_nested());
}

/* The one map an unprivileged process may write itself: its own id, once. */
static bool is_self_map(const struct hull_idmap *map, size_t n, uid_t own)
{
	return n == 1 && map[0].host_id == own && map[0].size == 1;
}

/* The helper's last words, on one line: "newuidmap: uid range [0-65536) -> [...) not allowed". */
static void read_helper_msg(int fd, char *msg, size_t cap)
{
	size_t len = 0;
	ssize_t r;
	char rest[256];
	/* read to the end, past what fits too: a helper blocked on a full pipe would never exit */
	while ((r = len + 1 < cap ? read(fd, msg + len, cap - 1 - len) : read(fd, rest, sizeof(rest))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (len + 1 < cap)
			len += (size_t)r;
	}
	msg[len] = '\0';
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	char *nl;
	while ((nl = strchr(msg, '\n')))
		*nl = ' ';
}

static int run_helper(pid_t pid, const struct map_kind *k, const struct hull_idmap *map, size_t n, hull_err *err)
{
	size_t argc = 0;
	_cleanup_free_ char **argv = xcalloc(3 * n + 3, sizeof(char *));
	argv[argc++] = (char *)k->helper;
	argv[argc++] = xasprintf("%d", pid);
	for (size_t i = 0; i < n; i++) {
		argv[argc++] = xasprintf("%u", map[i].container_id);
		argv[argc++] = xasprintf("%u", map[i].host_id);
		argv[argc++] = xasprintf("%u", map[i].size);
	}
	int ret = -1, pipefd[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		hull_fail_sys(err, "%s: pipe", k->helper);
		goto out;
	}
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	pid_t child;
	int e = posix_spawnp(&child, k->helper, &fa, NULL, argv, environ);
	close(pipefd[1]);
	if (e != 0) {
		if (e == ENOENT)
			hull_fail(err, "%s: mapping more than your own id needs %s (Debian package uidmap)", k->field,
				  k->helper);
		else
			hull_fail_errno(err, e, "%s: run %s", k->field, k->helper);
		goto out;
	}
	char msg[HELPER_MSG_MAX];
	read_helper_msg(pipefd[0], msg, sizeof(msg));
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hull_fail(err, "%s: %s refused the map (see %s): %s", k->field, k->helper, k->subfile,
			  *msg ? msg : "no message");
		goto out;
	}
	ret = 0;
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	posix_spawn_file_actions_destroy(&fa);
	for (size_t i = 1; i < argc; i++)
		free(argv[i]);
	return ret;
}

int userns_write_idmaps(pid_t pid, const struct hull_idmap *uids, size_t nu, const struct hull_idmap *gids, size_t ng,
			hull_err *err)
{
	int r = is_self_map(uids, nu, geteuid()) ? ns_write_map(pid, uid_kind.file, uids, 1, err)
						  : run_helper(pid, &uid_kind, uids, nu, err);
	if (r < 0)
		return -1;
	if (!is_self_map(gids, ng, getegid()))
		return run_helper(pid, &gid_kind, gids, ng, err);
	/* the kernel lets an unprivileged writer map its own gid only once setgroups is denied */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	if (fs_write_file(AT_FDCWD, path, "deny", 4, err) < 0)
		return hull_err_prefix(err, "write setgroups");
	return ns_write_map(pid, gid_kind.file, gids, 1, err);
}

int userns_write_maps(pid_t pid, const struct hull_spec *s, hull_err *err)
{
	if (!userns_unprivileged_maps(s))
		return ns_write_idmaps(pid, s, err);
	return userns_write_idmaps(pid, s->uid_mappings, s->n_uid_mappings, s->gid_mappings, s->n_gid_mappings, err);
}

bool userns_nested(void)
{
	char buf[128] = "";
	_cleanup_close_ int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	unsigned long inside, outside, size;
	/* the initial namespace maps every id to itself: "0 0 4294967295" */
	return sscanf(buf, "%lu %lu %lu", &inside, &outside, &size) != 3 || inside != 0 || outside != 0 ||
	       size != 4294967295UL || strchr(buf, '\n') != strrchr(buf, '\n');
}

bool userns_rootless(void)
{
	return geteuid() != 0 || userns_nested();
}
