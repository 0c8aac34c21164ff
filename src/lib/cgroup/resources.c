/* resources.c - dispatch of linux.resources to the v1 or v2 writer, and the helpers both share.
 * Must never write a cgroup file outside the container's directories. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/devices_bpf.h"
#include "cgroup/resources.h"
#include "cgroup/systemd.h"
#include "spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

bool cgroup_dir_is_v2(const char *dir)
{
	return cgroup_layout() == CGROUP_LAYOUT_V2 || strncmp(dir, "/sys/fs/cgroup/unified/", 23) == 0;
}

const char *cgroup_dir_for(const struct hull_cgroup *cg, const char *controller)
{
	for (size_t i = 0; i < cg->n; i++) {
		const char *d = cg->dirs[i];
		if (cgroup_dir_is_v2(d)) {
			if (cgroup_layout() == CGROUP_LAYOUT_V2)
				return d;
			continue;
		}
		/* /sys/fs/cgroup/<hierarchy, e.g. "cpu,cpuacct">/... */
		char name[256];
		snprintf(name, sizeof(name), "%s", d + strlen("/sys/fs/cgroup/"));
		name[strcspn(name, "/")] = '\0';
		char *save = NULL;
		for (char *t = strtok_r(name, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (strcmp(t, controller) == 0)
				return d;
	}
	return NULL;
}

/* While an update runs, every write first records the file's value before it (see cgroup_journal_begin). */
struct journal_entry {
	char *path, *old;
};
static struct {
	bool active;
	struct journal_entry *e;
	size_t n;
} journal;

int cgroup_read(const char *dir, const char *file, char **out, hull_err *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return hull_fail_errno(err, ENOMEM, "%s", file);
	if (fs_read_file(AT_FDCWD, path, out, NULL, err) < 0)
		return -1;
	(*out)[strcspn(*out, "\n")] = '\0';
	return 0;
}

static int journal_record(const char *path, hull_err *err)
{
	_cleanup_free_ char *old = NULL;
	if (fs_read_file(AT_FDCWD, path, &old, NULL, err) < 0)
		return hull_err_prefix(err, "read the value to restore on failure");
	old[strcspn(old, "\n")] = '\0';
	struct journal_entry *ne = realloc(journal.e, (journal.n + 1) * sizeof(*ne));
	char *p = strdup(path);
	if (ne == NULL || p == NULL) {
		free(p);
		if (ne)
			journal.e = ne;
		return hull_fail_errno(err, ENOMEM, "%s", path);
	}
	journal.e = ne;
	journal.e[journal.n++] = (struct journal_entry){ p, take_ptr(old) };
	return 0;
}

void cgroup_journal_begin(void)
{
	cgroup_journal_end();
	journal.active = true;
}

