/* oom.h - OOM notification of a container's memory cgroup (hull events).
 * Must never change the cgroup's limits or processes. */
#ifndef HULL_CGROUP_OOM_H
#define HULL_CGROUP_OOM_H

#include "cgroup/cgroup.h"
#include "util/error.h"

/* cgroup v1: a non-blocking eventfd, readable (an 8-byte count) each time the memory cgroup meets an OOM,
 * also one whose OOM killer is disabled. v2 has none (EOPNOTSUPP): its memory.events counts the kills. */
int cgroup_oom_eventfd(const struct hull_cgroup *cg, hull_err *err);

#endif
