/* unpack.c - one OCI layer (a tar, plain, gzip or zstd) unpacked below a directory through libarchive (dlopen'ed on
 * first use), whiteouts applied or kept for overlayfs. Must never create, change or remove anything outside that
 * directory: each parent is resolved with openat2(RESOLVE_IN_ROOT), no final component is ever followed. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "image/unpack.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* The libarchive calls made here, each typed from <archive.h> itself. */
#define F(name) __typeof__(archive_##name) *name;
static struct {
	void *handle;
	F(read_new) F(read_free) F(read_support_format_raw) F(read_support_format_tar) F(read_support_filter_gzip)
	F(read_support_filter_zstd) F(read_open) F(read_next_header) F(read_data) F(read_data_block)
	F(error_string) F(set_error) F(entry_pathname) F(entry_pathname_utf8) F(entry_filetype) F(entry_perm)
	F(entry_uid) F(entry_gid) F(entry_mtime) F(entry_mtime_nsec) F(entry_atime) F(entry_atime_nsec)
	F(entry_atime_is_set) F(entry_size) F(entry_size_is_set) F(entry_symlink) F(entry_symlink_utf8)
	F(entry_hardlink) F(entry_hardlink_utf8) F(entry_rdevmajor) F(entry_rdevminor) F(entry_xattr_reset)
	F(entry_xattr_next)
} ar;
#undef F
#define SYM(name) { "archive_" #name, offsetof(__typeof__(ar), name) }
static const struct dl_symbol ar_symbols[] = {
	SYM(read_new), SYM(read_free), SYM(read_support_format_raw), SYM(read_support_format_tar),
	SYM(read_support_filter_gzip), SYM(read_support_filter_zstd), SYM(read_open), SYM(read_next_header),
	SYM(read_data), SYM(read_data_block), SYM(error_string), SYM(set_error), SYM(entry_pathname),
	SYM(entry_pathname_utf8), SYM(entry_filetype), SYM(entry_perm), SYM(entry_uid), SYM(entry_gid),
	SYM(entry_mtime), SYM(entry_mtime_nsec), SYM(entry_atime), SYM(entry_atime_nsec), SYM(entry_atime_is_set),
	SYM(entry_size), SYM(entry_size_is_set), SYM(entry_symlink), SYM(entry_symlink_utf8), SYM(entry_hardlink),
	SYM(entry_hardlink_utf8), SYM(entry_rdevmajor), SYM(entry_rdevminor), SYM(entry_xattr_reset),
	SYM(entry_xattr_next),
};
#undef SYM

/* Far above any real layer (node_modules trees reach a few 100k), low enough to stop a header flood early */
#define UNPACK_ENTRIES_MAX ((uint64_t)1 << 22)
/* A name or link target longer than the kernel takes in one path is refused rather than half-handled */
#define UNPACK_NAME_MAX (PATH_MAX - 1)
#define READ_CHUNK ((size_t)256 << 10)
#define WHITEOUT_PREFIX ".wh."
#define WHITEOUT_OPAQUE ".wh..wh..opq"
#define OVERLAY_OPAQUE_XATTR "trusted.overlay.opaque"
/* overlayfs' own metadata, which a layer must not forge */
#define OVERLAY_XATTR_PREFIX "trusted.overlay."

static const unsigned char gzip_magic[] = { 0x1f, 0x8b };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const struct {
	const char *name;
	const unsigned char *magic;
	size_t len;
} compressions[] = {
	[LAYER_PLAIN] = { "plain tar", NULL, 0 },
	[LAYER_GZIP] = { "gzip", gzip_magic, sizeof(gzip_magic) },
	[LAYER_ZSTD] = { "zstd", zstd_magic, sizeof(zstd_magic) },
};

/* The uncompressed tar stream as the tar reader sees it: every byte passes through source_read once, in order, so
 * hashing and counting there gives the diffID and the bomb limit in the same pass. Decompression is libarchive's own
 * filter (a second archive reading the blob with the "raw" format): libarchive already carries zlib and libzstd, so
 * no other library is opened, and its filters are as fast as calling them directly. */
struct source {
	int fd;
	off_t off;
	struct archive *filter; /* NULL for a plain tar: read straight from fd */
	struct hasher *hasher;
	uint64_t bytes, max;
	char *buf, *raw; /* what the tar reader gets, what the decompressor reads */
	hull_err err; /* why the stream stopped, when it is our reason and not the tar reader's */
};

/* Paths this layer made (UNPACK_APPLY): what an opaque marker keeps. A path's prefixes are in whenever it is. */
struct pathset {
	char **slot;
	size_t cap, n;
};

