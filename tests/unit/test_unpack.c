/* test_unpack.c - layer_unpack() on tars made here byte by byte: entry types, modes, links, whiteouts in both modes,
 * the diffID, compression checks, and every escape refused or contained.
 * Must never write outside its scratch directory: escapes aim at a victim file beside the layer, never at the host. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h"
#include "image/unpack.h"
#include "util/cleanup.h"

/* tmp/ holds layer/ (what is unpacked into) and victim, a file escapes would reach */
static char *tmp;
static char layer[PATH_MAX], victim[PATH_MAX];
static int layerfd = -1;
static hull_err err;
static struct unpack_result res;

/* ---- tars, written by hand so that any name (hostile ones included) can be made ---- */

struct tar {
	char *data;
	size_t len;
};
static struct tar t;

static void tar_put(const void *p, size_t n)
{
	t.data = realloc(t.data, t.len + n);
	assert_non_null(t.data);
	memcpy(t.data + t.len, p, n);
	t.len += n;
}

static void tar_pad(void)
{
	static const char zeros[512];
	if (t.len % 512)
		tar_put(zeros, 512 - t.len % 512);
}

static void tar_header(const char *name, char type, unsigned mode, unsigned uid, size_t size, const char *link,
		       unsigned major, unsigned minor)
{
	char h[512] = { 0 };
	snprintf(h, 100, "%s", name);
	snprintf(h + 100, 8, "%07o", mode);
	snprintf(h + 108, 8, "%07o", uid);
	snprintf(h + 116, 8, "%07o", uid);
	snprintf(h + 124, 12, "%011zo", size);
	snprintf(h + 136, 12, "%011o", 1000000000u);
	h[156] = type;
	snprintf(h + 157, 100, "%s", link ? link : "");
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	snprintf(h + 329, 8, "%07o", major);
	snprintf(h + 337, 8, "%07o", minor);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	tar_put(h, 512);
}

/* a pax extended header ("x") for the next entry: one "key=value" record, the value any bytes */
static void tar_pax_bytes(const char *key, const void *value, size_t size)
{
	size_t body = strlen(key) + size + 3, len = body + 1;
	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	char *rec = malloc(len + 1);
	assert_non_null(rec);
	int head = snprintf(rec, len + 1, "%zu %s=", len, key);
	memcpy(rec + head, value, size);
	rec[len - 1] = '\n';
	tar_header("PaxHeader", 'x', 0644, 0, len, NULL, 0, 0);
	tar_put(rec, len);
	tar_pad();
	free(rec);
}
#define tar_pax(key, value) tar_pax_bytes((key), (value), strlen(value))

static void tar_entry(const char *name, char type, unsigned mode, const char *content, const char *link)
{
	if (strlen(name) >= 100)
		tar_pax("path", name);
	size_t size = content ? strlen(content) : 0;
	tar_header(name, type, mode, 0, size, link, 0, 0);
	if (size) {
		tar_put(content, size);
		tar_pad();
	}
}
#define tar_file(name, mode, content) tar_entry((name), '0', (mode), (content), NULL)
#define tar_dir(name, mode) tar_entry((name), '5', (mode), NULL, NULL)
#define tar_symlink(name, target) tar_entry((name), '2', 0777, NULL, (target))
#define tar_hardlink(name, target) tar_entry((name), '1', 0644, NULL, (target))

static void tar_end(void)
{
	static const char zeros[1024];
	tar_put(zeros, sizeof(zeros));
}

