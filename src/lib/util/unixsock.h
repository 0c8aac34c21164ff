/* unixsock.h - AF_UNIX plumbing shared by the console socket and the seccomp notify listener.
 * Must never leave an fd without O_CLOEXEC: received fds included. */
#ifndef HULL_UNIXSOCK_H
#define HULL_UNIXSOCK_H

#include "util/error.h"

/* A connected SOCK_STREAM socket (O_CLOEXEC); `what` names it in errors ("--console-socket"). */
int unix_connect(const char *path, const char *what, hull_err *err);
/* Send fd with payload (a NUL-terminated string) as the message. */
int unix_send_fd(int sock, int fd, const char *payload, hull_err *err);
/* Receive one fd (O_CLOEXEC); returns it. */
int unix_recv_fd(int sock, hull_err *err);

#endif
