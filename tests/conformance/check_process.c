/* check_process.c - checks of config.md#process from inside: args, env, cwd, terminal, user, umask, rlimits, inherited descriptors, and the Linux process knobs (noNewPrivileges, oomScoreAdj, personality, ioPriority, scheduler).
 * Must never change the process attributes it reads (no umask(), no setrlimit(), no sched_setattr()). */
#include "checker.h"

#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void check_inherited_fds(const int *open_fds, int n_open_fds)
{
	bool has_std[3] = { false, false, false };
	char extra[512] = "";

	if (n_open_fds < 0) {
		tap_skip("/proc/self/fd unreadable", "runtime-linux.md#file-descriptors: only stdin, stdout and stderr are open");
		return;
	}
	for (int i = 0; i < n_open_fds; i++) {
		if (open_fds[i] >= 0 && open_fds[i] <= 2) {
			has_std[open_fds[i]] = true;
			continue;
		}
		char link[64], target[256];
		ssize_t n;
		snprintf(link, sizeof link, "/proc/self/fd/%d", open_fds[i]);
		n = readlink(link, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		size_t used = strlen(extra);
		snprintf(extra + used, sizeof extra - used, "%s%d->%s", used ? " " : "", open_fds[i], target);
	}
	tap_check(has_std[0] && has_std[1] && has_std[2], NULL, "fds 0 1 2 open", "some missing",
		  "runtime-linux.md#file-descriptors: stdin, stdout and stderr are open");
	tap_check(extra[0] == '\0', NULL, "no other descriptor", extra,
		  "runtime-linux.md#file-descriptors: no descriptor beyond stdin, stdout and stderr is left open");
}

static void check_args(json_object *config, int argc, char **argv)
{
	json_object *args = cfg_get(config, "process.args");
	size_t n = json_object_is_type(args, json_type_array) ? json_object_array_length(args) : 0;
	char want[1024] = "", got[1024] = "";
	bool same = n == (size_t)argc;

	for (size_t i = 0; i < n; i++) {
		const char *arg = json_object_get_string(json_object_array_get_idx(args, i));
		size_t used = strlen(want);
		snprintf(want + used, sizeof want - used, "%s[%s]", i ? " " : "", arg);
		if (i < (size_t)argc && strcmp(arg, argv[i]) != 0)
			same = false;
	}
	for (int i = 0; i < argc; i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof got - used, "%s[%s]", i ? " " : "", argv[i]);
	}
	tap_check(same, NULL, want, got, "config.md#process: argv equals process.args (%zu entries)", n);
}

static void check_env(json_object *config)
{
	json_object *env = cfg_get(config, "process.env");
	size_t n = json_object_is_type(env, json_type_array) ? json_object_array_length(env) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *entry = json_object_get_string(json_object_array_get_idx(env, i));
		const char *eq = entry ? strchr(entry, '=') : NULL;
		char name[256];
		if (!eq || (size_t)(eq - entry) >= sizeof name)
			continue;
		memcpy(name, entry, (size_t)(eq - entry));
		name[eq - entry] = '\0';
		tap_expect_str(NULL, eq + 1, getenv(name), "config.md#process: env %s is \"%s\"", name, eq + 1);
	}
}

static void check_cwd(json_object *config)
{
	const char *cwd = cfg_str(config, "process.cwd");
	char got[4096];

	if (!cwd)
		return;
	tap_expect_str(NULL, cwd, getcwd(got, sizeof got) ? got : strerror(errno),
		       "config.md#process: working directory is %s", cwd);
}

static void check_terminal(json_object *config)
{
	bool terminal = false;

	cfg_bool(config, "process.terminal", &terminal);
	if (terminal) {
		tap_skip("terminal=true needs a console socket, not exercised", "config.md#process: terminal is true");
		return;
	}
	tap_check(!isatty(0) && !isatty(1) && !isatty(2), NULL, "no terminal on 0, 1, 2", "a terminal",
		  "config.md#process: terminal is false: stdin, stdout and stderr are not terminals");
}

