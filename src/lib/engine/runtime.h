/* runtime.h - the runtime a container runs under: libhull in process (the default), or the runc-compatible binary
 * its record names (`run --runtime PATH`: runc, crun), through its command line with a root of its own under the
 * store. Must never run a binary the record does not name, nor signal what the runtime's state does not name. */
#ifndef HULL_ENGINE_RUNTIME_H
#define HULL_ENGINE_RUNTIME_H

#include <stdbool.h>

#include "engine/engine.h"

/* In the create child (stdio already the container's, every other fd closed): libhull's create (the pty master sent
 * on console_fd with -t), or exec of `RUNTIME --root R --log F --log-format json create --bundle DIR --pid-file
 * DIR/init.pid [--console-socket PATH] ID` (console_socket: where the monitor listens for the master, with -t).
 * Returns the init's pid (libhull) or 0 (the runtime's: read with ctr_rt_created_pid once the child is gone), -1
 * with err. */
int ctr_rt_create(struct engine *e, struct ctr *c, int console_fd, const char *console_socket, hull_err *err);
/* After a runtime's create child exited with status: the init's pid from the pid file, or its error (the runtime's
 * last log line). */
int ctr_rt_created_pid(struct engine *e, struct ctr *c, int status, pid_t *pid, hull_err *err);
int ctr_rt_start(struct engine *e, struct ctr *c, hull_err *err);
int ctr_rt_kill(struct engine *e, struct ctr *c, int sig, bool all, hull_err *err);
/* delete --force: what is left of the container in its runtime (processes killed). Quiet when there is nothing. */
void ctr_rt_delete(struct engine *e, struct ctr *c);
/* The msg of the last JSON line of a runtime's --log-format json log, the container dir's file name (allocated), or
 * NULL. */
char *ctr_rt_log_msg(struct ctr *c, const char *name);
/* A runtime binary's --root for the container (allocated): its exec is run with it. */
char *ctr_rt_root(struct engine *e, struct ctr *c);

#endif
