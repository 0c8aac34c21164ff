/* resources_model.c - the one parser of linux.resources: JSON types and ranges as runc's decoder reads them
 * (runtime-spec's Go types), then runc 1.1.5's "zero means not set". Must never accept a value silently cut. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/resources_model.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

enum res_kind { R_INT, R_UINT, R_STRING, R_BOOL };
/* which value runc 1.1.5 reads as "not set" (docs/cgroups.md) */
enum res_unset { UNSET_NEVER, UNSET_ZERO, UNSET_MINUS_ONE };

#define F(sec, key, kind, min, max, unset, member) \
	{ sec, key, kind, min, max, unset, offsetof(struct hull_resources, member) }
/* In the order they are checked (the first error is the one reported). A uint64 field refuses a negative
 * number, as runc's JSON decoder does. */
static const struct {
	const char *section, *key;
	enum res_kind kind;
	int64_t min, max; /* R_INT only */
	enum res_unset unset;
	size_t off; /* of a struct res_i64 (R_INT), res_u64 (R_UINT), res_bool (R_BOOL) or char * (R_STRING) */
} fields[] = {
	F("memory", "limit", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, memory.limit),
	F("memory", "reservation", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, memory.reservation),
	F("memory", "swap", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, memory.swap),
	F("memory", "kernel", R_INT, INT64_MIN, INT64_MAX, UNSET_NEVER, memory.kernel),
	F("memory", "kernelTCP", R_INT, INT64_MIN, INT64_MAX, UNSET_NEVER, memory.kernel_tcp),
	/* -1 (as Docker's "unset") is taken as not set; runc refuses above 100 */
	F("memory", "swappiness", R_INT, -1, 100, UNSET_MINUS_ONE, memory.swappiness),
	F("memory", "disableOOMKiller", R_BOOL, 0, 0, UNSET_ZERO, memory.disable_oom_killer),
	F("memory", "useHierarchy", R_BOOL, 0, 0, UNSET_NEVER, memory.use_hierarchy),
	F("memory", "checkBeforeUpdate", R_BOOL, 0, 0, UNSET_NEVER, memory.check_before_update),
	F("cpu", "shares", R_UINT, 0, 0, UNSET_ZERO, cpu.shares),
	F("cpu", "quota", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, cpu.quota),
	F("cpu", "period", R_UINT, 0, 0, UNSET_ZERO, cpu.period),
	F("cpu", "realtimeRuntime", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, cpu.realtime_runtime),
	F("cpu", "realtimePeriod", R_UINT, 0, 0, UNSET_ZERO, cpu.realtime_period),
	/* runtime-spec 1.2 (runc 1.1.5 lacks them): 0 is a value */
	F("cpu", "burst", R_UINT, 0, 0, UNSET_NEVER, cpu.burst),
	F("cpu", "idle", R_INT, INT64_MIN, INT64_MAX, UNSET_NEVER, cpu.idle),
	F("cpu", "cpus", R_STRING, 0, 0, UNSET_ZERO, cpu.cpus),
	F("cpu", "mems", R_STRING, 0, 0, UNSET_ZERO, cpu.mems),
	F("pids", "limit", R_INT, INT64_MIN, INT64_MAX, UNSET_ZERO, pids.limit),
	F("blockIO", "weight", R_INT, 0, UINT16_MAX, UNSET_ZERO, block_io.weight),
	F("blockIO", "leafWeight", R_INT, 0, UINT16_MAX, UNSET_ZERO, block_io.leaf_weight),
	F("network", "classID", R_INT, 0, UINT32_MAX, UNSET_ZERO, network.class_id),
};
#undef F

