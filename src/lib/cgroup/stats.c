/* stats.c - a container's cgroup statistics in runc's `events --stats` shape, from v1 or v2 files.
 * Must never fail a whole report for one missing file: absent counters are left out. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/resources.h"
#include "cgroup/stats.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define NSEC_PER_USEC 1000ULL

static char *read_text(const char *dir, const char *file)
{
	if (dir == NULL)
		return NULL;
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *text = NULL;
	hull_err e = NULL;
	if (fs_read_file(AT_FDCWD, path, &text, NULL, &e) < 0) {
		hull_err_free(&e);
		return NULL;
	}
	return text;
}

/* A single number; "max" reads as UINT64_MAX like runc reports unlimited. */
static bool read_u64(const char *dir, const char *file, uint64_t *out)
{
	_cleanup_free_ char *t = read_text(dir, file);
	if (t == NULL)
		return false;
	*out = strncmp(t, "max", 3) == 0 ? UINT64_MAX : strtoull(t, NULL, 10);
	return true;
}

/* "key value" lines (memory.stat, cpu.stat, cpuacct.stat) into an object */
static json_object *read_flat_keyed(const char *dir, const char *file)
{
	_cleanup_free_ char *t = read_text(dir, file);
	if (t == NULL)
		return NULL;
	json_object *o = json_object_new_object();
	char *save = NULL;
	for (char *line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[128];
		unsigned long long v;
		if (sscanf(line, "%127s %llu", key, &v) == 2)
			json_object_object_add(o, key, json_object_new_uint64(v));
	}
	return o;
}

static uint64_t keyed(json_object *o, const char *key)
{
	json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_uint64(v) : 0;
}

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static json_object *cpu_stats(const struct hull_cgroup *cg, bool v2)
{
	json_object *cpu = json_object_new_object(), *usage = json_object_new_object(), *thr = json_object_new_object();
	const char *dir = v2 ? cgroup_dir_for(cg, "cpu") : cgroup_dir_for(cg, "cpuacct");
	uint64_t v = 0;
	if (v2) {
		json_object *st = read_flat_keyed(dir, "cpu.stat");
		add_u64(usage, "total", keyed(st, "usage_usec") * NSEC_PER_USEC);
		add_u64(usage, "kernel", keyed(st, "system_usec") * NSEC_PER_USEC);
		add_u64(usage, "user", keyed(st, "user_usec") * NSEC_PER_USEC);
		add_u64(thr, "periods", keyed(st, "nr_periods"));
		add_u64(thr, "throttledPeriods", keyed(st, "nr_throttled"));
		add_u64(thr, "throttledTime", keyed(st, "throttled_usec") * NSEC_PER_USEC);
		json_object_put(st);
	} else {
		if (read_u64(dir, "cpuacct.usage", &v))
			add_u64(usage, "total", v);
		_cleanup_free_ char *per = read_text(dir, "cpuacct.usage_percpu");
		if (per) {
			json_object *a = json_object_new_array();
			char *end;
			for (char *p = per; *p; p = end) {
				unsigned long long n = strtoull(p, &end, 10);
				if (end == p)
					break;
				json_object_array_add(a, json_object_new_uint64(n));
			}
			json_object_object_add(usage, "percpu", a);
		}
		/* cpuacct.stat counts USER_HZ ticks */
		json_object *st = read_flat_keyed(dir, "cpuacct.stat");
		long hz = sysconf(_SC_CLK_TCK);
		uint64_t tick_ns = hz > 0 ? 1000000000ULL / (uint64_t)hz : 10000000ULL;
		add_u64(usage, "kernel", keyed(st, "system") * tick_ns);
		add_u64(usage, "user", keyed(st, "user") * tick_ns);
		json_object_put(st);
		json_object *cs = read_flat_keyed(cgroup_dir_for(cg, "cpu"), "cpu.stat");
		add_u64(thr, "periods", keyed(cs, "nr_periods"));
		add_u64(thr, "throttledPeriods", keyed(cs, "nr_throttled"));
		add_u64(thr, "throttledTime", keyed(cs, "throttled_time"));
		json_object_put(cs);
	}
	json_object_object_add(cpu, "usage", usage);
	json_object_object_add(cpu, "throttling", thr);
	return cpu;
}

