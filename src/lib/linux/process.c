/* process.c - rlimits, oom score, io priority, scheduler, personality, user, capabilities, env, cwd.
 * Must never leave the process with more privilege than the config gives it. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/process.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

struct sched_attr_v1 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

int process_set_oom_score_adj(const struct hull_process *p, hull_err *err)
{
	if (!p->has_oom_score_adj)
		return 0;
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
	if (fs_write_file(AT_FDCWD, "/proc/self/oom_score_adj", buf, (size_t)n, err) < 0)
		return hull_err_prefix(err, "process.oomScoreAdj");
	return 0;
}

/* The nodes this host has, for an error message ("0-1"); "?" when unknown. */
static void online_nodes(char *buf, size_t n)
{
	snprintf(buf, n, "?");
	hull_err e = NULL;
	_cleanup_free_ char *text = NULL;
	if (fs_read_file(AT_FDCWD, "/sys/devices/system/node/online", &text, NULL, &e) < 0) {
		hull_err_free(&e);
		return;
	}
	text[strcspn(text, "\n")] = '\0';
	snprintf(buf, n, "%s", text);
}

static int apply_memory_policy(const struct hull_spec *s, hull_err *err)
{
	const struct sj_mask *m = &s->mempolicy_nodes;
	/* the kernel reads maxnode - 1 bits */
	if (syscall(SYS_set_mempolicy, s->mempolicy_mode, m->set ? m->bits : NULL, m->set ? SJ_MASK_BITS + 1 : 0) == 0)
		return 0;
	int e = errno;
	char nodes[64];
	online_nodes(nodes, sizeof(nodes));
	if (e == EINVAL)
		return hull_fail_errno(err, e, "linux.memoryPolicy: set_mempolicy: a mode, flag or node this kernel "
					       "does not take (its online nodes: %s)", nodes);
	return hull_fail_errno(err, e, "linux.memoryPolicy: set_mempolicy");
}

int process_set_cpus(const struct sj_mask *cpus, const char *what, hull_err *err)
{
	_Static_assert(sizeof(cpu_set_t) == sizeof(cpus->bits), "a mask is a cpu_set_t");
	cpu_set_t all;
	memset(&all, 0xff, sizeof(all));
	const cpu_set_t *set = cpus && cpus->set ? (const cpu_set_t *)cpus->bits : &all;
	if (sched_setaffinity(0, sizeof(cpu_set_t), set) < 0)
		return hull_fail_sys(err, "%s: sched_setaffinity (none of these CPUs is online or allowed here)", what);
	return 0;
}

int process_apply_early(const struct hull_spec *s, const struct hull_process *p, hull_err *err)
{
	if (s->has_memory_policy && apply_memory_policy(s, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };
		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return hull_fail_sys(err, "process.rlimits[%zu]: setrlimit", i);
	}
	if (p->has_io_priority) {
		int prio = (p->io_priority_class << IOPRIO_CLASS_SHIFT) | p->io_priority_level;
		if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio) < 0)
			return hull_fail_sys(err, "process.ioPriority");
	}
	if (p->has_scheduler) {
		struct sched_attr_v1 a = {
			.size = sizeof(a),
			.sched_policy = p->sched_policy,
			.sched_flags = p->sched_flags,
			.sched_nice = p->sched_nice,
			.sched_priority = p->sched_priority,
			.sched_runtime = p->sched_runtime,
			.sched_deadline = p->sched_deadline,
			.sched_period = p->sched_period,
		};
		if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
			return hull_fail_sys(err, "process.scheduler");
	}
	if (s->has_personality && personality(s->personality) < 0)
		return hull_fail_sys(err, "linux.personality");
	return 0;
}

static const char *env_get(char *const *env, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, kl) == 0 && env[i][kl] == '=')
			return env[i] + kl + 1;
	return NULL;
}

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

