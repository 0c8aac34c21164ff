/* test_fs.c - whole-file helpers, and lookups inside a rootfs that symlinks and ".." cannot leave.
 * Must never write outside its scratch directory: escapes are probed with names that cannot exist on the host. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* A scratch dir holding "rootfs", an fd on each, and what a test leaves allocated; released by the teardown. */
static char *tmp;
static char rootfs[PATH_MAX];
static int tmpfd = -1, rootfd = -1;
static hull_err err;
static char *data;
static mode_t saved_umask;

static int make_rootfs(void **state)
{
	(void)state;
	saved_umask = umask(022);
	tmp = unit_tmpdir();
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", tmp);
	if (mkdir(rootfs, 0755) < 0)
		return -1;
	tmpfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return tmpfd < 0 || rootfd < 0 ? -1 : 0;
}

static int remove_rootfs(void **state)
{
	(void)state;
	free(data);
	data = NULL;
	hull_err_free(&err);
	if (tmpfd >= 0)
		close(tmpfd);
	if (rootfd >= 0)
		close(rootfd);
	tmpfd = rootfd = -1;
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	umask(saved_umask);
	return r;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, make_rootfs, remove_rootfs)

/* Make rootfs/<rel> a directory, or a symlink to `target`. */
static void root_mkdir(const char *rel)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", rootfs, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void root_symlink(const char *target, const char *rel)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", rootfs, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A name that exists neither on the host nor in the rootfs yet. */
static void unique_name(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "hull-unit-%s-%d", what, (int)getpid());
	char host[PATH_MAX];
	snprintf(host, sizeof(host), "/%s", buf);
	assert_int_equal(access(host, F_OK), -1);
}

