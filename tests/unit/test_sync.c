/* test_sync.c - the parent <-> init messages: what sync_expect accepts from a socket, byte for byte.
 * Must never spawn an init: both ends are a socketpair in this process. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"
#include "linux/sync.h"

/* send_raw FD BYTES LEN: a datagram as a hostile or broken peer would write it */
static void send_raw(int fd, const void *bytes, size_t len)
{
	assert_int_equal(send(fd, bytes, len, 0), (ssize_t)len);
}

static void an_error_text_ends_where_its_message_ends(void **state)
{
	(void)state;
	int sv[2];
	hull_err err = NULL;
	assert_int_equal(sync_pair(sv, &err), 0);
	/* a long message first, so that the receiver's buffer held other text before */
	struct sync_msg m = { .type = SYNC_ERROR, .value = 5 };
	memset(m.payload, 'B', sizeof(m.payload));
	send_raw(sv[1], &m, sizeof(m));
	assert_int_equal(sync_expect(sv[0], SYNC_READY, NULL, &err), -1);
	hull_err_free(&err);
	/* then an unterminated "abc" */
	memcpy(m.payload, "abc", 3);
	send_raw(sv[1], &m, offsetof(struct sync_msg, payload) + 3);
	assert_int_equal(sync_expect(sv[0], SYNC_READY, NULL, &err), -1);
	assert_non_null(err);
	assert_string_equal(err->msg, "abc");
	hull_err_free(&err);
	close(sv[0]);
	close(sv[1]);
}

static void an_oversized_message_is_refused(void **state)
{
	(void)state;
	int sv[2];
	hull_err err = NULL;
	assert_int_equal(sync_pair(sv, &err), 0);
	static char big[sizeof(struct sync_msg) + 100];
	struct sync_msg head = { .type = SYNC_READY, .value = 7 };
	memcpy(big, &head, offsetof(struct sync_msg, payload));
	send_raw(sv[1], big, sizeof(big));
	int32_t v = 0;
	assert_int_equal(sync_expect(sv[0], SYNC_READY, &v, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "oversized"));
	hull_err_free(&err);
	close(sv[0]);
	close(sv[1]);
}

static void a_whole_message_is_accepted(void **state)
{
	(void)state;
	int sv[2];
	hull_err err = NULL;
	assert_int_equal(sync_pair(sv, &err), 0);
	assert_int_equal(sync_send(sv[1], SYNC_PID, 42, NULL, &err), 0);
	int32_t v = 0;
	assert_int_equal(sync_expect(sv[0], SYNC_PID, &v, &err), 0);
	assert_int_equal(v, 42);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_error_text_ends_where_its_message_ends),
		cmocka_unit_test(an_oversized_message_is_refused),
		cmocka_unit_test(a_whole_message_is_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