int process_find_executable(const struct hull_process *p, char **out, hull_err *err)
{
	const char *file = p->args[0];
	if (strchr(file, '/')) {
		struct stat st;
		if (stat(file, &st) < 0)
			return hull_fail_sys(err, "exec: \"%s\": stat %s", file, file);
		/* runc (Go's exec.LookPath) says "permission denied" for a directory too; Docker turns it into 126 */
		if (S_ISDIR(st.st_mode) || access(file, X_OK) < 0)
			return hull_fail_errno(err, EACCES, "exec: \"%s\"", file);
		*out = xstrdup(file);
		return 0;
	}
	const char *path = env_get(p->env, "PATH");
	_cleanup_free_ char *copy = xstrdup(path ? path : DEFAULT_PATH);
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *cand = xasprintf("%s/%s", *dir ? dir : ".", file);
		if (is_executable_file(cand)) {
			*out = take_ptr(cand);
			return 0;
		}
	}
	return hull_fail_code(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", file);
}

static char *home_of(uid_t uid)
{
	_cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
	if (f == NULL)
		return NULL;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		/* name:pass:uid:gid:gecos:home:shell */
		char *fields[7] = { 0 };
		char *save = NULL, *s = line;
		int n = 0;
		for (char *t = strsep(&s, ":"); t && n < 7; t = strsep(&s, ":"))
			fields[n++] = t;
		(void)save;
		if (n >= 6 && fields[2] && strtoul(fields[2], NULL, 10) == uid && fields[5][0])
			return xstrdup(fields[5]);
	}
	return NULL;
}

char **process_build_env(const struct hull_process *p)
{
	size_t n = 0;
	while (p->env[n])
		n++;
	char **env = xcalloc(n + 2, sizeof(char *));
	memcpy(env, p->env, n * sizeof(char *));
	if (env_get(p->env, "HOME") == NULL) {
		_cleanup_free_ char *home = home_of(p->uid);
		env[n] = xasprintf("HOME=%s", home ? home : "/");
	}
	return env;
}

int process_apply_before_seccomp(const struct hull_process *p, hull_err *err)
{
	if (chdir(p->cwd) < 0)
		return hull_fail_sys(err, "process.cwd: chdir %s", p->cwd);
	/* A cwd reached through a leaked fd would lie outside our root: getcwd says "(unreachable)". */
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)) == NULL || cwd[0] != '/')
		return hull_fail(err, "process.cwd: %s is outside the container", p->cwd);
	/* read /proc's cap_last_cap now: process_apply_identity must open nothing */
	(void)caps_last_cap();
	umask(p->has_umask ? p->umask : 022);
	return 0;
}

int process_apply_identity(const struct hull_process *p, hull_err *err)
{
	if (p->has_caps && caps_drop_bounding(p->caps.bounding, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return hull_fail_sys(err, "prctl PR_SET_KEEPCAPS");
	if (setgroups(p->n_additional_gids, p->additional_gids) < 0 && !(errno == EPERM && p->n_additional_gids == 0))
		return hull_fail_sys(err, "process.user.additionalGids: setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return hull_fail_sys(err, "process.user.gid: setresgid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return hull_fail_sys(err, "process.user.uid: setresuid %u", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return hull_fail_sys(err, "prctl PR_SET_KEEPCAPS");
	if (p->has_caps && caps_apply(&p->caps, err) < 0)
		return -1;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hull_fail_sys(err, "process.noNewPrivileges");
	return 0;
}

void process_exec(const char *path, char *const argv[], char *const envp[])
{
	/* As runc and crun: the process starts with every signal at its default, whatever its caller ignored
	 * (a shim or a CI job started under nohup ignores SIGHUP, and the container's "trap ... HUP" would then
	 * be refused by its shell: "signals ignored on entry cannot be trapped"). execve resets only handlers;
	 * an ignored signal stays ignored. glibc's own 32 and 33 cannot be changed and stay as they are. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
	dprintf(2, "hull: exec %s: %s\n", path, hull_errtext(errno));
	_exit(127);
}
