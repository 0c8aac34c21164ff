/* init.h - the container's init: everything that happens inside the new namespaces until execve.
 * Must never return: it execs the container process or exits. */
#ifndef HULL_INIT_H
#define HULL_INIT_H

#include <stdbool.h>

#include "seccomp/compile.h"
#include "spec.h"

struct init_ctx {
	const struct hull_spec *spec;
	const char *id;
	int state_dirfd; /* the parent's state dir fd: closed first thing, the init has no use for it */
	int sync_fd;     /* our end of the sync socket */
	int fifo_fd;     /* exec.fifo, read side: `hull start` writes one byte */
	int console_fd;  /* connected console socket, or -1 */
	bool no_pivot, no_new_keyring;
	int preserve_fds;
	const struct seccomp_program *seccomp;  /* compiled linux.seccomp, or NULL */
	int *mount_fds;  /* the init's own: bind sources received from hull (mounts_receive_sources), or NULL */
};

_Noreturn void init_run(struct init_ctx *c);

#endif
