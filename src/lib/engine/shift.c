/* shift.c - a rootless container with id maps of its own: every file of its merged rootfs given the owner its maps
 * make of the image's (podman's chown of the layers), as idmapped layers need privilege rootless hull lacks.
 * Must never leave the mount it walks, follow a symbolic link, or lose a set-id bit or a file capability. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "engine/shift.h"
#include "linux/namespaces.h"
#include "util/cleanup.h"

/* directories deeper than this are refused rather than walked (no image nests so deep) */
#define SHIFT_DEPTH_MAX 256
#define CAP_XATTR "security.capability"

/* A file capability, as the chown will clear it: v2 or v3 read back, written again as v3 whose root is the
 * container's root (the kernel takes a v2 written in our namespace as meant for our root, not the container's). */
static bool cap_read(int dirfd, const char *name, struct vfs_ns_cap_data *cap)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	memset(cap, 0, sizeof(*cap));
	return fd >= 0 && fgetxattr(fd, CAP_XATTR, cap, sizeof(*cap)) >= (ssize_t)XATTR_CAPS_SZ_2;
}

static int cap_write(int dirfd, const char *name, struct vfs_ns_cap_data *cap, uint32_t rootid)
{
	uint32_t rev = cap->magic_etc & VFS_CAP_REVISION_MASK, flags = cap->magic_etc & VFS_CAP_FLAGS_EFFECTIVE;
	if (rev != VFS_CAP_REVISION_2 && rev != VFS_CAP_REVISION_3)
		return 0; /* not one the kernel would honour anyway */
	cap->magic_etc = VFS_CAP_REVISION_3 | flags;
	cap->rootid = rootid;
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	return fd < 0 ? -1 : fsetxattr(fd, CAP_XATTR, cap, XATTR_CAPS_SZ_3, 0);
}

/* An id the maps leave out keeps its owner (it stays "nobody" inside). */
static int shift_entry(int dirfd, const char *name, const struct stat *st, const struct shift_maps *m, hull_err *err)
{
	uid_t uid = ns_map_id(m->uid, m->n_uid, st->st_uid, st->st_uid);
	gid_t gid = ns_map_id(m->gid, m->n_gid, st->st_gid, st->st_gid);
	if (uid == st->st_uid && gid == st->st_gid)
		return 0;
	struct vfs_ns_cap_data cap;
	bool has_cap = S_ISREG(st->st_mode) && cap_read(dirfd, name, &cap);
	if (fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return hull_fail_sys(err, "give %s its owner %u:%u", name, uid, gid);
	/* the chown cleared the set-id bits and the capability */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & 06000) && fchmodat(dirfd, name, st->st_mode & 07777, 0) < 0)
		return hull_fail_sys(err, "mode of %s", name);
	if (has_cap && cap_write(dirfd, name, &cap, ns_map_id(m->uid, m->n_uid, 0, 0)) < 0)
		return hull_fail_sys(err, "file capability of %s", name);
	return 0;
}

static int shift_dir(int fd, dev_t dev, int depth, const struct shift_maps *m, hull_err *err)
{
	if (depth > SHIFT_DEPTH_MAX)
		return hull_fail_code(err, ELOOP, "directories nested deeper than %d", SHIFT_DEPTH_MAX);
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	_cleanup_closedir_ DIR *d = dup < 0 ? NULL : fdopendir(dup);
	if (d == NULL) {
		if (dup >= 0)
			close(dup);
		return hull_fail_sys(err, "read a directory");
	}
	struct dirent *de;
	while ((errno = 0, de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return hull_fail_sys(err, "stat %s", n);
		if (st.st_dev != dev) /* a mount below: not the image's */
			continue;
		if (S_ISDIR(st.st_mode)) {
			_cleanup_close_ int sub = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				return hull_fail_sys(err, "open %s", n);
			if (shift_dir(sub, dev, depth + 1, m, err) < 0)
				return hull_err_prefix(err, "%s", n);
		}
		if (shift_entry(fd, n, &st, m, err) < 0)
			return -1;
	}
	if (errno != 0)
		return hull_fail_sys(err, "read a directory");
	return 0;
}

int shift_owners(int rootfd, const struct shift_maps *m, hull_err *err)
{
	struct stat st;
	if (fstat(rootfd, &st) < 0)
		return hull_fail_sys(err, "rootfs");
	/* the root itself is the upper directory's, given its owner by the caller */
	if (shift_dir(rootfd, st.st_dev, 0, m, err) < 0)
		return hull_err_prefix(err, "rootfs");
	return 0;
}
