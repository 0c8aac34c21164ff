/* resources_model.h - linux.resources as one typed value, parsed and validated once (config.json, the saved
 * config, `update`'s input) with runc 1.1.5's "zero means not set" applied. Must never write a cgroup file. */
#ifndef HULL_CGROUP_RESOURCES_MODEL_H
#define HULL_CGROUP_RESOURCES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "cgroup/devices_bpf.h"
#include "util/error.h"

/* A value the config sets; `set` false is "not set" (absent, or a zero runc reads as not set). */
struct res_i64 {
	bool set;
	int64_t v;
};
struct res_u64 {
	bool set;
	uint64_t v;
};
struct res_bool {
	bool set;
	bool v;
};

/* blockIO.weightDevice[]: a weight or leafWeight of 0 is not set. */
struct res_weight_device {
	int64_t major, minor;
	struct res_i64 weight, leaf_weight;
};
/* blockIO.throttle*Device[] */
struct res_throttle_device {
	int64_t major, minor;
	struct res_i64 rate;
};
enum res_throttle { RES_THROTTLE_READ_BPS, RES_THROTTLE_WRITE_BPS, RES_THROTTLE_READ_IOPS, RES_THROTTLE_WRITE_IOPS,
		    RES_THROTTLE_COUNT };
/* hugepageLimits[]: pageSize names a file (hugetlb.<pageSize>.max), checked to stay one name. */
struct res_hugepage_limit {
	char *page_size;
	int64_t limit;
};
struct res_net_priority {
	char *name;
	int64_t priority;
};
/* rdma.<device>: a limit not set is "max". */
struct res_rdma {
	char *device;
	struct res_u64 hca_handles, hca_objects;
};
/* unified.<key>: key names a file in the container's cgroup, checked to stay one name. */
struct res_unified {
	char *key, *value;
};

struct hull_resources {
	/* pids.limit: v < 0 is "max"; v == 0 is a limit of 0 only under runtime-spec 1.3 (RES_SPEC_1_3) */
	struct {
		struct res_i64 limit, reservation, swap, swappiness;
		struct res_bool disable_oom_killer;
		/* parsed and range-checked, never written: runc 1.1.5 ignores them (kernel*: with a warning,
		 * whatever their value, so they are "set" even at 0) */
		struct res_i64 kernel, kernel_tcp;
		struct res_bool use_hierarchy, check_before_update;
	} memory;
	struct {
		struct res_u64 shares, period, realtime_period, burst;
		struct res_i64 quota, realtime_runtime, idle;
		char *cpus, *mems; /* NULL: not set */
	} cpu;
	struct {
		struct res_i64 limit;
	} pids;
	struct {
		struct res_i64 weight, leaf_weight;
		struct res_weight_device *weight_device;
		size_t n_weight_device;
		struct res_throttle_device *throttle[RES_THROTTLE_COUNT];
		size_t n_throttle[RES_THROTTLE_COUNT];
	} block_io;
	struct res_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct {
		struct res_i64 class_id;
		struct res_net_priority *priorities;
		size_t n_priorities;
	} network;
	struct res_rdma *rdma;
	size_t n_rdma;
	struct res_unified *unified;
	size_t n_unified;
	/* the config's device rules, in order; access canonical ("rwa" is "rw", see cgroup_device_rules) */
	struct device_rule *devices;
	size_t n_devices;
};

/* Parse and check a linux.resources object (types, ranges, names that become file names, device rules) into
 * out, zeroed first, applying runc 1.1.5's "not set" rules (docs/cgroups.md): 0 (or "", false) is not set for
 * memory limit/reservation/swap/disableOOMKiller, cpu shares/quota/period/realtime*, cpus/mems, pids.limit,
 * blockIO weight/leafWeight and weightDevice weights, network.classID; -1 for swappiness. With RES_SPEC_1_3 (a
 * config of runtime-spec 1.3 or later, as runc 1.4 reads it) pids.limit 0 is a real limit of 0 and any negative
 * one is "max". Errors read "NAME: BASE.pids.limit: must be an integer". On error out holds nothing to free. */
enum res_semantics { RES_RUNC_1_1, RES_SPEC_1_3 };
int resources_parse(json_object *res, const char *name, const char *base, enum res_semantics sem,
		    struct hull_resources *out, hull_err *err);

/* Does r set anything a cgroup file would hold? Device rules count when with_devices: rootless, as runc in a
 * user namespace, hull leaves them to the host's own (a rootless container can only bind host nodes). */
bool resources_any_limit(const struct hull_resources *r, bool with_devices);

/* Free what resources_parse allocated and zero r (NULL-safe). */
void resources_clear(struct hull_resources *r);

#endif