static void check_user(json_object *config)
{
	long long uid, gid, umask_value;
	json_object *extra = cfg_get(config, "process.user.additionalGids");

	if (cfg_int(config, "process.user.uid", &uid)) {
		tap_expect_int(NULL, uid, getuid(), "config.md#posix-platform-user: real uid is %lld", uid);
		tap_expect_int(NULL, uid, geteuid(), "config.md#posix-platform-user: effective uid is %lld", uid);
	}
	if (cfg_int(config, "process.user.gid", &gid)) {
		tap_expect_int(NULL, gid, getgid(), "config.md#posix-platform-user: real gid is %lld", gid);
		tap_expect_int(NULL, gid, getegid(), "config.md#posix-platform-user: effective gid is %lld", gid);
	}
	if (json_object_is_type(extra, json_type_array)) {
		gid_t groups[256];
		int n_groups = getgroups(256, groups);
		size_t n_want = json_object_array_length(extra);
		char want[512] = "", got[512] = "";
		bool same = n_groups >= 0 && (size_t)n_groups == n_want;
		for (size_t i = 0; i < n_want; i++) {
			long long g = json_object_get_int64(json_object_array_get_idx(extra, i));
			bool present = false;
			for (int j = 0; j < n_groups; j++)
				present = present || groups[j] == (gid_t)g;
			same = same && present;
			size_t used = strlen(want);
			snprintf(want + used, sizeof want - used, "%s%lld", i ? "," : "", g);
		}
		for (int j = 0; j < n_groups; j++) {
			size_t used = strlen(got);
			snprintf(got + used, sizeof got - used, "%s%u", j ? "," : "", (unsigned)groups[j]);
		}
		tap_check(same, NULL, want, got, "config.md#posix-platform-user: supplementary groups are exactly [%s]", want);
	}
	if (cfg_int(config, "process.user.umask", &umask_value)) {
		char got[32], want[32];
		if (!proc_status_field("Umask", got, sizeof got))
			snprintf(got, sizeof got, "unreadable");
		snprintf(want, sizeof want, "%04llo", umask_value);
		tap_expect_str(SINCE_1_0_2, want, got, "config.md#posix-platform-user: umask is %s", want);
	}
}

struct rlimit_name {
	const char *name;
	int resource;
};

static const struct rlimit_name rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },	    { "RLIMIT_CORE", RLIMIT_CORE },	      { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },	    { "RLIMIT_FSIZE", RLIMIT_FSIZE },	      { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },	      { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },     { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static void check_rlimits(json_object *config)
{
	json_object *rlimits = cfg_get(config, "process.rlimits");
	size_t n = json_object_is_type(rlimits, json_type_array) ? json_object_array_length(rlimits) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(rlimits, i);
		const char *type = cfg_str(entry, "type");
		const struct rlimit_name *known = NULL;
		struct rlimit got;
		for (size_t k = 0; type && k < sizeof rlimit_names / sizeof rlimit_names[0]; k++)
			if (strcmp(rlimit_names[k].name, type) == 0)
				known = &rlimit_names[k];
		if (!known) {
			tap_check(false, NULL, "a getrlimit(2) resource", type ? type : "(none)",
				  "config.md#posix-process: rlimits[%zu] type is known", i);
			continue;
		}
		if (getrlimit(known->resource, &got) != 0) {
			tap_check(false, NULL, "getrlimit succeeds", strerror(errno), "config.md#posix-process: getrlimit(%s) succeeds", type);
			continue;
		}
		uint64_t soft = json_object_get_uint64(cfg_get(entry, "soft"));
		uint64_t hard = json_object_get_uint64(cfg_get(entry, "hard"));
		char want_s[32], got_s[32];
		snprintf(want_s, sizeof want_s, "%llu", (unsigned long long)soft);
		snprintf(got_s, sizeof got_s, "%llu", (unsigned long long)got.rlim_cur);
		tap_check(got.rlim_cur == soft, NULL, want_s, got_s, "config.md#posix-process: %s soft limit is %s", type, want_s);
		snprintf(want_s, sizeof want_s, "%llu", (unsigned long long)hard);
		snprintf(got_s, sizeof got_s, "%llu", (unsigned long long)got.rlim_max);
		tap_check(got.rlim_max == hard, NULL, want_s, got_s, "config.md#posix-process: %s hard limit is %s", type, want_s);
	}
}

void check_process(json_object *config, int argc, char **argv)
{
	check_args(config, argc, argv);
	check_env(config);
	check_cwd(config);
	check_terminal(config);
	check_user(config);
	check_rlimits(config);
}

