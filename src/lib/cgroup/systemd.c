/* systemd.c - transient scopes through libsystemd's sd-bus, loaded with dlopen only for this driver.
 * Must never block forever on systemd: every call has a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/systemd.h"
#include "linux/userns.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define BUS_TIMEOUT_USEC (10ULL * 1000 * 1000)
#define SCOPE_WAIT_STEPS 2000 /* x 1 ms */
#define SYSTEMD_DEST "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"

typedef struct sd_bus sd_bus;
typedef struct sd_bus_message sd_bus_message;
typedef struct {
	const char *name;
	const char *message;
	int _need_free;
} sd_bus_error;

/* The few sd-bus entry points we use, resolved from libsystemd.so.0. */
static struct {
	void *lib;
	int (*open_system)(sd_bus **);
	int (*open_user)(sd_bus **);
	sd_bus *(*flush_close_unref)(sd_bus *);
	int (*new_method_call)(sd_bus *, sd_bus_message **, const char *, const char *, const char *, const char *);
	int (*append)(sd_bus_message *, const char *, ...);
	int (*open_container)(sd_bus_message *, char, const char *);
	int (*close_container)(sd_bus_message *);
	int (*call)(sd_bus *, sd_bus_message *, uint64_t, sd_bus_error *, sd_bus_message **);
	sd_bus_message *(*message_unref)(sd_bus_message *);
	void (*error_free)(sd_bus_error *);
} sdb;

#define SDB(field, name) { name, offsetof(__typeof__(sdb), field) }
static const struct dl_symbol sdb_symbols[] = {
	SDB(open_system, "sd_bus_open_system"),
	SDB(open_user, "sd_bus_open_user"),
	SDB(flush_close_unref, "sd_bus_flush_close_unref"),
	SDB(new_method_call, "sd_bus_message_new_method_call"),
	SDB(append, "sd_bus_message_append"),
	SDB(open_container, "sd_bus_message_open_container"),
	SDB(close_container, "sd_bus_message_close_container"),
	SDB(call, "sd_bus_call"),
	SDB(message_unref, "sd_bus_message_unref"),
	SDB(error_free, "sd_bus_error_free"),
};
#undef SDB

static int load_sd_bus(hull_err *err)
{
	return dl_load("libsystemd.so.0", sdb_symbols, ARRAY_SIZE(sdb_symbols), &sdb, &sdb.lib,
		       "systemd cgroup driver", "", err);
}

/* Rootless (not root, or root of a user's user namespace), as runc: the user's own systemd manager, on the
 * user's bus ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), whose scopes are delegated to the user. */
static bool user_manager(void)
{
	return userns_rootless();
}

static const char *default_slice(void)
{
	return user_manager() ? "user.slice" : "system.slice";
}

int systemd_unit_names(const char *path, const char *id, char **slice, char **unit, hull_err *err)
{
	if (path == NULL || *path == '\0') {
		*slice = xstrdup(default_slice());
		*unit = xasprintf("hull-%s.scope", id);
		return 0;
	}
	const char *c1 = strchr(path, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c2 == NULL || strchr(c2 + 1, ':') || strchr(path, '/'))
		return hull_fail(err, "linux.cgroupsPath \"%s\": the systemd driver expects slice:prefix:name", path);
	*slice = c1 == path ? xstrdup(default_slice()) : xstrndup(path, (size_t)(c1 - path));
	const char *name = c2 + 1;
	size_t nl = strlen(name);
	if (nl > 6 && strcmp(name + nl - 6, ".scope") == 0)
		*unit = xstrdup(name);
	else
		*unit = c2 == c1 + 1 ? xasprintf("%s.scope", name)
				     : xasprintf("%.*s-%s.scope", (int)(c2 - c1 - 1), c1 + 1, name);
	return 0;
}

static int append_u64(sd_bus_message *m, const char *name, uint64_t v)
{
	int r = sdb.open_container(m, 'r', "sv");
	if (r >= 0)
		r = sdb.append(m, "s", name);
	if (r >= 0)
		r = sdb.open_container(m, 'v', "t");
	if (r >= 0)
		r = sdb.append(m, "t", v);
	if (r >= 0)
		r = sdb.close_container(m);
	if (r >= 0)
		r = sdb.close_container(m);
	return r;
}

/* The properties systemd knows, from linux.resources; the rest is written to the cgroup files. */
static int append_resources(sd_bus_message *m, const struct hull_resources *res)
{
	int r = 0;
	if (r >= 0 && res->memory.limit.set)
		r = append_u64(m, "MemoryMax", res->memory.limit.v < 0 ? UINT64_MAX : (uint64_t)res->memory.limit.v);
	/* a limit of 0 (runtime-spec 1.3) is left to the pids.max write that follows: TasksMax has no 0 */
	if (r >= 0 && res->pids.limit.set && res->pids.limit.v != 0)
		r = append_u64(m, "TasksMax", res->pids.limit.v < 0 ? UINT64_MAX : (uint64_t)res->pids.limit.v);
	if (r >= 0 && res->cpu.shares.set && res->cpu.shares.v > 0) {
		uint64_t s = res->cpu.shares.v;
		r = append_u64(m, "CPUWeight", 1 + ((s < 2 ? 0 : s - 2) * 9999) / 262142);
	}
	if (r >= 0 && res->cpu.quota.set && res->cpu.quota.v > 0) {
		uint64_t period = res->cpu.period.set ? res->cpu.period.v : 100000;
		/* systemd wants CPU time per second of wall time */
		r = append_u64(m, "CPUQuotaPerSecUSec", (uint64_t)res->cpu.quota.v * 1000000ULL / period);
	}
	return r;
}

