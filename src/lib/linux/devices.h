/* devices.h - /dev inside the container: default nodes, linux.devices, and the standard symlinks.
 * Must never create a node outside the container root. */
#ifndef HULL_DEVICES_H
#define HULL_DEVICES_H

#include <stdbool.h>

#include "spec.h"
#include "util/error.h"

/* `bind_from_host`: bind-mount the host's node instead of mknod (user namespaces cannot mknod). */
int devices_create(int rootfd, const struct hull_spec *s, bool bind_from_host, hull_err *err);
int devices_symlinks(int rootfd, bool with_console, hull_err *err);
/* An O_PATH fd of the host's /dev/null, verified to be the char device 1:3. */
int devices_open_host_null(hull_err *err);

#endif