struct dir_meta {
	char *path;
	mode_t perm;
	uid_t uid;
	gid_t gid;
	struct timespec times[2];
};

struct unpack {
	int dirfd;
	const struct unpack_opts *opts;
	struct source *src;
	struct archive *tar;
	struct archive_entry *entry;
	const char *name; /* the entry's name as the tar wrote it, for messages */
	struct pathset made;
	struct dir_meta *dirs; /* set once the whole layer is in: a directory's content changes its mtime */
	size_t n_dirs;
};

#define entry_fail(u, err, fmt, ...) hull_fail((err), "layer entry \"%.200s\": " fmt, (u)->name, ##__VA_ARGS__)
#define entry_fail_sys(u, err, fmt, ...) \
	hull_fail_sys((err), "layer entry \"%.200s\": " fmt, (u)->name, ##__VA_ARGS__)
#define entry_fail_errno(u, err, e, fmt, ...) \
	hull_fail_errno((err), (e), "layer entry \"%.200s\": " fmt, (u)->name, ##__VA_ARGS__)

static uint64_t path_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static char **pathset_find(const struct pathset *set, const char *s, size_t len)
{
	for (size_t i = path_hash(s, len) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		char *p = set->slot[i];
		if (p == NULL || (strncmp(p, s, len) == 0 && p[len] == '\0'))
			return &set->slot[i];
	}
}

static bool pathset_has(const struct pathset *set, const char *s, size_t len)
{
	return set->cap && *pathset_find(set, s, len) != NULL;
}

static void pathset_add(struct pathset *set, const char *s, size_t len)
{
	if (2 * (set->n + 1) > set->cap) {
		struct pathset bigger = { xcalloc(set->cap ? 2 * set->cap : 1024, sizeof(char *)),
					  set->cap ? 2 * set->cap : 1024, set->n };
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i])
				*pathset_find(&bigger, set->slot[i], strlen(set->slot[i])) = set->slot[i];
		free(set->slot);
		*set = bigger;
	}
	char **slot = pathset_find(set, s, len);
	if (*slot == NULL) {
		*slot = xstrndup(s, len);
		set->n++;
	}
}

/* path and each of its parents; stops at the first one already in (its parents are too) */
static void pathset_add_with_parents(struct pathset *set, const char *path)
{
	for (size_t len = strlen(path); len > 0 && !pathset_has(set, path, len);) {
		pathset_add(set, path, len);
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len > 0)
			len--;
	}
}

static void pathset_clear(struct pathset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	*set = (struct pathset){ 0 };
}

static int load_libarchive(hull_err *err)
{
	return dl_load("libarchive.so.13", ar_symbols, ARRAY_SIZE(ar_symbols), &ar, &ar.handle, "layer unpack",
		       " (install libarchive13)", err);
}

static void archive_freep(struct archive **a)
{
	if (*a)
		ar.read_free(*a);
}

/* ---- the uncompressed stream ---- */

