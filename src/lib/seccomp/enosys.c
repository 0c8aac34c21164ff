/* enosys.c - the -ENOSYS stub of enosys.h, laid out as runc's patchbpf lays it out: dispatch on the
 * audit architecture, then per architecture "nr > max ? ENOSYS : the profile's filter".
 * Must never jump past the filter's first instruction: the filter reloads what it needs itself. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>

#include "seccomp/enosys.h"
#include "util/xalloc.h"

/* x86_64's kernel marks x32 syscalls with this bit; libseccomp's x32 numbers carry it */
#define X32_SYSCALL_BIT 0x40000000U
/* seccomp_data: nr at offset 0, arch at offset 4 */
#define DATA_NR 0
#define DATA_ARCH 4
/* s390's syscall 0 multiplexes others: runc answers it with ENOSYS too */
#define S390_MULTIPLEX_SYSCALL 0U

/* One audit architecture: the largest syscall number the profile names on it. On x86_64, max[0] is
 * the x86_64 ABI and max[1] the x32 one (both share AUDIT_ARCH_X86_64); elsewhere only max[0]. */
struct arch_group {
	uint32_t audit;
	int max[2];
	bool s390;
};

static bool default_allows(const struct hull_seccomp *s)
{
	return s->default_action == SECCOMP_ACT_ALLOW || s->default_action == SECCOMP_ACT_LOG ||
	       s->default_action == SECCOMP_ACT_TRACE;
}

static int max_syscall(const struct hull_seccomp *s, uint32_t token, seccomp_resolver resolve)
{
	int max = 0;
	for (size_t i = 0; i < s->n_rules; i++)
		for (size_t k = 0; k < s->rules[i].n_names; k++) {
			int nr = resolve(token, s->rules[i].names[k]);
			if (nr > max)
				max = nr;
		}
	return max;
}

/* The groups for s's architectures; returns how many (at most s->n_arches). */
static size_t collect_groups(const struct hull_seccomp *s, seccomp_resolver resolve, struct arch_group *g)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_arches; i++) {
		uint32_t token = seccomp_arch_token(s->arches[i]);
		int max = max_syscall(s, token, resolve);
		if (token == 0 || max <= 0) /* runc: no syscall of the profile exists there */
			continue;
		uint32_t audit = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
		int abi = token == SCMP_ARCH_X32;
		size_t j = 0;
		while (j < n && g[j].audit != audit)
			j++;
		if (j == n)
			g[n++] = (struct arch_group){ .audit = audit, .max = { -1, -1 },
						      .s390 = token == SCMP_ARCH_S390 || token == SCMP_ARCH_S390X };
		g[j].max[abi] = max;
	}
	return n;
}

static size_t section_len(const struct arch_group *g)
{
	size_t body = (g->max[0] >= 0) + (g->max[1] >= 0) + (g->audit == SCMP_ARCH_X86_64);
	return 1 + g->s390 + body + 2; /* load nr, [s390], compares, jump to the filter, return ENOSYS */
}

struct emitter {
	struct sock_filter *f;
	size_t n;
	bool too_far;
};

/* One instruction; jt and jf are absolute targets (0 for none), made relative here. */
static void emit(struct emitter *e, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	size_t rt = jt ? jt - e->n - 1 : 0, rf = jf ? jf - e->n - 1 : 0;
	e->too_far |= rt > 255 || rf > 255;
	e->f[e->n++] = (struct sock_filter){ .code = code, .jt = (uint8_t)rt, .jf = (uint8_t)rf, .k = k };
}

static void emit_section(struct emitter *e, const struct arch_group *g, size_t len, size_t filter)
{
	size_t base = e->n, to_filter = base + len - 2, enosys = base + len - 1;
	emit(e, BPF_LD | BPF_W | BPF_ABS, DATA_NR, 0, 0);
	if (g->s390)
		emit(e, BPF_JMP | BPF_JEQ | BPF_K, S390_MULTIPLEX_SYSCALL, enosys, e->n + 1);
	if (g->audit == SCMP_ARCH_X86_64) {
		if (g->max[0] >= 0 && g->max[1] >= 0) /* x32 calls to the second compare */
			emit(e, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, e->n + 2, e->n + 1);
		else if (g->max[0] >= 0) /* x32 calls are not ours to judge */
			emit(e, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, to_filter, e->n + 1);
		else
			emit(e, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, e->n + 1, to_filter);
	}
	for (int abi = 0; abi < 2; abi++)
		if (g->max[abi] >= 0)
			emit(e, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)g->max[abi], enosys, to_filter);
	emit(e, BPF_JMP | BPF_JA, (uint32_t)(filter - e->n - 1), 0, 0);
	emit(e, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
}

int seccomp_enosys_stub(const struct hull_seccomp *s, seccomp_resolver resolve, struct sock_filter **out, size_t *len,
			hull_err *err)
{
	*out = NULL;
	*len = 0;
	/* runc: a defaultErrnoRet of ENOSYS already is the answer */
	if (default_allows(s) || s->default_errno == ENOSYS)
		return 0;
	struct arch_group *g = xcalloc(s->n_arches + 1, sizeof(*g));
	size_t ng = collect_groups(s, resolve, g);
	if (ng == 0) {
		free(g);
		return 0;
	}
	/* load arch, one compare per group, the jump for other architectures; then the sections */
	size_t total = 1 + ng + 1;
	for (size_t i = 0; i < ng; i++)
		total += section_len(&g[i]);
	struct emitter e = { .f = xcalloc(total, sizeof(struct sock_filter)) };
	emit(&e, BPF_LD | BPF_W | BPF_ABS, DATA_ARCH, 0, 0);
	size_t section = 1 + ng + 1;
	for (size_t i = 0; i < ng; i++) {
		emit(&e, BPF_JMP | BPF_JEQ | BPF_K, g[i].audit, section, e.n + 1);
		section += section_len(&g[i]);
	}
	emit(&e, BPF_JMP | BPF_JA, (uint32_t)(total - e.n - 1), 0, 0);
	for (size_t i = 0; i < ng; i++)
		emit_section(&e, &g[i], section_len(&g[i]), total);
	free(g);
	if (e.too_far || e.n != total) {
		free(e.f);
		return hull_fail(err, "linux.seccomp: %zu architectures are too many for the -ENOSYS stub", s->n_arches);
	}
	*out = e.f;
	*len = total;
	return 0;
}
