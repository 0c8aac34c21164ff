/* v2.c - linux.resources on the unified hierarchy: spec values converted to v2's files as runc does.
 * Must never write a "unified" key that names a file outside the container's cgroup. */
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

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* -1 (or absent when `max_if_absent`) means no limit: "max" */
static void limit_str(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(buf, n, "max");
	else
		snprintf(buf, n, "%" PRId64, v);
}

/* runc's fs2 setMemory: swap.max holds swap alone (v1's memsw is memory+swap), a limit of -1 without swap is
 * "both unlimited". */
static int apply_memory(const char *dir, json_object *m, hull_err *err)
{
	if (m == NULL)
		return 0;
	char buf[64];
	json_object *jl = jget(m, "limit"), *js = jget(m, "swap"), *low = jget(m, "reservation");
	int64_t l = jl ? json_object_get_int64(jl) : 0, s = js ? json_object_get_int64(js) : 0;
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
	if (jl) {
		limit_str(buf, sizeof(buf), l);
		if (cgroup_write(dir, "memory.max", buf, "memory.limit", err) < 0)
			return -1;
	}
	if (low) {
		limit_str(buf, sizeof(buf), json_object_get_int64(low));
		if (cgroup_write(dir, "memory.low", buf, "memory.reservation", err) < 0)
			return -1;
	}
	if (jget(m, "disableOOMKiller"))
		hull_warn("linux.resources.memory.disableOOMKiller: cgroup v2 has no such setting; ignored");
	if (jget(m, "swappiness"))
		hull_warn("linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness; ignored");
	return 0;
}

static int apply_cpu(const char *dir, json_object *c, hull_err *err)
{
	if (c == NULL)
		return 0;
	char buf[64];
	json_object *shares = jget(c, "shares"), *quota = jget(c, "quota"), *period = jget(c, "period");
	if (shares) {
		snprintf(buf, sizeof(buf), "%" PRIu64, cgroup_shares_to_weight(json_object_get_uint64(shares)));
		if (cgroup_write(dir, "cpu.weight", buf, "cpu.shares", err) < 0)
			return -1;
	}
	if (quota || period) {
		int64_t q = quota ? json_object_get_int64(quota) : -1;
		uint64_t p = period ? json_object_get_uint64(period) : 100000;
		if (q > 0)
			snprintf(buf, sizeof(buf), "%" PRId64 " %" PRIu64, q, p);
		else
			snprintf(buf, sizeof(buf), "max %" PRIu64, p);
		if (cgroup_write(dir, "cpu.max", buf, "cpu.quota", err) < 0)
			return -1;
	}
	static const struct {
		const char *key, *file;
	} plain[] = { { "burst", "cpu.max.burst" }, { "idle", "cpu.idle" }, { "cpus", "cpuset.cpus" }, { "mems", "cpuset.mems" } };
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
		json_object *v = jget(c, plain[i].key);
		if (v == NULL)
			continue;
		char field[32];
		snprintf(field, sizeof(field), "cpu.%s", plain[i].key);
		if (cgroup_write(dir, plain[i].file, json_object_get_string(v), field, err) < 0)
			return -1;
	}
	/* runc 1.1.5's fs2 driver does not write them either; a warning instead of silence */
	if (jget(c, "realtimeRuntime") || jget(c, "realtimePeriod"))
		hull_warn("linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime scheduling budget; ignored");
	return 0;
}