static ssize_t read_at(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;
	do
		n = pread(fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	return n;
}

static ssize_t source_fill(struct source *s)
{
	ssize_t n;
	if (s->filter) {
		n = ar.read_data(s->filter, s->buf, READ_CHUNK);
		if (n < 0)
			return hull_fail(&s->err, "layer: %s", ar.error_string(s->filter) ?: "cannot decompress");
	} else {
		n = read_at(s->fd, s->buf, READ_CHUNK, s->off);
		if (n < 0)
			return hull_fail_sys(&s->err, "layer: read the blob");
		s->off += n;
	}
	s->bytes += (uint64_t)n;
	if (s->bytes > s->max)
		return hull_fail_code(&s->err, EFBIG, "layer: more than %llu bytes uncompressed (a decompression bomb?)",
				      (unsigned long long)s->max);
	hasher_update(s->hasher, s->buf, (size_t)n);
	return n;
}

static la_ssize_t source_read(struct archive *a, void *data, const void **out)
{
	struct source *s = data;
	ssize_t n = source_fill(s);
	if (n < 0) {
		ar.set_error(a, s->err->errnum ?: EIO, "%s", s->err->msg);
		return -1;
	}
	*out = s->buf;
	return n;
}

/* The blob's first bytes against the compression its media type names. */
static int check_magic(int fd, enum layer_compression want, hull_err *err)
{
	unsigned char head[4] = { 0 };
	ssize_t n = read_at(fd, head, sizeof(head), 0);
	if (n < 0)
		return hull_fail_sys(err, "layer: read the blob");
	enum layer_compression found = LAYER_PLAIN;
	for (size_t c = 0; c < ARRAY_SIZE(compressions); c++)
		if (compressions[c].magic && (size_t)n >= compressions[c].len &&
		    memcmp(head, compressions[c].magic, compressions[c].len) == 0)
			found = (enum layer_compression)c;
	if (found != want)
		return hull_fail_code(err, EINVAL, "layer: the blob is %s, its media type says %s",
				      found == LAYER_PLAIN ? "not compressed (or not gzip/zstd)" : compressions[found].name,
				      compressions[want].name);
	return 0;
}

/* The compressed blob, for the decompressor */
static la_ssize_t blob_read(struct archive *a, void *data, const void **out)
{
	struct source *s = data;
	ssize_t n = read_at(s->fd, s->raw, READ_CHUNK, s->off);
	if (n < 0) {
		ar.set_error(a, errno, "read the blob: %s", hull_errtext(errno));
		return -1;
	}
	s->off += n;
	*out = s->raw;
	return n;
}

static int source_open(struct source *s, int fd, const struct unpack_opts *opts, hull_err *err)
{
	if (check_magic(fd, opts->compression, err) < 0)
		return -1;
	if (hasher_new(&s->hasher, DIGEST_SHA256, err) < 0)
		return -1;
	s->fd = fd;
	s->max = opts->max_bytes ? opts->max_bytes : UNPACK_DEFAULT_MAX;
	s->buf = xmalloc(READ_CHUNK);
	if (opts->compression == LAYER_PLAIN)
		return 0;
	s->raw = xmalloc(READ_CHUNK);
	s->filter = ar.read_new();
	if (s->filter == NULL)
		xalloc_die();
	struct archive_entry *whole;
	if ((opts->compression == LAYER_GZIP ? ar.read_support_filter_gzip(s->filter)
					     : ar.read_support_filter_zstd(s->filter)) != ARCHIVE_OK ||
	    ar.read_support_format_raw(s->filter) != ARCHIVE_OK ||
	    ar.read_open(s->filter, s, NULL, blob_read, NULL) != ARCHIVE_OK ||
	    ar.read_next_header(s->filter, &whole) != ARCHIVE_OK)
		return hull_fail(err, "layer: %s", ar.error_string(s->filter) ?: "cannot start the decompressor");
	return 0;
}

static void source_close(struct source *s)
{
	archive_freep(&s->filter);
	hasher_free(&s->hasher);
	free(s->buf);
	free(s->raw);
	hull_err_free(&s->err);
}

/* ---- names ---- */

/* A name (`what` NULL: the entry's own, else what it is: "hardlink target") as components below the root, written into out (UNPACK_NAME_MAX + 1 bytes): a leading "/" is
 * dropped (absolute names are taken relative to the root, as tar and umoci do), "." components dropped, ".." takes
 * back the component before it, and a ".." with none before it leaves the layer: refused. "" is the root. */
static int clean_path(struct unpack *u, const char *name, char *out, const char *what, hull_err *err)
{
	size_t len = strlen(name);
	if (len == 0)
		return entry_fail(u, err, "an empty %s", what ? what : "name");
	if (len > UNPACK_NAME_MAX)
		return hull_fail_code(err, ENAMETOOLONG, "layer entry \"%.64s...\": a %s of %zu bytes (at most %d)",
				      u->name, what ? what : "name", len, UNPACK_NAME_MAX);
	size_t o = 0;
	for (const char *p = name; *p;) {
		size_t l = strcspn(p, "/");
		if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (o == 0 && what == NULL)
				return hull_fail_code(err, EXDEV, "layer entry \"%.200s\": leaves the layer", u->name);
			if (o == 0)
				return hull_fail_code(err, EXDEV, "layer entry \"%.200s\": %s \"%.200s\" leaves the layer",
						      u->name, what, name);
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (l > 0 && !(l == 1 && p[0] == '.')) {
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, p, l);
			o += l;
		}
		p += l + (p[l] == '/');
	}
	out[o] = '\0';
	return 0;
}

static const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

#define OPENAT2_MAX_RETRIES 128

/* openat2 below root: symlinks followed but kept inside it (what an entry's parents do, as tar does), or none
 * followed at all (whiteouts, which name what a lower layer had at exactly that path; lower layers' lookups). */
static int open_below(int root, const char *path, int flags, bool follow)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = follow ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	int fd, tries = 0;
	do
		fd = (int)syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < OPENAT2_MAX_RETRIES);
	return fd < 0 ? -errno : fd;
}

