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
#include "util/cleanup.h"
#include "util/fs.h"

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

int cgroup_write(const char *dir, const char *file, const char *value, const char *field, hull_err *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return hull_fail_errno(err, ENOMEM, "%s", field);
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
	if (resources == NULL || cg->n == 0)
		return 0;
	if (cgroup_layout() == CGROUP_LAYOUT_V2)
		return cgroup_v2_apply(cg->dirs[0], resources, devices, err);
	return cgroup_v1_apply(cg, resources, devices, err);
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

/* Devices every container may use whatever its rules say (runc's default allow list). */
static const struct device_rule default_device_rules[] = {
	{ true, 'c', 1, 3, "rwm" },  { true, 'c', 1, 5, "rwm" }, { true, 'c', 1, 7, "rwm" },	{ true, 'c', 1, 8, "rwm" },
	{ true, 'c', 1, 9, "rwm" },  { true, 'c', 5, 0, "rwm" }, { true, 'c', 5, 1, "rwm" },	{ true, 'c', 5, 2, "rwm" },
	{ true, 'c', 136, -1, "rwm" }, { true, 'c', 10, 200, "rwm" },
};

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

int cgroup_device_rules(json_object *rules, json_object *devices, struct device_rule **out, size_t *n_out)
{
	size_t nr = rules && json_object_is_type(rules, json_type_array) ? json_object_array_length(rules) : 0;
	size_t nd = nr && devices && json_object_is_type(devices, json_type_array) ? json_object_array_length(devices) : 0;
	size_t nk = nr ? ARRAY_SIZE(default_device_rules) : 0;
	struct device_rule *r = calloc(nr + nk + nd + 1, sizeof(*r));
	if (r == NULL)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < nr; i++) {
		json_object *e = json_object_array_get_idx(rules, i);
		const char *type = jget(e, "type") ? json_object_get_string(jget(e, "type")) : "a";
		r[n++] = (struct device_rule){
			.allow = json_object_get_boolean(jget(e, "allow")),
			.type = type[0] == 'b' || type[0] == 'c' ? type[0] : 'a',
			.major = jget(e, "major") ? json_object_get_int64(jget(e, "major")) : -1,
			.minor = jget(e, "minor") ? json_object_get_int64(jget(e, "minor")) : -1,
			.access = jget(e, "access") ? json_object_get_string(jget(e, "access")) : "rwm",
		};
	}
	for (size_t i = 0; i < nk; i++)
		r[n++] = default_device_rules[i];
	for (size_t i = 0; i < nd; i++) {
		json_object *d = json_object_array_get_idx(devices, i);
		const char *type = json_object_get_string(jget(d, "type"));
		if (type == NULL || type[0] == 'p')
			continue;
		r[n++] = (struct device_rule){ true, type[0] == 'b' ? 'b' : 'c', json_object_get_int64(jget(d, "major")),
					       json_object_get_int64(jget(d, "minor")), "rwm" };
	}
	*out = r;
	*n_out = n;
	return 0;
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
