/* rootfs.c - from a bundle's rootfs directory to the container's / : mounts, devices, pivot, masking.
 * Must never resolve a container path without fs_open_in_root / fs_mkpath_in_root. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/devices.h"
#include "linux/mounts.h"
#include "linux/rootfs.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mountinfo.h"
#include "util/xalloc.h"

static bool dev_is_bind_mounted(const struct hull_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct hull_mount *m = &s->mounts[i];
		if (strcmp(m->destination, "/dev") != 0)
			continue;
		if (m->type && strcmp(m->type, "bind") == 0)
			return true;
		for (size_t j = 0; j < m->n_options; j++)
			if (strcmp(m->options[j], "bind") == 0 || strcmp(m->options[j], "rbind") == 0)
				return true;
	}
	return false;
}

static bool has_terminal(const struct hull_spec *s)
{
	return s->process && s->process->terminal;
}

/* The mount holding fd, private if it is shared. Reached through its mount point (the attribute is set on
 * a mount's root only), checked to be the same mount. */
static int parent_mount_private(int fd, const char *what, hull_err *err)
{
	bool shared = false;
	_cleanup_free_ char *mountpoint = NULL;
	int r = mountinfo_of_fd(fd, &shared, &mountpoint);
	if (r < 0)
		return hull_fail_errno(err, -r, "root.path %s: find its mount", what);
	if (!shared)
		return 0;
	_cleanup_close_ int mp = open(mountpoint, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct statx a, b;
	if (mp < 0 || statx(mp, "", AT_EMPTY_PATH, STATX_MNT_ID, &a) < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &b) < 0)
		return hull_fail_sys(err, "root.path %s: open its mount %s", what, mountpoint);
	if (a.stx_mnt_id != b.stx_mnt_id)
		return hull_fail(err, "root.path %s: its mount %s changed while being made private", what, mountpoint);
	struct mount_attr priv = { .propagation = MS_PRIVATE };
	if (mount_setattr(mp, "", AT_EMPTY_PATH, &priv, sizeof(priv)) < 0)
		return hull_fail_sys(err, "root.path %s: make its mount %s private", what, mountpoint);
	return 0;
}

