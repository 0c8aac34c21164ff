/* mount.c - the container's /sys/fs/cgroup, on every cgroup layout.
 * Must never expose a host cgroup above the container's own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

/* In the container's own cgroup namespace: a fresh mount of the hierarchy, whose root is the namespace's
 * (the container's cgroup), as runc's mountCgroupV1 makes it. A bind from /proc/self/cgroup would not do:
 * inside the namespace that path is "/", and the host's mount would show the hierarchy above it. */
static int mount_fresh_hierarchy(const struct cgroup_hierarchy *h, int target, uint64_t attrs, const char *what,
				 hull_err *err)
{
	if (h->v2) {
		int mfd = mount_new_fs("cgroup2", "cgroup2", NULL, false, attrs, target, what, err);
		return mfd < 0 ? -1 : close(mfd);
	}
	/* the key is the superblock's own list: "cpu,cpuacct", "name=systemd" */
	_cleanup_free_ char *opts = xstrdup(h->key);
	char *data[16] = { 0 };
	size_t n = 0;
	char *save = NULL;
	for (char *o = strtok_r(opts, ",", &save); o && n + 1 < ARRAY_SIZE(data); o = strtok_r(NULL, ",", &save))
		data[n++] = o;
	bool named = strncmp(h->key, "name=", 5) == 0;
	int mfd = mount_new_fs("cgroup", named ? h->key + 5 : "cgroup", data, false, attrs, target, what, err);
	return mfd < 0 ? -1 : close(mfd);
}

/* Every hierarchy of the host (v1, and the hybrid unified one) under the tmpfs at dirfd: fresh mounts in the
 * container's own cgroup namespace, else binds of the init's own cgroup. */
static int bind_hierarchies(int dirfd, uint64_t attrs, bool own_cgroupns, const char *what, hull_err *err)
{
	struct cgroup_hierarchy *h = NULL;
	size_t n = 0;
	if (cgroup_hierarchies(&h, &n, err) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		if (strcmp(h[i].mountpoint, "/sys/fs/cgroup") == 0)
			continue;
		const char *name = h[i].mountpoint + strlen("/sys/fs/cgroup/");
		_cleanup_free_ char *own = cgroup_own_path(h[i].key);
		if (own == NULL)
			continue;
		const char *rel = cgroup_path_in_mount(&h[i], own);
		if (rel == NULL)
			rel = own;
		_cleanup_free_ char *src = xasprintf("%s/%s", h[i].mountpoint, rel[0] == '/' ? rel + 1 : rel);
		if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST) {
			ret = hull_fail_sys(err, "mount %s: mkdir %s", what, name);
			break;
		}
		_cleanup_close_ int target = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (own_cgroupns && target >= 0) {
			hull_err e = NULL;
			ret = mount_fresh_hierarchy(&h[i], target, attrs, what, &e);
			/* a user namespace may not mount a v1 hierarchy: the bind below then */
			if (ret < 0 && e->errnum != EPERM)
				hull_err_raw(err, e->errnum, e->msg);
			bool done = ret == 0 || e->errnum != EPERM;
			hull_err_free(&e);
			if (done)
				continue;
			ret = 0;
		}
		_cleanup_close_ int srcfd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (target < 0 || srcfd < 0) {
			ret = hull_fail_sys(err, "mount %s: open %s", what, src);
			break;
		}
		ret = mount_bind_fd(srcfd, target, attrs, false, what, err);
	}
	cgroup_hierarchies_free(h, n);
	return ret;
}

/* Bind this process's own v2 cgroup directory onto targetfd. */
static int bind_own_v2(int targetfd, uint64_t attrs, const char *what, hull_err *err)
{
	_cleanup_free_ char *own = cgroup_own_path("");
	if (own == NULL)
		return hull_fail(err, "mount %s: cannot find the container's cgroup", what);
	_cleanup_free_ char *src = xasprintf("/sys/fs/cgroup%s", strcmp(own, "/") == 0 ? "" : own);
	_cleanup_close_ int srcfd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (srcfd < 0)
		return hull_fail_sys(err, "mount %s: open %s", what, src);
	return mount_bind_fd(srcfd, targetfd, attrs, false, what, err);
}

int cgroup_mount_in_container(int targetfd, const char *type, uint64_t attrs, bool own_cgroupns, const char *what,
			      hull_err *err)
{
	if (cgroup_layout() == CGROUP_LAYOUT_V2 && !own_cgroupns)
		return bind_own_v2(targetfd, attrs, what, err);
	if (cgroup_layout() == CGROUP_LAYOUT_V2 || strcmp(type, "cgroup2") == 0) {
		int mfd = mount_new_fs("cgroup2", "cgroup", NULL, false, attrs, targetfd, what, err);
		if (mfd < 0)
			return -1;
		close(mfd);
		return 0;
	}
	char *const data[] = { "mode=755", NULL };
	_cleanup_close_ int tmpfs = mount_new_fs("tmpfs", "cgroup", data, false, attrs & ~(uint64_t)MOUNT_ATTR_RDONLY,
						 targetfd, what, err);
	if (tmpfs < 0)
		return -1;
	_cleanup_close_ int dir = openat(tmpfs, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return hull_fail_sys(err, "mount %s", what);
	if (bind_hierarchies(dir, attrs, own_cgroupns, what, err) < 0)
		return -1;
	if (attrs & MOUNT_ATTR_RDONLY) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(tmpfs, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			return hull_fail_sys(err, "make %s read-only", what);
	}
	return 0;
}
