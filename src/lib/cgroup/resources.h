/* resources.h - linux.resources written to a container's cgroup: one implementation for v1, one for v2.
 * Must never write outside the container's own cgroup directories. */
#ifndef HULL_CGROUP_RESOURCES_H
#define HULL_CGROUP_RESOURCES_H

#include <json-c/json.h>

#include "cgroup/cgroup.h"
#include "util/error.h"

/* Apply the linux.resources object (may be NULL) to cg, on whichever layout it lives. `devices` are the
 * config's linux.devices, allowed in addition to the defaults when a device rule denies everything. */
int cgroup_apply_resources(const struct hull_cgroup *cg, json_object *resources, json_object *devices, hull_err *err);

/* The directory of cg that carries `controller` ("memory", "cpu" ...), or NULL. */
const char *cgroup_dir_for(const struct hull_cgroup *cg, const char *controller);
bool cgroup_dir_is_v2(const char *dir);
/* Write `value` to dir/file; errors name the config field. */
int cgroup_write(const char *dir, const char *file, const char *value, const char *field, hull_err *err);

/* Per layout. */
int cgroup_v1_apply(const struct hull_cgroup *cg, json_object *resources, json_object *devices, hull_err *err);
int cgroup_v2_apply(const char *dir, json_object *resources, json_object *devices, hull_err *err);

/* linux.resources.devices, then (when there are any) the default allow list and the config's
 * linux.devices: the order in which the last matching rule decides. Free with free(). */
struct device_rule;
int cgroup_device_rules(json_object *rules, json_object *devices, struct device_rule **out, size_t *n);

/* linux.resources.rdma: one "DEVICE hca_handle=N hca_object=N" line per device into dir/rdma.max
 * (the same file on v1 and v2). */
int cgroup_write_rdma(const char *dir, json_object *rdma, hull_err *err);

/* runtime-spec conversions (also used by tests): cpu shares -> cpu.weight, blkio weight -> io.weight. */
uint64_t cgroup_shares_to_weight(uint64_t shares);
uint64_t cgroup_blkio_to_io_weight(uint64_t weight);

#endif
