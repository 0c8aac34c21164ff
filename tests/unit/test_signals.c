/* test_signals.c - signal_parse and signal_name: names, numbers and realtime offsets as kill(1) takes them.
 * Must never send a signal: only the name table is under test. */
#include <signal.h>
#include <stdio.h>

#include "unit.h"
#include "util/signals.h"

static void bare_name_parses(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("KILL"), SIGKILL);
	assert_int_equal(signal_parse("TERM"), SIGTERM);
	assert_int_equal(signal_parse("HUP"), SIGHUP);
}

static void sig_prefixed_name_parses(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("SIGKILL"), SIGKILL);
	assert_int_equal(signal_parse("SIGUSR1"), SIGUSR1);
	assert_int_equal(signal_parse("SIGWINCH"), SIGWINCH);
}

static void names_are_case_insensitive(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("kill"), SIGKILL);
	assert_int_equal(signal_parse("sigkill"), SIGKILL);
	assert_int_equal(signal_parse("SigTerm"), SIGTERM);
}

static void aliases_parse_to_the_same_number(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("SIGCLD"), SIGCHLD);
	assert_int_equal(signal_parse("IOT"), SIGABRT);
	assert_int_equal(signal_parse("POLL"), SIGIO);
}

static void decimal_numbers_parse(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("9"), 9);
	assert_int_equal(signal_parse("1"), 1);
	assert_int_equal(signal_parse("15"), 15);
	assert_int_equal(signal_parse("09"), 9);
}

static void highest_realtime_number_parses(void **state)
{
	(void)state;
	char s[16];
	snprintf(s, sizeof(s), "%d", SIGRTMAX);
	assert_int_equal(signal_parse(s), SIGRTMAX);
}

static void zero_is_the_existence_check(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("0"), 0);
	assert_int_equal(signal_parse("00"), 0);
}

static void number_above_sigrtmax_is_rejected(void **state)
{
	(void)state;
	char s[16];
	snprintf(s, sizeof(s), "%d", SIGRTMAX + 1);
	assert_int_equal(signal_parse(s), -1);
	assert_int_equal(signal_parse("65"), -1);
	assert_int_equal(signal_parse("99999999999999999999"), -1);
}

static void negative_and_signed_numbers_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("-9"), -1);
	assert_int_equal(signal_parse("+9"), -1);
	assert_int_equal(signal_parse(" 9"), -1);
}

static void rtmin_and_rtmax_parse(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("RTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("RTMAX"), SIGRTMAX);
	assert_int_equal(signal_parse("sigrtmax"), SIGRTMAX);
}

static void rtmin_plus_offset_parses(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("RTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("SIGRTMIN+1"), SIGRTMIN + 1);
	char s[32];
	snprintf(s, sizeof(s), "RTMIN+%d", SIGRTMAX - SIGRTMIN);
	assert_int_equal(signal_parse(s), SIGRTMAX);
}

static void rtmax_minus_offset_parses(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("SIGRTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(signal_parse("rtmax-2"), SIGRTMAX - 2);
	char s[32];
	snprintf(s, sizeof(s), "RTMAX-%d", SIGRTMAX - SIGRTMIN);
	assert_int_equal(signal_parse(s), SIGRTMIN);
}

static void realtime_offset_leaving_the_range_is_rejected(void **state)
{
	(void)state;
	char s[32];
	snprintf(s, sizeof(s), "RTMIN+%d", SIGRTMAX - SIGRTMIN + 1);
	assert_int_equal(signal_parse(s), -1);
	snprintf(s, sizeof(s), "RTMAX-%d", SIGRTMAX - SIGRTMIN + 1);
	assert_int_equal(signal_parse(s), -1);
}

static void realtime_offset_in_the_wrong_direction_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("RTMIN-1"), -1);
	assert_int_equal(signal_parse("RTMAX+1"), -1);
}

static void malformed_realtime_offset_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("RTMIN+"), -1);
	assert_int_equal(signal_parse("RTMIN+x"), -1);
	assert_int_equal(signal_parse("RTMIN+1x"), -1);
	assert_int_equal(signal_parse("RTMINX"), -1);
}

static void garbage_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(signal_parse(NULL), -1);
	assert_int_equal(signal_parse(""), -1);
	assert_int_equal(signal_parse("SIG"), -1);
	assert_int_equal(signal_parse("NOTASIGNAL"), -1);
	assert_int_equal(signal_parse("SIGKILLX"), -1);
	assert_int_equal(signal_parse("KILL "), -1);
	assert_int_equal(signal_parse("9x"), -1);
	assert_int_equal(signal_parse("SIGSIGKILL"), -1);
}

static void name_of_a_number_is_sig_prefixed(void **state)
{
	(void)state;
	assert_string_equal(signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(signal_name(SIGSYS), "SIGSYS");
}

static void aliased_numbers_get_their_main_name(void **state)
{
	(void)state;
	assert_string_equal(signal_name(SIGABRT), "SIGABRT");
	assert_string_equal(signal_name(SIGCHLD), "SIGCHLD");
	assert_string_equal(signal_name(SIGIO), "SIGIO");
}

static void realtime_and_unknown_numbers_have_no_name(void **state)
{
	(void)state;
	assert_null(signal_name(0));
	assert_null(signal_name(-1));
	assert_null(signal_name(SIGRTMIN));
	assert_null(signal_name(SIGRTMAX));
	assert_null(signal_name(SIGRTMAX + 1));
}

static void every_standard_signal_round_trips(void **state)
{
	(void)state;
	for (int sig = 1; sig < 32; sig++) {
		const char *name = signal_name(sig);
		if (name == NULL) {
			print_error("signal %d has no name\n", sig);
			fail();
		}
		assert_int_equal(signal_parse(name), sig);
		assert_int_equal(signal_parse(name + 3), sig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare_name_parses),
		cmocka_unit_test(sig_prefixed_name_parses),
		cmocka_unit_test(names_are_case_insensitive),
		cmocka_unit_test(aliases_parse_to_the_same_number),
		cmocka_unit_test(decimal_numbers_parse),
		cmocka_unit_test(highest_realtime_number_parses),
		cmocka_unit_test(zero_is_the_existence_check),
		cmocka_unit_test(number_above_sigrtmax_is_rejected),
		cmocka_unit_test(negative_and_signed_numbers_are_rejected),
		cmocka_unit_test(rtmin_and_rtmax_parse),
		cmocka_unit_test(rtmin_plus_offset_parses),
		cmocka_unit_test(rtmax_minus_offset_parses),
		cmocka_unit_test(realtime_offset_leaving_the_range_is_rejected),
		cmocka_unit_test(realtime_offset_in_the_wrong_direction_is_rejected),
		cmocka_unit_test(malformed_realtime_offset_is_rejected),
		cmocka_unit_test(garbage_is_rejected),
		cmocka_unit_test(name_of_a_number_is_sig_prefixed),
		cmocka_unit_test(aliased_numbers_get_their_main_name),
		cmocka_unit_test(realtime_and_unknown_numbers_have_no_name),
		cmocka_unit_test(every_standard_signal_round_trips),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("signals", tests, NULL, NULL) == 0 ? 0 : 1;
}
