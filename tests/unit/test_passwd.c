/* test_passwd.c - USER[:GROUP] in a root's /etc/passwd and /etc/group, as runc's and podman's lookup resolves it:
 * names and ids, the primary group, the supplementary groups (only without an explicit group), the home, runc's
 * error words, and files reached inside the root only (a symlinked /etc/passwd does not lead to the host's).
 * Must never touch anything outside its scratch directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/passwd.h"

static char *tmp;
static int rootfd = -1;
static hull_err err;
static struct passwd_user u;

static const char passwd[] = "# a comment\n"
			     "root:x:0:0:root:/root:/bin/sh\n"
			     "\n"
			     "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
			     "app:x:1000:1000:App:/home/app:/bin/sh\n"
			     "nohome:x:1001:1001::\n"
			     "short:x:1002\n"
			     "bad:x:notanumber:5::/bad:\n";
static const char group[] = "root:x:0:\n"
			    "daemon:x:1:app\n"
			    "app:x:1000:app\n"
			    "audio:x:29:other,app\n"
			    "video:x:44:appx,xapp\n"
			    "staff:x:50:\n"
			    "wheel:x:10:root,app\n";

static int make_root(void **state)
{
	(void)state;
	tmp = unit_tmpdir();
	rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || mkdirat(rootfd, "etc", 0755) < 0)
		return -1;
	unit_write(tmp, "etc/passwd", passwd);
	unit_write(tmp, "etc/group", group);
	return 0;
}

static int remove_root(void **state)
{
	(void)state;
	hull_err_free(&err);
	passwd_user_free(&u);
	if (rootfd >= 0)
		close(rootfd);
	rootfd = -1;
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return r;
}

static void resolved(const char *spec)
{
	passwd_user_free(&u);
	hull_err_free(&err);
	if (passwd_resolve(rootfd, spec, &u, &err) < 0)
		fail_msg("%s: %s", spec, err->msg);
}

static void refused(const char *spec, const char *msg)
{
	passwd_user_free(&u);
	hull_err_free(&err);
	assert_int_equal(passwd_resolve(rootfd, spec, &u, &err), -1);
	assert_int_equal(err->errnum, ENOENT);
	assert_string_equal(err->msg, msg);
}

static void gids_are(const unsigned *want, size_t n)
{
	assert_int_equal(u.n_gids, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(u.gids[i], want[i]);
}

/* app's entry: its ids, its home, and the groups that list it: daemon, audio and wheel (its own primary group, 1000,
 * is left out; "appx" is not "app") */
static void is_app(void)
{
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 1000);
	assert_string_equal(u.home, "/home/app");
	static const unsigned want[] = { 1, 29, 10 };
	gids_are(want, 3);
}

static void a_name_gives_its_ids_home_and_the_groups_listing_it(void **state)
{
	(void)state;
	resolved("app");
	is_app();
}

static void a_uid_in_passwd_gives_its_entry(void **state)
{
	(void)state;
	resolved("1000");
	is_app();
}

static void a_uid_without_an_entry_passes_through_with_gid_0_and_home_slash(void **state)
{
	(void)state;
	resolved("4242");
	assert_int_equal(u.uid, 4242);
	assert_int_equal(u.gid, 0);
	assert_string_equal(u.home, "/");
	assert_int_equal(u.n_gids, 0);
	resolved("4242:77");
	assert_int_equal(u.uid, 4242);
	assert_int_equal(u.gid, 77);
}

static void an_explicit_group_replaces_the_primary_and_drops_the_supplementary(void **state)
{
	(void)state;
	resolved("app:staff");
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 50);
	assert_int_equal(u.n_gids, 0);
	resolved("app:44");
	assert_int_equal(u.gid, 44);
	assert_int_equal(u.n_gids, 0);
}

static void an_empty_spec_is_root(void **state)
{
	(void)state;
	resolved("");
	assert_int_equal(u.uid, 0);
	assert_int_equal(u.gid, 0);
	assert_string_equal(u.home, "/root");
	resolved(NULL);
	assert_int_equal(u.uid, 0);
}