static const char *const throttle_keys[RES_THROTTLE_COUNT] = {
	[RES_THROTTLE_READ_BPS] = "throttleReadBpsDevice",
	[RES_THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
	[RES_THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
	[RES_THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
};

static int parse_field(struct ctx *c, json_object *sec, size_t i, const char *sp, struct hull_resources *r)
{
	void *dst = (char *)r + fields[i].off;
	const char *key = fields[i].key;
	bool zero = fields[i].unset == UNSET_ZERO;
	switch (fields[i].kind) {
	case R_INT: {
		struct res_i64 *v = dst;
		if (sj_get_int(c, sec, key, sp, fields[i].min, fields[i].max, &v->set, &v->v) < 0)
			return -1;
		if ((zero && v->v == 0) || (fields[i].unset == UNSET_MINUS_ONE && v->v == -1))
			v->set = false;
		return 0;
	}
	case R_UINT: {
		struct res_u64 *v = dst;
		v->set = sj_field(sec, key) != NULL;
		if (sj_get_u64(c, sec, key, sp, &v->v) < 0)
			return -1;
		if (zero && v->v == 0)
			v->set = false;
		return 0;
	}
	case R_BOOL: {
		struct res_bool *v = dst;
		v->set = sj_field(sec, key) != NULL;
		if (sj_get_bool(c, sec, key, sp, &v->v) < 0)
			return -1;
		if (zero && !v->v)
			v->set = false;
		return 0;
	}
	case R_STRING: {
		char **v = dst;
		if (sj_get_string(c, sec, key, sp, false, v) < 0)
			return -1;
		if (zero && *v && (*v)[0] == '\0') {
			free(*v);
			*v = NULL;
		}
		return 0;
	}
	}
	return 0;
}

/* A name that becomes (part of) a file name in the container's cgroup: one component, not hidden. */
static bool is_file_name(const char *s)
{
	return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL && strstr(s, "..") == NULL;
}

/* Each element of an array of objects: the path "BASE.key[i]" and the element, through fn. */
typedef int (*element_fn)(struct ctx *c, json_object *e, const char *ip, void *item);

static int parse_list(struct ctx *c, json_object *sec, const char *sp, const char *key, size_t size, void **items,
		      size_t *n_items, element_fn fn)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, sec, key, sp, &n, &ret);
	if (ret < 0 || n == 0)
		return ret;
	*items = xcalloc(n, size); /* n: the length of an array already parsed, as bounded as the config */
	_cleanup_free_ char *ap = sj_join(sp, key);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx(ap, i);
		*n_items = i + 1; /* what fn half-filled is freed with the rest */
		if (sj_check_element_object(c, e, ip) < 0 || fn(c, e, ip, (char *)*items + i * size) < 0)
			return -1;
	}
	return 0;
}

static int weight_device(struct ctx *c, json_object *e, const char *ip, void *item)
{
	struct res_weight_device *d = item;
	if (sj_get_int(c, e, "major", ip, INT64_MIN, INT64_MAX, NULL, &d->major) < 0 ||
	    sj_get_int(c, e, "minor", ip, INT64_MIN, INT64_MAX, NULL, &d->minor) < 0 ||
	    sj_get_int(c, e, "weight", ip, INT64_MIN, INT64_MAX, &d->weight.set, &d->weight.v) < 0 ||
	    sj_get_int(c, e, "leafWeight", ip, INT64_MIN, INT64_MAX, &d->leaf_weight.set, &d->leaf_weight.v) < 0)
		return -1;
	d->weight.set = d->weight.set && d->weight.v != 0;
	d->leaf_weight.set = d->leaf_weight.set && d->leaf_weight.v != 0;
	return 0;
}

static int throttle_device(struct ctx *c, json_object *e, const char *ip, void *item)
{
	struct res_throttle_device *d = item;
	return sj_get_int(c, e, "major", ip, INT64_MIN, INT64_MAX, NULL, &d->major) < 0 ||
			       sj_get_int(c, e, "minor", ip, INT64_MIN, INT64_MAX, NULL, &d->minor) < 0 ||
			       sj_get_int(c, e, "rate", ip, INT64_MIN, INT64_MAX, &d->rate.set, &d->rate.v) < 0
		       ? -1
		       : 0;
}

static int hugepage_limit(struct ctx *c, json_object *e, const char *ip, void *item)
{
	struct res_hugepage_limit *h = item;
	if (sj_get_int(c, e, "limit", ip, INT64_MIN, INT64_MAX, NULL, &h->limit) < 0 ||
	    sj_get_string(c, e, "pageSize", ip, true, &h->page_size) < 0)
		return -1;
	if (!is_file_name(h->page_size)) {
		_cleanup_free_ char *pp = sj_join(ip, "pageSize");
		return sj_bad(c, pp, "invalid page size \"%s\"", h->page_size);
	}
	return 0;
}

static int net_priority(struct ctx *c, json_object *e, const char *ip, void *item)
{
	struct res_net_priority *p = item;
	return sj_get_int(c, e, "priority", ip, INT64_MIN, INT64_MAX, NULL, &p->priority) < 0 ||
			       sj_get_string(c, e, "name", ip, true, &p->name) < 0
		       ? -1
		       : 0;
}

/* runc's devices.Permissions: a set of r, w and m, other letters ignored ("rwa" is "rw"), written in the
 * order r, w, m (the kernel refuses anything else). */
