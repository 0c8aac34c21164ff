/* netdev.h - linux.netDevices: host interfaces moved into the container's network namespace and back, over
 * rtnetlink. Must never touch an interface the config does not name. */
#ifndef HULL_NETDEV_H
#define HULL_NETDEV_H

#include <stddef.h>
#include <sys/types.h>

#include "spec.h"
#include "util/error.h"

/* Each host interface exists in our (the runtime's) network namespace: checked before create makes anything. */
int netdev_check_present(const struct hull_spec *s, hull_err *err);
/* Move each interface into the network namespace `netns_fd` (the container's), renamed as the config says,
 * with its permanent addresses, and up (as runc 1.3). On failure the ones already moved are moved back. */
int netdev_move_in(const struct hull_spec *s, int netns_fd, hull_err *err);
/* Move the first `n` interfaces back from the network namespace `netns_fd` into ours, down, with their host
 * names (as runc 1.3: addresses are not restored). Best effort: every one is tried, the first error is kept. */
int netdev_move_out(const struct hull_spec *s, size_t n, int netns_fd, hull_err *err);

#endif
