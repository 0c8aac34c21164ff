/* stats.h - cgroup statistics for `hull events`, shaped like runc's.
 * Must never write to the cgroup. */
#ifndef HULL_CGROUP_STATS_H
#define HULL_CGROUP_STATS_H

#include <json-c/json.h>

#include "cgroup/cgroup.h"
#include "util/error.h"

/* {"cpu":{...},"memory":{...},"pids":{...},"blkio":{},"hugetlb":{}} */
int cgroup_stats(const struct hull_cgroup *cg, json_object **out, hull_err *err);
/* How many processes the OOM killer took in the cgroup so far (v1 memory.oom_control, v2 memory.events). */
uint64_t cgroup_oom_kills(const struct hull_cgroup *cg);
/* The same for one memory cgroup directory (0 when it cannot be read). */
uint64_t cgroup_oom_kills_in(const char *memory_dir);

#endif