static int call(sd_bus *bus, sd_bus_message *m, const char *what, hull_err *err)
{
	sd_bus_error e = { 0 };
	int r = sdb.call(bus, m, BUS_TIMEOUT_USEC, &e, NULL);
	if (r < 0) {
		hull_fail_errno(err, -r, "systemd: %s%s%s", what, e.message ? ": " : "", e.message ? e.message : "");
		sdb.error_free(&e);
		return -1;
	}
	sdb.error_free(&e);
	return 0;
}

/* Our pid's cgroup v2 path, once it is inside `unit`. */
static char *wait_in_unit(pid_t pid, const char *unit)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	struct timespec ms = { 0, 1000 * 1000 };
	for (int i = 0; i < SCOPE_WAIT_STEPS; i++) {
		_cleanup_free_ char *text = NULL;
		hull_err e = NULL;
		if (fs_read_file(AT_FDCWD, path, &text, NULL, &e) < 0) {
			hull_err_free(&e);
			return NULL;
		}
		char *line = strstr(text, "0::");
		if (line) {
			line += 3;
			line[strcspn(line, "\n")] = '\0';
			const char *base = strrchr(line, '/');
			if (base && strcmp(base + 1, unit) == 0)
				return xasprintf("/sys/fs/cgroup%s", line);
		}
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/* A connection to the system bus (the user's, rootless) and a method call on systemd's manager, ready for
 * arguments. */
static int manager_call_new(const char *member, sd_bus **bus, sd_bus_message **m, hull_err *err)
{
	if (load_sd_bus(err) < 0)
		return -1;
	bool user = user_manager();
	int r = user ? sdb.open_user(bus) : sdb.open_system(bus);
	if (r < 0)
		return hull_fail_errno(err, -r, "systemd: connect to the %s bus%s", user ? "user's" : "system",
				       user ? " (a systemd user session: $XDG_RUNTIME_DIR/bus)" : "");
	r = sdb.new_method_call(*bus, m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, member);
	if (r < 0) {
		*bus = sdb.flush_close_unref(*bus);
		return hull_fail_errno(err, -r, "systemd: %s", member);
	}
	return 0;
}

static void manager_call_free(sd_bus *bus, sd_bus_message *m)
{
	sdb.message_unref(m);
	sdb.flush_close_unref(bus);
}

int systemd_start_scope(const char *slice, const char *unit, pid_t pid, const struct hull_resources *resources,
			char **cgroup_dir, hull_err *err)
{
	sd_bus *bus = NULL;
	sd_bus_message *m = NULL;
	if (manager_call_new("StartTransientUnit", &bus, &m, err) < 0)
		return -1;
	int ret = -1;
	int r = sdb.append(m, "ss", unit, "replace");
	if (r >= 0)
		r = sdb.open_container(m, 'a', "(sv)");
	if (r >= 0)
		r = sdb.append(m, "(sv)", "Description", "s", "hull container");
	if (r >= 0)
		r = sdb.append(m, "(sv)", "Slice", "s", slice);
	if (r >= 0)
		r = sdb.append(m, "(sv)", "Delegate", "b", 1);
	if (r >= 0)
		r = sdb.append(m, "(sv)", "DefaultDependencies", "b", 0);
	if (r >= 0)
		r = sdb.append(m, "(sv)", "PIDs", "au", 1, (uint32_t)pid);
	if (r >= 0)
		r = append_resources(m, resources);
	if (r >= 0)
		r = sdb.close_container(m);
	if (r >= 0)
		r = sdb.append(m, "a(sa(sv))", 0);
	if (r < 0) {
		hull_fail_errno(err, -r, "systemd: build the StartTransientUnit call for %s", unit);
		goto out;
	}
	if (call(bus, m, "StartTransientUnit", err) < 0)
		goto out;
	*cgroup_dir = wait_in_unit(pid, unit);
	if (*cgroup_dir == NULL) {
		hull_fail(err, "systemd: the container's init did not arrive in %s", unit);
		goto out;
	}
	ret = 0;
out:
	manager_call_free(bus, m);
	return ret;
}

int systemd_set_properties(const char *unit, const struct hull_resources *resources, hull_err *err)
{
	sd_bus *bus = NULL;
	sd_bus_message *m = NULL;
	if (manager_call_new("SetUnitProperties", &bus, &m, err) < 0)
		return -1;
	int r = sdb.append(m, "sb", unit, 1);
	if (r >= 0)
		r = sdb.open_container(m, 'a', "(sv)");
	if (r >= 0)
		r = append_resources(m, resources);
	if (r >= 0)
		r = sdb.close_container(m);
	int ret = r < 0 ? hull_fail_errno(err, -r, "systemd: build SetUnitProperties for %s", unit)
			: call(bus, m, "SetUnitProperties", err);
	manager_call_free(bus, m);
	return ret;
}

int systemd_stop_scope(const char *unit, hull_err *err)
{
	sd_bus *bus = NULL;
	sd_bus_message *m = NULL;
	if (manager_call_new("StopUnit", &bus, &m, err) < 0)
		return -1;
	int r = sdb.append(m, "ss", unit, "replace");
	hull_err e = NULL;
	int ret = 0;
	if (r < 0)
		ret = hull_fail_errno(err, -r, "systemd: build StopUnit for %s", unit);
	else if (call(bus, m, "StopUnit", &e) < 0) {
		/* a scope whose processes are gone has already been collected */
		if (strstr(e->msg, "not loaded") == NULL && e->errnum != ENOENT)
			ret = hull_err_raw(err, e->errnum, e->msg);
		hull_err_free(&e);
	}
	manager_call_free(bus, m);
	return ret;
}
