/* resources.h - linux.resources written to a container's cgroup: one implementation for v1, one for v2.
 * Must never write outside the container's own cgroup directories. */
#ifndef HULL_CGROUP_RESOURCES_H
#define HULL_CGROUP_RESOURCES_H

#include "cgroup/cgroup.h"
#include "cgroup/resources_model.h"
#include "spec.h"
#include "util/error.h"

/* Apply linux.resources (as resources_parse read it: zeros are already "not set") to a new cg, on whichever
 * layout it lives, as runc 1.1.5 does: the device rules are always set up (the config's, then runc's default
 * list; `devices`, the config's linux.devices, only take default rules of the same path away). Rootless
 * (with_devices false) they are left out, as runc ignores their errors there: no user may load a device
 * filter (v2) or write devices.deny (v1); a rootless container can only bind the host's nodes anyway. */
int cgroup_apply_resources(const struct hull_cgroup *cg, const struct hull_resources *r, const struct hull_device *devices,
			   size_t n_devices, bool with_devices, hull_err *err);

/* `update`: what runc's update takes from r (blockIO.weight, cpu, memory limit, reservation and swap,
 * pids.limit, unified); the devices are left alone. All or nothing: when a write fails, the files written
 * before it get their old values back. */
int cgroup_update_resources(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err);

/* The directory of cg that carries `controller` ("memory", "cpu" ...), or NULL. */
const char *cgroup_dir_for(const struct hull_cgroup *cg, const char *controller);
bool cgroup_dir_is_v2(const char *dir);
/* Write `value` to dir/file; errors name the config field. */
int cgroup_write(const char *dir, const char *file, const char *value, const char *field, hull_err *err);
/* dir/file's content up to its first newline (allocated). */
int cgroup_read(const char *dir, const char *file, char **out, hull_err *err);
/* Between begin and end (or undo), cgroup_write first records each file's old value; undo writes them back,
 * newest first. */
void cgroup_journal_begin(void);
int cgroup_journal_undo(hull_err *err);
void cgroup_journal_end(void);

/* Per layout. with_devices: set up the device rules too. */
int cgroup_v1_apply(const struct hull_cgroup *cg, const struct hull_resources *r, const struct hull_device *devices,
		    size_t n_devices, bool with_devices, hull_err *err);
int cgroup_v2_apply(const char *dir, const struct hull_resources *r, const struct hull_device *devices,
		    size_t n_devices, bool with_devices, hull_err *err);

/* The config's device rules, then runc's default allow list less the nodes linux.devices replaces: the order
 * in which the last matching rule decides, anything unmatched being denied. Free with free(). */
void cgroup_device_rules(const struct device_rule *rules, size_t n_rules, const struct hull_device *devices,
			 size_t n_devices, struct device_rule **out, size_t *n);

/* linux.resources.rdma: one "DEVICE hca_handle=N hca_object=N" line per device into dir/rdma.max
 * (the same file on v1 and v2). */
int cgroup_write_rdma(const char *dir, const struct hull_resources *r, hull_err *err);

/* runtime-spec conversions (also used by tests): cpu shares -> cpu.weight, blkio weight -> io.weight. */
uint64_t cgroup_shares_to_weight(uint64_t shares);
uint64_t cgroup_blkio_to_io_weight(uint64_t weight);

#endif
