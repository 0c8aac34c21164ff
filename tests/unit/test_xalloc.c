/* test_xalloc.c - the allocation policy: an allocation that cannot be met ends the process with exactly
 * "hull: out of memory" and status 1. Must never exhaust this machine's memory: the sizes asked are impossible. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util/xalloc.h"

/* run one impossible allocation in a child; returns what it wrote on stderr, checks its exit status */
static void expect_oom_line(int which)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		volatile size_t huge = SIZE_MAX / 2;
		switch (which) {
		case 0: (void)xmalloc(huge); break;
		case 1: (void)xcalloc(huge, 4); break;
		case 2: (void)xrealloc(NULL, huge); break;
		default: (void)xreallocarray(NULL, huge, 16); break;
		}
		_exit(0); /* not reached when the policy holds */
	}
	close(p[1]);
	char buf[256] = { 0 };
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) - 1 && (r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	close(p[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	/* hull's one line, last (a sanitizer build may warn first, on lines of its own) */
	static const char line[] = "hull: out of memory\n";
	assert_true(n >= sizeof(line) - 1);
	assert_string_equal(buf + n - (sizeof(line) - 1), line);
	assert_true(n == sizeof(line) - 1 || buf[n - sizeof(line)] == '\n');
	assert_null(strstr(buf, "hull:") == buf + n - (sizeof(line) - 1) ? NULL : "a second hull line");
}

static void an_impossible_allocation_ends_with_one_line(void **state)
{
	(void)state;
	for (int which = 0; which < 4; which++)
		expect_oom_line(which);
}

static void possible_allocations_succeed(void **state)
{
	(void)state;
	char *s = xasprintf("%s-%d", "a", 1);
	assert_string_equal(s, "a-1");
	char *d = xstrndup("abcdef", 3);
	assert_string_equal(d, "abc");
	free(s);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_impossible_allocation_ends_with_one_line),
		cmocka_unit_test(possible_allocations_succeed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* In the sanitizer build: let malloc return NULL for an impossible size, as libc does, instead of ASan
 * reporting it; the policy under test is hull's reaction to that NULL. */
__attribute__((used)) const char *__asan_default_options(void);
__attribute__((used)) const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
