/* compile.c - seccomp profiles to BPF: libseccomp does the compiling, loaded with dlopen so that a
 * container without seccomp (or with a cached filter) never pays for it; the result is cached in the
 * state root under the profile's hash, next to the profile text it came from.
 * Must never use a cache entry whose stored profile differs from ours by one byte. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccomp/compile.h"
#include "seccomp/enosys.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"

/* 2: the filter starts with the -ENOSYS stub (enosys.c); entries of 1 lack it */
#define CACHE_MAGIC "hull-seccomp-bpf 2\n"

/* The few libseccomp functions hull calls. */
static struct {
	void *handle;
	scmp_filter_ctx (*init)(uint32_t);
	void (*release)(scmp_filter_ctx);
	int (*arch_add)(scmp_filter_ctx, uint32_t);
	int (*resolve)(const char *);
	int (*resolve_arch)(uint32_t, const char *);
	int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *);
	int (*attr_set)(scmp_filter_ctx, enum scmp_filter_attr, uint32_t);
	int (*export_bpf)(const scmp_filter_ctx, int);
	const struct scmp_version *(*version)(void);
} lib;

#define SYM(field, name) { name, offsetof(__typeof__(lib), field) }
static const struct dl_symbol lib_symbols[] = {
	SYM(init, "seccomp_init"),
	SYM(release, "seccomp_release"),
	SYM(arch_add, "seccomp_arch_add"),
	SYM(resolve, "seccomp_syscall_resolve_name"),
	SYM(resolve_arch, "seccomp_syscall_resolve_name_arch"),
	SYM(rule_add_array, "seccomp_rule_add_array"),
	SYM(attr_set, "seccomp_attr_set"),
	SYM(export_bpf, "seccomp_export_bpf"),
	SYM(version, "seccomp_version"),
};
#undef SYM

static int load_libseccomp(hull_err *err)
{
	return dl_load("libseccomp.so.2", lib_symbols, ARRAY_SIZE(lib_symbols), &lib, &lib.handle, "linux.seccomp",
		       " (install libseccomp2)", err);
}