static int blob_of(const void *data, size_t len)
{
	int fd = memfd_create("layer", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	return fd;
}

/* unpack t (ended here) into layer/ */
static int unpack_with(const struct unpack_opts *opts)
{
	tar_end();
	_cleanup_close_ int blob = blob_of(t.data, t.len);
	hull_err_free(&err);
	return layer_unpack(blob, layerfd, opts, &res, &err);
}
static int unpack_mode(enum unpack_whiteouts w)
{
	struct unpack_opts opts = { .whiteouts = w, .keep_owners = true };
	return unpack_with(&opts);
}
static int unpack(void)
{
	int r = unpack_mode(UNPACK_APPLY);
	if (r < 0 && getenv("UNIT_DEBUG"))
		fprintf(stderr, "layer_unpack: %s\n", err->msg);
	return r;
}

#define assert_refused(words)                                          \
	do {                                                           \
		assert_int_equal(unpack(), -1);                        \
		assert_non_null(err);                                  \
		assert_non_null(strstr(err->msg, (words)));            \
	} while (0)

/* ---- scratch ---- */

static int make_layer(void **state)
{
	(void)state;
	tmp = unit_tmpdir();
	snprintf(layer, sizeof(layer), "%s/layer", tmp);
	snprintf(victim, sizeof(victim), "%s/victim", tmp);
	if (mkdir(layer, 0755) < 0)
		return -1;
	unit_write(tmp, "victim", "untouched");
	layerfd = open(layer, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t = (struct tar){ 0 };
	return layerfd < 0 ? -1 : 0;
}

static int remove_layer(void **state)
{
	(void)state;
	free(t.data);
	t = (struct tar){ 0 };
	hull_err_free(&err);
	close(layerfd);
	layerfd = -1;
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return r;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, make_layer, remove_layer)

static struct stat lstat_in(const char *rel)
{
	struct stat st;
	if (fstatat(layerfd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
		st.st_mode = 0;
	return st;
}

static bool exists_in(const char *rel)
{
	return faccessat(layerfd, rel, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static void assert_victim_untouched(void)
{
	char buf[64];
	_cleanup_close_ int fd = open(victim, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(unit_read_fd(fd, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "untouched");
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_nlink, 1);
}

static void read_in(const char *rel, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(layerfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_true(unit_read_fd(fd, buf, size) >= 0);
}

/* ---- entry types ---- */

static void every_entry_type_is_made_with_its_mode(void **state)
{
	(void)state;
	tar_dir("d/", 0750);
	tar_file("d/f", 04755, "hello");
	tar_symlink("d/l", "/etc/passwd");
	tar_hardlink("d/h", "d/f");
	tar_entry("d/p", '6', 0640, NULL, NULL);
	tar_header("d/null", '3', 0666, 0, 0, NULL, 1, 3);
	tar_header("d/loop", '4', 0660, 0, 0, NULL, 7, 200);
	tar_file("d/sticky", 01777, "");
	assert_int_equal(unpack(), 0);
	assert_true(S_ISDIR(lstat_in("d").st_mode));
	assert_int_equal(lstat_in("d").st_mode & 07777, 0750);
	assert_int_equal(lstat_in("d/f").st_mode, S_IFREG | 04755);
	assert_int_equal(lstat_in("d/sticky").st_mode, S_IFREG | 01777);
	char buf[64], target[64] = { 0 };
	read_in("d/f", buf, sizeof(buf));
	assert_string_equal(buf, "hello");
	assert_int_equal(readlinkat(layerfd, "d/l", target, sizeof(target)), 11);
	assert_string_equal(target, "/etc/passwd");
	assert_int_equal(lstat_in("d/h").st_ino, lstat_in("d/f").st_ino);
	assert_int_equal(lstat_in("d/f").st_nlink, 2);
	assert_true(S_ISFIFO(lstat_in("d/p").st_mode));
	assert_int_equal(lstat_in("d/p").st_mode & 07777, 0640);
	assert_true(S_ISCHR(lstat_in("d/null").st_mode));
	assert_int_equal(lstat_in("d/null").st_rdev, makedev(1, 3));
	assert_true(S_ISBLK(lstat_in("d/loop").st_mode));
	assert_int_equal(lstat_in("d/loop").st_rdev, makedev(7, 200));
	assert_int_equal(lstat_in("d/f").st_mtime, 1000000000);
	assert_int_equal(res.entries, 8);
}

static void diff_id_is_the_sha256_of_the_whole_tar(void **state)
{
	(void)state;
	tar_file("a", 0644, "some content");
	assert_int_equal(unpack(), 0);
	struct digest want;
	assert_int_equal(digest_buffer(t.data, t.len, DIGEST_SHA256, &want, &err), 0);
	assert_string_equal(digest_text(&res.diff_id), digest_text(&want));
	assert_int_equal(res.bytes, t.len);
}

/* tar writers pad to their record size: zeros the tar reader never asks for, but part of the diffID */
static void diff_id_covers_padding_after_the_end_of_the_archive(void **state)
{
	(void)state;
	tar_file("a", 0644, "some content");
	tar_end();
	size_t pad = (size_t)1 << 20;
	char *zeros = calloc(1, pad);
	assert_non_null(zeros);
	tar_put(zeros, pad);
	free(zeros);
	assert_int_equal(unpack(), 0);
	struct digest want;
	assert_int_equal(digest_buffer(t.data, t.len, DIGEST_SHA256, &want, &err), 0);
	assert_string_equal(digest_text(&res.diff_id), digest_text(&want));
	assert_int_equal(res.bytes, t.len);
}

static void directory_mode_and_mtime_are_set_after_its_content(void **state)
{
	(void)state;
	tar_dir("ro/", 0555);
	tar_file("ro/f", 0644, "x");
	tar_dir("ro/sub/", 0500);
	tar_file("ro/sub/g", 0600, "y");
	assert_int_equal(unpack(), 0);
	assert_int_equal(lstat_in("ro").st_mode & 07777, 0555);
	assert_int_equal(lstat_in("ro").st_mtime, 1000000000);
	assert_int_equal(lstat_in("ro/sub").st_mode & 07777, 0500);
	assert_int_equal(lstat_in("ro/sub").st_mtime, 1000000000);
	assert_true(exists_in("ro/sub/g"));
}

static void a_directory_named_twice_takes_its_last_entry(void **state)
{
	(void)state;
	tar_dir("twice/", 0700);
	tar_file("twice/f", 0644, "x");
	tar_dir("twice/", 0751);
	assert_int_equal(unpack(), 0);
	assert_int_equal(lstat_in("twice").st_mode & 07777, 0751);
	assert_true(exists_in("twice/f"));
}

static void owners_are_kept_only_when_asked(void **state)
{
	(void)state;
	tar_header("owned", '0', 0644, 1234, 0, NULL, 0, 0);
	tar_end();
	_cleanup_close_ int blob = blob_of(t.data, t.len);
	struct unpack_opts opts = { .whiteouts = UNPACK_APPLY };
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), 0);
	assert_int_equal(lstat_in("owned").st_uid, geteuid());
	opts.keep_owners = true;
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), 0);
	assert_int_equal(lstat_in("owned").st_uid, 1234);
	assert_int_equal(lstat_in("owned").st_gid, 1234);
}

static void pax_xattrs_and_long_names_are_kept(void **state)
{
	(void)state;
	char name[300];
	memset(name, 'n', sizeof(name));
	memcpy(name, "dir/", 4);
	name[150] = '/'; /* components of at most NAME_MAX */
	name[sizeof(name) - 1] = '\0';
	tar_pax("SCHILY.xattr.user.test", "value");
	tar_file("x", 0644, "with xattr");
	tar_file(name, 0644, "long");
	assert_int_equal(unpack(), 0);
	char value[16] = { 0 };
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/x", layer);
	assert_int_equal(getxattr(path, "user.test", value, sizeof(value)), 5);
	assert_string_equal(value, "value");
	assert_true(exists_in(name));
}

/* chown drops security.capability: it must be set after the owner, and survive the content written before */
static void file_capabilities_survive_owner_and_content(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	/* VFS_CAP_REVISION_2 | effective, permitted = CAP_NET_BIND_SERVICE */
	static const unsigned char cap[20] = { 0x01, 0, 0, 0x02, 0, 0x04, 0, 0 };
	tar_pax_bytes("SCHILY.xattr.security.capability", cap, sizeof(cap));
	tar_header("ping", '0', 04755, 1234, 4, NULL, 0, 0);
	tar_put("ping", 4);
	tar_pad();
	assert_int_equal(unpack(), 0);
	unsigned char got[32];
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/ping", layer);
	assert_int_equal(lgetxattr(path, "security.capability", got, sizeof(got)), (ssize_t)sizeof(cap));
	assert_memory_equal(got, cap, sizeof(cap));
	assert_int_equal(lstat_in("ping").st_mode, S_IFREG | 04755);
	assert_int_equal(lstat_in("ping").st_uid, 1234);
}

static void a_later_entry_replaces_an_earlier_one_of_another_type(void **state)
{
	(void)state;
	tar_file("f2d", 0644, "file");
	tar_dir("d2f/", 0755);
	tar_file("d2f/inner", 0644, "x");
	tar_dir("f2d/", 0755);
	tar_file("d2f", 0600, "now a file");
	assert_int_equal(unpack(), 0);
	assert_true(S_ISDIR(lstat_in("f2d").st_mode));
	assert_true(S_ISREG(lstat_in("d2f").st_mode));
}

/* ---- names ---- */

static void absolute_names_are_taken_relative_to_the_root(void **state)
{
	(void)state;
	tar_file("/abs/file", 0644, "in");
	tar_file("./dot/./file", 0644, "in");
	tar_file("a/b/../c", 0644, "in");
	assert_int_equal(unpack(), 0);
	assert_true(exists_in("abs/file"));
	assert_true(exists_in("dot/file"));
	assert_true(exists_in("a/c"));
	assert_false(exists_in("a/b"));
}

static void dotdot_leaving_the_layer_is_refused(void **state)
{
	(void)state;
	tar_file("etc/../../victim", 0644, "overwritten");
	assert_refused("leaves the layer");
	assert_non_null(strstr(err->msg, "layer entry \"etc/../../victim\""));
	assert_victim_untouched();
}

static void a_name_longer_than_a_path_is_refused(void **state)
{
	(void)state;
	char *name = malloc(5001);
	assert_non_null(name);
	memset(name, 'a', 5000);
	for (int i = 1; i < 5000; i += 2)
		name[i] = '/';
	name[5000] = '\0';
	tar_pax("path", name);
	tar_header("short", '0', 0644, 0, 0, NULL, 0, 0);
	free(name);
	assert_refused("a name of 5000 bytes");
}

/* ---- links ---- */

static void a_symlink_is_never_written_through(void **state)
{
	(void)state;
	tar_symlink("l", "../victim");
	tar_file("l", 0644, "overwritten");
	assert_int_equal(unpack(), 0);
	assert_true(S_ISREG(lstat_in("l").st_mode));
	assert_victim_untouched();
}

static void a_symlinked_parent_stays_inside_the_layer(void **state)
{
	(void)state;
	tar_dir("inside/", 0755);
	tar_symlink("up", "../../..");
	tar_file("up/victim", 0644, "overwritten");
	tar_symlink("abs", "/");
	tar_file("abs/inside/f", 0644, "x");
	assert_int_equal(unpack(), 0);
	assert_true(exists_in("victim"));
	assert_true(exists_in("inside/f"));
	assert_victim_untouched();
}

static void a_dangling_symlinked_parent_is_refused(void **state)
{
	(void)state;
	tar_symlink("out", "../outside");
	tar_file("out/file", 0644, "x");
	assert_refused("symlink to nowhere");
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/outside", tmp);
	assert_int_equal(access(path, F_OK), -1);
}

static void a_hardlink_out_of_the_layer_is_refused(void **state)
{
	(void)state;
	tar_hardlink("h", "../victim");
	assert_refused("leaves the layer");
	assert_victim_untouched();
}

static void a_hardlink_to_something_the_layer_lacks_is_refused(void **state)
{
	(void)state;
	tar_hardlink("h", "/hull-unit-no-such-file");
	assert_refused("which the layer does not hold");
}

static void a_hardlink_to_a_symlink_links_the_symlink(void **state)
{
	(void)state;
	tar_symlink("s", victim);
	tar_hardlink("h", "s");
	tar_file("h", 0644, "overwritten");
	assert_int_equal(unpack(), 0);
	assert_true(S_ISLNK(lstat_in("s").st_mode));
	assert_true(S_ISREG(lstat_in("h").st_mode));
	assert_victim_untouched();
}

/* ---- whiteouts ---- */

/* an earlier layer's tree in layer/ */
static void earlier_layer(void)
{
	tar_dir("keep/", 0755);
	tar_file("keep/f", 0644, "k");
	tar_dir("gone/sub/", 0755);
	tar_file("gone/sub/x", 0644, "g");
	tar_file("opq1/old", 0644, "o");
	tar_file("opq2/old", 0644, "o");
	tar_dir("opq3/sub/", 0755);
	tar_file("opq3/sub/old", 0644, "o");
	tar_file("file", 0644, "f");
	assert_int_equal(unpack(), 0);
	free(t.data);
	t = (struct tar){ 0 };
}

static void apply_removes_what_a_whiteout_names(void **state)
{
	(void)state;
	earlier_layer();
	tar_file(".wh.gone", 0, NULL);
	tar_file("keep/.wh.f", 0, NULL);
	tar_file(".wh.never-was", 0, NULL);
	tar_file("missing-dir/.wh.x", 0, NULL);
	assert_int_equal(unpack(), 0);
	assert_false(exists_in("gone"));
	assert_false(exists_in("keep/f"));
	assert_true(exists_in("keep"));
	assert_false(exists_in("missing-dir"));
	assert_false(exists_in(".wh.gone"));
}

static void apply_opaque_keeps_this_layers_entries_in_either_order(void **state)
{
	(void)state;
	earlier_layer();
	tar_file("opq1/.wh..wh..opq", 0, NULL); /* marker first */
	tar_file("opq1/new", 0644, "n");
	tar_file("opq2/new", 0644, "n"); /* marker last */
	tar_file("opq2/.wh..wh..opq", 0, NULL);
	tar_file("opq3/sub/new", 0644, "n"); /* a re-declared subdirectory loses its old content too */
	tar_file("opq3/.wh..wh..opq", 0, NULL);
	assert_int_equal(unpack(), 0);
	assert_false(exists_in("opq1/old"));
	assert_true(exists_in("opq1/new"));
	assert_false(exists_in("opq2/old"));
	assert_true(exists_in("opq2/new"));
	assert_false(exists_in("opq3/sub/old"));
	assert_true(exists_in("opq3/sub/new"));
	assert_true(exists_in("file"));
	assert_false(exists_in("opq1/.wh..wh..opq"));
}

static void overlay_whiteouts_are_devices_and_an_opaque_xattr(void **state)
{
	(void)state;
	tar_file(".wh.gone", 0, NULL);
	tar_file("d/.wh..wh..opq", 0, NULL);
	tar_file("d/new", 0644, "n");
	assert_int_equal(unpack_mode(UNPACK_OVERLAY), 0);
	struct stat st = lstat_in("gone");
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(st.st_rdev, makedev(0, 0));
	assert_false(exists_in(".wh.gone"));
	assert_false(exists_in("d/.wh..wh..opq"));
	char value[4] = { 0 }, path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/d", layer);
	assert_int_equal(getxattr(path, "trusted.overlay.opaque", value, sizeof(value)), 1);
	assert_string_equal(value, "y");
	assert_true(exists_in("d/new"));
}

static void a_whiteout_leaving_the_layer_is_refused(void **state)
{
	(void)state;
	tar_file("../.wh.victim", 0, NULL);
	assert_refused("leaves the layer");
	assert_victim_untouched();
	free(t.data);
	t = (struct tar){ 0 };
	tar_file("d/.wh..", 0, NULL);
	assert_refused("names no entry");
}

static void a_whiteout_below_a_symlink_names_nothing(void **state)
{
	(void)state;
	tar_file("real/x", 0644, "x");
	tar_symlink("link", "real");
	tar_symlink("out", "..");
	tar_file("link/.wh.x", 0, NULL);
	tar_file("link/.wh..wh..opq", 0, NULL);
	tar_file("out/.wh.victim", 0, NULL);
	assert_int_equal(unpack(), 0);
	assert_true(exists_in("real/x"));
	assert_victim_untouched();
	assert_int_equal(unpack_mode(UNPACK_OVERLAY), 0);
	assert_true(S_ISREG(lstat_in("real/x").st_mode));
}

/* ---- streams ---- */

static void more_than_max_bytes_is_refused(void **state)
{
	(void)state;
	char big[8192];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tar_file("big", 0644, big);
	struct unpack_opts opts = { .whiteouts = UNPACK_APPLY, .max_bytes = 4096 };
	assert_int_equal(unpack_with(&opts), -1);
	assert_non_null(strstr(err->msg, "decompression bomb"));
}

static void a_truncated_tar_is_refused(void **state)
{
	(void)state;
	char big[2000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tar_file("big", 0644, big);
	_cleanup_close_ int blob = blob_of(t.data, 1024);
	struct unpack_opts opts = { .whiteouts = UNPACK_APPLY };
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), -1);
	assert_non_null(strstr(err->msg, "layer"));
}

/* gzip of t's bytes, through zlib (the test's own: the library reads gzip through libarchive) */
static size_t gzip_of(char *out, size_t size)
{
	z_stream z = { 0 };
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)t.data;
	z.avail_in = (unsigned)t.len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)size;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static void gzip_is_read_and_its_diff_id_is_of_the_tar(void **state)
{
	(void)state;
	tar_file("g", 0644, "gzipped");
	tar_end();
	char gz[4096];
	size_t n = gzip_of(gz, sizeof(gz));
	_cleanup_close_ int blob = blob_of(gz, n);
	struct unpack_opts opts = { .whiteouts = UNPACK_APPLY, .compression = LAYER_GZIP };
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), 0);
	struct digest want;
	assert_int_equal(digest_buffer(t.data, t.len, DIGEST_SHA256, &want, &err), 0);
	assert_string_equal(digest_text(&res.diff_id), digest_text(&want));
	assert_true(exists_in("g"));
	/* the same bytes declared plain, or zstd: refused before anything is made */
	opts.compression = LAYER_PLAIN;
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), -1);
	assert_non_null(strstr(err->msg, "the blob is gzip, its media type says plain tar"));
	opts.compression = LAYER_ZSTD;
	assert_int_equal(layer_unpack(blob, layerfd, &opts, &res, &err), -1);
	assert_non_null(strstr(err->msg, "its media type says zstd"));
}

