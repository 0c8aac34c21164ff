/* v2.c - linux.resources on the unified hierarchy: spec values converted to v2's files as runc does.
 * Must never write a "unified" key that names a file outside the container's cgroup. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int apply_memory(const char *dir, json_object *m, hull_err *err)
{
	if (m == NULL)
		return 0;
	char buf[64];
	json_object *limit = jget(m, "limit"), *swap = jget(m, "swap"), *low = jget(m, "reservation");
	if (limit) {
		limit_str(buf, sizeof(buf), json_object_get_int64(limit));
		if (cgroup_write(dir, "memory.max", buf, "memory.limit", err) < 0)
			return -1;
	}
	if (low) {
		limit_str(buf, sizeof(buf), json_object_get_int64(low));
		if (cgroup_write(dir, "memory.low", buf, "memory.reservation", err) < 0)
			return -1;
	}
	if (swap) {
		/* v1's memsw is memory+swap; v2's swap.max is swap alone */
		int64_t s = json_object_get_int64(swap), l = limit ? json_object_get_int64(limit) : -1;
		if (s >= 0 && l >= 0 && s < l)
			return hull_fail(err, "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64, s, l);
		limit_str(buf, sizeof(buf), s < 0 || l < 0 ? -1 : s - l);
		if (cgroup_write(dir, "memory.swap.max", buf, "memory.swap", err) < 0)
			return -1;
	}
	if (jget(m, "disableOOMKiller") && json_object_get_boolean(jget(m, "disableOOMKiller")))
		hull_warn("linux.resources.memory.disableOOMKiller: cgroup v2 has no such setting; ignored");
	if (jget(m, "kernel") || jget(m, "kernelTCP"))
		hull_warn("linux.resources.memory.kernel: cgroup v2 has no separate kernel memory limit; ignored");
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
	if (shares && json_object_get_int64(shares) > 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64, cgroup_shares_to_weight((uint64_t)json_object_get_int64(shares)));
		if (cgroup_write(dir, "cpu.weight", buf, "cpu.shares", err) < 0)
			return -1;
	}
	if (quota || period) {
		int64_t q = quota ? json_object_get_int64(quota) : -1;
		int64_t p = period ? json_object_get_int64(period) : 100000;
		if (q > 0)
			snprintf(buf, sizeof(buf), "%" PRId64 " %" PRId64, q, p);
		else
			snprintf(buf, sizeof(buf), "max %" PRId64, p);
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
	if (jget(c, "realtimeRuntime") || jget(c, "realtimePeriod"))
		return hull_fail(err, "linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime scheduling budget");
	return 0;
}

static int apply_io(const char *dir, json_object *b, hull_err *err)
{
	if (b == NULL)
		return 0;
	char buf[128];
	json_object *w = jget(b, "weight");
	if (w && json_object_get_int64(w) > 0) {
		snprintf(buf, sizeof(buf), "default %" PRIu64, cgroup_blkio_to_io_weight((uint64_t)json_object_get_int64(w)));
		if (cgroup_write(dir, "io.weight", buf, "blockIO.weight", err) < 0)
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
	int ret = n ? devices_bpf_attach(dir, r, n, err) : 0;
	free(r);
	return ret;
}

int cgroup_v2_apply(const char *dir, json_object *r, json_object *devices, hull_err *err)
{
	char buf[64];
	json_object *pids = jget(r, "pids");
	if (pids && jget(pids, "limit")) {
		int64_t l = json_object_get_int64(jget(pids, "limit"));
		limit_str(buf, sizeof(buf), l > 0 ? l : -1);
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
	if (apply_devices(dir, jget(r, "devices"), devices, err) < 0 || cgroup_write_rdma(dir, jget(r, "rdma"), err) < 0)
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