int rootfs_prepare(const struct hull_spec *s, const int *mount_fds, int below, int *rootfd_out, hull_err *err)
{
	/* as runc's prepareRoot: rootfsPropagation (by default rslave) applies to / of our new namespace,
	 * so that nothing we mount propagates back to the host unless the config asks */
	unsigned long root_prop = s->rootfs_propagation ? s->rootfs_propagation : MS_SLAVE | MS_REC;
	struct mount_attr prop = { .propagation = root_prop & ~(unsigned long)MS_REC };
	if (mount_setattr(AT_FDCWD, "/", (root_prop & MS_REC) ? AT_RECURSIVE : 0, &prop, sizeof(prop)) < 0)
		return hull_fail_sys(err, "linux.rootfsPropagation: set the propagation of /");

	/* The mount holding root.path is made private if it is shared, as runc does: our bind of the rootfs
	 * then cannot propagate to the host, and pivot_root refuses a shared parent. The rootfs mount is a
	 * clone of it; rootfs_finalize gives the container's / its rootfsPropagation. After a recursive rslave,
	 * rprivate or runbindable of / (the default) no mount of ours is shared: mountinfo need not be read. */
	bool none_shared = (root_prop & MS_REC) && (root_prop & (MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE));
	if (!none_shared && parent_mount_private(below, s->root_path, err) < 0)
		return -1;
	_cleanup_close_ int tree = open_tree(below, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0)
		return hull_fail_sys(err, "root.path %s", s->root_path);
	struct stat st;
	if (fstat(tree, &st) < 0 || !S_ISDIR(st.st_mode))
		return hull_fail(err, "root.path %s: not a directory", s->root_path);
	if (move_mount(tree, "", below, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_fail_sys(err, "bind root.path %s onto itself", s->root_path);
	/* `tree` now names the root of the new mount: every path below is resolved from it. */
	int rootfd = tree;

	for (size_t i = 0; i < s->n_mounts; i++)
		if (mount_apply(rootfd, s, &s->mounts[i], mount_fds ? mount_fds[i] : -1, err) < 0)
			return -1;

	if (!dev_is_bind_mounted(s)) {
		bool userns = s->ns[NS_USER].enabled;
		if (devices_create(rootfd, s, userns, err) < 0 || devices_symlinks(rootfd, has_terminal(s), err) < 0)
			return -1;
	}
	*rootfd_out = take_fd(&tree);
	return 0;
}

int rootfs_chroot_only(const struct hull_spec *s, int *rootfd, hull_err *err)
{
	int fd = open(s->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "root.path %s", s->root_path);
	if (fchdir(fd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		int e = errno;
		close(fd);
		return hull_fail_errno(err, e, "chroot into %s", s->root_path);
	}
	*rootfd = fd;
	return 0;
}

/* as runc's msMoveRoot: without pivot_root the host's old root stays in our mount namespace, below the
 * container's. Any full procfs or sysfs mount there would let a process that makes a user namespace in the
 * container mount a fresh, unmasked procfs or sysfs (the kernel allows it when one is already fully
 * visible): detach them all, or cover them where they cannot be detached. */
static int hide_host_procfs(int rootfd, hull_err *err)
{
	struct mountinfo *mi = NULL;
	size_t n = 0;
	struct statx stx;
	if (statx(rootfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return hull_fail_sys(err, "--no-pivot: the mount id of the container root");
	int r = mountinfo_read(&mi, &n);
	if (r < 0)
		return hull_fail_errno(err, -r, "--no-pivot: read /proc/self/mountinfo");
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct mountinfo *m = &mi[i];
		if (strcmp(m->root, "/") != 0 || (strcmp(m->fstype, "proc") != 0 && strcmp(m->fstype, "sysfs") != 0) ||
		    mountinfo_is_below(mi, n, m, stx.stx_mnt_id))
			continue;
		struct mount_attr slave = { .propagation = MS_SLAVE };
		if (mount_setattr(AT_FDCWD, m->mountpoint, AT_RECURSIVE | AT_SYMLINK_NOFOLLOW, &slave, sizeof(slave)) < 0) {
			if (errno == ENOENT)
				continue; /* below one already detached */
			ret = hull_fail_sys(err, "--no-pivot: make %s a slave", m->mountpoint);
			break;
		}
		if (umount2(m->mountpoint, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			continue;
		if (errno != EINVAL && errno != EPERM) {
			ret = hull_fail_sys(err, "--no-pivot: detach %s", m->mountpoint);
			break;
		}
		_cleanup_close_ int target = open(m->mountpoint, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int mfd = target < 0 ? -1 : mount_new_fs("tmpfs", "tmpfs", NULL, false, 0, target, m->mountpoint, err);
		if (target < 0)
			ret = hull_fail_sys(err, "--no-pivot: cover %s", m->mountpoint);
		else if (mfd < 0)
			ret = hull_err_prefix(err, "--no-pivot");
		else
			close(mfd);
	}
	mountinfo_free(mi, n);
	return ret;
}

int rootfs_pivot(int rootfd, bool no_pivot, hull_err *err)
{
	if (fchdir(rootfd) < 0)
		return hull_fail_sys(err, "chdir to the container root");
	if (no_pivot) {
		if (hide_host_procfs(rootfd, err) < 0)
			return -1;
		if (move_mount(rootfd, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return hull_fail_sys(err, "move the container root onto /");
		if (chroot(".") < 0)
			return hull_fail_sys(err, "chroot into the container root");
		if (chdir("/") < 0)
			return hull_fail_sys(err, "chdir /");
		return 0;
	}
	_cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0)
		return hull_fail_sys(err, "open the old root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return hull_fail_sys(err, "pivot_root");
	/* The old root is stacked on the new one; detach it, a recursive slave first (as runc):
	 * rootfsPropagation may have left the host's mounts shared with the host, and the unmount must not
	 * reach it. Named by its fd: after pivot_root, "." may be either root. The container's own mounts are
	 * not below the old root, so the propagation the config gave them (rshared ...) stays as asked. */
	struct mount_attr slave = { .propagation = MS_SLAVE };
	if (mount_setattr(oldroot, "", AT_EMPTY_PATH | AT_RECURSIVE, &slave, sizeof(slave)) < 0)
		return hull_fail_sys(err, "make the old root a recursive slave");
	if (fchdir(oldroot) < 0 || umount2(".", MNT_DETACH) < 0)
		return hull_fail_sys(err, "detach the old root");
	if (chdir("/") < 0)
		return hull_fail_sys(err, "chdir /");
	return 0;
}

static int make_readonly(int rootfd, const char *path, hull_err *err)
{
	int fd = fs_open_in_root(rootfd, path, O_PATH, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return hull_fail_errno(err, -fd, "readonlyPaths: open %s", path);
	_cleanup_close_ int target = fd;
	_cleanup_close_ int tree = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0)
		return hull_fail_sys(err, "readonlyPaths: bind %s", path);
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) < 0) {
		/* flags locked by a user namespace cannot all be set; read-only is what matters */
		ro.attr_set = MOUNT_ATTR_RDONLY;
		if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) < 0)
			return hull_fail_sys(err, "readonlyPaths: make %s read-only", path);
	}
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_fail_sys(err, "readonlyPaths: mount %s", path);
	return 0;
}

/* A masked directory gets an empty read-only tmpfs; every other one a bind of that same tmpfs (runc 1.5: one
 * superblock for all, not one per path, which costs the kernel at scale). *shared: its mount fd, -1 at first. */
static int mask(int rootfd, const char *path, int host_null, int *shared, hull_err *err)
{
	int fd = fs_open_in_root(rootfd, path, O_PATH, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return hull_fail_errno(err, -fd, "maskedPaths: open %s", path);
	_cleanup_close_ int target = fd;
	struct stat st;
	if (fstat(target, &st) < 0)
		return hull_fail_sys(err, "maskedPaths: stat %s", path);
	if (S_ISDIR(st.st_mode) && *shared >= 0) {
		if (mount_bind_fd(*shared, target, MOUNT_ATTR_RDONLY, false, path, err) < 0)
			return hull_err_prefix(err, "maskedPaths");
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		char *const data[] = { "size=0", "mode=0555", NULL };
		*shared = mount_new_fs("tmpfs", "tmpfs", data, true, MOUNT_ATTR_RDONLY, target, path, err);
		return *shared < 0 ? hull_err_prefix(err, "maskedPaths") : 0;
	}
	if (mount_bind_fd(host_null, target, MOUNT_ATTR_RDONLY, false, path, err) < 0)
		return hull_err_prefix(err, "maskedPaths");
	return 0;
}

int rootfs_write_sysctl(int rootfd, const struct hull_spec *s, hull_err *err)
{
	if (s->n_sysctl == 0)
		return 0;
	int fd = fs_open_in_root(rootfd, "/proc/sys", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "linux.sysctl: open /proc/sys in the container");
	_cleanup_close_ int procsys = fd;
	if (!fs_is_fstype(procsys, PROC_SUPER_MAGIC))
		return hull_fail(err, "linux.sysctl: /proc/sys in the container is not procfs");
	for (size_t i = 0; i < s->n_sysctl; i++) {
		_cleanup_free_ char *rel = xstrdup(s->sysctl[i].key);
		for (char *p = rel; *p; p++)
			if (*p == '.')
				*p = '/';
		struct open_how how = {
			.flags = O_WRONLY | O_CLOEXEC | O_TRUNC,
			.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH,
		};
		int kfd = (int)syscall(SYS_openat2, procsys, rel, &how, sizeof(how));
		if (kfd < 0)
			return hull_fail_sys(err, "linux.sysctl: %s", s->sysctl[i].key);
		_cleanup_close_ int k = kfd;
		size_t len = strlen(s->sysctl[i].value);
		if (write(k, s->sysctl[i].value, len) != (ssize_t)len)
			return hull_fail_sys(err, "linux.sysctl: write %s=%s", s->sysctl[i].key, s->sysctl[i].value);
	}
	return 0;
}

/* The mounts at /sys/fs/cgroup and below read-only where they are (a new bind on top would change the
 * order of the container's mounts); nothing when nothing is there or no mount is. It fails closed: any
 * other error fails create. A symlink is followed inside the root, as the mount destinations were. */
static int cgroups_readonly(int rootfd, hull_err *err)
{
	int fd = fs_open_in_root(rootfd, "/sys/fs/cgroup", O_PATH | O_DIRECTORY, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return hull_fail_errno(err, -fd, "make /sys/fs/cgroup read-only: open it");
	_cleanup_close_ int dir = fd;
	struct statx stx;
	if (statx(dir, "", AT_EMPTY_PATH, 0, &stx) < 0)
		return hull_fail_sys(err, "make /sys/fs/cgroup read-only: statx");
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return hull_fail_errno(err, EOPNOTSUPP, "make /sys/fs/cgroup read-only: is it a mount?");
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	if (mount_setattr(dir, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) < 0)
		return hull_fail_sys(err, "make /sys/fs/cgroup read-only");
	return 0;
}

int rootfs_protect_paths(int rootfd, const struct hull_spec *s, int host_null, hull_err *err)
{
	for (size_t i = 0; s->readonly_paths && s->readonly_paths[i]; i++)
		if (make_readonly(rootfd, s->readonly_paths[i], err) < 0)
			return -1;
	_cleanup_close_ int masked_tmpfs = -1;
	for (size_t i = 0; s->masked_paths && s->masked_paths[i]; i++)
		if (mask(rootfd, s->masked_paths[i], host_null, &masked_tmpfs, err) < 0)
			return -1;
	/* CVE-2023-25809: in a user namespace without a cgroup namespace of its own, whatever cgroup
	 * mounts reached /sys/fs/cgroup (an rbind of /sys brings the host's) are the host's cgroups, some
	 * perhaps delegated to the mapped ids: read-only, however the config mounted them ("ro" on an
	 * rbind covers the top mount only, as runtime-spec says) */
	if (s->ns[NS_USER].enabled && !s->ns[NS_CGROUP].enabled && cgroups_readonly(rootfd, err) < 0)
		return -1;
	return 0;
}

/* fds 0-2 on the host's /dev/null (an engine's stdin) are a file of a mount the container does not have:
 * each is reopened as the container's own (runc's reOpenDevNull), which criu can dump and restore. */
static int reopen_dev_null(hull_err *err)
{
	_cleanup_close_ int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct stat own, st;
	if (null < 0 || fstat(null, &own) < 0 || !S_ISCHR(own.st_mode))
		return 0; /* no /dev/null of the container's to reopen onto */
	for (int fd = 0; fd <= STDERR_FILENO; fd++) {
		if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != own.st_rdev)
			continue;
		if ((st.st_dev != own.st_dev || st.st_ino != own.st_ino) && dup3(null, fd, 0) < 0)
			return hull_fail_sys(err, "reopen fd %d on the container's /dev/null", fd);
	}
	return 0;
}

int rootfs_finalize(const struct hull_spec *s, hull_err *err)
{
	if (!dev_is_bind_mounted(s) && reopen_dev_null(err) < 0)
		return -1;
	/* the runtime-spec's rootfsPropagation is that of the container's / (as crun sets it); runc 1.1.5
	 * sets it only on the host's / before the pivot (rootfs_prepare does that too) and leaves the
	 * container's / a slave: listed in tests/engines/configs/known-differences */
	if (s->rootfs_propagation) {
		struct mount_attr prop = { .propagation = s->rootfs_propagation & ~(unsigned long)MS_REC };
		if (mount_setattr(AT_FDCWD, "/", (s->rootfs_propagation & MS_REC) ? AT_RECURSIVE : 0, &prop, sizeof(prop)) < 0)
			return hull_fail_sys(err, "linux.rootfsPropagation");
	}
	if (s->root_readonly) {
		struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof(ro)) < 0)
			return hull_fail_sys(err, "root.readonly: make / read-only");
	}
	/* a read-only /dev was mounted writable for the devices made in it (mount_apply) */
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct mount_opts o;
		if (!mount_is_dev(&s->mounts[i]))
			continue;
		if (mount_opts_parse(s->mounts[i].options, s->mounts[i].n_options, &o, err) < 0)
			return -1;
		bool ro = o.attr_set & MOUNT_ATTR_RDONLY;
		mount_opts_free(&o);
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (ro && mount_setattr(AT_FDCWD, "/dev", 0, &attr, sizeof(attr)) < 0)
			return hull_fail_sys(err, "mount /dev: make it read-only");
	}
	return 0;
}
