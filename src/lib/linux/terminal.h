/* terminal.h - the container's pty: made inside the container's devpts, master sent over --console-socket.
 * Must never take a pty from a path the container could have replaced: both ends are checked to be devpts. */
#ifndef HULL_TERMINAL_H
#define HULL_TERMINAL_H

#include <stdbool.h>

#include "spec.h"
#include "util/error.h"

/* After pivot_root (or setns, for exec): create the pty on the container's devpts, make the slave our
 * controlling terminal (we must lead a session) and stdio, bind it on /dev/console if asked (the init,
 * not exec) and send the master over console_fd (SCM_RIGHTS, as runc does). */
int terminal_setup(const struct hull_process *p, int rootfd, int console_fd, bool bind_console, hull_err *err);


#endif