static int apply_io(const char *dir, json_object *b, hull_err *err)
{
	if (b == NULL)
		return 0;
	char buf[128];
	json_object *w = jget(b, "weight");
	if (w) {
		/* BFQ's own weight where the scheduler offers it, else io.weight on its scale, as runc does */
		_cleanup_free_ char *bfq = NULL;
		bool has_bfq = asprintf(&bfq, "%s/io.bfq.weight", dir) >= 0 && access(bfq, F_OK) == 0;
		if (has_bfq)
			snprintf(buf, sizeof(buf), "%" PRId64, json_object_get_int64(w));
		else
			snprintf(buf, sizeof(buf), "default %" PRIu64, cgroup_blkio_to_io_weight((uint64_t)json_object_get_int64(w)));
		if (cgroup_write(dir, has_bfq ? "io.bfq.weight" : "io.weight", buf, "blockIO.weight", err) < 0)
			return -1;
	}
	static const struct {
		const char *list, *key;
	} throttles[] = {
		{ "throttleReadBpsDevice", "rbps" },
		{ "throttleWriteBpsDevice", "wbps" },
		{ "throttleReadIOPSDevice", "riops" },
		{ "throttleWriteIOPSDevice", "wiops" },
	};
	for (size_t t = 0; t < ARRAY_SIZE(throttles); t++) {
		json_object *l = jget(b, throttles[t].list);
		size_t n = l ? json_object_array_length(l) : 0;
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(l, i);
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %s=%" PRId64, json_object_get_int64(jget(e, "major")),
				 json_object_get_int64(jget(e, "minor")), throttles[t].key, json_object_get_int64(jget(e, "rate")));
			if (cgroup_write(dir, "io.max", buf, "blockIO", err) < 0)
				return -1;
		}
	}
	return 0;
}

static int apply_devices(const char *dir, json_object *rules, json_object *devices, hull_err *err)
{
	struct device_rule *r = NULL;
	size_t n = 0;
	if (cgroup_device_rules(rules, devices, &r, &n) < 0)
		return hull_fail_errno(err, ENOMEM, "linux.resources.devices");
	int ret = devices_bpf_attach(dir, r, n, err);
	free(r);
	return ret;
}

int cgroup_v2_apply(const char *dir, json_object *r, json_object *devices, bool with_devices, hull_err *err)
{
	char buf[64];
	json_object *pids = jget(r, "pids");
	if (pids && jget(pids, "limit")) {
		int64_t l = json_object_get_int64(jget(pids, "limit"));
		limit_str(buf, sizeof(buf), l > 0 ? l : -1); /* 0 is "not set", gone before here */
		if (cgroup_write(dir, "pids.max", buf, "pids.limit", err) < 0)
			return -1;
	}
	if (apply_memory(dir, jget(r, "memory"), err) < 0 || apply_cpu(dir, jget(r, "cpu"), err) < 0 ||
	    apply_io(dir, jget(r, "blockIO"), err) < 0)
		return -1;
	json_object *huge = jget(r, "hugepageLimits");
	for (size_t i = 0; huge && i < json_object_array_length(huge); i++) {
		json_object *e = json_object_array_get_idx(huge, i);
		const char *size = json_object_get_string(jget(e, "pageSize"));
		if (size == NULL || strchr(size, '/') || strstr(size, ".."))
			return hull_fail(err, "linux.resources.hugepageLimits[%zu].pageSize: invalid", i);
		_cleanup_free_ char *file = NULL;
		limit_str(buf, sizeof(buf), json_object_get_int64(jget(e, "limit")));
		if (asprintf(&file, "hugetlb.%s.max", size) < 0 || cgroup_write(dir, file, buf, "hugepageLimits", err) < 0)
			return -1;
	}
	if ((with_devices && apply_devices(dir, jget(r, "devices"), devices, err) < 0) || cgroup_write_rdma(dir, jget(r, "rdma"), err) < 0)
		return -1;
	json_object *unified = jget(r, "unified");
	if (unified) {
		json_object_object_foreach(unified, key, val)
		{
			if (strchr(key, '/') || strstr(key, "..") || key[0] == '.' || key[0] == '\0')
				return hull_fail(err, "linux.resources.unified: invalid key \"%s\"", key);
			char field[256];
			snprintf(field, sizeof(field), "unified.%s", key);
			if (cgroup_write(dir, key, json_object_get_string(val), field, err) < 0)
				return -1;
		}
	}
	return 0;
}
