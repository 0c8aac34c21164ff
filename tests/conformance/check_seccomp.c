/* check_seccomp.c - checks of config-linux.md#seccomp: the filter is loaded, and every call of a table of harmless syscalls behaves as
 * linux.seccomp says (each action, errnoRet and defaultErrnoRet, every argument operator, notify), the expectation derived from config.json.
 * Must never make a probed syscall in its own process: each probe runs in a second thread of a forked child that cannot dump core, so a killing action
 * ends only the child, and a thread-killing one can be told from a process-killing one. */
#include "checker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 6
#define MAX_VALUES 8
#define MAX_RULES 512
#define MAX_CONDS 6

/* How the checker fills in one argument of a probed syscall. */
enum arg_kind {
	ARG_UNUSED, /* not passed: whatever is in the register, so a condition on it cannot be predicted */
	ARG_FIXED,  /* always the table's value */
	ARG_VARIED, /* each of the table's values in turn, one probe each */
	ARG_BUFFER, /* a pointer to a scratch buffer of the child */
	ARG_SELF,   /* the probing child's pid */
};

struct probe_syscall {
	const char *name;
	long nr;
	enum arg_kind kind[MAX_ARGS];
	uint64_t fixed[MAX_ARGS];
	uint64_t values[MAX_VALUES];
	int n_values;
};

/* Signals the probing child ignores, so kill(self, sig) only reports whether it was let through (0 probes the pid). */
static const int ignored_signals[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGCONT, SIGURG, SIGWINCH };

/* Syscalls that change nothing outside the probing child, and that neither runtimes (after loading the filter) nor the other check groups
 * make; run.sh leaves exactly these names out of the allow list of its default-deny scenario. A list of values has the probes of an argument. */
static const struct probe_syscall probes[] = {
	{ "kill", SYS_kill, { ARG_SELF, ARG_VARIED }, { 0 }, { 0, SIGUSR1, SIGUSR2, SIGCHLD, SIGCONT, SIGURG, SIGWINCH }, 7 },
	{ "getpriority", SYS_getpriority, { ARG_VARIED, ARG_FIXED }, { 0, 0 }, { 0 /* PRIO_PROCESS */, 1 /* PRIO_PGRP */, 2 /* PRIO_USER */ }, 3 },
	{ "getpgid", SYS_getpgid, { ARG_VARIED }, { 0 }, { 0, 1 }, 2 },
	{ "getsid", SYS_getsid, { ARG_VARIED }, { 0 }, { 0, 1 }, 2 },
	{ "sched_get_priority_max", SYS_sched_get_priority_max, { ARG_VARIED }, { 0 }, { SCHED_OTHER, SCHED_FIFO, SCHED_RR }, 3 },
	{ "sched_get_priority_min", SYS_sched_get_priority_min, { ARG_VARIED }, { 0 }, { SCHED_OTHER, SCHED_FIFO, SCHED_RR }, 3 },
	{ "getitimer", SYS_getitimer, { ARG_FIXED, ARG_BUFFER }, { 0 /* ITIMER_REAL */ }, { 0 }, 1 },
	{ "times", SYS_times, { ARG_BUFFER }, { 0 }, { 0 }, 1 },
	{ "sched_rr_get_interval", SYS_sched_rr_get_interval, { ARG_FIXED, ARG_BUFFER }, { 0 }, { 0 }, 1 },
	{ "getrusage", SYS_getrusage, { ARG_FIXED, ARG_BUFFER }, { 0 /* RUSAGE_SELF */ }, { 0 }, 1 },
	{ "getcpu", SYS_getcpu, { ARG_BUFFER, ARG_BUFFER, ARG_FIXED }, { 0, 0, 0 }, { 0 }, 1 },
	{ "sysinfo", SYS_sysinfo, { ARG_BUFFER }, { 0 }, { 0 }, 1 },
	{ "getppid", SYS_getppid, { ARG_UNUSED }, { 0 }, { 0 }, 1 },
};
#define N_PROBES (sizeof probes / sizeof probes[0])

