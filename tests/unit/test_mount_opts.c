/* test_mount_opts.c - mount_opts_parse: mount(8)-style options into attributes, propagation and filesystem data.
 * Must never mount anything: only the parser is under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "unit.h"
#include "linux/mounts.h"

/* The options of the running test, freed by the teardown even when an assertion fails. */
static struct mount_opts opts;
static hull_err err;

static int free_opts(void **state)
{
	(void)state;
	mount_opts_free(&opts);
	hull_err_free(&err);
	return 0;
}

#define OPTS(...) ((char *const[]){ __VA_ARGS__ })
#define N_OPTS(...) (sizeof(OPTS(__VA_ARGS__)) / sizeof(char *))
/* Parse the given options into `opts`; the parse must succeed. */
#define parse(...)                                                                        \
	do {                                                                              \
		mount_opts_free(&opts);                                                   \
		int r_ = mount_opts_parse(OPTS(__VA_ARGS__), N_OPTS(__VA_ARGS__), &opts, &err); \
		assert_null(err);                                                         \
		assert_int_equal(r_, 0);                                                  \
	} while (0)

static void assert_no_data(void)
{
	assert_int_equal(opts.n_data, 0);
	assert_null(opts.data);
}

static void no_options_leave_everything_unset(void **state)
{
	(void)state;
	/* the parser must reset what it does not set */
	opts = (struct mount_opts){ .attr_set = ~0ULL, .attr_clr = ~0ULL, .rec_attr_set = ~0ULL, .rec_attr_clr = ~0ULL,
				    .propagation = ~0UL, .bind = true, .rbind = true, .tmpcopyup = true, .sb_ro = true };
	int r = mount_opts_parse(NULL, 0, &opts, &err);
	assert_int_equal(r, 0);
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, 0);
	assert_int_equal(opts.rec_attr_set, 0);
	assert_int_equal(opts.rec_attr_clr, 0);
	assert_int_equal(opts.propagation, 0);
	assert_false(opts.bind);
	assert_false(opts.rbind);
	assert_false(opts.tmpcopyup);
	assert_false(opts.sb_ro);
	assert_no_data();
}

static void ro_sets_rdonly_and_a_read_only_superblock(void **state)
{
	(void)state;
	parse("ro");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_RDONLY);
	assert_int_equal(opts.attr_clr, 0);
	assert_true(opts.sb_ro);
	assert_int_equal(opts.rec_attr_set, 0);
	assert_no_data();
}

static void rw_after_ro_clears_rdonly(void **state)
{
	(void)state;
	parse("ro", "rw");
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR_RDONLY);
	assert_false(opts.sb_ro);
}

static void ro_after_rw_sets_rdonly_again(void **state)
{
	(void)state;
	parse("rw", "ro");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_RDONLY);
	assert_int_equal(opts.attr_clr, 0);
	assert_true(opts.sb_ro);
}

static void flag_options_set_their_attributes(void **state)
{
	(void)state;
	parse("nosuid", "nodev", "noexec", "nodiratime", "nosymfollow");
	assert_int_equal(opts.attr_set,
			 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
	assert_int_equal(opts.attr_clr, 0);
	assert_false(opts.sb_ro);
	assert_no_data();
}

static void inverse_flag_options_clear_their_attributes(void **state)
{
	(void)state;
	parse("nosuid", "nodev", "noexec", "suid", "dev", "exec", "diratime", "symfollow");
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr,
			 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
}

static void later_option_wins_over_its_inverse(void **state)
{
	(void)state;
	parse("suid", "nosuid");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_NOSUID);
	assert_int_equal(opts.attr_clr, 0);
}

static void noatime_sets_one_atime_mode(void **state)
{
	(void)state;
	parse("noatime");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_NOATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
}

static void atime_modes_replace_each_other(void **state)
{
	(void)state;
	parse("noatime", "strictatime");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_STRICTATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
	parse("strictatime", "relatime");
	assert_int_equal(opts.attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
	parse("strictatime", "noatime", "nosuid");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_NOATIME | MOUNT_ATTR_NOSUID);
}