/* The entry's xattrs copied from fd `from` to fd `to`, overlayfs' own left out. */
static int copy_xattrs(struct unpack *u, int from, int to, hull_err *err)
{
	char keys[XATTR_LIST_MAX];
	ssize_t n = flistxattr(from, keys, sizeof(keys));
	if (n < 0)
		return entry_fail_sys(u, err, "list a lower layer's xattrs");
	_cleanup_free_ char *value = xmalloc(XATTR_SIZE_MAX);
	for (char *k = keys; k < keys + n; k += strlen(k) + 1) {
		if (strncmp(k, OVERLAY_XATTR_PREFIX, strlen(OVERLAY_XATTR_PREFIX)) == 0)
			continue;
		ssize_t len = fgetxattr(from, k, value, XATTR_SIZE_MAX);
		if (len < 0 || fsetxattr(to, k, value, (size_t)len, 0) < 0)
			return entry_fail_sys(u, err, "copy xattr %.100s of a lower layer", k);
	}
	return 0;
}

/* A directory this layer implies without an entry of its own (a file's parent) was just made, 0755: for overlayfs,
 * which shows the topmost layer's directory, it takes what the nearest lower layer has there, as containerd does. */
static int implied_dir(struct unpack *u, const char *path, hull_err *err)
{
	if (u->opts->whiteouts != UNPACK_OVERLAY)
		return 0;
	for (size_t i = 0; i < u->opts->n_lower; i++) {
		_cleanup_close_ int lower = open_below(u->opts->lower_fds[i], path, O_RDONLY | O_DIRECTORY, false);
		if (lower == -ENOENT)
			continue;
		if (lower < 0)
			return 0; /* a whiteout or a non-directory there: the merged view has nothing older to show */
		struct stat st;
		_cleanup_close_ int fd = open_below(u->dirfd, path, O_RDONLY | O_DIRECTORY, false);
		if (fd < 0 || fstat(lower, &st) < 0)
			return entry_fail_errno(u, err, fd < 0 ? -fd : errno, "open directory \"%.200s\"", path);
		if (copy_xattrs(u, lower, fd, err) < 0)
			return -1;
		u->dirs = xreallocarray(u->dirs, u->n_dirs + 1, sizeof(*u->dirs));
		u->dirs[u->n_dirs++] = (struct dir_meta){ xstrdup(path), st.st_mode & 07777, st.st_uid, st.st_gid,
							  { st.st_atim, st.st_mtim } };
		return 0;
	}
	return 0;
}

/* The directory holding `path` (a clean path, not the root) as an O_PATH fd, followed in-root or (whiteouts) not at
 * all. Missing directories are made (0755, as tar does) when `create`; else, or when a whiteout's parent is not a
 * plain directory, *out = -1: the entry names nothing. */
static int open_parent(struct unpack *u, const char *path, bool create, bool follow, int *out, hull_err *err)
{
	*out = -1;
	const char *base = path_base(path);
	_cleanup_free_ char *parent = xstrndup(path, base == path ? 0 : (size_t)(base - path - 1));
	int fd = open_below(u->dirfd, parent, O_PATH | O_DIRECTORY, follow);
	if (fd >= 0 || (fd == -ENOENT && !create) || (!follow && (fd == -ELOOP || fd == -ENOTDIR))) {
		*out = fd >= 0 ? fd : -1;
		return 0;
	}
	if (fd != -ENOENT)
		return entry_fail_errno(u, err, -fd, "open its directory \"%.200s\"", parent);
	/* make the missing ones, one at a time, each below the one resolved before it */
	_cleanup_close_ int cur = open_below(u->dirfd, "", O_PATH | O_DIRECTORY, follow);
	for (char *p = parent; cur >= 0 && *p;) {
		char *end = p + strcspn(p, "/");
		char saved = *end;
		*end = '\0';
		int next = open_below(u->dirfd, parent, O_PATH | O_DIRECTORY, follow);
		if (next == -ENOENT) {
			if (mkdirat(cur, p, 0755) < 0)
				return errno == EEXIST ? entry_fail(u, err, "\"%.200s\" is a symlink to nowhere", parent)
						       : entry_fail_sys(u, err, "create directory \"%.200s\"", parent);
			if (implied_dir(u, parent, err) < 0)
				return -1;
			next = open_below(u->dirfd, parent, O_PATH | O_DIRECTORY, follow);
		}
		if (next < 0)
			return entry_fail_errno(u, err, -next, "open its directory \"%.200s\"", parent);
		close(cur);
		cur = next;
		*end = saved;
		p = end + (saved == '/');
	}
	if (cur < 0)
		return entry_fail_errno(u, err, -cur, "open the layer's root");
	*out = take_fd(&cur);
	return 0;
}

