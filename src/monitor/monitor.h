/* monitor.h - the per-container monitor (conmon's job): a process of hull's own, detached from the command that
 * starts it, that keeps the container's stdio, writes its log, records its exit, applies --rm and the restart policy,
 * and serves attach/logs/wait/stop through a socket. Must never outlive its container's last run, nor signal anything
 * but the container it started. */
#ifndef HULL_MONITOR_MONITOR_H
#define HULL_MONITOR_MONITOR_H

#include "engine/engine.h"
#include "util/error.h"

/* Start c (created or exited, its overlay mounted, owner.lock held by the caller in c->lock) under a new monitor.
 * attach_fd: a SOCK_SEQPACKET socket that is the first attached client from the start (the foreground of `run`),
 * or -1. Returns once the container runs, or with the error that stopped it (c's status back to what it was). The
 * monitor holds owner.lock from then on; the caller's copy is closed. */
int monitor_start(struct engine *e, struct ctr *c, int attach_fd, hull_err *err);

#endif
