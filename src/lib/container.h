/* container.h - libhull's public lifecycle: create, start, state, kill, delete, list (runtime.md).
 * Must never print: results and errors go back to the caller. */
#ifndef HULL_CONTAINER_H
#define HULL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "util/error.h"

struct hull_create_opts {
	const char *root;
	const char *id;
	const char *bundle;
	const char *console_socket;  /* path, or NULL */
	int console_fd;              /* an already connected console socket, or -1 */
	const char *pid_file;
	bool no_pivot, no_new_keyring;
	bool systemd_cgroup;  /* --systemd-cgroup: a transient scope through systemd */
	int preserve_fds;
};

struct hull_created {
	pid_t pid;
	int pidfd;  /* of the init, O_CLOEXEC; -1 when not available */
};

int hull_create(const struct hull_create_opts *o, struct hull_created *out, hull_err *err);
int hull_start(const char *root, const char *id, hull_err *err);
/* The state JSON of one container, runc's shape. */
int hull_state(const char *root, const char *id, json_object **out, hull_err *err);
/* Every container under root, with runc's list fields (owner as a user name). */
int hull_list(const char *root, json_object **out, hull_err *err);
int hull_kill(const char *root, const char *id, int sig, bool all, hull_err *err);
int hull_delete(const char *root, const char *id, bool force, hull_err *err);
/* Freeze (pause) or thaw (resume) every process of a running container. */
int hull_pause(const char *root, const char *id, bool pause, hull_err *err);
/* The pids in the container's cgroup, as the host sees them. */
int hull_pids(const char *root, const char *id, pid_t **pids, size_t *n, hull_err *err);
/* runc's events: one {"type":"stats"} object, and the OOM kill count (for "oom" events). */
int hull_stats(const char *root, const char *id, json_object **out, uint64_t *oom_kills, bool *running, hull_err *err);
/* Apply a linux.resources object to a running or created container. */
int hull_update(const char *root, const char *id, json_object *resources, hull_err *err);

/* exec (runtime.md has none; runc's): run one more process in a container's namespaces and cgroup. */
struct hull_exec_opts {
	const char *root, *id;
	const char *process_file;   /* --process: a runtime-spec process object, or NULL */
	char **args;                /* otherwise: argv, NULL-terminated */
	char **env;                 /* added to the container's env (KEY=value), NULL-terminated or NULL */
	const char *cwd, *user;     /* overrides; user "uid[:gid]" */
	char **caps;                /* added to bounding, effective, permitted and ambient (never inheritable) */
	bool no_new_privs, ignore_paused;
	int preserve_fds;
	const char *pid_file;
};
/* Start the process; returns its pid and a pidfd (the caller waits or not). */
int hull_exec(const struct hull_exec_opts *o, pid_t *pid, int *pidfd, hull_err *err);

#endif