/* Make room for a new entry called name in parent: whatever is there goes (a directory with its tree), never
 * followed. Returns 1 when a directory is there and a directory is wanted (tar merges them). */
static int clear_slot(struct unpack *u, int parent, const char *name, bool want_dir, hull_err *err)
{
	struct stat st;
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : entry_fail_sys(u, err, "stat what is there");
	if (want_dir && S_ISDIR(st.st_mode))
		return 1;
	int r = fs_rmtree(parent, name);
	if (r < 0)
		return entry_fail_errno(u, err, -r, "remove what is there");
	return 0;
}

/* ---- metadata ---- */

static void entry_times(struct unpack *u, struct timespec ts[2])
{
	ts[1] = (struct timespec){ ar.entry_mtime(u->entry), ar.entry_mtime_nsec(u->entry) };
	ts[0] = ar.entry_atime_is_set(u->entry)
			? (struct timespec){ ar.entry_atime(u->entry), ar.entry_atime_nsec(u->entry) }
			: ts[1];
}

/* The entry's xattrs on fd: through fsetxattr, or for an O_PATH fd (symlinks, devices, fifos, which must not be
 * opened for real) through its /proc/self/fd link, which leads to that very inode and no further. */
static int set_xattrs(struct unpack *u, int fd, bool opath, hull_err *err)
{
	const char *key;
	const void *value;
	size_t size;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ar.entry_xattr_reset(u->entry);
	while (ar.entry_xattr_next(u->entry, &key, &value, &size) == ARCHIVE_OK) {
		if (strncmp(key, OVERLAY_XATTR_PREFIX, strlen(OVERLAY_XATTR_PREFIX)) == 0)
			continue;
		if ((opath ? setxattr(proc, key, value, size, 0) : fsetxattr(fd, key, value, size, 0)) < 0)
			return entry_fail_sys(u, err, "set xattr %.100s", key);
	}
	return 0;
}

/* Owner first (chown drops setuid bits and security.capability), then xattrs, then the mode, then the times. */
static int set_meta_fd(struct unpack *u, int fd, hull_err *err)
{
	struct timespec ts[2];
	entry_times(u, ts);
	if (u->opts->keep_owners &&
	    fchown(fd, (uid_t)ar.entry_uid(u->entry), (gid_t)ar.entry_gid(u->entry)) < 0)
		return entry_fail_sys(u, err, "chown");
	if (set_xattrs(u, fd, false, err) < 0)
		return -1;
	if (fchmod(fd, ar.entry_perm(u->entry)) < 0)
		return entry_fail_sys(u, err, "chmod");
	if (futimens(fd, ts) < 0)
		return entry_fail_sys(u, err, "set times");
	return 0;
}

