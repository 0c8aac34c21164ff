/* profile.c - linux.seccomp -> struct hull_seccomp, validated with JSON paths in every error.
 * Must never accept an action, operator, architecture or flag it does not know: a filter that is
 * weaker than the config asked for is worse than no container. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/profile.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

static const struct {
	const char *name;
	enum seccomp_action action;
} actions[] = {
	{ "SCMP_ACT_KILL", SECCOMP_ACT_KILL_THREAD },     { "SCMP_ACT_KILL_THREAD", SECCOMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SECCOMP_ACT_KILL_PROCESS }, { "SCMP_ACT_TRAP", SECCOMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SECCOMP_ACT_ERRNO },           { "SCMP_ACT_TRACE", SECCOMP_ACT_TRACE },
	{ "SCMP_ACT_ALLOW", SECCOMP_ACT_ALLOW },           { "SCMP_ACT_LOG", SECCOMP_ACT_LOG },
	{ "SCMP_ACT_NOTIFY", SECCOMP_ACT_NOTIFY },
};

static const struct {
	const char *name;
	enum seccomp_op op;
} ops[] = {
	{ "SCMP_CMP_NE", SECCOMP_OP_NE }, { "SCMP_CMP_LT", SECCOMP_OP_LT }, { "SCMP_CMP_LE", SECCOMP_OP_LE },
	{ "SCMP_CMP_EQ", SECCOMP_OP_EQ }, { "SCMP_CMP_GE", SECCOMP_OP_GE }, { "SCMP_CMP_GT", SECCOMP_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", SECCOMP_OP_MASKED_EQ },
};

static const struct {
	const char *name;
	uint32_t token;
} arches[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },         { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },         { "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 }, { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },   { "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },   { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 }, { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },     { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },       { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },   { "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
};

static const struct {
	const char *name;
	unsigned flag;
} flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", HULL_SECCOMP_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", HULL_SECCOMP_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", HULL_SECCOMP_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV },
};

#define LOOKUP(table, key, field, out)                                     \
	({                                                                 \
		bool found_ = false;                                       \
		for (size_t i_ = 0; i_ < ARRAY_SIZE(table); i_++)          \
			if (strcmp(table[i_].name, (key)) == 0) {          \
				*(out) = table[i_].field;                  \
				found_ = true;                             \
				break;                                     \
			}                                                  \
		found_;                                                    \
	})

uint32_t seccomp_arch_token(const char *name)
{
	uint32_t t = 0;
	return LOOKUP(arches, name, token, &t) ? t : 0;
}

static int get_action(struct ctx *c, json_object *obj, const char *key, const char *path, bool required,
		      enum seccomp_action *out)
{
	_cleanup_free_ char *name = NULL, *p = sj_join(path, key);
	if (sj_get_string(c, obj, key, path, required, &name) < 0)
		return -1;
	if (name && !LOOKUP(actions, name, action, out))
		return sj_bad(c, p, "unknown action \"%s\"", name);
	return name ? 1 : 0;
}

static int parse_args(struct ctx *c, json_object *rule, const char *path, struct seccomp_rule *r)
{
	int ret;
	size_t n;
	json_object *args = sj_get_array(c, rule, "args", path, &n, &ret);
	if (ret < 0)
		return -1;
	_cleanup_free_ char *ap = sj_join(path, "args");
	r->args = xcalloc(n + 1, sizeof(*r->args));
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(args, i);
		_cleanup_free_ char *p = sj_idx(ap, i), *op = NULL, *opp = sj_join(p, "op");
		struct seccomp_arg *arg = &r->args[i];
		int64_t index = -1;
		bool has_index = false;
		if (sj_check_element_object(c, a, p) < 0 || sj_get_int(c, a, "index", p, 0, 5, &has_index, &index) < 0 ||
		    sj_get_u64(c, a, "value", p, &arg->value) < 0 || sj_get_u64(c, a, "valueTwo", p, &arg->value_two) < 0 ||
		    sj_get_string(c, a, "op", p, true, &op) < 0)
			return -1;
		if (!has_index) {
			_cleanup_free_ char *ip = sj_join(p, "index");
			return sj_bad(c, ip, "is required");
		}
		if (!LOOKUP(ops, op, op, &arg->op))
			return sj_bad(c, opp, "unknown operator \"%s\"", op);
		arg->index = (unsigned)index;
		r->n_args++;
	}
	return 0;
}

static int parse_rules(struct ctx *c, json_object *obj, struct hull_seccomp *s)
{
	int ret;
	size_t n;
	json_object *rules = sj_get_array(c, obj, "syscalls", "linux.seccomp", &n, &ret);
	if (ret < 0)
		return -1;
	s->rules = xcalloc(n + 1, sizeof(*s->rules));
	for (size_t i = 0; i < n; i++) {
		json_object *rj = json_object_array_get_idx(rules, i);
		_cleanup_free_ char *p = sj_idx("linux.seccomp.syscalls", i);
		struct seccomp_rule *r = &s->rules[i];
		s->n_rules++;
		int64_t e = 0;
		bool has_errno = false;
		if (sj_check_element_object(c, rj, p) < 0 || sj_get_strv(c, rj, "names", p, true, &r->names, &r->n_names) < 0 ||
		    get_action(c, rj, "action", p, true, &r->action) < 0 ||
		    sj_get_int(c, rj, "errnoRet", p, 0, 4095, &has_errno, &e) < 0 || parse_args(c, rj, p, r) < 0)
			return -1;
		r->errno_ret = has_errno ? (uint32_t)e : EPERM;
		if (r->action == SECCOMP_ACT_NOTIFY)
			s->notify = true;
		/* runc refuses it: a process whose write(2) waits for an agent may be the one that was to
		 * hand the agent its listener (hull sends it with sendmsg, but a profile must work on both) */
		for (size_t k = 0; r->action == SECCOMP_ACT_NOTIFY && k < r->n_names; k++)
			if (strcmp(r->names[k], "write") == 0) {
				_cleanup_free_ char *np = sj_join(p, "names");
				return sj_bad(c, np, "SCMP_ACT_NOTIFY cannot be used for the write syscall");
			}
	}
	return 0;
}

