/* cgroup.h - the cgroup interface of libhull: layout detection and the container's view of /sys/fs/cgroup.
 * Must never create or write host cgroups from here without the caller asking for it. */
#ifndef HULL_CGROUP_H
#define HULL_CGROUP_H

#include <stdint.h>

#include "util/error.h"

enum cgroup_layout { CGROUP_LAYOUT_V1, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_V2 };

/* Detected once per process, from statfs of /sys/fs/cgroup and /sys/fs/cgroup/unified. */
enum cgroup_layout cgroup_layout(void);

/* Mount a `cgroup`/`cgroup2` mount of the config on targetfd, as the container's own view:
 * v2: a fresh cgroup2 (rooted at the cgroup namespace); v1/hybrid: a tmpfs holding each hierarchy,
 * bind-mounted from the init's own cgroup. attrs are MOUNT_ATTR_* (ro, nosuid ...). */
int cgroup_mount_in_container(int targetfd, const char *type, uint64_t attrs, const char *what, hull_err *err);

#endif