/* The same for what cannot be opened (symlinks, devices, fifos): every call refuses to follow name. */
static int set_meta_at(struct unpack *u, int parent, const char *name, bool is_symlink, hull_err *err)
{
	struct timespec ts[2];
	entry_times(u, ts);
	if (u->opts->keep_owners && fchownat(parent, name, (uid_t)ar.entry_uid(u->entry),
					     (gid_t)ar.entry_gid(u->entry), AT_SYMLINK_NOFOLLOW) < 0)
		return entry_fail_sys(u, err, "chown");
	if (ar.entry_xattr_reset(u->entry) > 0) {
		_cleanup_close_ int fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return entry_fail_sys(u, err, "open");
		if (set_xattrs(u, fd, true, err) < 0)
			return -1;
	}
	if (!is_symlink && fchmodat(parent, name, ar.entry_perm(u->entry), AT_SYMLINK_NOFOLLOW) < 0)
		return entry_fail_sys(u, err, "chmod");
	if (utimensat(parent, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return entry_fail_sys(u, err, "set times");
	return 0;
}

/* ---- one entry of each type ---- */

/* The tar reader's complaint, unless the stream stopped for a reason of ours (bomb, decompression, read). */
static int reader_fail(struct unpack *u, const char *where, hull_err *err)
{
	if (u->src->err)
		return hull_err_raw(err, u->src->err->errnum, u->src->err->msg);
	const char *why = ar.error_string(u->tar) ?: "unreadable";
	if (where)
		return hull_fail(err, "layer entry \"%.200s\": %s", where, why);
	return hull_fail(err, "layer: %s", why);
}

static int make_file(struct unpack *u, int parent, const char *name, const char *path, hull_err *err)
{
	(void)path;
	if (clear_slot(u, parent, name, false, err) < 0)
		return -1;
	/* O_EXCL: a symlink planted at name (by an earlier entry, cleared above) is never written through */
	_cleanup_close_ int fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return entry_fail_sys(u, err, "create");
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int r = ar.read_data_block(u->tar, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return reader_fail(u, u->name, err);
		for (size_t done = 0; done < size;) {
			ssize_t n = pwrite(fd, (const char *)buf + done, size - done, (off_t)(off + (la_int64_t)done));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return entry_fail_sys(u, err, "write");
			done += (size_t)n;
		}
	}
	/* a sparse file may end in a hole */
	if (ar.entry_size_is_set(u->entry) && ftruncate(fd, (off_t)ar.entry_size(u->entry)) < 0)
		return entry_fail_sys(u, err, "set its size");
	return set_meta_fd(u, fd, err);
}

static int make_dir(struct unpack *u, int parent, const char *name, const char *path, hull_err *err)
{
	int r = clear_slot(u, parent, name, true, err);
	if (r < 0)
		return -1;
	if (r == 0 && mkdirat(parent, name, 0700) < 0)
		return entry_fail_sys(u, err, "create directory");
	if (ar.entry_xattr_reset(u->entry) > 0) {
		_cleanup_close_ int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || set_xattrs(u, fd, false, err) < 0)
			return fd < 0 ? entry_fail_sys(u, err, "open directory") : -1;
	}
	u->dirs = xreallocarray(u->dirs, u->n_dirs + 1, sizeof(*u->dirs));
	struct dir_meta *d = &u->dirs[u->n_dirs++];
	*d = (struct dir_meta){ xstrdup(path), ar.entry_perm(u->entry), (uid_t)ar.entry_uid(u->entry),
				(gid_t)ar.entry_gid(u->entry), { { 0 } } };
	entry_times(u, d->times);
	return 0;
}

static int make_symlink(struct unpack *u, int parent, const char *name, const char *path, hull_err *err)
{
	(void)path;
	const char *target = ar.entry_symlink_utf8(u->entry) ?: ar.entry_symlink(u->entry);
	if (target == NULL || *target == '\0')
		return entry_fail(u, err, "a symlink without a target");
	if (strlen(target) > UNPACK_NAME_MAX)
		return entry_fail(u, err, "a symlink target of %zu bytes (at most %d)", strlen(target), UNPACK_NAME_MAX);
	if (clear_slot(u, parent, name, false, err) < 0)
		return -1;
	/* the target is written as it is: it is only ever read inside the container, or resolved in-root here */
	if (symlinkat(target, parent, name) < 0)
		return entry_fail_sys(u, err, "create symlink");
	return set_meta_at(u, parent, name, true, err);
}

static int make_hardlink(struct unpack *u, int parent, const char *name, const char *path, hull_err *err)
{
	const char *raw = ar.entry_hardlink_utf8(u->entry) ?: ar.entry_hardlink(u->entry);
	char target[UNPACK_NAME_MAX + 1];
	if (clean_path(u, raw ? raw : "", target, "hardlink target", err) < 0)
		return -1;
	if (*target == '\0')
		return entry_fail(u, err, "a hardlink to the layer's root");
	_cleanup_close_ int tparent = -1;
	if (open_parent(u, target, false, true, &tparent, err) < 0)
		return -1;
	struct stat tst, st;
	if (tparent < 0 || fstatat(tparent, path_base(target), &tst, AT_SYMLINK_NOFOLLOW) < 0)
		return entry_fail(u, err, "a hardlink to \"%.200s\", which the layer does not hold", raw);
	if (S_ISDIR(tst.st_mode))
		return entry_fail(u, err, "a hardlink to directory \"%.200s\"", raw);
	if (strcmp(target, path) == 0 ||
	    (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == tst.st_dev && st.st_ino == tst.st_ino))
		return 0; /* already that file */
	if (clear_slot(u, parent, name, false, err) < 0)
		return -1;
	/* flags 0: a symlink target is linked itself, never followed */
	if (linkat(tparent, path_base(target), parent, name, 0) < 0)
		return entry_fail_sys(u, err, "link to \"%.200s\"", raw);
	return 0;
}

static int make_node(struct unpack *u, int parent, const char *name, const char *path, hull_err *err)
{
	(void)path;
	mode_t type = ar.entry_filetype(u->entry);
	dev_t dev = type == AE_IFIFO ? 0 : makedev(ar.entry_rdevmajor(u->entry), ar.entry_rdevminor(u->entry));
	if (clear_slot(u, parent, name, false, err) < 0)
		return -1;
	if (mknodat(parent, name, type | 0600, dev) < 0)
		return entry_fail_sys(u, err, "mknod");
	return set_meta_at(u, parent, name, false, err);
}

static const struct {
	mode_t type;
	int (*make)(struct unpack *u, int parent, const char *name, const char *path, hull_err *err);
} makers[] = {
	{ AE_IFREG, make_file },  { AE_IFDIR, make_dir },  { AE_IFLNK, make_symlink },
	{ AE_IFCHR, make_node },  { AE_IFBLK, make_node }, { AE_IFIFO, make_node },
};

/* ---- whiteouts ---- */

/* Empty the directory at dfd (path) of what earlier layers made: what this layer made so far stays, and so does
 * the part of it below a directory it re-declared. */
static int purge_earlier(struct unpack *u, int dfd, const char *path, hull_err *err)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return entry_fail_sys(u, err, "open \"%.200s\"", path);
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return entry_fail_sys(u, err, "read \"%.200s\"", path);
	}
	struct dirent *de;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		_cleanup_free_ char *child = *path ? xasprintf("%s/%s", path, de->d_name) : xstrdup(de->d_name);
		struct stat st;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return entry_fail_sys(u, err, "stat \"%.200s\"", child);
		if (!pathset_has(&u->made, child, strlen(child))) {
			int r = fs_rmtree(fd, de->d_name);
			if (r < 0)
				return entry_fail_errno(u, err, -r, "remove \"%.200s\"", child);
		} else if (S_ISDIR(st.st_mode)) {
			_cleanup_close_ int sub = openat(fd, de->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || purge_earlier(u, sub, child, err) < 0)
				return sub < 0 ? entry_fail_sys(u, err, "open \"%.200s\"", child) : -1;
		}
	}
	if (errno)
		return entry_fail_sys(u, err, "read \"%.200s\"", path);
	return 0;
}

