/* attach.h - the monitor's socket (containers/ID/attach.sock, SOCK_SEQPACKET): one message per packet, a type byte
 * then the payload. Must never block the monitor on a slow client: a client that cannot keep up is dropped. */
#ifndef HULL_MONITOR_ATTACH_H
#define HULL_MONITOR_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "util/error.h"

enum attach_type {
	/* client -> monitor */
	ATTACH_STDIN = 'i',      /* bytes for the container's stdin */
	ATTACH_STDIN_EOF = 'e',  /* the client's stdin ended: close the container's */
	ATTACH_RESIZE = 'r',     /* struct { unsigned short rows, cols; } for the terminal */
	ATTACH_SIGNAL = 'k',     /* int: a signal for the container's init (the foreground's --sig-proxy) */
	ATTACH_NO_RESTART = 'n', /* the container is being stopped by the user: its next exit is its last */
	/* monitor -> client */
	ATTACH_STDOUT = 'o',
	ATTACH_STDERR = 'E',
	ATTACH_EXIT = 'x',       /* int: the exit code; the monitor closes the socket after it */
};
#define ATTACH_MSG_MAX (64 * 1024)

/* Connect to c's monitor: the socket, or -1 with ECONNREFUSED/ENOENT when it has none (the container does not
 * run, or its monitor was killed). */
int attach_connect(struct ctr *c, hull_err *err);
int attach_send(int sock, enum attach_type type, const void *data, size_t len);
int attach_send_int(int sock, enum attach_type type, int v);

/* The client's side: our stdin (when stdin_open) to the container, its output to our stdout/stderr, resizes when
 * tty (our terminal in raw mode meanwhile), signals forwarded when sig_proxy, until the exit message. Returns the
 * exit code, or -1 with err when the monitor went away without one. */
int attach_relay(int sock, bool stdin_open, bool tty, bool sig_proxy, hull_err *err);

/* Wait for the exit message (other messages are dropped): the code, -1 when the socket closed without one. */
int attach_wait_exit(int sock);

#endif
