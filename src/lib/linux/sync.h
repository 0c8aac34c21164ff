/* sync.h - the messages between hull (the parent) and the container's init, and their one sequence.
 * Must never carry more than one message per send, nor be read from two directions at once.
 *
 * The sequence, written down once:
 *
 *   parent (hull create/run)                 joiner (only when a namespace is joined by path)
 *   clone3 ----------------------------->    setns() into each path, user namespace first;
 *                                            clone3(CLONE_PARENT | new namespaces) -> init
 *                                   <-----   SYNC_PID(init pid); exits
 *   [new userns] write uid_map, gid_map
 *   [new userns] SYNC_MOUNT_FD(index) -->    one per bind mount: its source opened with hull's
 *                                            credentials in the init's mount namespace
 *   [idmapped mounts] SYNC_MOUNT_FD(index)   one per idmapped mount, sent by hull's child in the
 *                     ------------------>    init's mount namespace: the whole mount, detached
 *   SYNC_GO ---------------------------->    init: mounts, devices, rootfs
 *                                   <-----   SYNC_HOOKS (only if prestart/createRuntime hooks)
 *   run prestart + createRuntime hooks
 *   SYNC_HOOKS_DONE -------------------->    createContainer hooks, pivot_root, masked/readonly paths,
 *                                            sysctl, hostname, process checks, console
 *                                   <-----   SYNC_READY, or SYNC_ERROR(errno, message) at any point
 *   write state.json, --pid-file; exit       wait on exec.fifo for `hull start`
 *
 * exec uses the same messages:
 *
 *   parent (hull exec)                       helper: setns(pid ns); clone3(CLONE_PARENT[, INTO_CGROUP])
 *                                   <-----   SYNC_PID(process pid); exits
 *   [v1/hybrid] write it into the cgroup
 *   SYNC_GO(pid, < 0 if late) ---------->    process: LSM handle, rlimits, seccomp agent socket;
 *                                            setns(the rest); setsid; pty; [no NNP: seccomp]; identity
 *                                   <-----   SYNC_READY, or SYNC_ERROR
 *   [late: paused container, --ignore-paused] write it into the frozen cgroup
 *   SYNC_GO ---------------------------->    (once the container is resumed)
 *                                            [NNP: seccomp]; execve
 */
#ifndef HULL_SYNC_H
#define HULL_SYNC_H

#include <stdint.h>

#include "util/error.h"

enum sync_type {
	SYNC_PID = 1,     /* joiner -> parent: value = init pid */
	SYNC_GO,          /* parent -> init: id maps written, setup may begin */
	SYNC_HOOKS,       /* init -> parent: run prestart and createRuntime hooks now */
	SYNC_HOOKS_DONE,  /* parent -> init */
	SYNC_READY,       /* init -> parent: created, waiting for start */
	SYNC_ERROR,       /* either way: value = errno, payload = message */
	SYNC_MOUNT_FD,    /* parent -> init: value = index in mounts, one fd attached (a source or a mount) */
};

#define SYNC_PAYLOAD_MAX 4000

struct sync_msg {
	uint32_t type;
	int32_t value;
	char payload[SYNC_PAYLOAD_MAX];
};

/* A SOCK_SEQPACKET pair, both ends O_CLOEXEC. */
int sync_pair(int fds[2], hull_err *err);
int sync_send(int fd, enum sync_type type, int32_t value, const char *payload, hull_err *err);
/* Receive and insist on `want`; a SYNC_ERROR from the peer becomes *err; EOF means the peer died. */
int sync_expect(int fd, enum sync_type want, int32_t *value, hull_err *err);
/* The same with one fd attached (SCM_RIGHTS); the received fd is close-on-exec. */
int sync_send_fd(int fd, enum sync_type type, int32_t value, int passfd, hull_err *err);
int sync_expect_fd(int fd, enum sync_type want, int32_t *value, int *passfd, hull_err *err);
/* Send *err to the peer as SYNC_ERROR (init side). */
void sync_send_error(int fd, const struct hull_error *e);

#endif
