/* v2.c - linux.resources on the unified hierarchy: spec values converted to v2's files as runc does.
 * Must never write a file outside the container's cgroup (the parser keeps "unified" keys one name). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/devices_bpf.h"
#include "cgroup/resources.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

/* -1 (or any negative) means no limit: "max" */
static void limit_str(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(buf, n, "max");
	else
		snprintf(buf, n, "%" PRId64, v);
}

/* runc's fs2 setMemory: swap.max holds swap alone (v1's memsw is memory+swap), a limit of -1 without swap is
 * "both unlimited". */
static int apply_memory(const char *dir, const struct hull_resources *r, hull_err *err)
{
	char buf[64];
	int64_t l = r->memory.limit.set ? r->memory.limit.v : 0, s = r->memory.swap.set ? r->memory.swap.v : 0;
	bool has_swap = true;
	int64_t sw = s;
	if (l == -1 && s == 0)
		sw = -1;
	else if (s == 0 || s == -1)
		has_swap = s != 0;
	else if (l == 0 || l == -1)
		return hull_fail(err, "linux.resources.memory.swap: unable to set swap limit without memory limit");
	else if (s < l)
		return hull_fail(err, "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64, s, l);
	else
		sw = s - l;
	if (has_swap) {
		limit_str(buf, sizeof(buf), sw);
		if (cgroup_write(dir, "memory.swap.max", buf, "memory.swap", err) < 0)
			return -1;
	}
	if (r->memory.limit.set) {
		limit_str(buf, sizeof(buf), l);
		if (cgroup_write(dir, "memory.max", buf, "memory.limit", err) < 0)
			return -1;
	}
	if (r->memory.reservation.set) {
		limit_str(buf, sizeof(buf), r->memory.reservation.v);
		if (cgroup_write(dir, "memory.low", buf, "memory.reservation", err) < 0)
			return -1;
	}
	if (r->memory.disable_oom_killer.set)
		hull_warn("linux.resources.memory.disableOOMKiller: cgroup v2 has no such setting; ignored");
	if (r->memory.swappiness.set)
		hull_warn("linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness; ignored");
	return 0;
}

static int apply_cpu(const char *dir, const struct hull_resources *r, hull_err *err)
{
	char buf[64];
	if (r->cpu.shares.set) {
		snprintf(buf, sizeof(buf), "%" PRIu64, cgroup_shares_to_weight(r->cpu.shares.v));
		if (cgroup_write(dir, "cpu.weight", buf, "cpu.shares", err) < 0)
			return -1;
	}
	if (r->cpu.quota.set || r->cpu.period.set) {
		int64_t q = r->cpu.quota.set ? r->cpu.quota.v : -1;
		uint64_t p = r->cpu.period.set ? r->cpu.period.v : 100000;
		if (q > 0)
			snprintf(buf, sizeof(buf), "%" PRId64 " %" PRIu64, q, p);
		else
			snprintf(buf, sizeof(buf), "max %" PRIu64, p);
		if (cgroup_write(dir, "cpu.max", buf, "cpu.quota", err) < 0)
			return -1;
	}
	if (r->cpu.burst.set) {
		snprintf(buf, sizeof(buf), "%" PRIu64, r->cpu.burst.v);
		if (cgroup_write(dir, "cpu.max.burst", buf, "cpu.burst", err) < 0)
			return -1;
	}
	if (r->cpu.idle.set) {
		snprintf(buf, sizeof(buf), "%" PRId64, r->cpu.idle.v);
		if (cgroup_write(dir, "cpu.idle", buf, "cpu.idle", err) < 0)
			return -1;
	}
	if ((r->cpu.cpus && cgroup_write(dir, "cpuset.cpus", r->cpu.cpus, "cpu.cpus", err) < 0) ||
	    (r->cpu.mems && cgroup_write(dir, "cpuset.mems", r->cpu.mems, "cpu.mems", err) < 0))
		return -1;
	/* runc 1.1.5's fs2 driver does not write them either; a warning instead of silence */
	if (r->cpu.realtime_runtime.set || r->cpu.realtime_period.set)
		hull_warn("linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime scheduling budget; ignored");
	return 0;
}

static int apply_io(const char *dir, const struct hull_resources *r, hull_err *err)
{
	char buf[128];
	if (r->block_io.weight.set) {
		/* BFQ's own weight where the scheduler offers it, else io.weight on its scale, as runc does */
		int64_t w = r->block_io.weight.v;
		_cleanup_free_ char *bfq = xasprintf("%s/io.bfq.weight", dir);
		bool has_bfq = access(bfq, F_OK) == 0;
		if (has_bfq)
			snprintf(buf, sizeof(buf), "%" PRId64, w);
		else
			snprintf(buf, sizeof(buf), "default %" PRIu64, cgroup_blkio_to_io_weight((uint64_t)w));
		if (cgroup_write(dir, has_bfq ? "io.bfq.weight" : "io.weight", buf, "blockIO.weight", err) < 0)
			return -1;
	}
	static const char *const keys[RES_THROTTLE_COUNT] = {
		[RES_THROTTLE_READ_BPS] = "rbps",
		[RES_THROTTLE_WRITE_BPS] = "wbps",
		[RES_THROTTLE_READ_IOPS] = "riops",
		[RES_THROTTLE_WRITE_IOPS] = "wiops",
	};
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++) {
		for (size_t i = 0; i < r->block_io.n_throttle[t]; i++) {
			const struct res_throttle_device *d = &r->block_io.throttle[t][i];
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %s=%" PRId64, d->major, d->minor, keys[t],
				 d->rate.set ? d->rate.v : 0);
			if (cgroup_write(dir, "io.max", buf, "blockIO", err) < 0)
				return -1;
		}
	}
	return 0;
}

static int apply_devices(const char *dir, const struct hull_resources *r, const struct hull_device *devices,
			 size_t n_devices, hull_err *err)
{
	struct device_rule *rules = NULL;
	size_t n = 0;
	cgroup_device_rules(r->devices, r->n_devices, devices, n_devices, &rules, &n);
	int ret = devices_bpf_attach(dir, rules, n, err);
	free(rules);
	return ret;
}

int cgroup_v2_apply(const char *dir, const struct hull_resources *r, const struct hull_device *devices,
		    size_t n_devices, bool with_devices, hull_err *err)
{
	char buf[64];
	if (r->pids.limit.set) {
		/* -1 is "max"; 0 is set only by a runtime-spec 1.3 config, where it is a limit */
		limit_str(buf, sizeof(buf), r->pids.limit.v);
		if (cgroup_write(dir, "pids.max", buf, "pids.limit", err) < 0)
			return -1;
	}
	if (apply_memory(dir, r, err) < 0 || apply_cpu(dir, r, err) < 0 || apply_io(dir, r, err) < 0)
		return -1;
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		_cleanup_free_ char *file = xasprintf("hugetlb.%s.max", r->hugepage_limits[i].page_size);
		limit_str(buf, sizeof(buf), r->hugepage_limits[i].limit);
		if (cgroup_write(dir, file, buf, "hugepageLimits", err) < 0)
			return -1;
	}
	if ((with_devices && apply_devices(dir, r, devices, n_devices, err) < 0) || cgroup_write_rdma(dir, r, err) < 0)
		return -1;
	for (size_t i = 0; i < r->n_unified; i++) {
		char field[256];
		snprintf(field, sizeof(field), "unified.%s", r->unified[i].key);
		if (cgroup_write(dir, r->unified[i].key, r->unified[i].value, field, err) < 0)
			return -1;
	}
	return 0;
}
