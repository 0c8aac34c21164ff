/* fs.c - whole-file reads and writes, race-free lookups inside a rootfs, tree copy and removal.
 * Must never resolve a container path against the host root. */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

int fs_read_file(int dirfd, const char *path, char **out, size_t *len, hull_err *err)
{
	return fs_read_file_max(dirfd, path, SIZE_MAX / 4, out, len, err);
}

int fs_read_file_max(int dirfd, const char *path, size_t max, char **out, size_t *len, hull_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "open %s", path);
	return fs_read_fd_max(fd, path, max, out, len, err);
}

int fs_read_fd_max(int fd, const char *what, size_t max, char **out, size_t *len, hull_err *err)
{
	size_t cap = 4096, n = 0;
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n > max)
			return hull_fail_code(err, EFBIG, "%s: larger than %zu bytes, the most hull reads", what, max);
		if (n == cap) {
			cap = cap > max / 2 ? max + 1 : cap * 2;
			char *nb = xrealloc(buf, cap + 1);
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return hull_fail_sys(err, "read %s", what);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = take_ptr(buf);
	if (len)
		*len = n;
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int fs_write_file(int dirfd, const char *path, const char *data, size_t len, hull_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_TRUNC);
	if (fd < 0)
		return hull_fail_sys(err, "open %s", path);
	if (write_all(fd, data, len) < 0)
		return hull_fail_sys(err, "write %s", path);
	return 0;
}

int fs_write_file_atomic(int dirfd, const char *path, const char *data, size_t len, mode_t mode, hull_err *err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.tmp.%d", path, getpid());
	_cleanup_close_ int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return hull_fail_sys(err, "create %s", tmp);
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0) {
		int saved = errno;
		unlinkat(dirfd, tmp, 0);
		return hull_fail_errno(err, saved, "write %s", tmp);
	}
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		int saved = errno;
		unlinkat(dirfd, tmp, 0);
		return hull_fail_errno(err, saved, "rename %s to %s", tmp, path);
	}
	return 0;
}

/* openat2 fails with EAGAIN when a rename or mount raced its ".." resolution; a container renaming in a
 * loop must not keep hull spinning: after this many tries the EAGAIN is the caller's error. */
#define OPENAT2_MAX_RETRIES 128

int fs_open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	int fd, tries = 0;
	do
		fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < OPENAT2_MAX_RETRIES);
	return fd < 0 ? -errno : fd;
}

#define MAX_SYMLINK_HOPS 40

/* "a/b/link/c" with link -> target at `comp`: the path to walk instead, still inside the root. */
static char *path_through_link(const char *cur, const char *comp, const char *after, const char *target)
{
	return target[0] == '/' ? xasprintf("%s%s", target, after)
				: xasprintf("%.*s%s%s", (int)(comp - cur), cur, target, after);
}

int fs_mkpath_in_root(int rootfd, const char *path, bool file, hull_err *err)
{
	int fd = fs_open_in_root(rootfd, path, O_PATH, 0);
	if (fd >= 0)
		return fd;
	if (fd != -ENOENT)
		return hull_fail_errno(err, -fd, "open %s in the container", path);

	_cleanup_free_ char *cur = xstrdup(path);
	for (int hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
		_cleanup_close_ int parent = fs_open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
		if (parent < 0)
			return hull_fail_errno(err, -parent, "open the container root");
		char *next_path = NULL;
		const char *p = cur;
		while (*p) {
			while (*p == '/')
				p++;
			if (*p == '\0')
				break;
			const char *comp = p;
			size_t len = strcspn(comp, "/");
			const char *after = comp + len;
			bool last = after[strspn(after, "/")] == '\0';
			_cleanup_free_ char *prefix = xstrndup(cur, (size_t)(after - cur));
			_cleanup_free_ char *name = xstrndup(comp, len);
			int next = fs_open_in_root(rootfd, prefix, O_PATH, 0);
			if (next == -ENOENT) {
				int r = last && file ? openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)
						     : mkdirat(parent, name, 0755);
				if (r >= 0 && last && file)
					close(r);
				if (r < 0 && errno == EEXIST) {
					/* a dangling symlink: follow it by hand, inside the root, and create its target */
					char target[PATH_MAX];
					ssize_t tl = readlinkat(parent, name, target, sizeof(target) - 1);
					if (tl < 0)
						return hull_fail_sys(err, "create %s in the container", prefix);
					target[tl] = '\0';
					next_path = path_through_link(cur, comp, after, target);
					break;
				}
				if (r < 0)
					return hull_fail_sys(err, "create %s in the container", prefix);
				next = fs_open_in_root(rootfd, prefix, O_PATH, 0);
			}
			if (next < 0)
				return hull_fail_errno(err, -next, "open %s in the container", prefix);
			close(parent);
			parent = next;
			p = after;
		}
		if (next_path == NULL)
			return take_fd(&parent);
		free(cur);
		cur = next_path;
	}
	return hull_fail_errno(err, ELOOP, "create %s in the container", path);
}