static uint32_t scmp_action(enum seccomp_action a, uint32_t errno_ret)
{
	switch (a) {
	case SECCOMP_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SECCOMP_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SECCOMP_ACT_TRAP: return SCMP_ACT_TRAP;
	case SECCOMP_ACT_ERRNO: return SCMP_ACT_ERRNO(errno_ret);
	case SECCOMP_ACT_TRACE: return SCMP_ACT_TRACE(errno_ret);
	case SECCOMP_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SECCOMP_ACT_LOG: return SCMP_ACT_LOG;
	case SECCOMP_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static const enum scmp_compare scmp_ops[] = {
	[SECCOMP_OP_NE] = SCMP_CMP_NE, [SECCOMP_OP_LT] = SCMP_CMP_LT, [SECCOMP_OP_LE] = SCMP_CMP_LE,
	[SECCOMP_OP_EQ] = SCMP_CMP_EQ, [SECCOMP_OP_GE] = SCMP_CMP_GE, [SECCOMP_OP_GT] = SCMP_CMP_GT,
	[SECCOMP_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* One syscall of one rule. libseccomp cannot AND two comparisons of one argument: then, as runc does,
 * each comparison becomes a rule of its own. */
static struct scmp_arg_cmp arg_cmp(const struct seccomp_arg *a)
{
	return (struct scmp_arg_cmp){ .arg = a->index, .op = scmp_ops[a->op], .datum_a = a->value, .datum_b = a->value_two };
}

static int add_syscall(scmp_filter_ctx ctx, const struct seccomp_rule *r, uint32_t action, int nr, hull_err *err)
{
	struct scmp_arg_cmp cmp[6];
	bool repeated = r->n_args > 6;
	for (size_t i = 0; i < r->n_args && i < 6; i++) {
		cmp[i] = arg_cmp(&r->args[i]);
		for (size_t j = 0; j < i; j++)
			repeated |= r->args[j].index == r->args[i].index;
	}
	int rc = 0;
	if (!repeated)
		rc = lib.rule_add_array(ctx, action, nr, (unsigned)r->n_args, cmp);
	for (size_t i = 0; repeated && rc == 0 && i < r->n_args; i++) {
		struct scmp_arg_cmp one = arg_cmp(&r->args[i]);
		rc = lib.rule_add_array(ctx, action, nr, 1, &one);
	}
	if (rc < 0)
		return hull_fail_errno(err, -rc, "linux.seccomp: add a rule for \"%s\"", r->names[0]);
	return 0;
}

static int build(const struct hull_seccomp *s, struct seccomp_program *out, hull_err *err)
{
	if (load_libseccomp(err) < 0)
		return -1;
	uint32_t def = scmp_action(s->default_action, s->default_errno);
	scmp_filter_ctx ctx = lib.init(def);
	if (ctx == NULL)
		return hull_fail(err, "linux.seccomp: seccomp_init failed");
	int ret = -1, rc;
	_cleanup_close_ int memfd = -1;
	_cleanup_free_ struct sock_filter *stub = NULL;
	size_t stub_len = 0;
	for (size_t i = 0; i < s->n_arches; i++)
		if ((rc = lib.arch_add(ctx, seccomp_arch_token(s->arches[i]))) < 0 && rc != -EEXIST) {
			hull_fail_errno(err, -rc, "linux.seccomp: architecture %s", s->arches[i]);
			goto out;
		}
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct seccomp_rule *r = &s->rules[i];
		uint32_t action = scmp_action(r->action, r->errno_ret);
		if (action == def) /* libseccomp refuses rules that change nothing */
			continue;
		for (size_t k = 0; k < r->n_names; k++) {
			int nr = lib.resolve(r->names[k]);
			if (nr == __NR_SCMP_ERROR) { /* as runc: a syscall this libseccomp does not know */
				hull_debug("seccomp: skipping unknown syscall %s", r->names[k]);
				continue;
			}
			if (add_syscall(ctx, r, action, nr, err) < 0)
				goto out;
		}
	}
	memfd = memfd_create("hull-seccomp", MFD_CLOEXEC);
	if (memfd < 0 || (rc = lib.export_bpf(ctx, memfd)) < 0) {
		hull_fail_errno(err, memfd < 0 ? errno : -rc, "linux.seccomp: export the filter");
		goto out;
	}
	if (seccomp_enosys_stub(s, lib.resolve_arch, &stub, &stub_len, err) < 0)
		goto out;
	off_t size = lseek(memfd, 0, SEEK_END);
	size_t total = stub_len + (size_t)size / sizeof(struct sock_filter);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) || total > BPF_MAXINSNS) {
		hull_fail(err, "linux.seccomp: the filter has %zu instructions, more than the kernel takes (%d)", total,
			  BPF_MAXINSNS);
		goto out;
	}
	/* the stub first: it decides ENOSYS before the filter sees the call */
	out->insns = xmalloc(total * sizeof(struct sock_filter));
	if (pread(memfd, out->insns + stub_len, (size_t)size, 0) != size) {
		hull_fail_errno(err, EIO, "linux.seccomp: read the filter back");
		goto out;
	}
	if (stub_len) {
		memcpy(out->insns, stub, stub_len * sizeof(struct sock_filter));
		hull_debug("seccomp: prepending a -ENOSYS stub of %zu instructions to the filter", stub_len);
	}
	out->len = (unsigned short)total;
	ret = 0;
out:
	lib.release(ctx);
	return ret;
}

/* FNV-1a: only the file name of the cache entry; the entry itself proves the match. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Which libseccomp compiled an entry: a newer one may know syscalls the older one skipped. */
static char *lib_identity(const char *path)
{
	struct stat st;
	if (path == NULL || stat(path, &st) < 0)
		return NULL;
	return xasprintf("%s %lld %lld.%09ld\n", path, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec);
}

/* An entry: the magic, the libseccomp identity line, the profile text and a NUL, then the instructions. */
static bool cache_read(int dirfd, const char *name, const struct hull_seccomp *s, struct seccomp_program *out)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	hull_err e = NULL;
	if (fs_read_file(dirfd, name, &data, &len, &e) < 0) {
		hull_err_free(&e);
		return false;
	}
	size_t head = strlen(CACHE_MAGIC), tlen = strlen(s->text);
	if (len < head || memcmp(data, CACHE_MAGIC, head))
		return false;
	char *nl = memchr(data + head, '\n', len - head), *sp = memchr(data + head, ' ', len - head);
	if (nl == NULL || sp == NULL || sp > nl)
		return false;
	/* the identity line, as lib_identity would write it now for the path it names */
	const char *line = data + head;
	size_t line_len = (size_t)(nl + 1 - line);
	_cleanup_free_ char *path = xstrndup(line, (size_t)(sp - line));
	_cleanup_free_ char *id = lib_identity(path);
	if (id == NULL || strlen(id) != line_len || memcmp(id, line, line_len) != 0)
		return false;
	head = (size_t)(nl + 1 - data);
	if (len < head + tlen + 1 || memcmp(data + head, s->text, tlen + 1))
		return false;
	size_t body = len - head - tlen - 1;
	if (body == 0 || body % sizeof(struct sock_filter) || body / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return false;
	out->insns = xmalloc(body);
	memcpy(out->insns, data + head + tlen + 1, body);
	out->len = (unsigned short)(body / sizeof(struct sock_filter));
	out->cached = true;
	return true;
}

static void cache_write(int dirfd, const char *name, const struct hull_seccomp *s, const struct seccomp_program *p)
{
	Dl_info info;
	_cleanup_free_ char *id = dladdr(*(void **)&lib.init, &info) ? lib_identity(info.dli_fname) : NULL;
	if (id == NULL)
		return;
	size_t magic = strlen(CACHE_MAGIC), head = magic + strlen(id), tlen = strlen(s->text);
	size_t body = p->len * sizeof(struct sock_filter);
	_cleanup_free_ char *buf = xmalloc(head + tlen + 1 + body);
	memcpy(buf, CACHE_MAGIC, magic);
	memcpy(buf + magic, id, head - magic);
	memcpy(buf + head, s->text, tlen + 1);
	memcpy(buf + head + tlen + 1, p->insns, body);
	hull_err e = NULL;
	if (fs_write_file_atomic(dirfd, name, buf, head + tlen + 1 + body, 0600, &e) < 0) {
		hull_debug("seccomp cache: %s", e->msg);
		hull_err_free(&e);
	}
}

int seccomp_compile(const struct hull_seccomp *s, const char *cache_dir, struct seccomp_program *out, hull_err *err)
{
	*out = (struct seccomp_program){ 0 };
	_cleanup_close_ int dirfd = -1;
	char name[32];
	snprintf(name, sizeof(name), "%016llx.bpf", (unsigned long long)fnv1a(s->text));
	if (cache_dir && (mkdir(cache_dir, 0700) == 0 || errno == EEXIST))
		dirfd = open(cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd >= 0 && cache_read(dirfd, name, s, out))
		return 0;
	if (build(s, out, err) < 0)
		return -1;
	if (dirfd >= 0)
		cache_write(dirfd, name, s, out);
	return 0;
}

void seccomp_program_free(struct seccomp_program *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

int seccomp_compile_cached(const struct hull_seccomp *s, const char *root, struct seccomp_program *out, hull_err *err)
{
	_cleanup_free_ char *dir = root ? xasprintf("%s/%s", root, SECCOMP_CACHE_DIR) : NULL;
	return seccomp_compile(s, dir, out, err);
}
