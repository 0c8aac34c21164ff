/* reaper.h - hull's own container init (annotation "hull.init", Docker's --init): pid 1 forks the process,
 * then only reaps zombies and forwards signals. Must never allocate, open a file, or outlive the process. */
#ifndef HULL_REAPER_H
#define HULL_REAPER_H

/* The name the reaper shows in ps and /proc/1/comm (Docker's tini shows as "docker-init"). */
#define REAPER_COMM "hull-init"

/* In place of process_exec, with everything else already done (namespaces, rootfs, identity, seccomp):
 * fork; the child takes the terminal's foreground and calls process_exec; the caller becomes the reaper.
 * It forwards every signal it can catch but SIGCHLD to the child, reaps every process that dies under
 * it, and once the child is gone exits with its status (128 + N when signal N killed it, as tini and
 * catatonit). Outside a new pid namespace it is a child subreaper instead of pid 1. It never execs: it runs
 * hull's binary, non-dumpable, for the container's life (docs/init-reaper.md: what CAP_SYS_PTRACE opens). */
/* n_fds: the fds the process may inherit (3 + --preserve-fds); the reaper closes what execve would close,
 * exec.fifo's read side above all: `hull start` waits for it to close. */
_Noreturn void reaper_exec(const char *path, char *const argv[], char *const envp[], int n_fds);

#endif
