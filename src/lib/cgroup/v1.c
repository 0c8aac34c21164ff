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
#include "util/xalloc.h"

/* One file of a controller: dir_for finds the controller's directory, or says the host lacks it. */
static int write_value(const struct hull_cgroup *cg, const char *controller, const char *file, const char *value,
		       const char *field, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, controller);
	if (dir == NULL)
		return hull_fail(err, "linux.resources.%s: this host has no %s cgroup controller", field, controller);
	return cgroup_write(dir, file, value, field, err);
}

static int write_i64(const struct hull_cgroup *cg, const char *controller, const char *file, int64_t v,
		     const char *field, hull_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return write_value(cg, controller, file, buf, field, err);
}

static int write_u64(const struct hull_cgroup *cg, const char *controller, const char *file, uint64_t v,
		     const char *field, hull_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return write_value(cg, controller, file, buf, field, err);
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
static int apply_memory(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if (!r->memory.limit.set && !r->memory.swap.set && !r->memory.reservation.set && !r->memory.swappiness.set &&
	    !r->memory.disable_oom_killer.set)
		return 0;
	const char *dir = cgroup_dir_for(cg, "memory");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.memory: this host has no memory cgroup controller");
	int64_t limit = r->memory.limit.set ? r->memory.limit.v : 0, swap = r->memory.swap.set ? r->memory.swap.v : 0;
	if (limit > 0 && swap > 0 && swap < limit)
		return hull_fail(err, "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64, swap, limit);
	if (limit == -1 && swap == 0) {
		_cleanup_free_ char *memsw = xasprintf("%s/memory.memsw.limit_in_bytes", dir);
		if (access(memsw, F_OK) == 0)
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
	if ((r->memory.reservation.set && write_i64(cg, "memory", "memory.soft_limit_in_bytes", r->memory.reservation.v,
						    "memory.reservation", err) < 0) ||
	    (r->memory.swappiness.set &&
	     write_i64(cg, "memory", "memory.swappiness", r->memory.swappiness.v, "memory.swappiness", err) < 0) ||
	    (r->memory.disable_oom_killer.set &&
	     write_value(cg, "memory", "memory.oom_control", r->memory.disable_oom_killer.v ? "1" : "0",
			 "memory.disableOOMKiller", err) < 0))
		return -1;
	return 0;
}
/* runc's CpuGroup.Set: shares are read back (the kernel clamps them silently), and a period the kernel refuses
 * with EINVAL before the new quota is there is written again after it. */
static int apply_cpu(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, "cpu");
	if (dir == NULL && (r->cpu.shares.set || r->cpu.period.set || r->cpu.quota.set))
		return hull_fail(err, "linux.resources.cpu: this host has no cpu cgroup controller");
	if (r->cpu.shares.set) {
		_cleanup_free_ char *back = NULL;
		uint64_t want = r->cpu.shares.v;
		if (write_u64(cg, "cpu", "cpu.shares", want, "cpu.shares", err) < 0 || cgroup_read(dir, "cpu.shares", &back, err) < 0)
			return -1;
		uint64_t got = strtoull(back, NULL, 10);
		if (want != got)
			return hull_fail(err, "linux.resources.cpu.shares: the %s allowed cpu-shares is %" PRIu64,
					 want > got ? "maximum" : "minimum", got);
	}
	bool period_again = false;
	if (r->cpu.period.set) {
		hull_err e = NULL;
		if (write_u64(cg, "cpu", "cpu.cfs_period_us", r->cpu.period.v, "cpu.period", &e) < 0) {
			if (e->errnum != EINVAL || !r->cpu.quota.set) {
				int ret = hull_err_raw(err, e->errnum, e->msg);
				hull_err_free(&e);
				return ret;
			}
			hull_err_free(&e);
			period_again = true;
		}
	}
	if (r->cpu.quota.set && (write_i64(cg, "cpu", "cpu.cfs_quota_us", r->cpu.quota.v, "cpu.quota", err) < 0 ||
				 (period_again && write_u64(cg, "cpu", "cpu.cfs_period_us", r->cpu.period.v, "cpu.period", err) < 0)))
		return -1;
	/* rt period before runtime: the kernel checks each against the other. burst and idle are runtime-spec 1.2
	 * fields runc 1.1.5 lacks. */
	if ((r->cpu.realtime_period.set &&
	     write_u64(cg, "cpu", "cpu.rt_period_us", r->cpu.realtime_period.v, "cpu.realtimePeriod", err) < 0) ||
	    (r->cpu.realtime_runtime.set &&
	     write_i64(cg, "cpu", "cpu.rt_runtime_us", r->cpu.realtime_runtime.v, "cpu.realtimeRuntime", err) < 0) ||
	    (r->cpu.burst.set && write_u64(cg, "cpu", "cpu.cfs_burst_us", r->cpu.burst.v, "cpu.burst", err) < 0) ||
	    (r->cpu.idle.set && write_i64(cg, "cpu", "cpu.idle", r->cpu.idle.v, "cpu.idle", err) < 0))
		return -1;
	return 0;
}

static int apply_cpuset(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if ((r->cpu.cpus && write_value(cg, "cpuset", "cpuset.cpus", r->cpu.cpus, "cpu.cpus", err) < 0) ||
	    (r->cpu.mems && write_value(cg, "cpuset", "cpuset.mems", r->cpu.mems, "cpu.mems", err) < 0))
		return -1;
	return 0;
}

/* "major:minor value" lines */
static int write_device_line(const char *dir, const char *file, int64_t major, int64_t minor, int64_t v,
			     const char *field, hull_err *err)
{
	char line[128];
	snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRId64, major, minor, v);
	return cgroup_write(dir, file, line, field, err);
}

static bool blkio_set(const struct hull_resources *r)
{
	bool any = r->block_io.weight.set || r->block_io.leaf_weight.set || r->block_io.n_weight_device > 0;
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++)
		any = any || r->block_io.n_throttle[t] > 0;
	return any;
}

