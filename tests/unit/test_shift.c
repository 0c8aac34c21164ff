/* test_shift.c - a rootless --uidmap's chown of the rootfs: owners through the maps, set-id bits and file
 * capabilities kept, symbolic links not followed. Needs root (chown, security.capability); skips otherwise.
 * Must never chown anything outside its scratch directory. */
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "engine/shift.h"
#include "unit.h"

static char *tmp;
static int rootfd = -1;
static hull_err err;

static int make_tree(void **state)
{
	(void)state;
	tmp = unit_tmpdir();
	rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return rootfd < 0 ? -1 : 0;
}

static int remove_tree(void **state)
{
	(void)state;
	hull_err_free(&err);
	if (rootfd >= 0)
		close(rootfd);
	rootfd = -1;
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return r;
}

static void owner_is(const char *rel, uid_t uid, gid_t gid)
{
	struct stat st;
	assert_int_equal(fstatat(rootfd, rel, &st, AT_SYMLINK_NOFOLLOW), 0);
	if (st.st_uid != uid || st.st_gid != gid)
		fail_msg("%s: owner %u:%u, want %u:%u", rel, st.st_uid, st.st_gid, uid, gid);
}

static const struct hull_idmap uids[] = { { 0, 1000, 100 } }, gids[] = { { 0, 2000, 100 } };
static const struct shift_maps maps = { .uid = uids, .n_uid = 1, .gid = gids, .n_gid = 1 };

static void shift_maps_each_owner_and_leaves_unmapped_ids(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdirat(rootfd, "etc", 0755), 0);
	unit_write(tmp, "etc/passwd", "root:x:0:0::/:/bin/sh\n");
	unit_write(tmp, "etc/app", "5");
	assert_int_equal(fchownat(rootfd, "etc/app", 5, 7, 0), 0);
	unit_write(tmp, "far", "x");
	assert_int_equal(fchownat(rootfd, "far", 5000, 5000, 0), 0);
	assert_int_equal(symlinkat("/etc/passwd", rootfd, "link"), 0);
	assert_int_equal(shift_owners(rootfd, &maps, &err), 0);
	owner_is("etc", 1000, 2000);
	owner_is("etc/passwd", 1000, 2000);
	owner_is("etc/app", 1005, 2007);
	owner_is("link", 1000, 2000); /* the link itself */
	owner_is("far", 5000, 5000);  /* outside the map: left as it is */
	/* the root is the caller's to give an owner (the upper directory's) */
	struct stat st;
	assert_int_equal(fstat(rootfd, &st), 0);
	assert_int_equal(st.st_uid, 0);
}

static void shift_keeps_set_id_bits_and_file_capabilities(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	unit_write(tmp, "ping", "#!/bin/sh\n");
	assert_int_equal(fchmodat(rootfd, "ping", 06755, 0), 0);
	/* CAP_NET_RAW permitted and effective, as Debian's ping has it (v2: the root of whoever reads it) */
	struct vfs_cap_data v2 = { .magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE };
	v2.data[0].permitted = 1u << CAP_NET_RAW;
	char path[4096];
	snprintf(path, sizeof(path), "%s/ping", tmp);
	assert_int_equal(setxattr(path, "security.capability", &v2, XATTR_CAPS_SZ_2, 0), 0);
	assert_int_equal(shift_owners(rootfd, &maps, &err), 0);
	owner_is("ping", 1000, 2000);
	struct stat st;
	assert_int_equal(fstatat(rootfd, "ping", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 06755);
	/* now meant for the container's root, host id 1000 */
	struct vfs_ns_cap_data got = { 0 };
	assert_int_equal(getxattr(path, "security.capability", &got, sizeof(got)), XATTR_CAPS_SZ_3);
	assert_int_equal(got.magic_etc, VFS_CAP_REVISION_3 | VFS_CAP_FLAGS_EFFECTIVE);
	assert_int_equal(got.data[0].permitted, 1u << CAP_NET_RAW);
	assert_int_equal(got.rootid, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(shift_maps_each_owner_and_leaves_unmapped_ids, make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(shift_keeps_set_id_bits_and_file_capabilities, make_tree, remove_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