static void check_no_new_privileges(json_object *config)
{
	bool nnp;
	char got[16];

	if (!cfg_bool(config, "process.noNewPrivileges", &nnp))
		return;
	if (!proc_status_field("NoNewPrivs", got, sizeof got))
		snprintf(got, sizeof got, "unreadable");
	tap_expect_str(NULL, nnp ? "1" : "0", got, "config.md#linux-process: NoNewPrivs is %d", nnp ? 1 : 0);
}

static void check_oom_score_adj(json_object *config)
{
	long long want;
	char *text = read_text_file("/proc/self/oom_score_adj");
	long long got = text ? strtoll(text, NULL, 10) : -99999;

	free(text);
	if (cfg_int(config, "process.oomScoreAdj", &want)) {
		tap_expect_int(NULL, want, got, "config.md#linux-process: oom_score_adj is %lld", want);
		return;
	}
	if (facts_value("oom_score_adj", &want))
		tap_expect_int(NULL, want, got, "config.md#linux-process: oomScoreAdj unset: oom_score_adj is the runtime's %lld", want);
	else
		tap_skip("host oom_score_adj not in facts", "config.md#linux-process: oomScoreAdj unset: oom_score_adj unchanged");
}

struct named_value {
	const char *name;
	long long value;
};

static bool lookup_named(const struct named_value *table, size_t n, const char *name, long long *out)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(table[i].name, name) == 0) {
			*out = table[i].value;
			return true;
		}
	return false;
}

static const struct named_value personality_domains[] = { { "LINUX", PER_LINUX }, { "LINUX32", PER_LINUX32 } };

static void check_personality(json_object *config)
{
	const char *domain = cfg_str(config, "linux.personality.domain");
	long long want;

	if (!domain)
		return;
	if (!lookup_named(personality_domains, 2, domain, &want)) {
		tap_skip("domain not defined by the spec", "config-linux.md#personality: domain %s", domain);
		return;
	}
	int got = personality(0xffffffff);
	tap_expect_int(SINCE_1_0_2, want, got & PER_MASK, "config-linux.md#personality: execution domain is %s", domain);
}

static const struct named_value ioprio_classes[] = {
	{ "IOPRIO_CLASS_RT", 1 }, { "IOPRIO_CLASS_BE", 2 }, { "IOPRIO_CLASS_IDLE", 3 } };

static void check_io_priority(json_object *config)
{
	const char *class_name = cfg_str(config, "process.ioPriority.class");
	long long want_class, want_level = 0;

	if (!class_name)
		return;
	if (!lookup_named(ioprio_classes, 3, class_name, &want_class)) {
		tap_check(false, SINCE_1_1_0, "a known class", class_name, "config.md#linux-process: ioPriority class is known");
		return;
	}
	cfg_int(config, "process.ioPriority.priority", &want_level);
	long got = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
	tap_expect_int(SINCE_1_1_0, want_class, got < 0 ? -1 : got >> 13, "config.md#linux-process: I/O class is %s", class_name);
	tap_expect_int(SINCE_1_1_0, want_level, got < 0 ? -1 : got & 0x1fff, "config.md#linux-process: I/O priority level is %lld",
		       want_level);
}

struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static const struct named_value sched_policies[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 }, { "SCHED_BATCH", 3 },
	{ "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 } };

/* Only these flags are kept by the kernel and so readable back with sched_getattr(2). */
static const struct named_value sched_sticky_flags[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 }, { "SCHED_FLAG_DL_OVERRUN", 0x04 } };