int fs_mkdir_p(const char *path, mode_t mode, hull_err *err)
{
	/* the common case first: only the last component is missing, or none is */
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return hull_fail_sys(err, "mkdir %s", path);
	_cleanup_free_ char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return hull_fail_sys(err, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return hull_fail_sys(err, "mkdir %s", p);
	return 0;
}

bool fs_path_has_dotdot(const char *path)
{
	for (const char *p = path; *p;) {
		size_t l = strcspn(p, "/");
		if (l == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += l + (p[l] == '/');
	}
	return false;
}

bool fs_is_fstype(int fd, unsigned long magic)
{
	struct statfs sfs;
	return fstatfs(fd, &sfs) == 0 && (unsigned long)sfs.f_type == magic;
}

int fs_rmtree(int dirfd, const char *name)
{
	struct stat root;
	if (fstatat(dirfd, name, &root, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(root.st_mode))
		return unlinkat(dirfd, name, 0) < 0 ? -errno : 0;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -errno;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && st.st_dev == root.st_dev)
			fs_rmtree(fd, de->d_name);
		else if (!S_ISDIR(st.st_mode))
			unlinkat(fd, de->d_name, 0);
	}
	return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static int copy_file(int srcdir, int dstdir, const char *name, const struct stat *st, hull_err *err)
{
	_cleanup_close_ int in = openat(srcdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return hull_fail_sys(err, "tmpcopyup: open %s", name);
	_cleanup_close_ int out = openat(dstdir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0)
		return hull_fail_sys(err, "tmpcopyup: create %s", name);
	char buf[65536];
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));
		if (r < 0)
			return hull_fail_sys(err, "tmpcopyup: read %s", name);
		if (r == 0)
			break;
		if (write_all(out, buf, (size_t)r) < 0)
			return hull_fail_sys(err, "tmpcopyup: write %s", name);
	}
	return 0;
}

int fs_copy_tree(int srcfd, int dstfd, hull_err *err)
{
	int fd = openat(srcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "tmpcopyup: open source directory");
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return hull_fail_sys(err, "tmpcopyup: read source directory");
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return hull_fail_sys(err, "tmpcopyup: stat %s", n);
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(dstfd, n, st.st_mode & 07777) < 0 && errno != EEXIST)
				return hull_fail_sys(err, "tmpcopyup: mkdir %s", n);
			_cleanup_close_ int s2 = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			_cleanup_close_ int d2 = openat(dstfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s2 < 0 || d2 < 0)
				return hull_fail_sys(err, "tmpcopyup: open %s", n);
			if (fs_copy_tree(s2, d2, err) < 0)
				return -1;
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t l = readlinkat(fd, n, target, sizeof(target) - 1);
			if (l < 0)
				return hull_fail_sys(err, "tmpcopyup: readlink %s", n);
			target[l] = '\0';
			if (symlinkat(target, dstfd, n) < 0)
				return hull_fail_sys(err, "tmpcopyup: symlink %s", n);
		} else if (S_ISREG(st.st_mode)) {
			if (copy_file(fd, dstfd, n, &st, err) < 0)
				return -1;
		} else if (mknodat(dstfd, n, st.st_mode, st.st_rdev) < 0) {
			return hull_fail_sys(err, "tmpcopyup: mknod %s", n);
		}
		if (fchownat(dstfd, n, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			return hull_fail_sys(err, "tmpcopyup: chown %s", n);
		if (!S_ISLNK(st.st_mode)) {
			/* after chown, which clears setuid/setgid, and whatever our umask was */
			if (fchmodat(dstfd, n, st.st_mode & 07777, 0) < 0)
				return hull_fail_sys(err, "tmpcopyup: chmod %s", n);
			struct timespec ts[2] = { st.st_atim, st.st_mtim };
			utimensat(dstfd, n, ts, AT_SYMLINK_NOFOLLOW);
		}
	}
	return 0;
}
