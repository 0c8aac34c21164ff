/* idmap.c - idmapped mounts: the user namespaces that carry their mappings, and the detached mounts hull
 * makes for the init before SYNC_GO (only hull's credentials may idmap a host filesystem). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/idmap.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/sync.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

int idmap_apply(int tree, int userns_fd, bool recursive, const char *what, hull_err *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };
	if (mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) == 0)
		return 0;
	if (errno == EINVAL)
		return hull_fail_errno(err, errno, "idmap %s: the kernel cannot idmap this filesystem%s", what,
				       recursive ? " or one mounted below it" : "");
	return hull_fail_sys(err, "idmap %s", what);
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

/* The user namespace of each idmapped mount, in userns[i] (-1 for the others). */
static int open_userns(pid_t init, const struct hull_spec *s, int *userns, hull_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/user", init);
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct hull_mount *m = &s->mounts[i];
		userns[i] = -1;
		if (m->idmap == MOUNT_IDMAP_NONE)
			continue;
		if (m->n_uid_mappings == 0 || (ns_maps_equal(m->uid_mappings, m->n_uid_mappings, s->uid_mappings,
							     s->n_uid_mappings) &&
					       ns_maps_equal(m->gid_mappings, m->n_gid_mappings, s->gid_mappings,
							     s->n_gid_mappings))) {
			userns[i] = open(path, O_RDONLY | O_CLOEXEC);
			if (userns[i] < 0)
				return hull_fail_sys(err, "open %s", path);
			continue;
		}
		for (size_t j = 0; j < i && userns[i] < 0; j++) /* one namespace per set of mappings */
			if (userns[j] >= 0 && s->mounts[j].n_uid_mappings &&
			    ns_maps_equal(m->uid_mappings, m->n_uid_mappings, s->mounts[j].uid_mappings,
					  s->mounts[j].n_uid_mappings) &&
			    ns_maps_equal(m->gid_mappings, m->n_gid_mappings, s->mounts[j].gid_mappings,
					  s->mounts[j].n_gid_mappings))
				userns[i] = fcntl(userns[j], F_DUPFD_CLOEXEC, 3);
		if (userns[i] < 0 &&
		    (userns[i] = ns_userns_fd(m->uid_mappings, m->n_uid_mappings, m->gid_mappings, m->n_gid_mappings, err)) < 0)
			return hull_err_prefix(err, "mount %s", m->destination);
	}
	return 0;
}

/* The child: in the init's mount namespace (the mounts carry the locks they got there), make each
 * idmapped mount and send it to the init. Never returns. */
static _Noreturn void make_trees(int mntns, const struct hull_spec *s, const int *userns, int sync_fd, int err_fd)
{
	hull_err err = NULL;
	if (setns(mntns, CLONE_NEWNS) < 0) {
		hull_fail_sys(&err, "join the container's mount namespace");
		goto fail;
	}
	for (size_t i = 0; i < s->n_mounts; i++) {
		if (userns[i] < 0)
			continue;
		_cleanup_close_ int tree = mount_idmapped_tree(s, &s->mounts[i], userns[i], &err);
		if (tree < 0 || sync_send_fd(sync_fd, SYNC_MOUNT_FD, (int32_t)i, tree, &err) < 0)
			goto fail;
	}
	_exit(0);
fail:
	sync_send_error(err_fd, err);
	_exit(1);
}

int idmap_send_trees(pid_t init, const struct hull_spec *s, int sync_fd, hull_err *err)
{
	/* the kernel lets only a filesystem's owner (the host's root, for the host's) idmap it */
	if (geteuid() != 0)
		for (size_t i = 0; i < s->n_mounts; i++)
			if (s->mounts[i].idmap != MOUNT_IDMAP_NONE)
				return hull_fail_code(err, EPERM, "mount %s: idmapped mounts need hull to run as root",
						      s->mounts[i].destination);
	int *userns = xmalloc((s->n_mounts ? s->n_mounts : 1) * sizeof(int));
	for (size_t i = 0; i < s->n_mounts; i++)
		userns[i] = -1;
	int ret = -1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", init);
	_cleanup_close_ int mntns = -1;
	int pair[2] = { -1, -1 };
	if (open_userns(init, s, userns, err) < 0)
		goto out;
	if ((mntns = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		hull_fail_sys(err, "open %s", path);
		goto out;
	}
	if (sync_pair(pair, err) < 0)
		goto out;
	pid_t child = fork();
	if (child < 0) {
		hull_fail_sys(err, "fork");
		goto out;
	}
	if (child == 0)
		make_trees(mntns, s, userns, sync_fd, pair[1]);
	close(pair[1]);
	pair[1] = -1;
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		ret = 0;
	else if (sync_expect(pair[0], SYNC_READY, NULL, err) == 0) /* its SYNC_ERROR becomes *err */
		hull_fail(err, "idmapped mounts: the helper process failed (status %d)", status);
out:
	if (pair[0] >= 0)
		close(pair[0]);
	if (pair[1] >= 0)
		close(pair[1]);
	close_all(userns, s->n_mounts);
	return ret;
}
