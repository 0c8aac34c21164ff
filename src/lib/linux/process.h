/* process.h - the container process's own settings: rlimits, priorities, user, capabilities, env, cwd.
 * Must never exec anything but in process_exec, the last call of the init and of exec. */
#ifndef HULL_PROCESS_H
#define HULL_PROCESS_H

#include <stdbool.h>

#include "spec.h"
#include "util/error.h"

/* Before pivot_root, through the host's /proc: oomScoreAdj. Syscall-only settings too: rlimits,
 * ioPriority, scheduler, personality. */
int process_apply_early(const struct hull_spec *s, const struct hull_process *p, hull_err *err);
/* After pivot_root: find args[0] in $PATH (the process env's PATH), inside the container. */
int process_find_executable(const struct hull_process *p, char **path, hull_err *err);
/* After pivot_root: the env to exec with; HOME is added from /etc/passwd when the config has none. */
char **process_build_env(const struct hull_process *p);
/* cwd, bounding set, groups, uid/gid, capability sets, umask, no_new_privs: in that order. */
int process_apply_identity(const struct hull_process *p, hull_err *err);
/* The last step: the default SIGPIPE (hull ignores it), no blocked signal, execve; if that fails, one
 * error line and exit 127. */
_Noreturn void process_exec(const char *path, char *const argv[], char *const envp[]);

#endif
