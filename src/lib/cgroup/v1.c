/* v1.c - linux.resources on cgroup v1 (and the v1 side of a hybrid host): one file per setting.
 * Must never leave the devices cgroup more open than the config and the default device list allow. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	{ "reservation", "memory", "memory.soft_limit_in_bytes" },
	{ "swappiness", "memory", "memory.swappiness" },
	{ "disableOOMKiller", "memory", "memory.oom_control" },
};

/* rt period before runtime: the kernel checks each against the other. burst and idle are runtime-spec 1.2
 * fields runc 1.1.5 lacks. */
static const struct v1_file cpu_files[] = {
	{ "realtimePeriod", "cpu", "cpu.rt_period_us" },
	{ "realtimeRuntime", "cpu", "cpu.rt_runtime_us" },
	{ "burst", "cpu", "cpu.cfs_burst_us" },
	{ "idle", "cpu", "cpu.idle" },
};

static const struct v1_file cpuset_files[] = {
	{ "cpus", "cpuset", "cpuset.cpus" },
	{ "mems", "cpuset", "cpuset.mems" },
};

static int64_t int_of(json_object *v)
{
	return json_object_get_int64(v);
}

/* memory.limit_in_bytes; a limit below what the cgroup uses is refused with EBUSY: say so as runc does. */
static int write_limit(const char *dir, int64_t v, hull_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	hull_err e = NULL;
	if (cgroup_write(dir, "memory.limit_in_bytes", buf, "memory.limit", &e) == 0)
		return 0;
	int code = e->errnum;
	_cleanup_free_ char *usage = NULL, *peak = NULL;
	if (code != EBUSY || cgroup_read(dir, "memory.usage_in_bytes", &usage, NULL) < 0 ||
	    cgroup_read(dir, "memory.max_usage_in_bytes", &peak, NULL) < 0) {
		int ret = hull_err_raw(err, code, e->msg);
		hull_err_free(&e);
		return ret;
	}
	hull_err_free(&e);
	return hull_fail_code(err, EBUSY, "linux.resources.memory.limit: unable to set memory limit to %" PRId64
				 " (current usage: %s, peak usage: %s)", v, usage, peak);
}

static int write_swap(const char *dir, int64_t v, hull_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cgroup_write(dir, "memory.memsw.limit_in_bytes", buf, "memory.swap", err);
}

/* runc's setMemoryAndSwap: memsw must stay >= limit at every step, so when both are set the order depends on
 * the current limit; a limit of -1 without swap makes swap -1 too (where the kernel has memsw). */