enum op { OP_NE, OP_LT, OP_LE, OP_EQ, OP_GE, OP_GT, OP_MASKED_EQ, OP_UNKNOWN };

static const struct {
	const char *name;
	enum op op;
} op_names[] = {
	{ "SCMP_CMP_NE", OP_NE }, { "SCMP_CMP_LT", OP_LT }, { "SCMP_CMP_LE", OP_LE },		{ "SCMP_CMP_EQ", OP_EQ },
	{ "SCMP_CMP_GE", OP_GE }, { "SCMP_CMP_GT", OP_GT }, { "SCMP_CMP_MASKED_EQ", OP_MASKED_EQ },
};

struct condition {
	unsigned index;
	uint64_t value, value_two;
	enum op op;
	const char *op_name;
};

struct rule {
	int number; /* index in linux.seccomp.syscalls */
	json_object *names;
	const char *action;
	bool has_errno;
	long long errno_ret;
	struct condition conds[MAX_CONDS];
	int n_conds;
	bool repeated_index; /* two conditions on one argument: the spec does not say whether they AND or OR */
	int matched; /* probes this rule decided */
};

/* What a probe should do, derived from the rules. */
/* KILL is libseccomp's name for KILL_THREAD; TRAP sends SIGSYS, whose default action ends the whole process. */
enum expect_kind { EXPECT_WORKS, EXPECT_ERRNO, EXPECT_THREAD_KILLED, EXPECT_SIGSYS, EXPECT_RETURNS, EXPECT_UNKNOWN };

struct expectation {
	enum expect_kind kind;
	long long value; /* errno for EXPECT_ERRNO, the return value for EXPECT_RETURNS */
	const char *since;
	char why[256]; /* which rule or default decides, or why nothing can be predicted */
};

struct outcome {
	enum { OUT_RETURNED, OUT_FAILED, OUT_THREAD_KILLED, OUT_SIGNALED, OUT_EXITED, OUT_BROKEN } kind;
	long long value; /* return value, errno, signal or exit status */
};

