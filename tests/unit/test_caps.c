/* test_caps.c - the capability name table against the kernel's numbering.
 * Must never change the process's capabilities: caps_apply and caps_drop_bounding are not called here. */
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "linux/caps.h"

#define CAP(x) { x, #x }
static const struct {
	int number;
	const char *name;
} kernel_caps[] = {
	CAP(CAP_CHOWN),		  CAP(CAP_DAC_OVERRIDE),   CAP(CAP_DAC_READ_SEARCH), CAP(CAP_FOWNER),
	CAP(CAP_FSETID),	  CAP(CAP_KILL),	   CAP(CAP_SETGID),	     CAP(CAP_SETUID),
	CAP(CAP_SETPCAP),	  CAP(CAP_LINUX_IMMUTABLE), CAP(CAP_NET_BIND_SERVICE), CAP(CAP_NET_BROADCAST),
	CAP(CAP_NET_ADMIN),	  CAP(CAP_NET_RAW),	   CAP(CAP_IPC_LOCK),	     CAP(CAP_IPC_OWNER),
	CAP(CAP_SYS_MODULE),	  CAP(CAP_SYS_RAWIO),	   CAP(CAP_SYS_CHROOT),	     CAP(CAP_SYS_PTRACE),
	CAP(CAP_SYS_PACCT),	  CAP(CAP_SYS_ADMIN),	   CAP(CAP_SYS_BOOT),	     CAP(CAP_SYS_NICE),
	CAP(CAP_SYS_RESOURCE),	  CAP(CAP_SYS_TIME),	   CAP(CAP_SYS_TTY_CONFIG),  CAP(CAP_MKNOD),
	CAP(CAP_LEASE),		  CAP(CAP_AUDIT_WRITE),	   CAP(CAP_AUDIT_CONTROL),   CAP(CAP_SETFCAP),
	CAP(CAP_MAC_OVERRIDE),	  CAP(CAP_MAC_ADMIN),	   CAP(CAP_SYSLOG),	     CAP(CAP_WAKE_ALARM),
	CAP(CAP_BLOCK_SUSPEND),	  CAP(CAP_AUDIT_READ),	   CAP(CAP_PERFMON),	     CAP(CAP_BPF),
	CAP(CAP_CHECKPOINT_RESTORE),
};
#define N_KERNEL_CAPS (sizeof(kernel_caps) / sizeof(kernel_caps[0]))

static void names_match_the_kernel_numbers(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_KERNEL_CAPS; i++) {
		assert_int_equal(caps_from_name(kernel_caps[i].name), kernel_caps[i].number);
		assert_string_equal(caps_name(kernel_caps[i].number), kernel_caps[i].name);
	}
}

static void every_known_capability_round_trips(void **state)
{
	(void)state;
	int n = caps_known_count();
	assert_int_equal(n, (int)N_KERNEL_CAPS);
	for (int cap = 0; cap < n; cap++) {
		const char *name = caps_name(cap);
		assert_non_null(name);
		assert_memory_equal(name, "CAP_", 4);
		assert_int_equal(caps_from_name(name), cap);
	}
}

static void unknown_names_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(caps_from_name("CAP_BOGUS"), -1);
	assert_int_equal(caps_from_name(""), -1);
	assert_int_equal(caps_from_name("CHOWN"), -1);
	assert_int_equal(caps_from_name("CAP_CHOWN "), -1);
	assert_int_equal(caps_from_name("CAP_"), -1);
}

static void numbers_outside_the_table_have_no_name(void **state)
{
	(void)state;
	assert_null(caps_name(-1));
	assert_null(caps_name(caps_known_count()));
	assert_null(caps_name(63));
	assert_null(caps_name(64));
}

static void last_cap_is_the_kernels(void **state)
{
	(void)state;
	char buf[16] = { 0 };
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(r > 0);
	assert_int_equal(caps_last_cap(), atoi(buf));
	assert_int_equal(caps_last_cap(), atoi(buf));  /* the cached value too */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_match_the_kernel_numbers),
		cmocka_unit_test(every_known_capability_round_trips),
		cmocka_unit_test(unknown_names_are_rejected),
		cmocka_unit_test(numbers_outside_the_table_have_no_name),
		cmocka_unit_test(last_cap_is_the_kernels),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("caps", tests, NULL, NULL) == 0 ? 0 : 1;
}
