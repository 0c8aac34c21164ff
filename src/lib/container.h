/* container.h - libhull's public lifecycle: create, start, state, kill, delete, list (runtime.md).
 * Must never print: results and errors go back to the caller. */
#ifndef HULL_CONTAINER_H
#define HULL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "cgroup/cgroup.h"
#include "util/error.h"

struct hull_create_opts {
	const char *root;
	const char *id;
	const char *bundle;
	const char *console_socket;  /* path, or NULL */
	int console_fd;              /* an already connected console socket, or -1 */
	bool console_if_terminal;    /* console_fd is for a terminal the config may not ask for: no error */
	const char *pid_file;
	const char *pidfd_socket;    /* --pidfd-socket: gets a pidfd of the init, or NULL */
	bool no_pivot, no_new_keyring;
	bool systemd_cgroup;  /* --systemd-cgroup: a transient scope through systemd */
	enum hull_rootless rootless; /* --rootless: how a cgroup hull may not make is taken */
	int preserve_fds;
	int listen_fds;  /* systemd socket activation: fds 3.. before the preserved ones, LISTEN_FDS/LISTEN_PID=1 */
};

struct hull_created {
	pid_t pid;
	int pidfd;      /* of the init, O_CLOEXEC; -1 when not available */
	bool terminal;  /* the pty master went to the console socket */
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
/* cgroup v1: an eventfd readable at each OOM of the container's memory cgroup (see cgroup_oom_eventfd);
 * -1 with EOPNOTSUPP on v2, where hull_stats' count is the source. */
int hull_oom_eventfd(const char *root, const char *id, hull_err *err);
/* Apply a linux.resources object to a running or created container. */
int hull_update(const char *root, const char *id, json_object *resources, hull_err *err);
/* Rewrite lines of the container's linux.intelRdt schemata (update --l3-cache-schema / --mem-bw-schema; NULL:
 * not given): resctrl changes only the resources the lines name. */
int hull_update_rdt(const char *root, const char *id, const char *l3_cache_schema, const char *mem_bw_schema, hull_err *err);

/* exec (runtime.md has none; runc's): run one more process in a container's namespaces and cgroup. */
struct hull_exec_opts {
	const char *root, *id;
	const char *process_file;   /* --process: a runtime-spec process object, or NULL */
	char **args;                /* otherwise: argv, NULL-terminated */
	char **env;                 /* added to the container's env (KEY=value), NULL-terminated or NULL */
	const char *cwd, *user;     /* overrides; user "uid[:gid]" */
	bool user_groups_only;      /* with user: the config's groups go too (not runc's exec: the engine's exec -u) */
	gid_t *additional_gids;     /* appended to the process's groups */
	size_t n_additional_gids;
	const char *process_label, *apparmor;  /* overrides of selinuxLabel / apparmorProfile */
	char **caps;                /* added to bounding, effective, permitted and ambient (never inheritable) */
	char **cgroups;             /* --cgroup: "[controllers:]path" below the container's cgroup, or NULL */
	bool no_new_privs, ignore_paused;
	bool tty;                   /* process.terminal = true */
	const char *console_socket; /* path, or NULL */
	int console_fd;             /* an already connected console socket, or -1 */
	int preserve_fds;
	const char *pid_file;
	const char *pidfd_socket;   /* --pidfd-socket: gets a pidfd of the process, or NULL */
};
/* Start the process; returns its pid and a pidfd (the caller waits or not), and whether it has a
 * terminal (its master went to the console socket). */
int hull_exec(const struct hull_exec_opts *o, pid_t *pid, int *pidfd, bool *terminal, hull_err *err);

/* checkpoint and restore (runc's, through the criu binary): see checkpoint.c. */
struct hull_checkpoint_opts {
	const char *root, *id;
	const char *image_path;   /* the images: made if missing */
	const char *work_path;    /* criu's logs (dump.log, restore.log); NULL: image_path */
	const char *parent_path;  /* checkpoint after a pre-dump: the pre-dump's images, relative to image_path */
	const char *manage_cgroups_mode;  /* soft, full, strict or ignore; NULL: soft */
	bool leave_running, tcp_established, ext_unix_sk, shell_job, file_locks, pre_dump, auto_dedup;
	bool empty_netns;  /* --empty-ns network: criu makes the network namespace, empty */
	/* restore only */
	const char *bundle, *pid_file, *console_socket, *lsm_profile, *lsm_mount_context;
	bool systemd_cgroup;
	enum hull_rootless rootless;
};
/* Dump a running container's processes into image_path; without leave_running (or with pre_dump) the
 * container is gone afterwards, as runc leaves it. */
int hull_checkpoint(const struct hull_checkpoint_opts *o, hull_err *err);
/* Create a running container from bundle + images: its state and cgroup as create makes them, its
 * process tree criu's. */
int hull_restore(const struct hull_checkpoint_opts *o, struct hull_created *out, hull_err *err);

#endif