static bool uses_name(json_object *names, const char *name)
{
	for (size_t i = 0; json_object_is_type(names, json_type_array) && i < json_object_array_length(names); i++) {
		const char *n = json_object_get_string(json_object_array_get_idx(names, i));
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

static bool cfg_u64(json_object *obj, const char *key, uint64_t *out)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

static int load_rules(json_object *seccomp, struct rule *rules)
{
	json_object *list = cfg_get(seccomp, "syscalls");
	int n = 0;

	for (size_t i = 0; json_object_is_type(list, json_type_array) && i < json_object_array_length(list) && n < MAX_RULES; i++) {
		json_object *rj = json_object_array_get_idx(list, i), *args = cfg_get(rj, "args");
		struct rule *r = &rules[n++];
		long long e;

		memset(r, 0, sizeof *r);
		r->number = (int)i;
		r->names = cfg_get(rj, "names");
		r->action = cfg_str(rj, "action");
		r->has_errno = cfg_int(rj, "errnoRet", &e);
		r->errno_ret = r->has_errno ? e : EPERM;
		for (size_t a = 0; json_object_is_type(args, json_type_array) && a < json_object_array_length(args); a++) {
			json_object *aj = json_object_array_get_idx(args, a);
			struct condition *c = &r->conds[r->n_conds];
			uint64_t index = 0;
			if (r->n_conds == MAX_CONDS) {
				r->repeated_index = true; /* more conditions than arguments */
				break;
			}
			cfg_u64(aj, "index", &index);
			cfg_u64(aj, "value", &c->value);
			cfg_u64(aj, "valueTwo", &c->value_two);
			c->index = (unsigned)index;
			c->op_name = cfg_str(aj, "op") ? cfg_str(aj, "op") : "(none)";
			c->op = OP_UNKNOWN;
			for (size_t o = 0; o < sizeof op_names / sizeof op_names[0]; o++)
				if (strcmp(op_names[o].name, c->op_name) == 0)
					c->op = op_names[o].op;
			for (int prev = 0; prev < r->n_conds; prev++)
				if (r->conds[prev].index == c->index)
					r->repeated_index = true;
			r->n_conds++;
		}
	}
	return n;
}

static bool condition_holds(const struct condition *c, uint64_t arg)
{
	switch (c->op) {
	case OP_NE: return arg != c->value;
	case OP_LT: return arg < c->value;
	case OP_LE: return arg <= c->value;
	case OP_EQ: return arg == c->value;
	case OP_GE: return arg >= c->value;
	case OP_GT: return arg > c->value;
	case OP_MASKED_EQ: return (arg & c->value) == c->value_two;
	default: return false;
	}
}

/* The expectation of one action; false for an action the spec does not define. */
static bool expect_action(const char *action, bool rule_errno, long long errno_ret, long long notify_return, bool have_notify,
			  struct expectation *x)
{
	x->since = NULL;
	if (!action)
		return false;
	if (strcmp(action, "SCMP_ACT_ALLOW") == 0) {
		x->kind = EXPECT_WORKS;
	} else if (strcmp(action, "SCMP_ACT_LOG") == 0) {
		x->kind = EXPECT_WORKS;
		x->since = SINCE_1_0_2;
	} else if (strcmp(action, "SCMP_ACT_ERRNO") == 0) {
		x->kind = EXPECT_ERRNO;
		x->value = errno_ret;
		if (rule_errno)
			x->since = SINCE_1_0_2;
	} else if (strcmp(action, "SCMP_ACT_TRACE") == 0) {
		/* seccomp(2): without a tracer the call fails with ENOSYS */
		x->kind = EXPECT_ERRNO;
		x->value = ENOSYS;
	} else if (strcmp(action, "SCMP_ACT_KILL") == 0) {
		x->kind = EXPECT_THREAD_KILLED;
	} else if (strcmp(action, "SCMP_ACT_KILL_THREAD") == 0) {
		x->kind = EXPECT_THREAD_KILLED;
		x->since = SINCE_1_0_2;
	} else if (strcmp(action, "SCMP_ACT_TRAP") == 0) {
		x->kind = EXPECT_SIGSYS;
	} else if (strcmp(action, "SCMP_ACT_KILL_PROCESS") == 0) {
		x->kind = EXPECT_SIGSYS;
		x->since = SINCE_1_0_2;
	} else if (strcmp(action, "SCMP_ACT_NOTIFY") == 0) {
		if (!have_notify) {
			x->kind = EXPECT_UNKNOWN;
			snprintf(x->why, sizeof x->why, "the host facts do not say what the notify agent answers");
			return true;
		}
		x->kind = EXPECT_RETURNS;
		x->value = notify_return;
		x->since = SINCE_1_0_2;
	} else {
		return false;
	}
	return true;
}

static void describe_call(const struct probe_syscall *p, uint64_t varied, char *out, size_t len)
{
	size_t used = (size_t)snprintf(out, len, "%s(", p->name);

	for (int i = 0; i < MAX_ARGS && p->kind[i] != ARG_UNUSED && used < len; i++) {
		const char *sep = i ? ", " : "";
		switch (p->kind[i]) {
		case ARG_FIXED: used += (size_t)snprintf(out + used, len - used, "%s%llu", sep, (unsigned long long)p->fixed[i]); break;
		case ARG_VARIED: used += (size_t)snprintf(out + used, len - used, "%s%llu", sep, (unsigned long long)varied); break;
		case ARG_BUFFER: used += (size_t)snprintf(out + used, len - used, "%sbuf", sep); break;
		case ARG_SELF: used += (size_t)snprintf(out + used, len - used, "%sself", sep); break;
		default: break;
		}
	}
	if (used < len)
		snprintf(out + used, len - used, ")");
}

static void describe_rule(const struct rule *r, char *out, size_t len)
{
	size_t used = (size_t)snprintf(out, len, "syscalls[%d] %s", r->number, r->action ? r->action : "(no action)");

	if (r->has_errno && used < len)
		used += (size_t)snprintf(out + used, len - used, " errnoRet %lld", r->errno_ret);
	for (int i = 0; i < r->n_conds && used < len; i++) {
		const struct condition *c = &r->conds[i];
		used += (size_t)snprintf(out + used, len - used, "%s arg%u %s %llu", i ? " and" : " if", c->index, c->op_name + 9,
					 (unsigned long long)c->value);
		if (c->op == OP_MASKED_EQ && used < len)
			used += (size_t)snprintf(out + used, len - used, " %llu", (unsigned long long)c->value_two);
	}
}

/* Which rule decides the call of p with its varied argument set to varied, and what it should do. */
static void expect_call(json_object *seccomp, struct rule *rules, int n_rules, const struct probe_syscall *p, uint64_t varied,
			long long notify_return, bool have_notify, struct expectation *x)
{
	struct rule *decider = NULL;
	char rule_text[160];

	x->why[0] = '\0';
	for (int i = 0; i < n_rules; i++) {
		struct rule *r = &rules[i];
		bool holds = true;
		if (!uses_name(r->names, p->name))
			continue;
		describe_rule(r, rule_text, sizeof rule_text);
		if (r->repeated_index) {
			x->kind = EXPECT_UNKNOWN;
			snprintf(x->why, sizeof x->why, "%s has two conditions on one argument (the spec leaves AND or OR open)", rule_text);
			return;
		}
		for (int c = 0; c < r->n_conds && holds; c++) {
			const struct condition *cond = &r->conds[c];
			enum arg_kind kind = cond->index < MAX_ARGS ? p->kind[cond->index] : ARG_UNUSED;
			if (cond->op == OP_UNKNOWN || (kind != ARG_FIXED && kind != ARG_VARIED)) {
				x->kind = EXPECT_UNKNOWN;
				snprintf(x->why, sizeof x->why, "%s tests an argument the checker cannot choose", rule_text);
				return;
			}
			holds = condition_holds(cond, kind == ARG_FIXED ? p->fixed[cond->index] : varied);
		}
		if (!holds)
			continue;
		if (decider && (strcmp(decider->action ? decider->action : "", r->action ? r->action : "") != 0 ||
				decider->errno_ret != r->errno_ret)) {
			x->kind = EXPECT_UNKNOWN;
			snprintf(x->why, sizeof x->why, "syscalls[%d] and syscalls[%d] both match with different actions (the spec does not order rules)",
				 decider->number, r->number);
			return;
		}
		decider = r;
	}
	if (decider) {
		decider->matched++;
		describe_rule(decider, rule_text, sizeof rule_text);
		snprintf(x->why, sizeof x->why, "%s", rule_text);
		if (!expect_action(decider->action, decider->has_errno, decider->errno_ret, notify_return, have_notify, x)) {
			x->kind = EXPECT_UNKNOWN;
			snprintf(x->why, sizeof x->why, "%s: an action the spec does not define", rule_text);
		}
		return;
	}
	long long default_errno = EPERM;
	bool has_default_errno = cfg_int(seccomp, "defaultErrnoRet", &default_errno);
	const char *action = cfg_str(seccomp, "defaultAction");
	snprintf(x->why, sizeof x->why, "defaultAction %s", action ? action : "(none)");
	if (has_default_errno && action && strcmp(action, "SCMP_ACT_ERRNO") == 0)
		snprintf(x->why + strlen(x->why), sizeof x->why - strlen(x->why), " defaultErrnoRet %lld", default_errno);
	if (!expect_action(action, has_default_errno, default_errno, notify_return, have_notify, x)) {
		x->kind = EXPECT_UNKNOWN;
		snprintf(x->why, sizeof x->why, "defaultAction %s is not an action the spec defines", action ? action : "(none)");
	}
	if (x->kind == EXPECT_ERRNO && has_default_errno)
		x->since = SINCE_1_1_0;
}

struct probe_result {
	long ret;
	int err;
};

struct probe_call {
	long nr;
	long args[MAX_ARGS];
	int report_fd;
};

static void *probe_thread(void *arg)
{
	const struct probe_call *call = arg;
	struct probe_result res;

	errno = 0;
	res.ret = syscall(call->nr, call->args[0], call->args[1], call->args[2], call->args[3], call->args[4], call->args[5]);
	res.err = errno;
	if (write(call->report_fd, &res, sizeof res) != sizeof res)
		_exit(1);
	return NULL;
}

/* Makes the call in a child: what it returned, or how the child died. */
static struct outcome run_probe(const struct probe_syscall *p, uint64_t varied)
{
	struct outcome out = { OUT_BROKEN, 0 };
	struct probe_result res;
	int pipefd[2], status;
	pid_t child;

	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		out.value = errno;
		return out;
	}
	child = fork();
	if (child < 0) {
		out.value = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return out;
	}
	if (child == 0) {
		static char buffer[4096];
		const struct rlimit no_core = { 0, 0 };
		struct probe_call call = { .nr = p->nr, .report_fd = pipefd[1] };
		long *a = call.args;
		pthread_t thread;
		close(pipefd[0]);
		/* SIGSYS would dump core: neither a core file nor a core_pattern pipe helper should see it */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		setrlimit(RLIMIT_CORE, &no_core);
		for (size_t i = 0; i < sizeof ignored_signals / sizeof ignored_signals[0]; i++)
			signal(ignored_signals[i], SIG_IGN);
		for (int i = 0; i < MAX_ARGS; i++) {
			switch (p->kind[i]) {
			case ARG_FIXED: a[i] = (long)p->fixed[i]; break;
			case ARG_VARIED: a[i] = (long)varied; break;
			case ARG_BUFFER: a[i] = (long)(buffer + 512 * i); break;
			case ARG_SELF: a[i] = (long)getpid(); break;
			default: break;
			}
		}
		if (pthread_create(&thread, NULL, probe_thread, &call) != 0 || pthread_join(thread, NULL) != 0)
			_exit(1);
		/* the thread reported its result, or was killed alone and the pipe stays empty */
		_exit(0);
	}
	close(pipefd[1]);
	ssize_t n = read(pipefd[0], &res, sizeof res);
	close(pipefd[0]);
	if (waitpid(child, &status, 0) != child) {
		out.value = errno;
		return out;
	}
	if (WIFSIGNALED(status)) {
		out.kind = OUT_SIGNALED;
		out.value = WTERMSIG(status);
	} else if (n == 0 && WEXITSTATUS(status) == 0) {
		out.kind = OUT_THREAD_KILLED;
	} else if (n != (ssize_t)sizeof res) {
		out.kind = OUT_EXITED;
		out.value = WEXITSTATUS(status);
	} else if (res.ret == -1) {
		out.kind = OUT_FAILED;
		out.value = res.err;
	} else {
		out.kind = OUT_RETURNED;
		out.value = res.ret;
	}
	return out;
}

static void describe_outcome(struct outcome o, char *out, size_t len)
{
	switch (o.kind) {
	case OUT_RETURNED: snprintf(out, len, "returned %lld", o.value); break;
	case OUT_FAILED: snprintf(out, len, "failed with errno %lld (%s)", o.value, strerror((int)o.value)); break;
	case OUT_THREAD_KILLED: snprintf(out, len, "the calling thread ended without returning, its process lived on"); break;
	case OUT_SIGNALED: snprintf(out, len, "killed by signal %lld (%s)", o.value, strsignal((int)o.value)); break;
	case OUT_EXITED: snprintf(out, len, "exited %lld without a result", o.value); break;
	default: snprintf(out, len, "probe could not run: %s", strerror((int)o.value)); break;
	}
}

static void check_probe(json_object *seccomp, struct rule *rules, int n_rules, const struct probe_syscall *p, uint64_t varied,
			long long notify_return, bool have_notify)
{
	struct expectation x;
	char call[128], want[160], got[160];

	describe_call(p, varied, call, sizeof call);
	expect_call(seccomp, rules, n_rules, p, varied, notify_return, have_notify, &x);
	if (x.kind == EXPECT_UNKNOWN) {
		tap_skip(x.why, "config-linux.md#seccomp: %s behaves as linux.seccomp says", call);
		return;
	}
	struct outcome o = run_probe(p, varied);
	bool passed;
	describe_outcome(o, got, sizeof got);
	switch (x.kind) {
	case EXPECT_WORKS:
		snprintf(want, sizeof want, "it works (returns, not -1)");
		passed = o.kind == OUT_RETURNED;
		break;
	case EXPECT_ERRNO:
		snprintf(want, sizeof want, "errno %lld (%s)", x.value, strerror((int)x.value));
		passed = o.kind == OUT_FAILED && o.value == x.value;
		break;
	case EXPECT_THREAD_KILLED:
		snprintf(want, sizeof want, "the calling thread killed, its process living on");
		passed = o.kind == OUT_THREAD_KILLED;
		break;
	case EXPECT_SIGSYS:
		snprintf(want, sizeof want, "the calling process killed by SIGSYS");
		passed = o.kind == OUT_SIGNALED && o.value == SIGSYS;
		break;
	default: /* EXPECT_RETURNS */
		snprintf(want, sizeof want, "returned %lld (the agent's answer, the call not run)", x.value);
		passed = o.kind == OUT_RETURNED && o.value == x.value;
		break;
	}
	tap_check(passed, x.since, want, got, "config-linux.md#seccomp: %s -> %s: %s", call, x.why,
		  x.kind == EXPECT_WORKS	? "works"
		  : x.kind == EXPECT_ERRNO	? "fails with that errno"
		  : x.kind == EXPECT_THREAD_KILLED ? "the calling thread is killed, not its process"
		  : x.kind == EXPECT_SIGSYS ? "the calling process dies of SIGSYS"
					    : "returns the agent's answer");
}

static void check_filter_mode(json_object *config)
{
	char got[64];
	bool nnp = false;

	if (!proc_status_field("Seccomp", got, sizeof got))
		snprintf(got, sizeof got, "unreadable");
	tap_expect_str(NULL, "2", got, "config-linux.md#seccomp: /proc/self/status shows Seccomp: 2 (a filter is loaded)");
	/* a filter without no_new_privs needs CAP_SYS_ADMIN when loaded: a runtime must not set no_new_privs to get it in */
	cfg_bool(config, "process.noNewPrivileges", &nnp);
	if (!proc_status_field("NoNewPrivs", got, sizeof got))
		snprintf(got, sizeof got, "unreadable");
	tap_expect_str(NULL, nnp ? "1" : "0", got, "config-linux.md#seccomp: NoNewPrivs is %d as process.noNewPrivileges says, with the filter loaded",
		       nnp ? 1 : 0);
}

void check_seccomp(json_object *config)
{
	json_object *seccomp = cfg_get(config, "linux.seccomp");
	static struct rule rules[MAX_RULES];
	long long notify_return = 0;
	bool have_notify;
	int n_rules;

	if (!json_object_is_type(seccomp, json_type_object))
		return;
	check_filter_mode(config);
	have_notify = facts_value("seccomp_notify_return", &notify_return);
	n_rules = load_rules(seccomp, rules);
	for (size_t i = 0; i < N_PROBES; i++)
		for (int v = 0; v < probes[i].n_values; v++)
			check_probe(seccomp, rules, n_rules, &probes[i], probes[i].values[v], notify_return, have_notify);
	/* every rule naming a probed syscall must have decided at least one probe, else its action went unchecked */
	for (int i = 0; i < n_rules; i++) {
		char rule_text[160];
		bool probed = false;
		for (size_t p = 0; p < N_PROBES && !probed; p++)
			probed = uses_name(rules[i].names, probes[p].name);
		if (!probed || rules[i].matched)
			continue;
		describe_rule(&rules[i], rule_text, sizeof rule_text);
		tap_skip("no probe the checker can make is decided by it alone", "config-linux.md#seccomp: %s is exercised", rule_text);
	}
}