int seccomp_profile_parse(struct ctx *c, json_object *obj, struct hull_seccomp **out)
{
	*out = NULL;
	if (obj == NULL)
		return 0;
	struct hull_seccomp *s = xcalloc(1, sizeof(*s));
	const char *sp = "linux.seccomp";
	char **flagv = NULL;
	size_t nf = 0;
	int64_t e = 0;
	bool has_errno = false;
	if (get_action(c, obj, "defaultAction", sp, true, &s->default_action) < 0 ||
	    sj_get_int(c, obj, "defaultErrnoRet", sp, 0, 4095, &has_errno, &e) < 0 ||
	    sj_get_strv(c, obj, "architectures", sp, false, &s->arches, &s->n_arches) < 0 ||
	    sj_get_strv(c, obj, "flags", sp, false, &flagv, &nf) < 0 ||
	    sj_get_string(c, obj, "listenerPath", sp, false, &s->listener_path) < 0 ||
	    sj_get_string(c, obj, "listenerMetadata", sp, false, &s->listener_metadata) < 0 || parse_rules(c, obj, s) < 0)
		goto fail;
	s->default_errno = has_errno ? (uint32_t)e : EPERM;
	for (size_t i = 0; i < s->n_arches; i++)
		if (seccomp_arch_token(s->arches[i]) == 0) {
			_cleanup_free_ char *p = sj_idx("linux.seccomp.architectures", i);
			sj_bad(c, p, "unknown architecture \"%s\"", s->arches[i]);
			goto fail;
		}
	for (size_t i = 0; i < nf; i++) {
		unsigned f = 0;
		if (!LOOKUP(flags, flagv[i], flag, &f)) {
			_cleanup_free_ char *p = sj_idx("linux.seccomp.flags", i);
			sj_bad(c, p, "unknown flag \"%s\"", flagv[i]);
			goto fail;
		}
		s->flags |= f;
	}
	if (s->default_action == SECCOMP_ACT_NOTIFY) {
		sj_bad(c, "linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
		goto fail;
	}
	if (s->notify && (s->listener_path == NULL || *s->listener_path != '/')) {
		sj_bad(c, "linux.seccomp.listenerPath", "an absolute path is required with SCMP_ACT_NOTIFY");
		goto fail;
	}
	if (s->notify)
		s->flags |= HULL_SECCOMP_FLAG_NEW_LISTENER;
	s->text = xstrdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	cleanup_strvp(&flagv);
	*out = s;
	return 0;
fail:
	cleanup_strvp(&flagv);
	seccomp_profile_free(s);
	return -1;
}

void seccomp_profile_free(struct hull_seccomp *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n_rules; i++) {
		cleanup_strvp(&s->rules[i].names);
		free(s->rules[i].args);
	}
	free(s->rules);
	cleanup_strvp(&s->arches);
	free(s->listener_path);
	free(s->listener_metadata);
	free(s->text);
	free(s);
}

#define NAMES(table)                                                                  \
	({                                                                           \
		json_object *a_ = json_object_new_array();                           \
		for (size_t i_ = 0; i_ < ARRAY_SIZE(table); i_++)                    \
			json_object_array_add(a_, json_object_new_string(table[i_].name)); \
		a_;                                                                  \
	})

json_object *seccomp_features(void)
{
	json_object *f = json_object_new_object();
	json_object_object_add(f, "enabled", json_object_new_boolean(1));
	json_object_object_add(f, "actions", NAMES(actions));
	json_object_object_add(f, "operators", NAMES(ops));
	json_object_object_add(f, "archs", NAMES(arches));
	json_object_object_add(f, "knownFlags", NAMES(flags));
	json_object_object_add(f, "supportedFlags", NAMES(flags));
	return f;
}