static const char *access_canonical(const char *access)
{
	static const char *const sets[] = { "", "r", "w", "rw", "m", "rm", "wm", "rwm" };
	unsigned set = 0;
	for (const char *ch = access; *ch; ch++)
		set |= *ch == 'r' ? 1u : *ch == 'w' ? 2u : *ch == 'm' ? 4u : 0u;
	return sets[set];
}

static int device_rule(struct ctx *c, json_object *d, const char *p, void *item)
{
	struct device_rule *rule = item;
	_cleanup_free_ char *type = NULL, *access = NULL;
	bool has_major = false, has_minor = false;
	int64_t major = 0, minor = 0;
	if (sj_get_bool(c, d, "allow", p, &rule->allow) < 0 || sj_get_string(c, d, "type", p, false, &type) < 0 ||
	    sj_get_string(c, d, "access", p, false, &access) < 0 ||
	    sj_get_int(c, d, "major", p, -1, UINT32_MAX, &has_major, &major) < 0 ||
	    sj_get_int(c, d, "minor", p, -1, UINT32_MAX, &has_minor, &minor) < 0)
		return -1;
	if (type && (strlen(type) != 1 || !strchr("abc", type[0]))) {
		_cleanup_free_ char *tp = sj_join(p, "type");
		return sj_bad(c, tp, "unknown device type \"%s\" (a, b or c)", type);
	}
	_cleanup_free_ char *ap = sj_join(p, "access");
	if (access == NULL || access[0] == '\0') /* runc: "device access at N field cannot be empty" */
		return sj_bad(c, ap, "must not be empty");
	rule->type = type ? type[0] : 'a';
	rule->major = has_major ? major : -1;
	rule->minor = has_minor ? minor : -1;
	rule->access = access_canonical(access);
	return 0;
}

static int parse_lists(struct ctx *c, json_object *res, const char *base, struct hull_resources *r)
{
	int ret;
	_cleanup_free_ char *bp = sj_join(base, "blockIO"), *np = sj_join(base, "network");
	json_object *bio = sj_field(res, "blockIO"), *net = sj_field(res, "network");
	if (parse_list(c, bio, bp, "weightDevice", sizeof(struct res_weight_device), (void **)&r->block_io.weight_device,
		       &r->block_io.n_weight_device, weight_device) < 0)
		return -1;
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++)
		if (parse_list(c, bio, bp, throttle_keys[t], sizeof(struct res_throttle_device),
			       (void **)&r->block_io.throttle[t], &r->block_io.n_throttle[t], throttle_device) < 0)
			return -1;
	if (parse_list(c, res, base, "hugepageLimits", sizeof(struct res_hugepage_limit), (void **)&r->hugepage_limits,
		       &r->n_hugepage_limits, hugepage_limit) < 0 ||
	    parse_list(c, net, np, "priorities", sizeof(struct res_net_priority), (void **)&r->network.priorities,
		       &r->network.n_priorities, net_priority) < 0)
		return -1;
	json_object *unified = sj_get_object(c, res, "unified", base, &ret);
	if (ret < 0)
		return -1;
	if (unified && json_object_object_length(unified) > 0) {
		_cleanup_free_ char *up = sj_join(base, "unified");
		r->unified = xcalloc((size_t)json_object_object_length(unified), sizeof(*r->unified));
		json_object_object_foreach(unified, key, val)
		{
			_cleanup_free_ char *kp = sj_join(up, key);
			if (!is_file_name(key))
				return sj_bad(c, up, "invalid key \"%s\"", key);
			if (sj_want_type(c, val, json_type_string, kp, "a string") < 0)
				return -1;
			if (sj_has_nul(val))
				return sj_bad(c, kp, "must not contain a NUL character");
			struct res_unified *u = &r->unified[r->n_unified++];
			u->key = xstrdup(key);
			u->value = xstrdup(json_object_get_string(val));
		}
	}
	return 0;
}

