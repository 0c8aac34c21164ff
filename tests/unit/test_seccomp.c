/* test_seccomp.c - the -ENOSYS stub (seccomp/enosys.c) run through a small classic-BPF interpreter:
 * which (architecture, syscall) pairs it answers with ENOSYS and which it hands to the filter.
 * Must never load a filter into the test process nor need libseccomp: the syscall table is a fake. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "seccomp/enosys.h"

#define X32_BIT 0x40000000U
#define TO_FILTER (-1) /* the stub ran off its end, into the profile's filter */

/* A fake libseccomp: read and pidfd_open on x86_64, x32, i386 and s390x; everything else unknown. */
static int fake_resolve(uint32_t arch, const char *name)
{
	int nr = strcmp(name, "read") == 0 ? 0 : strcmp(name, "pidfd_open") == 0 ? 434 : -1;
	if (nr < 0 || (arch != AUDIT_ARCH_X86_64 && arch != AUDIT_ARCH_I386 && arch != AUDIT_ARCH_S390X &&
		       arch != (AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_64BIT)))
		return -1;
	if (arch == AUDIT_ARCH_I386 && nr == 0)
		return 3;
	if (arch == (AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_64BIT)) /* SCMP_ARCH_X32 */
		return (int)(nr | X32_BIT);
	return nr;
}

/* The stub's verdict for one call: the errno it returns, or TO_FILTER. */
static int run_stub(const struct sock_filter *f, size_t len, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &f[pc];
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(i->k == 0 || i->k == 4);
			a = i->k == 0 ? nr : arch;
			break;
		case BPF_JMP | BPF_JA: pc += i->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += a > i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (a & i->k) ? i->jt : i->jf; break;
		case BPF_RET | BPF_K:
			assert_int_equal(i->k & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ERRNO);
			return (int)(i->k & SECCOMP_RET_DATA);
		default: fail_msg("unexpected instruction %#x at %zu", i->code, pc);
		}
	}
	return TO_FILTER;
}

static struct hull_seccomp *profile(enum seccomp_action def, uint32_t def_errno, const char *const *arches)
{
	static char *names[] = { "read", "pidfd_open", "not_a_syscall", NULL };
	static struct seccomp_rule rule = { .names = names, .n_names = 3, .action = SECCOMP_ACT_ALLOW };
	static char *arch_copy[8];
	static struct hull_seccomp s;
	s = (struct hull_seccomp){ .default_action = def, .default_errno = def_errno, .arches = arch_copy,
				   .rules = &rule, .n_rules = 1 };
	for (s.n_arches = 0; arches[s.n_arches]; s.n_arches++)
		arch_copy[s.n_arches] = (char *)arches[s.n_arches];
	return &s;
}

static void stub_for(const struct hull_seccomp *s, struct sock_filter **f, size_t *len)
{
	hull_err err = NULL;
	assert_int_equal(seccomp_enosys_stub(s, fake_resolve, f, len, &err), 0);
	assert_null(err);
}

static void syscalls_above_the_profiles_last_get_enosys(void **state)
{
	(void)state;
	const char *arches[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
	struct sock_filter *f;
	size_t len;
	stub_for(profile(SECCOMP_ACT_ERRNO, EPERM, arches), &f, &len);
	assert_true(len > 0);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 1000), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 435), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 434), TO_FILTER);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 0), TO_FILTER);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 200), TO_FILTER); /* unlisted but known: the filter's */
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_I386, 435), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_I386, 3), TO_FILTER);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, X32_BIT | 435), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, X32_BIT | 434), TO_FILTER);
	/* an architecture the profile does not list is the filter's to judge */
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_AARCH64, 1000), TO_FILTER);
	free(f);
}

static void one_x86_64_abi_leaves_the_other_to_the_filter(void **state)
{
	(void)state;
	const char *amd64[] = { "SCMP_ARCH_X86_64", NULL }, *x32[] = { "SCMP_ARCH_X32", NULL };
	struct sock_filter *f;
	size_t len;
	stub_for(profile(SECCOMP_ACT_KILL_PROCESS, EPERM, amd64), &f, &len);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 1000), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, X32_BIT | 1000), TO_FILTER);
	free(f);
	stub_for(profile(SECCOMP_ACT_KILL_PROCESS, EPERM, x32), &f, &len);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, 1000), TO_FILTER);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, X32_BIT | 1000), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_X86_64, X32_BIT | 1), TO_FILTER);
	free(f);
}

static void s390_multiplexer_gets_enosys(void **state)
{
	(void)state;
	const char *arches[] = { "SCMP_ARCH_S390X", NULL };
	struct sock_filter *f;
	size_t len;
	stub_for(profile(SECCOMP_ACT_ERRNO, EPERM, arches), &f, &len);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_S390X, 0), ENOSYS);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_S390X, 3), TO_FILTER);
	assert_int_equal(run_stub(f, len, AUDIT_ARCH_S390X, 500), ENOSYS);
	free(f);
}

static void no_stub_when_the_default_allows_or_is_enosys(void **state)
{
	(void)state;
	const char *arches[] = { "SCMP_ARCH_X86_64", NULL }, *none[] = { NULL }, *arm[] = { "SCMP_ARCH_ARM", NULL };
	struct sock_filter *f;
	size_t len;
	enum seccomp_action allowing[] = { SECCOMP_ACT_ALLOW, SECCOMP_ACT_LOG, SECCOMP_ACT_TRACE };
	for (size_t i = 0; i < 3; i++) {
		stub_for(profile(allowing[i], EPERM, arches), &f, &len);
		assert_null(f);
		assert_int_equal(len, 0);
	}
	stub_for(profile(SECCOMP_ACT_ERRNO, ENOSYS, arches), &f, &len);
	assert_int_equal(len, 0);
	/* no architectures, or none where the profile's syscalls exist */
	stub_for(profile(SECCOMP_ACT_ERRNO, EPERM, none), &f, &len);
	assert_int_equal(len, 0);
	stub_for(profile(SECCOMP_ACT_ERRNO, EPERM, arm), &f, &len);
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syscalls_above_the_profiles_last_get_enosys),
		cmocka_unit_test(one_x86_64_abi_leaves_the_other_to_the_filter),
		cmocka_unit_test(s390_multiplexer_gets_enosys),
		cmocka_unit_test(no_stub_when_the_default_allows_or_is_enosys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
