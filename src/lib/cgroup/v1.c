/* v1.c - linux.resources on cgroup v1 (and the v1 side of a hybrid host): one file per setting.
 * Must never leave the devices cgroup more open than the config and the default device list allow. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/devices_bpf.h"
#include "cgroup/resources.h"
#include "util/cleanup.h"

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

struct v1_file {
	const char *key;        /* field in its section */
	const char *controller;
	const char *file;
};

static int write_int(const char *dir, const char *file, json_object *v, const char *field, hull_err *err)
{
	char buf[32];
	if (!json_object_is_type(v, json_type_int))
		return hull_fail(err, "linux.resources.%s: must be an integer", field);
	snprintf(buf, sizeof(buf), "%" PRId64, json_object_get_int64(v));
	return cgroup_write(dir, file, buf, field, err);
}

static int apply_table(const struct hull_cgroup *cg, json_object *section, const char *name, const struct v1_file *t,
		       size_t n, hull_err *err)
{
	for (size_t i = 0; i < n; i++) {
		json_object *v = jget(section, t[i].key);
		if (v == NULL)
			continue;
		char field[128];
		snprintf(field, sizeof(field), "%s.%s", name, t[i].key);
		const char *dir = cgroup_dir_for(cg, t[i].controller);
		if (dir == NULL)
			return hull_fail(err, "linux.resources.%s: this host has no %s cgroup controller", field, t[i].controller);
		if (json_object_is_type(v, json_type_string)) {
			if (cgroup_write(dir, t[i].file, json_object_get_string(v), field, err) < 0)
				return -1;
		} else if (json_object_is_type(v, json_type_boolean)) {
			if (cgroup_write(dir, t[i].file, json_object_get_boolean(v) ? "1" : "0", field, err) < 0)
				return -1;
		} else if (write_int(dir, t[i].file, v, field, err) < 0) {
			return -1;
		}
	}
	return 0;
}

static const struct v1_file memory_files[] = {
	{ "limit", "memory", "memory.limit_in_bytes" },
	{ "swap", "memory", "memory.memsw.limit_in_bytes" },
	{ "reservation", "memory", "memory.soft_limit_in_bytes" },
	{ "kernel", "memory", "memory.kmem.limit_in_bytes" },
	{ "kernelTCP", "memory", "memory.kmem.tcp.limit_in_bytes" },
	{ "swappiness", "memory", "memory.swappiness" },
	{ "disableOOMKiller", "memory", "memory.oom_control" },
};

/* period before quota, rt period before runtime: the kernel checks each against the other */
static const struct v1_file cpu_files[] = {
	{ "shares", "cpu", "cpu.shares" },
	{ "period", "cpu", "cpu.cfs_period_us" },
	{ "quota", "cpu", "cpu.cfs_quota_us" },
	{ "burst", "cpu", "cpu.cfs_burst_us" },
	{ "realtimePeriod", "cpu", "cpu.rt_period_us" },
	{ "realtimeRuntime", "cpu", "cpu.rt_runtime_us" },
	{ "idle", "cpu", "cpu.idle" },
	{ "cpus", "cpuset", "cpuset.cpus" },
	{ "mems", "cpuset", "cpuset.mems" },
};

static const struct v1_file blkio_files[] = {
	{ "weight", "blkio", "blkio.weight" },
	{ "leafWeight", "blkio", "blkio.leaf_weight" },
};

static int apply_memory(const struct hull_cgroup *cg, json_object *mem, hull_err *err)
{
	if (mem == NULL)
		return 0;
	/* memsw must stay >= limit at every step: raise the limit first when both grow, memsw first otherwise */
	json_object *limit = jget(mem, "limit"), *swap = jget(mem, "swap");
	if (limit && swap && json_object_get_int64(swap) != -1 && json_object_get_int64(swap) < json_object_get_int64(limit))
		return hull_fail(err, "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64,
				 json_object_get_int64(swap), json_object_get_int64(limit));
	const char *dir = cgroup_dir_for(cg, "memory");
	if (dir && limit && swap) {
		hull_err e = NULL;
		if (write_int(dir, "memory.limit_in_bytes", limit, "memory.limit", &e) < 0) {
			hull_err_free(&e);
			if (write_int(dir, "memory.memsw.limit_in_bytes", swap, "memory.swap", err) < 0)
				return -1;
		}
	}
	return apply_table(cg, mem, "memory", memory_files, ARRAY_SIZE(memory_files), err);
}

/* "major:minor value" lines for weight_device and the throttle lists */
static int apply_device_list(const char *dir, json_object *list, const char *file, const char *key, const char *field,
			     hull_err *err)
{
	size_t n = list && json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		json_object *v = jget(e, key);
		if (v == NULL)
			continue;
		char line[128];
		snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRId64, json_object_get_int64(jget(e, "major")),
			 json_object_get_int64(jget(e, "minor")), json_object_get_int64(v));
		if (cgroup_write(dir, file, line, field, err) < 0)
			return -1;
	}
	return 0;
}