/* Is the object behind fd the same inode as rootfs/<rel>? */
static bool fd_is(int fd, const char *rel)
{
	struct stat a, b;
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", rootfs, rel);
	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* ---- whole files ---- */

static void atomic_write_then_read_returns_the_same_bytes(void **state)
{
	(void)state;
	static const char payload[] = "line one\n\0binary\xff tail";
	assert_int_equal(fs_write_file_atomic(tmpfd, "f", payload, sizeof(payload), 0640, &err), 0);
	size_t len = 0;
	assert_int_equal(fs_read_file(tmpfd, "f", &data, &len, &err), 0);
	assert_null(err);
	assert_int_equal(len, sizeof(payload));
	assert_memory_equal(data, payload, sizeof(payload));
	assert_int_equal(data[len], '\0');
	struct stat sb;
	assert_int_equal(fstatat(tmpfd, "f", &sb, 0), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
}

static void atomic_write_replaces_and_leaves_no_temporary(void **state)
{
	(void)state;
	assert_int_equal(fs_write_file_atomic(tmpfd, "f", "a much longer old content", 25, 0600, &err), 0);
	assert_int_equal(fs_write_file_atomic(tmpfd, "f", "new", 3, 0644, &err), 0);
	size_t len = 0;
	assert_int_equal(fs_read_file(tmpfd, "f", &data, &len, &err), 0);
	assert_int_equal(len, 3);
	assert_string_equal(data, "new");
	struct stat sb;
	assert_int_equal(fstatat(tmpfd, "f", &sb, 0), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
	char tmpname[64];
	snprintf(tmpname, sizeof(tmpname), "f.tmp.%d", (int)getpid());
	assert_int_equal(faccessat(tmpfd, tmpname, F_OK, AT_SYMLINK_NOFOLLOW), -1);
}

static void reading_a_file_larger_than_one_buffer_is_complete(void **state)
{
	(void)state;
	enum { SIZE = 100003 };
	char *big = malloc(SIZE);
	assert_non_null(big);
	for (size_t i = 0; i < SIZE; i++)
		big[i] = (char)('a' + i % 26);
	int w = fs_write_file_atomic(tmpfd, "big", big, SIZE, 0600, &err);
	size_t len = 0;
	int r = fs_read_file(tmpfd, "big", &data, &len, &err);
	bool same = r == 0 && len == SIZE && memcmp(data, big, SIZE) == 0;
	free(big);
	assert_int_equal(w, 0);
	assert_int_equal(r, 0);
	assert_int_equal(len, SIZE);
	assert_true(same);
}

static void reading_with_a_bound_takes_up_to_it_and_refuses_one_byte_more(void **state)
{
	(void)state;
	unit_write(tmp, "f", "0123456789");
	size_t len = 0;
	assert_int_equal(fs_read_file_max(tmpfd, "f", 10, &data, &len, &err), 0);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	free(data);
	data = NULL;
	assert_int_equal(fs_read_file_max(tmpfd, "f", 9, &data, &len, &err), -1);
	assert_null(data);
	assert_int_equal(err->errnum, EFBIG);
	assert_string_equal(err->msg, "f: larger than 9 bytes, the most hull reads");
}

static void reading_an_empty_file_gives_an_empty_string(void **state)
{
	(void)state;
	unit_write(tmp, "empty", "");
	size_t len = 99;
	assert_int_equal(fs_read_file(tmpfd, "empty", &data, &len, &err), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
}

static void reading_a_missing_file_is_enoent_naming_the_path(void **state)
{
	(void)state;
	assert_int_equal(fs_read_file(tmpfd, "absent", &data, NULL, &err), -1);
	assert_null(data);
	assert_int_equal(err->errnum, ENOENT);
	assert_string_equal(err->msg, "open absent: no such file or directory");
}

static void plain_write_truncates_an_existing_file(void **state)
{
	(void)state;
	unit_write(tmp, "f", "abcdef");
	assert_int_equal(fs_write_file(tmpfd, "f", "xy", 2, &err), 0);
	assert_int_equal(fs_read_file(tmpfd, "f", &data, NULL, &err), 0);
	assert_string_equal(data, "xy");
}

static void plain_write_does_not_create_files(void **state)
{
	(void)state;
	assert_int_equal(fs_write_file(tmpfd, "absent", "x", 1, &err), -1);
	assert_int_equal(err->errnum, ENOENT);
	assert_string_equal(err->msg, "open absent: no such file or directory");
}

static void mkdir_p_creates_every_parent(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/a/b/c", tmp);
	assert_int_equal(fs_mkdir_p(path, 0700, &err), 0);
	assert_int_equal(fs_mkdir_p(path, 0700, &err), 0);  /* existing is fine */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
}

/* ---- resolution inside the root ---- */

static void absolute_symlink_resolves_inside_the_root(void **state)
{
	(void)state;
	root_symlink("/etc", "evil");
	int fd = fs_open_in_root(rootfd, "evil/passwd", O_RDONLY, 0);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -ENOENT);
}

static void absolute_symlink_finds_the_roots_own_file(void **state)
{
	(void)state;
	root_mkdir("etc");
	unit_write(rootfs, "etc/passwd", "inside\n");
	root_symlink("/etc", "evil");
	int fd = fs_open_in_root(rootfd, "evil/passwd", O_RDONLY, 0);
	assert_true(fd >= 0);
	char buf[64];
	ssize_t n = unit_read_fd(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "inside\n");
}

static void dot_dot_cannot_climb_above_the_root(void **state)
{
	(void)state;
	int fd = fs_open_in_root(rootfd, "../../../../../../etc/passwd", O_RDONLY, 0);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -ENOENT);
	root_mkdir("etc");
	unit_write(rootfs, "etc/passwd", "inside\n");
	fd = fs_open_in_root(rootfd, "../../../../../../etc/passwd", O_RDONLY, 0);
	assert_true(fd >= 0);
	char buf[64];
	unit_read_fd(fd, buf, sizeof(buf));
	close(fd);
	assert_string_equal(buf, "inside\n");
}

static void relative_symlink_cannot_climb_above_the_root(void **state)
{
	(void)state;
	root_mkdir("a");
	root_symlink("../../../../../../../../etc", "a/up");
	int fd = fs_open_in_root(rootfd, "a/up/passwd", O_RDONLY, 0);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -ENOENT);
}

static void final_symlink_to_a_host_file_resolves_inside(void **state)
{
	(void)state;
	root_symlink("/etc/passwd", "pw");
	int fd = fs_open_in_root(rootfd, "pw", O_RDONLY, 0);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -ENOENT);
}

static void leading_slashes_are_relative_to_the_root(void **state)
{
	(void)state;
	root_mkdir("etc");
	unit_write(rootfs, "etc/hostname", "box");
	int fd = fs_open_in_root(rootfd, "///etc/hostname", O_RDONLY, 0);
	assert_true(fd >= 0);
	bool same = fd_is(fd, "etc/hostname");
	close(fd);
	assert_true(same);
}

