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

enum cgroup_layout cgroup_layout(void)
{
	static int layout = -1;
	if (layout >= 0)
		return (enum cgroup_layout)layout;
	struct statfs sfs;
	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		layout = CGROUP_LAYOUT_V2;
	else if (statfs("/sys/fs/cgroup/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		layout = CGROUP_LAYOUT_HYBRID;
	else
		layout = CGROUP_LAYOUT_V1;
	return (enum cgroup_layout)layout;
}

/* The path of this process's cgroup in the hierarchy whose /proc/self/cgroup key is `key`
 * ("memory", "name=systemd", "" for v2). */
static char *own_cgroup(const char *key)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	if (f == NULL)
		return NULL;
	char *line = NULL;
	size_t cap = 0;
	char *result = NULL;
	while (result == NULL && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		const char *ctrls = c1 + 1;
		if (strcmp(ctrls, key) == 0)
			result = strdup(c2 + 1);
	}
	free(line);
	return result;
}

/* Bind every v1 hierarchy (and the hybrid unified one) of the host under the tmpfs at dirfd. */
static int bind_hierarchies(int dirfd, uint64_t attrs, const char *what, hull_err *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return hull_fail_sys(err, "open /proc/self/mountinfo");
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;
	while (ret == 0 && getline(&line, &cap, f) > 0) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
		char root[4096], mnt[4096], fstype[64], super[1024];
		char *dash = strstr(line, " - ");
		if (dash == NULL || sscanf(line, "%*d %*d %*s %4095s %4095s", root, mnt) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strncmp(mnt, "/sys/fs/cgroup/", 15) != 0 || strchr(mnt + 15, '/'))
			continue;
		const char *name = mnt + 15;
		_cleanup_free_ char *key = NULL;
		if (strcmp(fstype, "cgroup2") == 0) {
			key = strdup("");
		} else if (strcmp(fstype, "cgroup") == 0) {
			/* the /proc/self/cgroup key is the controllers (or name=) among the superblock options */
			char keybuf[1024] = "";
			char *save = NULL;
			for (char *o = strtok_r(super, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
				if (strcmp(o, "rw") == 0 || strcmp(o, "ro") == 0 || strncmp(o, "release_agent", 13) == 0 ||
				    strcmp(o, "clone_children") == 0 || strcmp(o, "noprefix") == 0 || strcmp(o, "xattr") == 0 ||
				    strncmp(o, "cpuset_v2_mode", 14) == 0)
					continue;
				if (*keybuf)
					strncat(keybuf, ",", sizeof(keybuf) - strlen(keybuf) - 1);
				strncat(keybuf, o, sizeof(keybuf) - strlen(keybuf) - 1);
			}
			key = strdup(keybuf);
		} else {
			continue;
		}
		_cleanup_free_ char *own = own_cgroup(key);
		if (own == NULL)
			continue;
		/* our cgroup, relative to the mount's root */
		const char *rel = own;
		size_t rl = strlen(root);
		if (strcmp(root, "/") != 0 && strncmp(own, root, rl) == 0)
			rel = own + rl;
		_cleanup_free_ char *src = NULL;
		if (asprintf(&src, "%s/%s", mnt, rel[0] == '/' ? rel + 1 : rel) < 0)
			continue;
		if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST) {
			ret = hull_fail_sys(err, "mount %s: mkdir %s", what, name);
			break;
		}
		_cleanup_close_ int target = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		_cleanup_close_ int srcfd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (target < 0 || srcfd < 0) {
			ret = hull_fail_sys(err, "mount %s: open %s", what, src);
			break;
		}
		ret = mount_bind_fd(srcfd, target, attrs, false, what, err);
	}
	free(line);
	return ret;
}

int cgroup_mount_in_container(int targetfd, const char *type, uint64_t attrs, const char *what, hull_err *err)
{
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
	if (bind_hierarchies(dir, attrs, what, err) < 0)
		return -1;
	if (attrs & MOUNT_ATTR_RDONLY) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(tmpfs, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			return hull_fail_sys(err, "make %s read-only", what);
	}
	return 0;
}