static int apply_memory(const struct hull_cgroup *cg, json_object *mem, hull_err *err)
{
	if (mem == NULL || json_object_object_length(mem) == 0)
		return 0;
	const char *dir = cgroup_dir_for(cg, "memory");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.memory: this host has no memory cgroup controller");
	json_object *jl = jget(mem, "limit"), *js = jget(mem, "swap");
	int64_t limit = jl ? int_of(jl) : 0, swap = js ? int_of(js) : 0;
	if (limit > 0 && swap > 0 && swap < limit)
		return hull_fail(err, "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64, swap, limit);
	if (limit == -1 && swap == 0) {
		_cleanup_free_ char *memsw = NULL;
		if (asprintf(&memsw, "%s/memory.memsw.limit_in_bytes", dir) >= 0 && access(memsw, F_OK) == 0)
			swap = -1;
	}
	if (limit != 0 && swap != 0) {
		_cleanup_free_ char *cur = NULL;
		if (cgroup_read(dir, "memory.limit_in_bytes", &cur, err) < 0)
			return hull_err_prefix(err, "linux.resources.memory");
		if (swap == -1 || strtoull(cur, NULL, 10) < (uint64_t)swap) {
			if (write_swap(dir, swap, err) < 0 || write_limit(dir, limit, err) < 0)
				return -1;
			swap = limit = 0;
		}
	}
	if ((limit != 0 && write_limit(dir, limit, err) < 0) || (swap != 0 && write_swap(dir, swap, err) < 0))
		return -1;
	return apply_table(cg, mem, "memory", memory_files, ARRAY_SIZE(memory_files), err);
}

/* runc's CpuGroup.Set: shares are read back (the kernel clamps them silently), and a period the kernel refuses
 * with EINVAL before the new quota is there is written again after it. */
static int apply_cpu(const struct hull_cgroup *cg, json_object *cpu, hull_err *err)
{
	if (cpu == NULL || json_object_object_length(cpu) == 0)
		return 0;
	json_object *shares = jget(cpu, "shares"), *period = jget(cpu, "period"), *quota = jget(cpu, "quota");
	const char *dir = cgroup_dir_for(cg, "cpu");
	if (dir == NULL && (shares || period || quota))
		return hull_fail(err, "linux.resources.cpu: this host has no cpu cgroup controller");
	if (shares) {
		_cleanup_free_ char *back = NULL;
		uint64_t want = json_object_get_uint64(shares);
		if (write_int(dir, "cpu.shares", shares, "cpu.shares", err) < 0 || cgroup_read(dir, "cpu.shares", &back, err) < 0)
			return -1;
		uint64_t got = strtoull(back, NULL, 10);
		if (want != got)
			return hull_fail(err, "linux.resources.cpu.shares: the %s allowed cpu-shares is %" PRIu64,
					 want > got ? "maximum" : "minimum", got);
	}
	bool period_again = false;
	if (period) {
		hull_err e = NULL;
		if (write_int(dir, "cpu.cfs_period_us", period, "cpu.period", &e) < 0) {
			if (e->errnum != EINVAL || quota == NULL) {
				int ret = hull_err_raw(err, e->errnum, e->msg);
				hull_err_free(&e);
				return ret;
			}
			hull_err_free(&e);
			period_again = true;
		}
	}
	if (quota && (write_int(dir, "cpu.cfs_quota_us", quota, "cpu.quota", err) < 0 ||
		      (period_again && write_int(dir, "cpu.cfs_period_us", period, "cpu.period", err) < 0)))
		return -1;
	return apply_table(cg, cpu, "cpu", cpu_files, ARRAY_SIZE(cpu_files), err);
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
	if (b == NULL || json_object_object_length(b) == 0)
		return 0;
	const char *dir = cgroup_dir_for(cg, "blkio");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.blockIO: this host has no blkio cgroup controller");
	/* without CFQ the weights are BFQ's, as runc finds them */
	_cleanup_free_ char *plain = NULL;
	bool bfq = asprintf(&plain, "%s/blkio.weight", dir) >= 0 && access(plain, F_OK) < 0;
	const struct v1_file weights[] = {
		{ "weight", "blkio", bfq ? "blkio.bfq.weight" : "blkio.weight" },
		{ "leafWeight", "blkio", "blkio.leaf_weight" },
	};
	if (apply_table(cg, b, "blockIO", weights, ARRAY_SIZE(weights), err) < 0)
		return -1;
	const struct {
		const char *list, *file, *key;
	} lists[] = {
		{ "weightDevice", bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", "weight" },
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

/* devices.allow/deny: everything denied first (runc's rules are an allow list unless one allows "a"), then one
 * line per rule, in order: v1 itself lets the last matching rule decide. */
static int apply_devices(const struct hull_cgroup *cg, json_object *rules, json_object *devices, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, "devices");
	struct device_rule *r = NULL;
	size_t n = 0;
	if (dir == NULL)
		return 0;
	if (cgroup_device_rules(rules, devices, &r, &n) < 0)
		return hull_fail_errno(err, ENOMEM, "linux.resources.devices");
	int ret = cgroup_write(dir, "devices.deny", "a", "devices", err);
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

static int apply_pids(const struct hull_cgroup *cg, json_object *pids, hull_err *err)
{
	json_object *l = jget(pids, "limit");
	if (l == NULL)
		return 0;
	const char *dir = cgroup_dir_for(cg, "pids");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.pids.limit: this host has no pids controller");
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, int_of(l));
	return cgroup_write(dir, "pids.max", int_of(l) > 0 ? buf : "max", "pids.limit", err);
}

/* In runc's order of v1 subsystems: cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio. */
int cgroup_v1_apply(const struct hull_cgroup *cg, json_object *r, json_object *devices, bool with_devices,
		    hull_err *err)
{
	/* runc's fs manager refuses it before writing anything, also on a hybrid host with a cgroup2 mount */
	json_object *unified = jget(r, "unified");
	if (unified && json_object_is_type(unified, json_type_object) && json_object_object_length(unified) > 0)
		return hull_fail(err, "linux.resources.unified: invalid configuration: cannot use unified on cgroup v1");
	if (apply_table(cg, jget(r, "cpu"), "cpu", cpuset_files, ARRAY_SIZE(cpuset_files), err) < 0 ||
	    (with_devices && apply_devices(cg, jget(r, "devices"), devices, err) < 0) ||
	    apply_memory(cg, jget(r, "memory"), err) < 0 || apply_cpu(cg, jget(r, "cpu"), err) < 0 ||
	    apply_pids(cg, jget(r, "pids"), err) < 0 || apply_blkio(cg, jget(r, "blockIO"), err) < 0 ||
	    apply_hugetlb(cg, jget(r, "hugepageLimits"), err) < 0 || apply_network(cg, jget(r, "network"), err) < 0 ||
	    cgroup_write_rdma(cgroup_dir_for(cg, "rdma"), jget(r, "rdma"), err) < 0)
		return -1;
	return 0;
}