static void short_and_empty_fields_give_defaults(void **state)
{
	(void)state;
	resolved("nohome");
	assert_int_equal(u.uid, 1001);
	assert_string_equal(u.home, "/");
	resolved("short");
	assert_int_equal(u.uid, 1002);
	assert_int_equal(u.gid, 0);
	assert_string_equal(u.home, "/");
}

static void unknown_names_get_runcs_words(void **state)
{
	(void)state;
	refused("nobody-here", "unable to find user nobody-here: no matching entries in passwd file");
	refused("app:nogroup", "unable to find group nogroup: no matching entries in group file");
	/* an entry whose uid is no number is no match for its name */
	refused("bad", "unable to find user bad: no matching entries in passwd file");
	/* an id out of range or negative is a name, and no entry has it */
	refused("-1", "unable to find user -1: no matching entries in passwd file");
	refused("4294967295", "unable to find user 4294967295: no matching entries in passwd file");
}

static void without_files_only_numeric_ids_resolve(void **state)
{
	(void)state;
	passwd_user_free(&u);
	assert_int_equal(passwd_resolve(-1, "12:34", &u, &err), 0);
	assert_int_equal(u.uid, 12);
	assert_int_equal(u.gid, 34);
	assert_string_equal(u.home, "/");
	passwd_user_free(&u);
	assert_int_equal(passwd_resolve(-1, "root", &u, &err), -1);
	assert_int_equal(err->errnum, ENOENT);
}

static void an_absolute_symlink_is_resolved_inside_the_root(void **state)
{
	(void)state;
	/* the root's /etc/passwd points at "/etc/passwd.real": the root's, never the host's */
	assert_int_equal(renameat(rootfd, "etc/passwd", rootfd, "etc/passwd.real"), 0);
	assert_int_equal(symlinkat("/etc/passwd.real", rootfd, "etc/passwd"), 0);
	resolved("app");
	assert_int_equal(u.uid, 1000);
	/* one that climbs out stays inside too: ../../etc/passwd is the root's own /etc/passwd (this link, a loop), never
	 * the host's, which has root */
	assert_int_equal(unlinkat(rootfd, "etc/passwd", 0), 0);
	assert_int_equal(symlinkat("../../../../../../../../etc/passwd", rootfd, "etc/passwd"), 0);
	refused("root", "unable to find user root: no matching entries in passwd file");
	assert_int_equal(unlinkat(rootfd, "etc/passwd", 0), 0);
	assert_int_equal(renameat(rootfd, "etc/passwd.real", rootfd, "etc/passwd"), 0);
}

static void home_of_a_uid(void **state)
{
	(void)state;
	char *h = passwd_home_of(rootfd, 1000);
	assert_string_equal(h, "/home/app");
	free(h);
	h = passwd_home_of(rootfd, 1001);
	assert_string_equal(h, "/");
	free(h);
	h = passwd_home_of(rootfd, 999);
	assert_string_equal(h, "/");
	free(h);
	h = passwd_home_of(-1, 0);
	assert_string_equal(h, "/");
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_name_gives_its_ids_home_and_the_groups_listing_it),
		cmocka_unit_test(a_uid_in_passwd_gives_its_entry),
		cmocka_unit_test(a_uid_without_an_entry_passes_through_with_gid_0_and_home_slash),
		cmocka_unit_test(an_explicit_group_replaces_the_primary_and_drops_the_supplementary),
		cmocka_unit_test(an_empty_spec_is_root),
		cmocka_unit_test(short_and_empty_fields_give_defaults),
		cmocka_unit_test(unknown_names_get_runcs_words),
		cmocka_unit_test(without_files_only_numeric_ids_resolve),
		cmocka_unit_test(an_absolute_symlink_is_resolved_inside_the_root),
		cmocka_unit_test(home_of_a_uid),
	};
	return cmocka_run_group_tests(tests, make_root, remove_root);
}
