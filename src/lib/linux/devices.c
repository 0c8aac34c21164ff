/* devices.c - device nodes (mknod or bind from the host) and /dev symlinks inside the root.
 * Must never trust a host device path without checking what it is (fstat on the opened fd). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/devices.h"
#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

static const struct hull_device default_devices[] = {
	{ "/dev/null", 'c', 1, 3, 0666, 0, 0 },	   { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
	{ "/dev/full", 'c', 1, 7, 0666, 0, 0 },	   { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
	{ "/dev/urandom", 'c', 1, 9, 0666, 0, 0 }, { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

static const struct {
	const char *target, *name;
} dev_symlinks[] = {
	{ "/proc/self/fd", "fd" },	     { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
	{ "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" },
};

int devices_open_host_null(hull_err *err)
{
	int fd = open("/dev/null", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "open /dev/null");
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(fd);
		return hull_fail(err, "/dev/null on the host is not the null device");
	}
	return fd;
}

static mode_t type_bits(char type)
{
	switch (type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default:
		return S_IFCHR;
	}
}

/* Bind the host node with the same number onto an empty file: the only way in a user namespace. */
static int bind_host_node(int rootfd, const struct hull_device *d, hull_err *err)
{
	_cleanup_close_ int src = open(d->path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (src < 0)
		return hull_fail_sys(err, "device %s: open on the host", d->path);
	struct stat st;
	if (fstat(src, &st) < 0 || (st.st_mode & S_IFMT) != type_bits(d->type) ||
	    (d->type != 'p' && st.st_rdev != makedev(d->major, d->minor)))
		return hull_fail(err, "device %s: the host's node is not %c %lld:%lld", d->path, d->type, (long long)d->major,
				 (long long)d->minor);
	_cleanup_close_ int target = fs_mkpath_in_root(rootfd, d->path, true, err);
	if (target < 0)
		return hull_err_prefix(err, "device %s", d->path);
	return mount_bind_fd(src, target, 0, false, d->path, err);
}

static int make_node(int rootfd, const struct hull_device *d, bool bind_from_host, hull_err *err)
{
	if (bind_from_host)
		return bind_host_node(rootfd, d, err);
	_cleanup_free_ char *copy = xstrdup(d->path);
	_cleanup_free_ char *copy2 = xstrdup(d->path);
	const char *dir = dirname(copy);
	const char *name = basename(copy2);
	_cleanup_close_ int dirfd = fs_mkpath_in_root(rootfd, dir, false, err);
	if (dirfd < 0)
		return hull_err_prefix(err, "device %s", d->path);
	/* A stale file (or a symlink planted by the image) is replaced, never followed. */
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT && errno != EISDIR)
		return hull_fail_sys(err, "device %s: remove the existing file", d->path);
	dev_t dev = d->type == 'p' ? 0 : makedev(d->major, d->minor);
	if (mknodat(dirfd, name, type_bits(d->type) | (d->mode & 07777), dev) < 0) {
		if (errno == EPERM)
			return bind_host_node(rootfd, d, err);
		return hull_fail_sys(err, "mknod %s", d->path);
	}
	if (fchownat(dirfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return hull_fail_sys(err, "chown %s", d->path);
	return 0;
}

int devices_create(int rootfd, const struct hull_spec *s, bool bind_from_host, hull_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		bool overridden = false;
		for (size_t j = 0; j < s->n_devices; j++)
			overridden |= strcmp(s->devices[j].path, default_devices[i].path) == 0;
		if (!overridden && make_node(rootfd, &default_devices[i], bind_from_host, err) < 0)
			return -1;
	}
	for (size_t j = 0; j < s->n_devices; j++)
		if (make_node(rootfd, &s->devices[j], bind_from_host, err) < 0)
			return -1;
	return 0;
}

int devices_symlinks(int rootfd, bool with_console, hull_err *err)
{
	int devfd = fs_open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY, 0);
	if (devfd < 0)
		return hull_fail_errno(err, -devfd, "open /dev in the container");
	_cleanup_close_ int dev = devfd;
	/* /dev/ptmx is always devpts' own, as runc's setupPtmx makes it: a node the config lists there (Docker and
	 * podman list the host's 5:2 for --privileged) is replaced by the link (a bind in a user namespace stays) */
	if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT && errno != EBUSY)
		return hull_fail_sys(err, "remove /dev/ptmx");
	for (size_t i = 0; i < ARRAY_SIZE(dev_symlinks); i++)
		if (symlinkat(dev_symlinks[i].target, dev, dev_symlinks[i].name) < 0 && errno != EEXIST)
			return hull_fail_sys(err, "symlink /dev/%s", dev_symlinks[i].name);
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 && errno != EEXIST)
		return hull_fail_sys(err, "symlink /dev/core");
	if (with_console) {
		int fd = openat(dev, "console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return hull_fail_sys(err, "create /dev/console");
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