int cgroup_journal_undo(hull_err *err)
{
	journal.active = false;
	int ret = 0;
	/* newest first: the way back passes through the same states as the way there, each one valid */
	for (size_t i = journal.n; i-- > 0;) {
		const struct journal_entry *e = &journal.e[i];
		_cleanup_close_ int fd = open(e->path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		size_t len = strlen(e->old);
		if ((fd < 0 || write(fd, e->old, len) != (ssize_t)len) && ret == 0)
			ret = hull_fail_sys(err, "restore \"%s\" to %s", e->old, e->path);
	}
	cgroup_journal_end();
	return ret;
}

void cgroup_journal_end(void)
{
	for (size_t i = 0; i < journal.n; i++) {
		free(journal.e[i].path);
		free(journal.e[i].old);
	}
	free(journal.e);
	journal.e = NULL;
	journal.n = 0;
	journal.active = false;
}

int cgroup_write(const char *dir, const char *file, const char *value, const char *field, hull_err *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return hull_fail_errno(err, ENOMEM, "%s", field);
	if (journal.active && journal_record(path, err) < 0)
		return hull_err_prefix(err, "linux.resources.%s", field);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return hull_fail_sys(err, "linux.resources.%s: %s", field, path);
	size_t len = strlen(value);
	if (write(fd, value, len) != (ssize_t)len)
		return hull_fail_sys(err, "linux.resources.%s: write \"%s\" to %s", field, value, path);
	return 0;
}

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
	/* cpu.shares [2, 262144] onto cpu.weight [1, 10000], as runc and crun convert it */
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_blkio_to_io_weight(uint64_t weight)
{
	/* blkio.weight [10, 1000] onto io.weight [1, 10000] */
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + ((weight - 10) * 9999) / 990;
}

int cgroup_apply_resources(const struct hull_cgroup *cg, json_object *resources, json_object *devices, hull_err *err)
{
	if (cg->n == 0)
		return 0;
	if (resources && (jget(jget(resources, "memory"), "kernel") || jget(jget(resources, "memory"), "kernelTCP")))
		hull_warn("linux.resources.memory.kernel: kernel memory settings are ignored, as by runc");
	/* the device rules apply even without linux.resources: runc's defaults are always there */
	json_object *eff = cgroup_resources_effective(resources);
	int ret = cgroup_layout() == CGROUP_LAYOUT_V2 ? cgroup_v2_apply(cg->dirs[0], eff, devices, true, err)
						       : cgroup_v1_apply(cg, eff, devices, true, err);
	json_object_put(eff);
	return ret;
}

/* What `runc update` takes from its input (update.go, v1.1.5), plus runtime-spec 1.2's cpu burst and idle. */
static const struct {
	const char *section, *key;
} update_fields[] = {
	{ "blockIO", "weight" }, { "cpu", "shares" }, { "cpu", "quota" },	  { "cpu", "period" },
	{ "cpu", "realtimeRuntime" }, { "cpu", "realtimePeriod" }, { "cpu", "cpus" }, { "cpu", "mems" },
	{ "cpu", "burst" },	  { "cpu", "idle" },	{ "memory", "limit" }, { "memory", "reservation" },
	{ "memory", "swap" },	  { "pids", "limit" },	{ NULL, "unified" },
};

int cgroup_update_resources(const struct hull_cgroup *cg, json_object *resources, hull_err *err)
{
	if (spec_check_resources(resources, "update", "resources", err) < 0)
		return -1;
	if (cg->n == 0)
		return hull_fail(err, "the container has no cgroup to update");
	json_object *picked = json_object_new_object();
	for (size_t i = 0; i < ARRAY_SIZE(update_fields); i++) {
		json_object *sec = update_fields[i].section ? jget(resources, update_fields[i].section) : resources;
		json_object *v = jget(sec, update_fields[i].key);
		if (v == NULL)
			continue;
		json_object *dst = picked;
		if (update_fields[i].section) {
			dst = jget(picked, update_fields[i].section);
			if (dst == NULL) {
				dst = json_object_new_object();
				json_object_object_add(picked, update_fields[i].section, dst);
			}
		}
		json_object_object_add(dst, update_fields[i].key, json_object_get(v));
	}
	json_object *mem = jget(resources, "memory");
	if (jget(mem, "kernel") || jget(mem, "kernelTCP"))
		hull_warn("update: kernel memory settings are ignored, as by runc");
	json_object *eff = cgroup_resources_effective(picked);
	json_object_put(picked);
	int ret = 0;
	if (cg->systemd_unit && systemd_set_properties(cg->systemd_unit, eff, err) < 0)
		ret = -1;
	if (ret == 0) {
		cgroup_journal_begin();
		ret = cgroup_layout() == CGROUP_LAYOUT_V2 ? cgroup_v2_apply(cg->dirs[0], eff, NULL, false, err)
							  : cgroup_v1_apply(cg, eff, NULL, false, err);
		hull_err undo_err = NULL;
		if (ret < 0 && cgroup_journal_undo(&undo_err) < 0) {
			_cleanup_free_ char *msg = NULL;
			int code = (*err)->errnum;
			if (asprintf(&msg, "%s; restoring the values before it failed too: %s", (*err)->msg, undo_err->msg) >= 0) {
				hull_err_free(err);
				hull_err_raw(err, code, msg);
			}
			hull_err_free(&undo_err);
		}
		cgroup_journal_end();
	}
	json_object_put(eff);
	return ret;
}

#define FREEZE_WAIT_STEPS 1000 /* x 1 ms */

/* v1: freezer.state; v2: cgroup.freeze, with cgroup.events telling when it took effect. */
static const char *freezer_dir(const struct hull_cgroup *cg, bool *v2)
{
	*v2 = cgroup_layout() == CGROUP_LAYOUT_V2;
	if (*v2)
		return cg->n ? cg->dirs[0] : NULL;
	return cgroup_dir_for(cg, "freezer");
}

bool cgroup_is_frozen(const struct hull_cgroup *cg)
{
	bool v2;
	const char *d = freezer_dir(cg, &v2);
	if (d == NULL)
		return false;
	_cleanup_free_ char *path = NULL, *text = NULL;
	if (asprintf(&path, "%s/%s", d, v2 ? "cgroup.events" : "freezer.state") < 0)
		return false;
	hull_err e = NULL;
	if (fs_read_file(AT_FDCWD, path, &text, NULL, &e) < 0) {
		hull_err_free(&e);
		return false;
	}
	return v2 ? strstr(text, "frozen 1") != NULL : strncmp(text, "FROZEN", 6) == 0;
}

int cgroup_freeze(const struct hull_cgroup *cg, bool frozen, hull_err *err)
{
	bool v2;
	const char *d = freezer_dir(cg, &v2);
	if (d == NULL)
		return hull_fail(err, "the container has no freezer cgroup");
	const char *value = v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED");
	if (cgroup_write(d, v2 ? "cgroup.freeze" : "freezer.state", value, "freezer", err) < 0)
		return -1;
	struct timespec ms = { 0, 1000 * 1000 };
	for (int i = 0; i < FREEZE_WAIT_STEPS; i++) {
		if (cgroup_is_frozen(cg) == frozen)
			return 0;
		if (!v2 && frozen) /* v1 may sit in FREEZING: asking again moves it on */
			cgroup_write(d, "freezer.state", value, "freezer", NULL);
		nanosleep(&ms, NULL);
	}
	return hull_fail(err, "the container did not %s in time", frozen ? "freeze" : "thaw");
}

/* runc's AllowedDevices (libcontainer/specconv, v1.1.5), in its order: mknod of any node (so that CAP_MKNOD
 * works as under runc), the standard nodes, every pty, /dev/ptmx and /dev/net/tun. Appended after the config's
 * own rules, so that a config cannot take them away. `path` is the node a linux.devices entry may replace:
 * then its rule goes too, as in runc. */
static const struct {
	const char *path;
	struct device_rule rule;
} default_device_rules[] = {
	{ NULL, { true, 'c', -1, -1, "m" } },	       { NULL, { true, 'b', -1, -1, "m" } },
	{ "/dev/null", { true, 'c', 1, 3, "rwm" } },   { "/dev/random", { true, 'c', 1, 8, "rwm" } },
	{ "/dev/full", { true, 'c', 1, 7, "rwm" } },   { "/dev/tty", { true, 'c', 5, 0, "rwm" } },
	{ "/dev/zero", { true, 'c', 1, 5, "rwm" } },   { "/dev/urandom", { true, 'c', 1, 9, "rwm" } },
	{ NULL, { true, 'c', 136, -1, "rwm" } },       { NULL, { true, 'c', 5, 2, "rwm" } },
	{ NULL, { true, 'c', 10, 200, "rwm" } },
};

static bool device_listed(json_object *devices, const char *path)
{
	size_t n = devices && json_object_is_type(devices, json_type_array) ? json_object_array_length(devices) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = json_object_get_string(jget(json_object_array_get_idx(devices, i), "path"));
		if (p && strcmp(p, path) == 0)
			return true;
	}
	return false;
}

