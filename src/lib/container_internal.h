/* container_internal.h - what the lifecycle files of libhull share with each other.
 * Must never be included by the CLI. */
#ifndef HULL_CONTAINER_INTERNAL_H
#define HULL_CONTAINER_INTERNAL_H

#include "spec.h"
#include "state.h"

int container_load(const char *root, const char *id, bool lock, int *dirfd, struct hull_state *st,
		   enum hull_status *status, hull_err *err);
int container_load_live(const char *root, const char *id, bool lock, int *dirfd, struct hull_state *st, hull_err *err);
int container_load_saved_spec(int dirfd, const struct hull_state *st, struct hull_spec **s, hull_err *err);
/* state.json (and, unless creating, the config beside it) for a container made from s: the record of
 * create, and of restore; rdt: the Intel RDT group it joined, or NULL. */
struct hull_cgroup;
struct hull_rdt_group;
int container_save_state(int dirfd, const struct hull_spec *s, const char *id, pid_t pid, struct hull_cgroup *cg,
			 const struct hull_rdt_group *rdt, bool creating, hull_err *err);
/* --pid-file: written atomically (rename), as engines read it while we write. */
int container_write_pid_file(const char *path, pid_t pid, hull_err *err);
/* --pidfd-socket (runc 1.2): a pidfd of pid over sock (connected before the process was made, as runc dials
 * it first), with runc's payload: "standard" for an init, "setns" for an exec'd process. pidfd < 0: one is
 * opened. */
int container_send_pidfd(int sock, pid_t pid, int pidfd, const char *kind, hull_err *err);

#endif