static void check_scheduler(json_object *config)
{
	const char *policy = cfg_str(config, "process.scheduler.policy");
	json_object *flags = cfg_get(config, "process.scheduler.flags");
	struct sched_attr_v1 attr = { .size = sizeof attr };
	long long want_policy, nice = 0, priority = 0, runtime = 0, deadline = 0, period = 0;

	if (!policy)
		return;
	if (!lookup_named(sched_policies, 7, policy, &want_policy)) {
		tap_check(false, SINCE_1_1_0, "a known policy", policy, "config.md#linux-process: scheduler policy is known");
		return;
	}
	if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) != 0) {
		tap_check(false, SINCE_1_1_0, "sched_getattr succeeds", strerror(errno), "config.md#linux-process: scheduler is readable");
		return;
	}
	tap_expect_int(SINCE_1_1_0, want_policy, attr.sched_policy, "config.md#linux-process: scheduler policy is %s", policy);
	cfg_int(config, "process.scheduler.nice", &nice);
	cfg_int(config, "process.scheduler.priority", &priority);
	cfg_int(config, "process.scheduler.runtime", &runtime);
	cfg_int(config, "process.scheduler.deadline", &deadline);
	cfg_int(config, "process.scheduler.period", &period);
	if (want_policy == 0 || want_policy == 3 || want_policy == 5)
		tap_expect_int(SINCE_1_1_0, nice, attr.sched_nice, "config.md#linux-process: scheduler nice is %lld", nice);
	if (want_policy == 1 || want_policy == 2)
		tap_expect_int(SINCE_1_1_0, priority, attr.sched_priority, "config.md#linux-process: scheduler priority is %lld",
			       priority);
	if (want_policy == 6) {
		tap_expect_int(SINCE_1_1_0, runtime, (long long)attr.sched_runtime, "config.md#linux-process: deadline runtime is %lld", runtime);
		tap_expect_int(SINCE_1_1_0, deadline, (long long)attr.sched_deadline, "config.md#linux-process: deadline is %lld", deadline);
		tap_expect_int(SINCE_1_1_0, period, (long long)attr.sched_period, "config.md#linux-process: deadline period is %lld", period);
	}
	for (size_t i = 0; json_object_is_type(flags, json_type_array) && i < json_object_array_length(flags); i++) {
		const char *flag = json_object_get_string(json_object_array_get_idx(flags, i));
		long long bit;
		if (!lookup_named(sched_sticky_flags, 3, flag, &bit)) {
			tap_skip("flag is not kept by the kernel, not readable back", "config.md#linux-process: scheduler flag %s", flag);
			continue;
		}
		tap_check((attr.sched_flags & (uint64_t)bit) != 0, SINCE_1_1_0, "set", "clear",
			  "config.md#linux-process: scheduler flag %s is set", flag);
	}
}

/* config-linux.md#memory-policy: get_mempolicy(2) shows the mode, its flags and nodes. */
static void check_memory_policy(json_object *config)
{
	static const char *const modes[] = { "MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE",
					      "MPOL_LOCAL", "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE" };
	static const struct {
		const char *name;
		int bit;
	} flags[] = { { "MPOL_F_STATIC_NODES", 1 << 15 }, { "MPOL_F_RELATIVE_NODES", 1 << 14 } };
	const char *want = cfg_str(config, "linux.memoryPolicy.mode");
	if (!want)
		return;
	int mode = -1;
	unsigned long nodes[1024 / (8 * sizeof(unsigned long))] = { 0 };
	if (syscall(SYS_get_mempolicy, &mode, nodes, 1024UL, NULL, 0UL) < 0) {
		tap_check(false, SINCE_1_3_0, want, strerror(errno), "config-linux.md#memory-policy: mode is %s", want);
		return;
	}
	int base = mode & ~((1 << 15) | (1 << 14) | (1 << 13));
	const char *got = base >= 0 && base < (int)(sizeof(modes) / sizeof(modes[0])) ? modes[base] : "unknown";
	tap_expect_str(SINCE_1_3_0, want, got, "config-linux.md#memory-policy: mode is %s", want);
	json_object *fl = cfg_get(config, "linux.memoryPolicy.flags");
	for (size_t i = 0; json_object_is_type(fl, json_type_array) && i < json_object_array_length(fl); i++) {
		const char *f = json_object_get_string(json_object_array_get_idx(fl, i));
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (f && strcmp(f, flags[k].name) == 0)
				tap_check((mode & flags[k].bit) != 0, SINCE_1_3_0, "set", "clear",
					  "config-linux.md#memory-policy: flag %s is set", f);
	}
	/* "0": node 0 alone (the nodes the checker's variant gives) */
	const char *want_nodes = cfg_str(config, "linux.memoryPolicy.nodes");
	if (want_nodes && strcmp(want_nodes, "0") == 0)
		tap_check(nodes[0] == 1 && base != 4, SINCE_1_3_0, "node 0", "another node set",
			  "config-linux.md#memory-policy: nodes is %s", want_nodes);
}

void check_linux_process(json_object *config)
{
	check_memory_policy(config);
	check_no_new_privileges(config);
	check_oom_score_adj(config);
	check_personality(config);
	check_io_priority(config);
	check_scheduler(config);
}
