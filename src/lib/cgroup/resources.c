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
#include "util/xalloc.h"

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
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
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
	journal.e = xreallocarray(journal.e, journal.n + 1, sizeof(*journal.e));
	journal.e[journal.n++] = (struct journal_entry){ xstrdup(path), take_ptr(old) };
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
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
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

int cgroup_apply_resources(const struct hull_cgroup *cg, const struct hull_resources *r, const struct hull_device *devices,
			   size_t n_devices, bool with_devices, hull_err *err)
{
	if (cg->n == 0)
		return 0;
	if (r->memory.kernel.set || r->memory.kernel_tcp.set)
		hull_warn("linux.resources.memory.kernel: kernel memory settings are ignored, as by runc");
	/* the device rules apply even without linux.resources: runc's defaults are always there */
	return cgroup_layout() == CGROUP_LAYOUT_V2 ? cgroup_v2_apply(cg->dirs[0], r, devices, n_devices, with_devices, err)
						   : cgroup_v1_apply(cg, r, devices, n_devices, with_devices, err);
}

/* What `runc update` takes from its input (update.go, v1.1.5), plus runtime-spec 1.2's cpu burst and idle:
 * a shallow copy, borrowing r's strings and unified map. */
static struct hull_resources update_fields(const struct hull_resources *r)
{
	struct hull_resources u = { 0 };
	u.block_io.weight = r->block_io.weight;
	u.cpu = r->cpu;
	u.memory.limit = r->memory.limit;
	u.memory.reservation = r->memory.reservation;
	u.memory.swap = r->memory.swap;
	u.pids = r->pids;
	u.unified = r->unified;
	u.n_unified = r->n_unified;
	return u;
}

int cgroup_update_resources(const struct hull_cgroup *cg, const struct hull_resources *r, hull_err *err)
{
	if (cg->n == 0)
		return hull_fail(err, "the container has no cgroup to update");
	if (r->memory.kernel.set || r->memory.kernel_tcp.set)
		hull_warn("update: kernel memory settings are ignored, as by runc");
	const struct hull_resources picked = update_fields(r);
	if (cg->systemd_unit && systemd_set_properties(cg->systemd_unit, &picked, err) < 0)
		return -1;
	cgroup_journal_begin();
	int ret = cgroup_layout() == CGROUP_LAYOUT_V2 ? cgroup_v2_apply(cg->dirs[0], &picked, NULL, 0, false, err)
						      : cgroup_v1_apply(cg, &picked, NULL, 0, false, err);
	hull_err undo_err = NULL;
	if (ret < 0 && cgroup_journal_undo(&undo_err) < 0) {
		int code = (*err)->errnum;
		_cleanup_free_ char *msg =
			xasprintf("%s; restoring the values before it failed too: %s", (*err)->msg, undo_err->msg);
		hull_err_free(err);
		hull_err_raw(err, code, msg);
		hull_err_free(&undo_err);
	}
	cgroup_journal_end();
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
	_cleanup_free_ char *path = xasprintf("%s/%s", d, v2 ? "cgroup.events" : "freezer.state"), *text = NULL;
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

static bool device_listed(const struct hull_device *devices, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (devices[i].path && strcmp(devices[i].path, path) == 0)
			return true;
	return false;
}

void cgroup_device_rules(const struct device_rule *rules, size_t nr, const struct hull_device *devices,
			 size_t n_devices, struct device_rule **out, size_t *n_out)
{
	size_t nk = ARRAY_SIZE(default_device_rules);
	struct device_rule *r = xcalloc(nr + nk + 1, sizeof(*r));
	size_t n = 0;
	for (size_t i = 0; i < nr; i++) {
		/* no known access: runc's emulator adds and removes nothing for it */
		if (rules[i].type != 'a' && rules[i].access[0] == '\0')
			continue;
		r[n++] = rules[i];
	}
	/* linux.devices adds no rule of its own: a node the rules deny stays denied, as in runc */
	for (size_t i = 0; i < nk; i++)
		if (default_device_rules[i].path == NULL || !device_listed(devices, n_devices, default_device_rules[i].path))
			r[n++] = default_device_rules[i].rule;
	*out = r;
	*n_out = n;
}

int cgroup_write_rdma(const char *dir, const struct hull_resources *r, hull_err *err)
{
	if (r->n_rdma == 0)
		return 0;
	if (dir == NULL)
		return hull_fail(err, "linux.resources.rdma: this host has no rdma cgroup controller");
	for (size_t i = 0; i < r->n_rdma; i++) {
		const struct res_rdma *d = &r->rdma[i];
		char line[256], hs[24] = "max", os[24] = "max";
		if (d->hca_handles.set)
			snprintf(hs, sizeof(hs), "%" PRIu64, d->hca_handles.v);
		if (d->hca_objects.set)
			snprintf(os, sizeof(os), "%" PRIu64, d->hca_objects.v);
		if (snprintf(line, sizeof(line), "%s hca_handle=%s hca_object=%s", d->device, hs, os) >= (int)sizeof(line))
			return hull_fail(err, "linux.resources.rdma: device name \"%s\" too long", d->device);
		if (cgroup_write(dir, "rdma.max", line, "rdma", err) < 0)
			return -1;
	}
	return 0;
}