static void a_plain_tar_declared_gzip_is_refused(void **state)
{
	(void)state;
	tar_file("p", 0644, "plain");
	struct unpack_opts opts = { .whiteouts = UNPACK_APPLY, .compression = LAYER_GZIP };
	assert_int_equal(unpack_with(&opts), -1);
	assert_non_null(strstr(err->msg, "its media type says gzip"));
	assert_false(exists_in("p"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(every_entry_type_is_made_with_its_mode),
		TEST(diff_id_is_the_sha256_of_the_whole_tar),
		TEST(diff_id_covers_padding_after_the_end_of_the_archive),
		TEST(directory_mode_and_mtime_are_set_after_its_content),
		TEST(a_directory_named_twice_takes_its_last_entry),
		TEST(owners_are_kept_only_when_asked),
		TEST(pax_xattrs_and_long_names_are_kept),
		TEST(file_capabilities_survive_owner_and_content),
		TEST(a_later_entry_replaces_an_earlier_one_of_another_type),
		TEST(absolute_names_are_taken_relative_to_the_root),
		TEST(dotdot_leaving_the_layer_is_refused),
		TEST(a_name_longer_than_a_path_is_refused),
		TEST(a_symlink_is_never_written_through),
		TEST(a_symlinked_parent_stays_inside_the_layer),
		TEST(a_dangling_symlinked_parent_is_refused),
		TEST(a_hardlink_out_of_the_layer_is_refused),
		TEST(a_hardlink_to_something_the_layer_lacks_is_refused),
		TEST(a_hardlink_to_a_symlink_links_the_symlink),
		TEST(apply_removes_what_a_whiteout_names),
		TEST(apply_opaque_keeps_this_layers_entries_in_either_order),
		TEST(overlay_whiteouts_are_devices_and_an_opaque_xattr),
		TEST(a_whiteout_leaving_the_layer_is_refused),
		TEST(a_whiteout_below_a_symlink_names_nothing),
		TEST(more_than_max_bytes_is_refused),
		TEST(a_truncated_tar_is_refused),
		TEST(gzip_is_read_and_its_diff_id_is_of_the_tar),
		TEST(a_plain_tar_declared_gzip_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