static int apply_blkio(const struct hull_cgroup *cg, json_object *b, hull_err *err)
{
	if (b == NULL)
		return 0;
	if (apply_table(cg, b, "blockIO", blkio_files, ARRAY_SIZE(blkio_files), err) < 0)
		return -1;
	const char *dir = cgroup_dir_for(cg, "blkio");
	if (dir == NULL)
		return 0;
	static const struct {
		const char *list, *file, *key;
	} lists[] = {
		{ "weightDevice", "blkio.weight_device", "weight" },
		{ "weightDevice", "blkio.leaf_weight_device", "leafWeight" },
		{ "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rate" },
		{ "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "rate" },
		{ "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "rate" },
		{ "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "rate" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		char field[64];
		snprintf(field, sizeof(field), "blockIO.%s", lists[i].list);
		if (apply_device_list(dir, jget(b, lists[i].list), lists[i].file, lists[i].key, field, err) < 0)
			return -1;
	}
	return 0;
}

static int apply_hugetlb(const struct hull_cgroup *cg, json_object *list, hull_err *err)
{
	size_t n = list ? json_object_array_length(list) : 0;
	const char *dir = cgroup_dir_for(cg, "hugetlb");
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		const char *size = json_object_get_string(jget(e, "pageSize"));
		if (dir == NULL)
			return hull_fail(err, "linux.resources.hugepageLimits: this host has no v1 hugetlb controller");
		if (size == NULL || strchr(size, '/') || strstr(size, ".."))
			return hull_fail(err, "linux.resources.hugepageLimits[%zu].pageSize: invalid", i);
		_cleanup_free_ char *file = NULL;
		if (asprintf(&file, "hugetlb.%s.limit_in_bytes", size) < 0 ||
		    write_int(dir, file, jget(e, "limit"), "hugepageLimits", err) < 0)
			return -1;
	}
	return 0;
}

static int apply_network(const struct hull_cgroup *cg, json_object *net, hull_err *err)
{
	if (net == NULL)
		return 0;
	json_object *classid = jget(net, "classID");
	if (classid) {
		const char *dir = cgroup_dir_for(cg, "net_cls");
		if (dir == NULL)
			return hull_fail(err, "linux.resources.network.classID: this host has no net_cls controller");
		if (write_int(dir, "net_cls.classid", classid, "network.classID", err) < 0)
			return -1;
	}
	json_object *prios = jget(net, "priorities");
	size_t n = prios ? json_object_array_length(prios) : 0;
	const char *dir = cgroup_dir_for(cg, "net_prio");
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(prios, i);
		if (dir == NULL)
			return hull_fail(err, "linux.resources.network.priorities: this host has no net_prio controller");
		char line[128];
		snprintf(line, sizeof(line), "%s %" PRId64, json_object_get_string(jget(e, "name")),
			 json_object_get_int64(jget(e, "priority")));
		if (cgroup_write(dir, "net_prio.ifpriomap", line, "network.priorities", err) < 0)
			return -1;
	}
	return 0;
}

/* devices.allow/deny, one line per rule, in order: v1 itself lets the last matching rule decide. */
static int apply_devices(const struct hull_cgroup *cg, json_object *rules, json_object *devices, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, "devices");
	struct device_rule *r = NULL;
	size_t n = 0;
	if (dir == NULL || cgroup_device_rules(rules, devices, &r, &n) < 0)
		return 0;
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		char line[128], maj[24], min[24];
		snprintf(maj, sizeof(maj), r[i].major >= 0 ? "%" PRId64 : "*", r[i].major);
		snprintf(min, sizeof(min), r[i].minor >= 0 ? "%" PRId64 : "*", r[i].minor);
		if (r[i].type == 'a')
			snprintf(line, sizeof(line), "a");
		else
			snprintf(line, sizeof(line), "%c %s:%s %s", r[i].type, maj, min, r[i].access);
		ret = cgroup_write(dir, r[i].allow ? "devices.allow" : "devices.deny", line, "devices", err);
	}
	free(r);
	return ret;
}

int cgroup_v1_apply(const struct hull_cgroup *cg, json_object *r, json_object *devices, hull_err *err)
{
	json_object *pids = jget(r, "pids");
	if (pids && jget(pids, "limit")) {
		const char *dir = cgroup_dir_for(cg, "pids");
		int64_t limit = json_object_get_int64(jget(pids, "limit"));
		char buf[32];
		snprintf(buf, sizeof(buf), "%" PRId64, limit);
		if (dir == NULL)
			return hull_fail(err, "linux.resources.pids.limit: this host has no pids controller");
		if (cgroup_write(dir, "pids.max", limit > 0 ? buf : "max", "pids.limit", err) < 0)
			return -1;
	}
	if (apply_memory(cg, jget(r, "memory"), err) < 0 ||
	    apply_table(cg, jget(r, "cpu"), "cpu", cpu_files, ARRAY_SIZE(cpu_files), err) < 0 ||
	    apply_blkio(cg, jget(r, "blockIO"), err) < 0 || apply_hugetlb(cg, jget(r, "hugepageLimits"), err) < 0 ||
	    apply_network(cg, jget(r, "network"), err) < 0 || apply_devices(cg, jget(r, "devices"), devices, err) < 0 ||
	    cgroup_write_rdma(cgroup_dir_for(cg, "rdma"), jget(r, "rdma"), err) < 0)
		return -1;
	/* the hybrid unified hierarchy carries only what v1 cannot: keys of "unified" go there */
	json_object *unified = jget(r, "unified");
	if (unified && json_object_object_length(unified) > 0) {
		const char *dir = NULL;
		for (size_t i = 0; i < cg->n && dir == NULL; i++)
			if (cgroup_dir_is_v2(cg->dirs[i]))
				dir = cg->dirs[i];
		if (dir == NULL)
			return hull_fail(err, "linux.resources.unified: this host has no cgroup v2 hierarchy");
		json_object *only = json_object_new_object();
		json_object_object_add(only, "unified", json_object_get(unified));
		int ret = cgroup_v2_apply(dir, only, NULL, err);
		json_object_put(only);
		return ret;
	}
	return 0;
}