static json_object *memory_entry(const char *dir, const char *usage, const char *limit, const char *max, const char *failcnt)
{
	json_object *e = json_object_new_object();
	uint64_t v;
	if (usage && read_u64(dir, usage, &v))
		add_u64(e, "usage", v);
	if (max && read_u64(dir, max, &v))
		add_u64(e, "max", v);
	if (failcnt && read_u64(dir, failcnt, &v))
		add_u64(e, "failcnt", v);
	if (limit && read_u64(dir, limit, &v))
		add_u64(e, "limit", v);
	return e;
}

static json_object *memory_stats(const struct hull_cgroup *cg, bool v2)
{
	const char *dir = cgroup_dir_for(cg, "memory");
	json_object *mem = json_object_new_object();
	if (v2) {
		json_object_object_add(mem, "usage", memory_entry(dir, "memory.current", "memory.max", "memory.peak", NULL));
		json_object_object_add(mem, "swap", memory_entry(dir, "memory.swap.current", "memory.swap.max", "memory.swap.peak", NULL));
	} else {
		json_object_object_add(mem, "usage", memory_entry(dir, "memory.usage_in_bytes", "memory.limit_in_bytes",
								   "memory.max_usage_in_bytes", "memory.failcnt"));
		json_object_object_add(mem, "swap", memory_entry(dir, "memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes",
								  "memory.memsw.max_usage_in_bytes", "memory.memsw.failcnt"));
		json_object_object_add(mem, "kernel", memory_entry(dir, "memory.kmem.usage_in_bytes", "memory.kmem.limit_in_bytes",
								    "memory.kmem.max_usage_in_bytes", "memory.kmem.failcnt"));
	}
	json_object *raw = read_flat_keyed(dir, "memory.stat");
	if (raw)
		json_object_object_add(mem, "raw", raw);
	return mem;
}

int cgroup_stats(const struct hull_cgroup *cg, json_object **out, hull_err *err)
{
	if (cg->n == 0)
		return hull_fail(err, "the container has no cgroup");
	bool v2 = cgroup_layout() == CGROUP_LAYOUT_V2;
	json_object *d = json_object_new_object();
	json_object_object_add(d, "cpu", cpu_stats(cg, v2));
	json_object_object_add(d, "memory", memory_stats(cg, v2));
	json_object *pids = json_object_new_object();
	const char *pdir = cgroup_dir_for(cg, "pids");
	uint64_t v;
	if (read_u64(pdir, "pids.current", &v))
		add_u64(pids, "current", v);
	if (read_u64(pdir, "pids.max", &v))
		add_u64(pids, "limit", v == UINT64_MAX ? 0 : v);
	json_object_object_add(d, "pids", pids);
	json_object_object_add(d, "blkio", json_object_new_object());
	json_object_object_add(d, "hugetlb", json_object_new_object());
	*out = d;
	return 0;
}

uint64_t cgroup_oom_kills(const struct hull_cgroup *cg)
{
	return cgroup_oom_kills_in(cgroup_dir_for(cg, "memory"));
}

uint64_t cgroup_oom_kills_in(const char *dir)
{
	if (cgroup_layout() == CGROUP_LAYOUT_V2) {
		json_object *ev = read_flat_keyed(dir, "memory.events");
		uint64_t n = keyed(ev, "oom_kill");
		json_object_put(ev);
		return n;
	}
	json_object *oc = read_flat_keyed(dir, "memory.oom_control");
	uint64_t n = keyed(oc, "oom_kill");
	json_object_put(oc);
	return n;
}