/* ".wh..wh..opq" in directory `path` (its parent fd at hand, made when missing) */
static int opaque_dir(struct unpack *u, int parent, const char *dir, hull_err *err)
{
	_cleanup_close_ int fd = openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return entry_fail_sys(u, err, "open its directory");
	if (u->opts->whiteouts == UNPACK_APPLY)
		return purge_earlier(u, fd, dir, err);
	if (fsetxattr(fd, OVERLAY_OPAQUE_XATTR, "y", 1, 0) < 0)
		return entry_fail_sys(u, err, "set " OVERLAY_OPAQUE_XATTR);
	return 0;
}

/* ".wh.NAME": NAME removed (APPLY), or a 0:0 character device NAME (OVERLAY) */
static int whiteout(struct unpack *u, int parent, const char *target, hull_err *err)
{
	if (clear_slot(u, parent, target, false, err) < 0)
		return -1;
	if (u->opts->whiteouts == UNPACK_APPLY)
		return 0;
	if (mknodat(parent, target, S_IFCHR, makedev(0, 0)) < 0)
		return entry_fail_sys(u, err, "create the whiteout device");
	if (u->opts->keep_owners && fchownat(parent, target, 0, 0, AT_SYMLINK_NOFOLLOW) < 0)
		return entry_fail_sys(u, err, "chown the whiteout device");
	return 0;
}

/* ---- the walk ---- */

static int unpack_entry(struct unpack *u, hull_err *err)
{
	char path[UNPACK_NAME_MAX + 1];
	if (clean_path(u, u->name, path, NULL, err) < 0)
		return -1;
	mode_t type = ar.entry_filetype(u->entry);
	bool hardlink = ar.entry_hardlink(u->entry) != NULL || ar.entry_hardlink_utf8(u->entry) != NULL;
	if (*path == '\0') {
		if (type != AE_IFDIR || hardlink)
			return entry_fail(u, err, "the layer's root must be a directory");
		return make_dir(u, u->dirfd, ".", path, err) < 0 ? -1 : 0;
	}
	const char *base = path_base(path);
	bool is_whiteout = strncmp(base, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) == 0;
	const char *target = base + strlen(WHITEOUT_PREFIX);
	if (is_whiteout && (*target == '\0' || strcmp(target, ".") == 0 || strcmp(target, "..") == 0))
		return entry_fail(u, err, "a whiteout of \"%s\" names no entry", target);
	/* APPLY: a whiteout of something missing removes nothing, so its directory is not made for it */
	bool create = !(is_whiteout && u->opts->whiteouts == UNPACK_APPLY && strcmp(base, WHITEOUT_OPAQUE) != 0);
	_cleanup_close_ int parent = -1;
	if (open_parent(u, path, create, !is_whiteout, &parent, err) < 0)
		return -1;
	if (parent < 0)
		return 0;
	if (is_whiteout) {
		_cleanup_free_ char *dir = xstrndup(path, base == path ? 0 : (size_t)(base - path - 1));
		if (u->opts->whiteouts == UNPACK_APPLY)
			pathset_add_with_parents(&u->made, dir);
		return strcmp(base, WHITEOUT_OPAQUE) == 0 ? opaque_dir(u, parent, dir, err)
							  : whiteout(u, parent, target, err);
	}
	int r = -2;
	if (hardlink)
		r = make_hardlink(u, parent, base, path, err);
	for (size_t i = 0; r == -2 && i < ARRAY_SIZE(makers); i++)
		if (makers[i].type == type)
			r = makers[i].make(u, parent, base, path, err);
	if (r == -2)
		return entry_fail(u, err, "an entry of unknown type 0%o", (unsigned)type);
	if (r == 0 && u->opts->whiteouts == UNPACK_APPLY)
		pathset_add_with_parents(&u->made, path);
	return r;
}