static void atime_and_nostrictatime_fall_back_to_relatime(void **state)
{
	(void)state;
	parse("noatime", "atime");
	assert_int_equal(opts.attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
	parse("strictatime", "nostrictatime");
	assert_int_equal(opts.attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
}

static void atime_mode_keeps_other_attributes(void **state)
{
	(void)state;
	parse("ro", "nodev", "noatime", "strictatime");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_STRICTATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
}

static void recursive_options_go_to_rec_attributes(void **state)
{
	(void)state;
	parse("rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow");
	assert_int_equal(opts.rec_attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
						    MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
	assert_int_equal(opts.rec_attr_clr, 0);
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, 0);
	assert_false(opts.sb_ro);
	assert_no_data();
}

static void recursive_inverse_options_clear_rec_attributes(void **state)
{
	(void)state;
	parse("rro", "rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow");
	assert_int_equal(opts.rec_attr_set, 0);
	assert_int_equal(opts.rec_attr_clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
						    MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, 0);
}

static void recursive_atime_modes_replace_each_other(void **state)
{
	(void)state;
	parse("rnoatime", "rstrictatime");
	assert_int_equal(opts.rec_attr_set, MOUNT_ATTR_STRICTATIME);
	assert_int_equal(opts.rec_attr_clr, MOUNT_ATTR__ATIME);
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, 0);
	parse("rstrictatime", "rnoatime");
	assert_int_equal(opts.rec_attr_set, MOUNT_ATTR_NOATIME);
}

static void recursive_and_plain_attributes_are_independent(void **state)
{
	(void)state;
	parse("ro", "rnosuid", "noatime", "rrelatime");
	assert_int_equal(opts.attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME);
	assert_int_equal(opts.attr_clr, MOUNT_ATTR__ATIME);
	assert_int_equal(opts.rec_attr_set, MOUNT_ATTR_NOSUID | MOUNT_ATTR_RELATIME);
	assert_int_equal(opts.rec_attr_clr, MOUNT_ATTR__ATIME);
}

static void propagation_options_map_to_ms_flags(void **state)
{
	(void)state;
	static const struct {
		char *option;
		unsigned long flags;
	} cases[] = {
		{ "private", MS_PRIVATE },	   { "rprivate", MS_PRIVATE | MS_REC }, { "shared", MS_SHARED },
		{ "rshared", MS_SHARED | MS_REC }, { "slave", MS_SLAVE },	     { "rslave", MS_SLAVE | MS_REC },
		{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse(cases[i].option);
		assert_int_equal(opts.propagation, cases[i].flags);
		assert_int_equal(opts.attr_set, 0);
		assert_int_equal(opts.rec_attr_set, 0);
		assert_no_data();
	}
}

static void last_propagation_option_wins(void **state)
{
	(void)state;
	parse("rshared", "private");
	assert_int_equal(opts.propagation, MS_PRIVATE);
}

static void bind_is_not_recursive(void **state)
{
	(void)state;
	parse("bind");
	assert_true(opts.bind);
	assert_false(opts.rbind);
	assert_no_data();
}

static void rbind_is_a_recursive_bind(void **state)
{
	(void)state;
	parse("rbind", "ro");
	assert_true(opts.bind);
	assert_true(opts.rbind);
	assert_int_equal(opts.attr_set, MOUNT_ATTR_RDONLY);
	assert_no_data();
}

static void tmpcopyup_is_recorded(void **state)
{
	(void)state;
	parse("tmpcopyup", "mode=755");
	assert_true(opts.tmpcopyup);
	assert_int_equal(opts.n_data, 1);
	assert_string_equal(opts.data[0], "mode=755");
}

static void unknown_options_become_filesystem_data_in_order(void **state)
{
	(void)state;
	parse("nosuid", "mode=755", "size=65536k", "ro", "newinstance", "gid=5");
	assert_int_equal(opts.n_data, 4);
	assert_string_equal(opts.data[0], "mode=755");
	assert_string_equal(opts.data[1], "size=65536k");
	assert_string_equal(opts.data[2], "newinstance");
	assert_string_equal(opts.data[3], "gid=5");
	assert_null(opts.data[4]);
	assert_int_equal(opts.attr_set, MOUNT_ATTR_NOSUID | MOUNT_ATTR_RDONLY);
}

static void superblock_flags_are_passed_to_the_filesystem(void **state)
{
	(void)state;
	parse("sync", "dirsync", "lazytime");
	assert_int_equal(opts.n_data, 3);
	assert_string_equal(opts.data[0], "sync");
	assert_string_equal(opts.data[1], "dirsync");
	assert_string_equal(opts.data[2], "lazytime");
	assert_null(opts.data[3]);
}

static void userspace_x_options_are_dropped(void **state)
{
	(void)state;
	parse("x-systemd.automount", "mode=700", "X-mount.mkdir", "x-");
	assert_int_equal(opts.n_data, 1);
	assert_string_equal(opts.data[0], "mode=700");
	assert_null(opts.data[1]);
}

static void defaults_and_empty_options_are_ignored(void **state)
{
	(void)state;
	parse("defaults", "", "remount", "async", "loud");
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.attr_clr, 0);
	assert_no_data();
}

static void option_names_are_case_sensitive(void **state)
{
	(void)state;
	parse("RO");
	assert_int_equal(opts.attr_set, 0);
	assert_int_equal(opts.n_data, 1);
	assert_string_equal(opts.data[0], "RO");
}

/* idmap and ridmap are hull's (spec.c reads them), never the filesystem's */
static void idmap_and_ridmap_are_not_passed_to_the_filesystem(void **state)
{
	(void)state;
	parse("mode=755", "idmap", "ridmap");
	assert_int_equal(opts.n_data, 1);
	assert_string_equal(opts.data[0], "mode=755");
	assert_int_equal(opts.attr_set, 0);
}

/* `features` advertises mount_known_options: each must be understood, not handed to the filesystem as unknown. */
static void every_known_option_is_understood(void **state)
{
	(void)state;
	static const char *const superblock_flags[] = { "sync", "dirsync", "mand", "lazytime", "silent" };
	size_t n = 0;
	for (const char *const *o = mount_known_options; *o; o++, n++) {
		bool sb_flag = false;
		for (size_t k = 0; k < sizeof(superblock_flags) / sizeof(superblock_flags[0]); k++)
			sb_flag |= strcmp(*o, superblock_flags[k]) == 0;
		mount_opts_free(&opts);
		int r = mount_opts_parse((char *const[]){ (char *)*o }, 1, &opts, &err);
		assert_int_equal(r, 0);
		if (sb_flag) {
			assert_int_equal(opts.n_data, 1);
			assert_string_equal(opts.data[0], *o);
		} else if (opts.n_data != 0) {
			print_error("known option \"%s\" was passed through as filesystem data\n", *o);
			fail();
		}
	}
	assert_true(n >= 50);
}

#define TEST(f) cmocka_unit_test_teardown(f, free_opts)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(no_options_leave_everything_unset),
		TEST(ro_sets_rdonly_and_a_read_only_superblock),
		TEST(rw_after_ro_clears_rdonly),
		TEST(ro_after_rw_sets_rdonly_again),
		TEST(flag_options_set_their_attributes),
		TEST(inverse_flag_options_clear_their_attributes),
		TEST(later_option_wins_over_its_inverse),
		TEST(noatime_sets_one_atime_mode),
		TEST(atime_modes_replace_each_other),
		TEST(atime_and_nostrictatime_fall_back_to_relatime),
		TEST(atime_mode_keeps_other_attributes),
		TEST(recursive_options_go_to_rec_attributes),
		TEST(recursive_inverse_options_clear_rec_attributes),
		TEST(recursive_atime_modes_replace_each_other),
		TEST(recursive_and_plain_attributes_are_independent),
		TEST(propagation_options_map_to_ms_flags),
		TEST(last_propagation_option_wins),
		TEST(bind_is_not_recursive),
		TEST(rbind_is_a_recursive_bind),
		TEST(tmpcopyup_is_recorded),
		TEST(unknown_options_become_filesystem_data_in_order),
		TEST(superblock_flags_are_passed_to_the_filesystem),
		TEST(userspace_x_options_are_dropped),
		TEST(defaults_and_empty_options_are_ignored),
		TEST(option_names_are_case_sensitive),
		TEST(idmap_and_ridmap_are_not_passed_to_the_filesystem),
		TEST(every_known_option_is_understood),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("mount_opts", tests, NULL, NULL) == 0 ? 0 : 1;
}
