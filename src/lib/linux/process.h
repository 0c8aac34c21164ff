/* process.h - the container process's own settings: rlimits, priorities, user, capabilities, env, cwd.
 * Must never exec anything but in process_exec, the last call of the init and of exec. */
#ifndef HULL_PROCESS_H
#define HULL_PROCESS_H

#include <stdbool.h>

#include "spec.h"
#include "util/error.h"

/* Through the host's /proc, while we still have the host's uid: a non-dumpable process's /proc/self
 * belongs to the host's root, which a user namespace's root is not. */
int process_set_oom_score_adj(const struct hull_process *p, hull_err *err);
/* Before pivot_root, syscall-only settings: memoryPolicy, rlimits, ioPriority, scheduler, personality. */
int process_apply_early(const struct hull_spec *s, const struct hull_process *p, hull_err *err);
/* The calling thread's CPU affinity: cpus, or when it is NULL or unset every CPU the thread's cpuset allows
 * (as runc 1.2.4+: never the runtime's own affinity); `what` names the config field in errors. */
int process_set_cpus(const struct sj_mask *cpus, const char *what, hull_err *err);
/* After pivot_root: find args[0] in $PATH (the process env's PATH), inside the container. */
int process_find_executable(const struct hull_process *p, char **path, hull_err *err);
/* After pivot_root: the env to exec with; HOME is added from /etc/passwd when the config has none. */
char **process_build_env(const struct hull_process *p);
/* Before the seccomp filter is loaded (a profile may deny what they need: getcwd, openat): cwd (and the
 * check that it lies inside the root), umask, the kernel's last capability. */
int process_apply_before_seccomp(const struct hull_process *p, hull_err *err);
/* After process_apply_before_seccomp, maybe under the filter, so only the calls that must come after it
 * (prctl, setgroups, setresgid, setresuid, capset): bounding set, groups, uid/gid, capability sets,
 * no_new_privs, in that order. */
int process_apply_identity(const struct hull_process *p, hull_err *err);
/* The last step: the default SIGPIPE (hull ignores it), no blocked signal, execve; if that fails, one
 * error line and exit 127. */
_Noreturn void process_exec(const char *path, char *const argv[], char *const envp[]);

#endif