/* runc's devices.Permissions: a set of r, w and m, other letters ignored ("rwa" is "rw"), written in the
 * order r, w, m (the kernel refuses anything else). */
static const char *access_canonical(const char *access)
{
	static const char *const sets[] = { "", "r", "w", "rw", "m", "rm", "wm", "rwm" };
	unsigned set = 0;
	for (const char *c = access; *c; c++)
		set |= *c == 'r' ? 1u : *c == 'w' ? 2u : *c == 'm' ? 4u : 0u;
	return sets[set];
}

int cgroup_device_rules(json_object *rules, json_object *devices, struct device_rule **out, size_t *n_out)
{
	size_t nr = rules && json_object_is_type(rules, json_type_array) ? json_object_array_length(rules) : 0;
	size_t nk = ARRAY_SIZE(default_device_rules);
	struct device_rule *r = calloc(nr + nk + 1, sizeof(*r));
	if (r == NULL)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < nr; i++) {
		json_object *e = json_object_array_get_idx(rules, i);
		const char *type = jget(e, "type") ? json_object_get_string(jget(e, "type")) : "a";
		struct device_rule one = {
			.allow = json_object_get_boolean(jget(e, "allow")),
			.type = type[0] == 'b' || type[0] == 'c' ? type[0] : 'a',
			.major = jget(e, "major") ? json_object_get_int64(jget(e, "major")) : -1,
			.minor = jget(e, "minor") ? json_object_get_int64(jget(e, "minor")) : -1,
			.access = access_canonical(jget(e, "access") ? json_object_get_string(jget(e, "access")) : "rwm"),
		};
		/* no known access: runc's emulator adds and removes nothing for it */
		if (one.type != 'a' && one.access[0] == '\0')
			continue;
		r[n++] = one;
	}
	/* linux.devices adds no rule of its own: a node the rules deny stays denied, as in runc */
	for (size_t i = 0; i < nk; i++)
		if (default_device_rules[i].path == NULL || !device_listed(devices, default_device_rules[i].path))
			r[n++] = default_device_rules[i].rule;
	*out = r;
	*n_out = n;
	return 0;
}