/* Directories' owners, modes and times, now that nothing is added below them; latest first (a tar names a directory
 * before its content), so that one without search permission for us is closed last; a directory named twice takes
 * its last entry's. One replaced since by another type is left alone. */
static int finish_dirs(struct unpack *u, hull_err *err)
{
	__attribute__((cleanup(pathset_clear))) struct pathset done = { 0 };
	for (size_t i = u->n_dirs; i-- > 0;) {
		struct dir_meta *d = &u->dirs[i];
		if (pathset_has(&done, d->path, strlen(d->path)))
			continue;
		pathset_add(&done, d->path, strlen(d->path));
		_cleanup_close_ int fd = open_below(u->dirfd, d->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, true);
		if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
			continue;
		if (fd < 0)
			return hull_fail_errno(err, -fd, "layer entry \"%.200s\": open", d->path);
		if (u->opts->keep_owners && fchown(fd, d->uid, d->gid) < 0)
			return hull_fail_sys(err, "layer entry \"%.200s\": chown", d->path);
		if (fchmod(fd, d->perm) < 0 || futimens(fd, d->times) < 0)
			return hull_fail_sys(err, "layer entry \"%.200s\": set mode and times", d->path);
	}
	return 0;
}

static int unpack_walk(struct unpack *u, struct source *s, struct unpack_result *res, hull_err *err)
{
	for (;;) {
		int r = ar.read_next_header(u->tar, &u->entry);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return reader_fail(u, res->entries ? u->name : NULL, err);
		if (++res->entries > UNPACK_ENTRIES_MAX)
			return hull_fail(err, "layer: more than %llu entries", (unsigned long long)UNPACK_ENTRIES_MAX);
		u->name = ar.entry_pathname_utf8(u->entry) ?: ar.entry_pathname(u->entry);
		if (u->name == NULL)
			return hull_fail(err, "layer: entry %llu has no readable name", (unsigned long long)res->entries);
		if (unpack_entry(u, err) < 0)
			return -1;
	}
	/* the tar ends with zero blocks the reader may not ask for: they are part of the diffID all the same */
	for (ssize_t n = 1; n > 0;)
		if ((n = source_fill(s)) < 0)
			return reader_fail(u, NULL, err);
	return finish_dirs(u, err);
}

static void unpack_clear(struct unpack *u)
{
	archive_freep(&u->tar);
	pathset_clear(&u->made);
	for (size_t i = 0; i < u->n_dirs; i++)
		free(u->dirs[i].path);
	free(u->dirs);
}

int layer_unpack(int blobfd, int dirfd, const struct unpack_opts *opts, struct unpack_result *res, hull_err *err)
{
	*res = (struct unpack_result){ 0 };
	if (load_libarchive(err) < 0)
		return -1;
	__attribute__((cleanup(source_close))) struct source s = { .fd = -1 };
	__attribute__((cleanup(unpack_clear))) struct unpack u = { .dirfd = dirfd, .opts = opts, .src = &s };
	if (source_open(&s, blobfd, opts, err) < 0)
		return -1;
	u.tar = ar.read_new();
	if (u.tar == NULL)
		xalloc_die();
	if (ar.read_support_format_tar(u.tar) != ARCHIVE_OK ||
	    ar.read_open(u.tar, &s, NULL, source_read, NULL) != ARCHIVE_OK)
		return reader_fail(&u, NULL, err);
	if (unpack_walk(&u, &s, res, err) < 0)
		return -1;
	hasher_final(s.hasher, &res->diff_id);
	res->bytes = s.bytes;
	return 0;
}
