/* test_error.c - hull_err: messages, errno text, prefixes, and ownership of the error object.
 * Must never print an error itself: only the library's reporting is under test. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "util/error.h"

static hull_err err;

static int free_err(void **state)
{
	(void)state;
	hull_err_free(&err);
	return 0;
}

static void fail_formats_the_message_without_errno_text(void **state)
{
	(void)state;
	assert_int_equal(hull_fail(&err, "bad %s %d", "thing", 3), -1);
	assert_non_null(err);
	assert_string_equal(err->msg, "bad thing 3");
	assert_int_equal(err->errnum, 0);
}

static void fail_errno_appends_strerror(void **state)
{
	(void)state;
	assert_int_equal(hull_fail_errno(&err, ENOENT, "open %s", "/x"), -1);
	assert_string_equal(err->msg, "open /x: no such file or directory");
	assert_int_equal(err->errnum, ENOENT);
}

static void fail_sys_takes_errno(void **state)
{
	(void)state;
	errno = EACCES;
	assert_int_equal(hull_fail_sys(&err, "mkdir %s", "/y"), -1);
	assert_string_equal(err->msg, "mkdir /y: permission denied");
	assert_int_equal(err->errnum, EACCES);
}

static void fail_code_records_errno_without_its_text(void **state)
{
	(void)state;
	assert_int_equal(hull_fail_code(&err, EEXIST, "container %s already exists", "c1"), -1);
	assert_string_equal(err->msg, "container c1 already exists");
	assert_int_equal(err->errnum, EEXIST);
}

static void prefix_chains_outermost_first(void **state)
{
	(void)state;
	hull_fail_errno(&err, ENOENT, "open %s", "/etc/x");
	assert_int_equal(hull_err_prefix(&err, "mount %d", 2), -1);
	assert_int_equal(hull_err_prefix(&err, "create %s", "c1"), -1);
	assert_string_equal(err->msg, "create c1: mount 2: open /etc/x: no such file or directory");
	assert_int_equal(err->errnum, ENOENT);
}

static void prefix_without_an_error_creates_none(void **state)
{
	(void)state;
	assert_int_equal(hull_err_prefix(&err, "context"), -1);
	assert_null(err);
	assert_int_equal(hull_err_prefix(NULL, "context"), -1);
}

static void new_failure_replaces_the_previous_error(void **state)
{
	(void)state;
	hull_fail_errno(&err, EIO, "first");
	hull_fail(&err, "second");
	assert_string_equal(err->msg, "second");
	assert_int_equal(err->errnum, 0);
}

static void null_error_pointer_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(hull_fail(NULL, "ignored %d", 1), -1);
	assert_int_equal(hull_fail_errno(NULL, EIO, "ignored"), -1);
	assert_int_equal(hull_fail_code(NULL, EIO, "ignored"), -1);
	assert_int_equal(hull_err_raw(NULL, EIO, "ignored"), -1);
}

static void raw_error_copies_the_message(void **state)
{
	(void)state;
	char buf[] = "init: exec failed";
	assert_int_equal(hull_err_raw(&err, ENOEXEC, buf), -1);
	buf[0] = 'X';
	assert_string_equal(err->msg, "init: exec failed");
	assert_int_equal(err->errnum, ENOEXEC);
}

static void free_resets_the_error_and_can_repeat(void **state)
{
	(void)state;
	hull_fail(&err, "x");
	hull_err_free(&err);
	assert_null(err);
	hull_err_free(&err);
	hull_err_free(NULL);
	assert_null(err);
}

static void percent_in_arguments_is_not_reformatted(void **state)
{
	(void)state;
	hull_fail(&err, "%s", "100%s done");
	hull_err_prefix(&err, "%s", "50%d");
	assert_string_equal(err->msg, "50%d: 100%s done");
}

#define TEST(f) cmocka_unit_test_teardown(f, free_err)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(fail_formats_the_message_without_errno_text),
		TEST(fail_errno_appends_strerror),
		TEST(fail_sys_takes_errno),
		TEST(fail_code_records_errno_without_its_text),
		TEST(prefix_chains_outermost_first),
		TEST(prefix_without_an_error_creates_none),
		TEST(new_failure_replaces_the_previous_error),
		TEST(null_error_pointer_is_accepted),
		TEST(raw_error_copies_the_message),
		TEST(free_resets_the_error_and_can_repeat),
		TEST(percent_in_arguments_is_not_reformatted),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("error", tests, NULL, NULL) == 0 ? 0 : 1;
}