static int parse_rdma(struct ctx *c, json_object *res, const char *base, struct hull_resources *r)
{
	int ret;
	json_object *rdma = sj_get_object(c, res, "rdma", base, &ret);
	if (ret < 0 || rdma == NULL || json_object_object_length(rdma) == 0)
		return ret;
	_cleanup_free_ char *rp = sj_join(base, "rdma");
	r->rdma = xcalloc((size_t)json_object_object_length(rdma), sizeof(*r->rdma));
	json_object_object_foreach(rdma, device, limits)
	{
		_cleanup_free_ char *dp = sj_join(rp, device);
		struct res_rdma *d = &r->rdma[r->n_rdma++];
		/* one "DEVICE hca_handle=N hca_object=N" line of rdma.max */
		if (device[0] == '\0' || strpbrk(device, " \n\t") != NULL)
			return sj_bad(c, rp, "invalid device name \"%s\"", device);
		d->device = xstrdup(device);
		if (sj_check_element_object(c, limits, dp) < 0)
			return -1;
		int64_t v;
		bool has = false;
		if (sj_get_int(c, limits, "hcaHandles", dp, 0, UINT32_MAX, &has, &v) < 0)
			return -1;
		d->hca_handles = (struct res_u64){ has, (uint64_t)(has ? v : 0) };
		has = false;
		if (sj_get_int(c, limits, "hcaObjects", dp, 0, UINT32_MAX, &has, &v) < 0)
			return -1;
		d->hca_objects = (struct res_u64){ has, (uint64_t)(has ? v : 0) };
	}
	return 0;
}

static int parse_all(struct ctx *c, json_object *res, const char *base, struct hull_resources *r)
{
	int ret;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		_cleanup_free_ char *sp = sj_join(base, fields[i].section);
		json_object *sec = sj_get_object(c, res, fields[i].section, base, &ret);
		if (ret < 0 || parse_field(c, sec, i, sp, r) < 0)
			return -1;
	}
	if (parse_lists(c, res, base, r) < 0)
		return -1;
	if (parse_list(c, res, base, "devices", sizeof(struct device_rule), (void **)&r->devices, &r->n_devices,
		       device_rule) < 0)
		return -1;
	return parse_rdma(c, res, base, r);
}

int resources_parse(json_object *res, const char *name, const char *base, enum res_semantics sem,
		    struct hull_resources *out, hull_err *err)
{
	struct ctx c = { name, err };
	memset(out, 0, sizeof(*out));
	if (res == NULL || !json_object_is_type(res, json_type_object))
		return hull_fail(err, "%s: %s: must be an object", name, base);
	if (parse_all(&c, res, base, out) < 0) {
		resources_clear(out);
		return -1;
	}
	/* runtime-spec 1.3: present is set, 0 included (the 1.1 rules above dropped it) */
	json_object *pids = sj_field(res, "pids");
	if (sem == RES_SPEC_1_3 && pids && sj_field(pids, "limit"))
		out->pids.limit.set = true;
	if (out->pids.limit.set && out->pids.limit.v < 0)
		out->pids.limit.v = -1;
	return 0;
}

void resources_clear(struct hull_resources *r)
{
	if (r == NULL)
		return;
	free(r->cpu.cpus);
	free(r->cpu.mems);
	free(r->block_io.weight_device);
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++)
		free(r->block_io.throttle[t]);
	for (size_t i = 0; i < r->n_hugepage_limits; i++)
		free(r->hugepage_limits[i].page_size);
	free(r->hugepage_limits);
	for (size_t i = 0; i < r->network.n_priorities; i++)
		free(r->network.priorities[i].name);
	free(r->network.priorities);
	for (size_t i = 0; i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	for (size_t i = 0; i < r->n_unified; i++) {
		free(r->unified[i].key);
		free(r->unified[i].value);
	}
	free(r->unified);
	free(r->devices);
	memset(r, 0, sizeof(*r));
}

bool resources_any_limit(const struct hull_resources *r, bool with_devices)
{
	size_t lists = r->block_io.n_weight_device + r->n_hugepage_limits + r->network.n_priorities + r->n_rdma +
		       r->n_unified + (with_devices ? r->n_devices : 0);
	for (size_t t = 0; t < RES_THROTTLE_COUNT; t++)
		lists += r->block_io.n_throttle[t];
	/* memory.kernel* and checkBeforeUpdate are never written (runc 1.1.5 ignores them) */
	return lists > 0 || r->memory.limit.set || r->memory.reservation.set || r->memory.swap.set ||
	       r->memory.swappiness.set || r->memory.disable_oom_killer.set || r->memory.use_hierarchy.set ||
	       r->cpu.shares.set || r->cpu.period.set || r->cpu.realtime_period.set || r->cpu.burst.set ||
	       r->cpu.quota.set || r->cpu.realtime_runtime.set || r->cpu.idle.set || r->cpu.cpus || r->cpu.mems ||
	       r->pids.limit.set || r->block_io.weight.set || r->block_io.leaf_weight.set || r->network.class_id.set;
}
