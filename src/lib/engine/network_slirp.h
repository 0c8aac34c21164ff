/* network_slirp.h - rootless networking through slirp4netns: started on a namespace file, stopped by teardown.
 * Must never signal a process that is not the container's own slirp4netns. */
#ifndef HULL_ENGINE_NETWORK_SLIRP_H
#define HULL_ENGINE_NETWORK_SLIRP_H

#include <sys/types.h>

#include "engine/network.h"
#include "util/error.h"

/* What slirp4netns --configure gives the container's tap0. */
#define SLIRP_ADDRESS "10.0.2.100"
#define SLIRP_GATEWAY "10.0.2.2"
#define SLIRP_DNS "10.0.2.3"

/* slirp4netns (or $HULL_SLIRP4NETNS) on netns, in its own session, waited for until tap0 is up; then each -p as an
 * add_hostfwd. Its pid, log and API socket live in state_dir/slirp/ID.{pid,log,sock}. On error nothing is left. */
int slirp_start(const struct net_opts *o, const char *netns, pid_t *pid, hull_err *err);
/* SIGTERM to pid (0: the pid file's) when it is this container's slirp4netns, then its files removed. Idempotent. */
int slirp_stop(const struct net_opts *o, pid_t pid, hull_err *err);

#endif
