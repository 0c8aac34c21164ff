/* profile.h - linux.seccomp of config.json as typed data: actions, rules, arguments, flags, the notify
 * listener. Must never need libseccomp: parsing and validation are ours, compiling is compile.c's. */
#ifndef HULL_SECCOMP_PROFILE_H
#define HULL_SECCOMP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "spec_json.h"

enum seccomp_action {
	SECCOMP_ACT_KILL_THREAD,  /* SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD */
	SECCOMP_ACT_KILL_PROCESS,
	SECCOMP_ACT_TRAP,
	SECCOMP_ACT_ERRNO,
	SECCOMP_ACT_TRACE,
	SECCOMP_ACT_ALLOW,
	SECCOMP_ACT_LOG,
	SECCOMP_ACT_NOTIFY,
};

enum seccomp_op { SECCOMP_OP_NE, SECCOMP_OP_LT, SECCOMP_OP_LE, SECCOMP_OP_EQ, SECCOMP_OP_GE, SECCOMP_OP_GT,
		  SECCOMP_OP_MASKED_EQ };

/* linux.seccomp.flags, as the seccomp(2) SECCOMP_FILTER_FLAG_* bits */
#define HULL_SECCOMP_FLAG_TSYNC (1U << 0)
#define HULL_SECCOMP_FLAG_LOG (1U << 1)
#define HULL_SECCOMP_FLAG_SPEC_ALLOW (1U << 2)
#define HULL_SECCOMP_FLAG_NEW_LISTENER (1U << 3)
#define HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV (1U << 5)

struct seccomp_arg {
	unsigned index;
	uint64_t value, value_two;
	enum seccomp_op op;
};

struct seccomp_rule {
	char **names;
	size_t n_names;
	enum seccomp_action action;
	uint32_t errno_ret;  /* ERRNO and TRACE: errnoRet, default EPERM */
	struct seccomp_arg *args;
	size_t n_args;
};

struct hull_seccomp {
	enum seccomp_action default_action;
	uint32_t default_errno;
	char **arches;  /* SCMP_ARCH_* names */
	size_t n_arches;
	unsigned flags;
	char *listener_path, *listener_metadata;
	struct seccomp_rule *rules;
	size_t n_rules;
	bool notify;  /* some action is SCMP_ACT_NOTIFY */
	char *text;   /* the section as compact JSON: what the compiled filter is cached under */
};

/* Parse and validate linux.seccomp (obj may be NULL: *out = NULL). Unknown actions, operators,
 * architectures and flags are errors; unknown syscall names are left for the compiler to skip. */
int seccomp_profile_parse(struct ctx *c, json_object *obj, struct hull_seccomp **out);
void seccomp_profile_free(struct hull_seccomp *s);
/* The SCMP_ARCH_* name -> the libseccomp/audit token, 0 if unknown (table shared with compile.c). */
uint32_t seccomp_arch_token(const char *name);

/* `hull features`: linux.seccomp as runtime-spec's features.md describes it. */
json_object *seccomp_features(void);

#endif
