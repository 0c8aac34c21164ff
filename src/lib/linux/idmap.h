/* idmap.h - idmapped mounts: the user namespaces that carry their mappings, and the detached mounts hull
 * makes for the init before SYNC_GO.
 * Must never idmap a mount attached anywhere, nor leave a helper process or user namespace behind. */
#ifndef HULL_IDMAP_H
#define HULL_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"
#include "util/error.h"

/* Idmap the detached mount `tree` through the user namespace userns_fd; recursive: every mount below. */
int idmap_apply(int tree, int userns_fd, bool recursive, const char *what, hull_err *err);
/* For each idmapped mount of s: its user namespace (the container's when the mount has no mappings of
 * its own or the same, else a new one), then, in a child that joined the init's mount namespace, the
 * mount made and sent over sync_fd as SYNC_MOUNT_FD(index). */
int idmap_send_trees(pid_t init, const struct hull_spec *s, int sync_fd, hull_err *err);

#endif
