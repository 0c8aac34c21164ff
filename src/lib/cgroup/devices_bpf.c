/* devices_bpf.c - cgroup v2 device rules: a BPF_PROG_TYPE_CGROUP_DEVICE program built by hull itself.
 * Must never attach a program that allows more than the rules: anything unmatched is denied. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup/devices_bpf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define MAX_INSNS 4096
/* the verifier's log of a refused filter: room for the whole of it, or the load fails with ENOSPC */
#define BPF_LOG_SIZE ((size_t)1 << 20)

struct prog {
	struct bpf_insn insns[MAX_INSNS];
	size_t n;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n < MAX_INSNS)
		p->insns[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

static uint32_t access_mask(const char *access)
{
	uint32_t m = 0;
	for (const char *c = access; c && *c; c++)
		m |= *c == 'r' ? BPF_DEVCG_ACC_READ : *c == 'w' ? BPF_DEVCG_ACC_WRITE : *c == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
	return m;
}

/* One rule: each test jumps past the block when it does not match; a match returns allow/deny.
 * Returns true when the rule matches everything: nothing after it can be reached. */
static bool emit_rule(struct prog *p, const struct device_rule *r)
{
	uint32_t acc = access_mask(r->access);
	const uint32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
	size_t len = 2 + (r->type != 'a' ? 1 : 0) + (acc != all ? 3 : 0) + (r->type != 'a' && r->major >= 0 ? 1 : 0) +
		     (r->type != 'a' && r->minor >= 0 ? 1 : 0);
	size_t end = p->n + len;
#define SKIP ((int16_t)(end - (p->n + 1)))
	if (r->type != 'a')
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, SKIP, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (acc != all) {
		/* the requested access must lie within the rule's */
		emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
		emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (int32_t)(~acc & all));
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_1, 0, SKIP, 0);
	}
	if (r->type != 'a' && r->major >= 0)
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, SKIP, (int32_t)r->major);
	if (r->type != 'a' && r->minor >= 0)
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, SKIP, (int32_t)r->minor);
#undef SKIP
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, r->allow ? 1 : 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return len == 2;
}

int devices_bpf_attach(const char *cgroup_dir, const struct device_rule *rules, size_t n, hull_err *err)
{
	struct prog *p = xcalloc(1, sizeof(*p));
	/* r2 = type, r3 = access, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx) */
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_1, 0, 0);
	emit(p, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0);
	/* the last rule that matches decides, as with v1's devices.allow/deny sequence; the verifier
	 * refuses unreachable code, so a catch-all rule ends the program */
	bool closed = false;
	for (size_t i = n; i-- > 0 && !closed;)
		closed = emit_rule(p, &rules[i]);
	if (!closed) {
		emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
		emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	if (p->n >= MAX_INSNS) {
		free(p);
		return hull_fail(err, "linux.resources.devices: too many rules for the device filter");
	}

	/* No verifier log on the way that works: a log too small for a long program fails the load itself
	 * (ENOSPC). Only a refused program is loaded again, for the log's last line. */
	union bpf_attr load = { 0 };
	load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	load.insns = (uint64_t)(uintptr_t)p->insns;
	load.insn_cnt = (uint32_t)p->n;
	load.license = (uint64_t)(uintptr_t)"Apache";
	_cleanup_close_ int prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	if (prog < 0) {
		int saved = errno;
		/* on the heap, only when needed: a megabyte in .bss is read by every sanitizer's leak scan */
		_cleanup_free_ char *log = xcalloc(1, BPF_LOG_SIZE);
		load.log_buf = (uint64_t)(uintptr_t)log;
		load.log_size = BPF_LOG_SIZE;
		load.log_level = 1;
		int again = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
		if (again >= 0)
			close(again);
		size_t l = strlen(log);
		while (l > 0 && log[l - 1] == '\n')
			log[--l] = '\0';
		const char *last = strrchr(log, '\n');
		free(p);
		return hull_fail_errno(err, saved, "linux.resources.devices: load the device filter%s%s", l ? ": " : "",
				       last ? last + 1 : log);
	}
	free(p);
	_cleanup_close_ int cg = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return hull_fail_sys(err, "linux.resources.devices: open %s", cgroup_dir);
	union bpf_attr attach = { 0 };
	attach.target_fd = (uint32_t)cg;
	attach.attach_bpf_fd = (uint32_t)prog;
	attach.attach_type = BPF_CGROUP_DEVICE;
	attach.attach_flags = BPF_F_ALLOW_MULTI;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach)) < 0)
		return hull_fail_sys(err, "linux.resources.devices: attach the device filter to %s", cgroup_dir);
	return 0;
}