/* ---- zero means unset ---- */

static bool is_zero(json_object *v)
{
	if (v == NULL)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_int:
		return json_object_get_int64(v) == 0;
	case json_type_string:
		return json_object_get_string_len(v) == 0;
	case json_type_boolean:
		return !json_object_get_boolean(v);
	default:
		return false;
	}
}

/* Fields runc 1.1.5 passes on only when non-zero (0, "" or false = not set); see docs/cgroups.md. */
static const struct {
	const char *section, *key;
} zero_unset[] = {
	{ "memory", "limit" },	       { "memory", "reservation" },    { "memory", "swap" },
	{ "memory", "disableOOMKiller" }, { "cpu", "shares" },	       { "cpu", "quota" },
	{ "cpu", "period" },	       { "cpu", "realtimeRuntime" },   { "cpu", "realtimePeriod" },
	{ "cpu", "cpus" },	       { "cpu", "mems" },	       { "pids", "limit" },
	{ "blockIO", "weight" },       { "blockIO", "leafWeight" },    { "network", "classID" },
};

/* Fields runc 1.1.5 ignores whatever their value. */
static const struct {
	const char *section, *key;
} ignored[] = {
	{ "memory", "kernel" }, { "memory", "kernelTCP" }, { "memory", "useHierarchy" },
};

static void del(json_object *o, const char *key)
{
	if (o && json_object_is_type(o, json_type_object))
		json_object_object_del(o, key);
}

json_object *cgroup_resources_effective(json_object *res)
{
	json_object *out = NULL;
	if (res == NULL || !json_object_is_type(res, json_type_object) || json_object_deep_copy(res, &out, NULL) < 0)
		return json_object_new_object();
	for (size_t i = 0; i < ARRAY_SIZE(zero_unset); i++) {
		json_object *sec = jget(out, zero_unset[i].section);
		if (is_zero(jget(sec, zero_unset[i].key)))
			del(sec, zero_unset[i].key);
	}
	for (size_t i = 0; i < ARRAY_SIZE(ignored); i++)
		del(jget(out, ignored[i].section), ignored[i].key);
	/* swappiness: absent or -1 = not set; 0 is a value */
	json_object *sw = jget(jget(out, "memory"), "swappiness");
	if (sw && json_object_get_int64(sw) == -1)
		del(jget(out, "memory"), "swappiness");
	/* weightDevice: a weight or leafWeight of 0 is not written */
	json_object *wd = jget(jget(out, "blockIO"), "weightDevice");
	for (size_t i = 0; wd && json_object_is_type(wd, json_type_array) && i < json_object_array_length(wd); i++) {
		json_object *e = json_object_array_get_idx(wd, i);
		if (is_zero(jget(e, "weight")))
			del(e, "weight");
		if (is_zero(jget(e, "leafWeight")))
			del(e, "leafWeight");
	}
	return out;
}

int cgroup_write_rdma(const char *dir, json_object *rdma, hull_err *err)
{
	if (rdma == NULL || json_object_object_length(rdma) == 0)
		return 0;
	if (dir == NULL)
		return hull_fail(err, "linux.resources.rdma: this host has no rdma cgroup controller");
	json_object_object_foreach(rdma, device, limits)
	{
		json_object *h = jget(limits, "hcaHandles"), *o = jget(limits, "hcaObjects");
		char line[256], hs[24] = "max", os[24] = "max";
		if (h)
			snprintf(hs, sizeof(hs), "%" PRIu64, (uint64_t)json_object_get_int64(h));
		if (o)
			snprintf(os, sizeof(os), "%" PRIu64, (uint64_t)json_object_get_int64(o));
		if (strchr(device, ' ') || strchr(device, '\n'))
			return hull_fail(err, "linux.resources.rdma: invalid device name \"%s\"", device);
		snprintf(line, sizeof(line), "%s hca_handle=%s hca_object=%s", device, hs, os);
		if (cgroup_write(dir, "rdma.max", line, "rdma", err) < 0)
			return -1;
	}
	return 0;
}