static void empty_and_slash_paths_open_the_root_itself(void **state)
{
	(void)state;
	int a = fs_open_in_root(rootfd, "", O_PATH, 0);
	int b = fs_open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
	bool a_root = a >= 0 && fd_is(a, ".");
	bool b_root = b >= 0 && fd_is(b, ".");
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	assert_true(a_root);
	assert_true(b_root);
}

static void open_in_root_creates_files_inside(void **state)
{
	(void)state;
	char name[64], path[PATH_MAX];
	unique_name(name, sizeof(name), "create");
	root_symlink("/", "up");
	snprintf(path, sizeof(path), "up/%s", name);
	int fd = fs_open_in_root(rootfd, path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		close(fd);
	char host[PATH_MAX];
	snprintf(host, sizeof(host), "/%s", name);
	int escaped = access(host, F_OK);
	if (escaped == 0)
		unlink(host);
	assert_int_equal(escaped, -1);
	assert_true(fd >= 0);
	assert_int_equal(faccessat(rootfd, name, F_OK, AT_SYMLINK_NOFOLLOW), 0);
}

static void open_in_root_returns_negative_errno(void **state)
{
	(void)state;
	unit_write(rootfs, "file", "x");
	assert_int_equal(fs_open_in_root(rootfd, "file/below", O_RDONLY, 0), -ENOTDIR);
	assert_int_equal(fs_open_in_root(rootfd, "file", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
}

static void mkpath_creates_nested_directories(void **state)
{
	(void)state;
	int fd = fs_mkpath_in_root(rootfd, "a/b/c", false, &err);
	bool same = fd >= 0 && fd_is(fd, "a/b/c");
	if (fd >= 0)
		close(fd);
	assert_null(err);
	assert_true(same);
	struct stat sb;
	assert_int_equal(fstatat(rootfd, "a/b/c", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(sb.st_mode));
}

static void mkpath_of_an_existing_path_returns_it(void **state)
{
	(void)state;
	root_mkdir("dev");
	int fd = fs_mkpath_in_root(rootfd, "/dev", false, &err);
	bool same = fd >= 0 && fd_is(fd, "dev");
	if (fd >= 0)
		close(fd);
	assert_true(same);
}

static void mkpath_can_create_an_empty_file_last(void **state)
{
	(void)state;
	int fd = fs_mkpath_in_root(rootfd, "/etc/resolv/resolv.conf", true, &err);
	if (fd >= 0)
		close(fd);
	assert_null(err);
	assert_true(fd >= 0);
	struct stat sb;
	assert_int_equal(fstatat(rootfd, "etc/resolv/resolv.conf", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(fstatat(rootfd, "etc/resolv", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(sb.st_mode));
}

static void mkpath_through_a_symlink_to_slash_stays_inside(void **state)
{
	(void)state;
	char name[64], path[PATH_MAX], inside[PATH_MAX], host[PATH_MAX];
	unique_name(name, sizeof(name), "mkpath");
	root_symlink("/", "up");
	snprintf(path, sizeof(path), "up/%s/x/y", name);
	int fd = fs_mkpath_in_root(rootfd, path, false, &err);
	snprintf(inside, sizeof(inside), "%s/x/y", name);
	bool same = fd >= 0 && fd_is(fd, inside);
	if (fd >= 0)
		close(fd);
	snprintf(host, sizeof(host), "/%s", name);
	int escaped = access(host, F_OK);
	if (escaped == 0)
		unit_rmtree(host);
	assert_int_equal(escaped, -1);
	assert_null(err);
	assert_true(same);
}

static void mkpath_through_dot_dot_stays_inside(void **state)
{
	(void)state;
	char name[64], path[PATH_MAX], inside[PATH_MAX];
	unique_name(name, sizeof(name), "dotdot");
	snprintf(path, sizeof(path), "../../../%s/z", name);
	int fd = fs_mkpath_in_root(rootfd, path, false, &err);
	snprintf(inside, sizeof(inside), "%s/z", name);
	bool same = fd >= 0 && fd_is(fd, inside);
	if (fd >= 0)
		close(fd);
	char outside[PATH_MAX * 2];
	snprintf(outside, sizeof(outside), "%s/%s", tmp, name);
	assert_int_equal(access(outside, F_OK), -1);
	assert_null(err);
	assert_true(same);
}

static void mkpath_through_a_symlinked_directory_creates_in_its_target(void **state)
{
	(void)state;
	root_mkdir("real");
	root_symlink("/real", "link");
	int fd = fs_mkpath_in_root(rootfd, "link/sub", false, &err);
	bool same = fd >= 0 && fd_is(fd, "real/sub");
	if (fd >= 0)
		close(fd);
	assert_null(err);
	assert_true(same);
}

static void mkpath_below_a_file_fails(void **state)
{
	(void)state;
	unit_write(rootfs, "file", "x");
	int fd = fs_mkpath_in_root(rootfd, "file/sub", false, &err);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -1);
	assert_non_null(err);
	assert_int_equal(err->errnum, ENOTDIR);
}

/* A dangling symlink as the last component must never create its target on the host. */
static void mkpath_never_creates_through_a_dangling_symlink_on_the_host(void **state)
{
	(void)state;
	char name[64], target[PATH_MAX], host[PATH_MAX];
	unique_name(name, sizeof(name), "dangling");
	snprintf(target, sizeof(target), "/%s", name);
	snprintf(host, sizeof(host), "/%s", name);
	root_symlink(target, "link");
	int fd = fs_mkpath_in_root(rootfd, "link", true, &err);
	bool inside = fd >= 0 && fd_is(fd, name);
	if (fd >= 0)
		close(fd);
	int escaped = access(host, F_OK);
	if (escaped == 0)
		unit_rmtree(host);
	assert_int_equal(escaped, -1);
	if (fd >= 0)
		assert_true(inside);
}

/* ---- trees ---- */

static void rmtree_does_not_follow_symlinks_out(void **state)
{
	(void)state;
	char keep[PATH_MAX * 2];
	snprintf(keep, sizeof(keep), "%s/keep", tmp);
	assert_int_equal(mkdir(keep, 0755), 0);
	unit_write(keep, "precious", "x");
	root_mkdir("d");
	root_symlink(keep, "d/link");
	unit_write(rootfs, "d/file", "y");
	assert_int_equal(fs_rmtree(rootfd, "d"), 0);
	assert_int_equal(faccessat(rootfd, "d", F_OK, AT_SYMLINK_NOFOLLOW), -1);
	assert_int_equal(faccessat(tmpfd, "keep/precious", F_OK, 0), 0);
}

static void rmtree_of_a_missing_name_succeeds(void **state)
{
	(void)state;
	assert_int_equal(fs_rmtree(rootfd, "absent"), 0);
}

static void copy_tree_keeps_contents_modes_and_symlinks(void **state)
{
	(void)state;
	root_mkdir("src");
	root_mkdir("src/sub");
	unit_write(rootfs, "src/sub/file", "payload");
	assert_int_equal(fchmodat(rootfd, "src/sub/file", 0604, 0), 0);
	assert_int_equal(fchmodat(rootfd, "src/sub", 0750, 0), 0);
	root_symlink("sub/file", "src/link");
	root_mkdir("dst");
	int src = openat(rootfd, "src", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dst = openat(rootfd, "dst", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fs_copy_tree(src, dst, &err);
	close(src);
	close(dst);
	assert_null(err);
	assert_int_equal(r, 0);
	assert_int_equal(fs_read_file(rootfd, "dst/sub/file", &data, NULL, &err), 0);
	assert_string_equal(data, "payload");
	struct stat sb;
	assert_int_equal(fstatat(rootfd, "dst/sub/file", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 0604);
	assert_int_equal(fstatat(rootfd, "dst/sub", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	char target[64] = { 0 };
	assert_int_equal(readlinkat(rootfd, "dst/link", target, sizeof(target) - 1), 8);
	assert_string_equal(target, "sub/file");
}

/* tmpcopyup promises the modes of the image: a restrictive umask of the runtime must not change them. */
static void copy_tree_keeps_modes_under_a_restrictive_umask(void **state)
{
	(void)state;
	root_mkdir("src");
	root_mkdir("src/sub");
	unit_write(rootfs, "src/sub/file", "payload");
	assert_int_equal(fchmodat(rootfd, "src/sub/file", 0644, 0), 0);
	assert_int_equal(fchmodat(rootfd, "src/sub", 0755, 0), 0);
	root_mkdir("dst");
	int src = openat(rootfd, "src", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dst = openat(rootfd, "dst", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	umask(077);
	int r = fs_copy_tree(src, dst, &err);
	umask(022);
	close(src);
	close(dst);
	assert_int_equal(r, 0);
	struct stat sb;
	assert_int_equal(fstatat(rootfd, "dst/sub", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);
	assert_int_equal(fstatat(rootfd, "dst/sub/file", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
}

/* A setuid or setgid binary in the image must stay one after tmpcopyup. */
static void copy_tree_keeps_setuid_and_setgid_bits(void **state)
{
	(void)state;
	root_mkdir("src");
	unit_write(rootfs, "src/suid", "#!/bin/true\n");
	unit_write(rootfs, "src/sgid", "#!/bin/true\n");
	assert_int_equal(fchmodat(rootfd, "src/suid", 04755, 0), 0);
	assert_int_equal(fchmodat(rootfd, "src/sgid", 02755, 0), 0);
	root_mkdir("dst");
	int src = openat(rootfd, "src", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dst = openat(rootfd, "dst", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fs_copy_tree(src, dst, &err);
	close(src);
	close(dst);
	assert_int_equal(r, 0);
	struct stat sb;
	assert_int_equal(fstatat(rootfd, "dst/suid", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 04755);
	assert_int_equal(fstatat(rootfd, "dst/sgid", &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(sb.st_mode & 07777, 02755);
}

/* a ".." component, wherever it stands; names that merely contain dots are not one */
static void path_has_dotdot_finds_only_whole_components(void **state)
{
	(void)state;
	const char *climbing[] = { "..", "../x", "/..", "a/..", "/a/../b", "a//../b", "/a/b/..", "a/../" };
	for (size_t i = 0; i < ARRAY_SIZE(climbing); i++)
		assert_true(fs_path_has_dotdot(climbing[i]));
	const char *staying[] = { "", "/", ".", "./a", "a/.../b", "..a", "a..", "/a/..b/c", "a/b.." };
	for (size_t i = 0; i < ARRAY_SIZE(staying); i++)
		assert_false(fs_path_has_dotdot(staying[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(atomic_write_then_read_returns_the_same_bytes),
		TEST(atomic_write_replaces_and_leaves_no_temporary),
		TEST(reading_a_file_larger_than_one_buffer_is_complete),
		TEST(reading_with_a_bound_takes_up_to_it_and_refuses_one_byte_more),
		TEST(reading_an_empty_file_gives_an_empty_string),
		TEST(reading_a_missing_file_is_enoent_naming_the_path),
		TEST(plain_write_truncates_an_existing_file),
		TEST(plain_write_does_not_create_files),
		TEST(mkdir_p_creates_every_parent),
		TEST(absolute_symlink_resolves_inside_the_root),
		TEST(absolute_symlink_finds_the_roots_own_file),
		TEST(dot_dot_cannot_climb_above_the_root),
		TEST(relative_symlink_cannot_climb_above_the_root),
		TEST(final_symlink_to_a_host_file_resolves_inside),
		TEST(leading_slashes_are_relative_to_the_root),
		TEST(empty_and_slash_paths_open_the_root_itself),
		TEST(open_in_root_creates_files_inside),
		TEST(open_in_root_returns_negative_errno),
		TEST(mkpath_creates_nested_directories),
		TEST(mkpath_of_an_existing_path_returns_it),
		TEST(mkpath_can_create_an_empty_file_last),
		TEST(mkpath_through_a_symlink_to_slash_stays_inside),
		TEST(mkpath_through_dot_dot_stays_inside),
		TEST(mkpath_through_a_symlinked_directory_creates_in_its_target),
		TEST(mkpath_below_a_file_fails),
		TEST(mkpath_never_creates_through_a_dangling_symlink_on_the_host),
		TEST(rmtree_does_not_follow_symlinks_out),
		TEST(rmtree_of_a_missing_name_succeeds),
		TEST(copy_tree_keeps_contents_modes_and_symlinks),
		TEST(copy_tree_keeps_modes_under_a_restrictive_umask),
		TEST(copy_tree_keeps_setuid_and_setgid_bits),
		cmocka_unit_test(path_has_dotdot_finds_only_whole_components),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("fs", tests, NULL, NULL) == 0 ? 0 : 1;
}