static int apply_blkio(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if (!blkio_set(r))
		return 0;
	const char *dir = cgroup_dir_for(cg, "blkio");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.blockIO: this host has no blkio cgroup controller");
	/* without CFQ the weights are BFQ's, as runc finds them */
	_cleanup_free_ char *plain = xasprintf("%s/blkio.weight", dir);
	bool bfq = access(plain, F_OK) < 0;
	if ((r->block_io.weight.set && write_i64(cg, "blkio", bfq ? "blkio.bfq.weight" : "blkio.weight",
						 r->block_io.weight.v, "blockIO.weight", err) < 0) ||
	    (r->block_io.leaf_weight.set &&
	     write_i64(cg, "blkio", "blkio.leaf_weight", r->block_io.leaf_weight.v, "blockIO.leafWeight", err) < 0))
		return -1;
	for (size_t i = 0; i < r->block_io.n_weight_device; i++) {
		const struct res_weight_device *d = &r->block_io.weight_device[i];
		if (d->weight.set && write_device_line(dir, bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", d->major,
						       d->minor, d->weight.v, "blockIO.weightDevice", err) < 0)
			return -1;
	}
	for (size_t i = 0; i < r->block_io.n_weight_device; i++) {
		const struct res_weight_device *d = &r->block_io.weight_device[i];
		if (d->leaf_weight.set && write_device_line(dir, "blkio.leaf_weight_device", d->major, d->minor,
							    d->leaf_weight.v, "blockIO.weightDevice", err) < 0)
			return -1;
	}
	static const struct {
		const char *file, *field;
	} throttles[RES_THROTTLE_COUNT] = {
		[RES_THROTTLE_READ_BPS] = { "blkio.throttle.read_bps_device", "blockIO.throttleReadBpsDevice" },
		[RES_THROTTLE_WRITE_BPS] = { "blkio.throttle.write_bps_device", "blockIO.throttleWriteBpsDevice" },
		[RES_THROTTLE_READ_IOPS] = { "blkio.throttle.read_iops_device", "blockIO.throttleReadIOPSDevice" },
		[RES_THROTTLE_WRITE_IOPS] = { "blkio.throttle.write_iops_device", "blockIO.throttleWriteIOPSDevice" },
	};
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++) {
		for (size_t i = 0; i < r->block_io.n_throttle[t]; i++) {
			const struct res_throttle_device *d = &r->block_io.throttle[t][i];
			if (d->rate.set && write_device_line(dir, throttles[t].file, d->major, d->minor, d->rate.v,
							     throttles[t].field, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int apply_hugetlb(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, "hugetlb");
	if (r->n_hugepage_limits > 0 && dir == NULL)
		return hull_fail(err, "linux.resources.hugepageLimits: this host has no v1 hugetlb controller");
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		_cleanup_free_ char *file = xasprintf("hugetlb.%s.limit_in_bytes", r->hugepage_limits[i].page_size);
		if (write_i64(cg, "hugetlb", file, r->hugepage_limits[i].limit, "hugepageLimits", err) < 0)
			return -1;
	}
	return 0;
}

static int apply_network(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if (r->network.class_id.set) {
		if (cgroup_dir_for(cg, "net_cls") == NULL)
			return hull_fail(err, "linux.resources.network.classID: this host has no net_cls controller");
		if (write_i64(cg, "net_cls", "net_cls.classid", r->network.class_id.v, "network.classID", err) < 0)
			return -1;
	}
	const char *dir = cgroup_dir_for(cg, "net_prio");
	if (r->network.n_priorities > 0 && dir == NULL)
		return hull_fail(err, "linux.resources.network.priorities: this host has no net_prio controller");
	for (size_t i = 0; i < r->network.n_priorities; i++) {
		char line[128];
		int len = snprintf(line, sizeof(line), "%s %" PRId64, r->network.priorities[i].name,
				   r->network.priorities[i].priority);
		if (len < 0 || (size_t)len >= sizeof(line)) /* never a cut name: it would be another interface */
			return hull_fail_errno(err, ENAMETOOLONG,
					       "linux.resources.network.priorities: interface name %.32s... too long",
					       r->network.priorities[i].name);
		if (cgroup_write(dir, "net_prio.ifpriomap", line, "network.priorities", err) < 0)
			return -1;
	}
	return 0;
}

/* devices.allow/deny: everything denied first (runc's rules are an allow list unless one allows "a"), then one
 * line per rule, in order: v1 itself lets the last matching rule decide. */
static int apply_devices(const struct hull_cgroup *cg, const struct hull_resources *res,
			 const struct hull_device *devices, size_t n_devices, hull_err *err)
{
	const char *dir = cgroup_dir_for(cg, "devices");
	struct device_rule *r = NULL;
	size_t n = 0;
	if (dir == NULL)
		return 0;
	cgroup_device_rules(res->devices, res->n_devices, devices, n_devices, &r, &n);
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

static int apply_pids(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if (!r->pids.limit.set)
		return 0;
	const char *dir = cgroup_dir_for(cg, "pids");
	if (dir == NULL)
		return hull_fail(err, "linux.resources.pids.limit: this host has no pids controller");
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, r->pids.limit.v);
	return cgroup_write(dir, "pids.max", r->pids.limit.v >= 0 ? buf : "max", "pids.limit", err);
}

/* In runc's order of v1 subsystems: cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio. */
int cgroup_v1_apply(const struct hull_cgroup *cg, const struct hull_resources *r, const struct hull_device *devices,
		    size_t n_devices, bool with_devices, hull_err *err)
{
	/* runc's fs manager refuses it before writing anything, also on a hybrid host with a cgroup2 mount */
	if (r->n_unified > 0)
		return hull_fail(err, "linux.resources.unified: invalid configuration: cannot use unified on cgroup v1");
	if (apply_cpuset(cg, r, err) < 0 || (with_devices && apply_devices(cg, r, devices, n_devices, err) < 0) ||
	    apply_memory(cg, r, err) < 0 || apply_cpu(cg, r, err) < 0 || apply_pids(cg, r, err) < 0 ||
	    apply_blkio(cg, r, err) < 0 || apply_hugetlb(cg, r, err) < 0 || apply_network(cg, r, err) < 0 ||
	    cgroup_write_rdma(cgroup_dir_for(cg, "rdma"), r, err) < 0)
		return -1;
	return 0;
}
