/* systemd.h - the systemd cgroup driver: a transient scope per container, made through sd-bus.
 * Must never load libsystemd unless this driver is asked for (dlopen on first use). */
#ifndef HULL_CGROUP_SYSTEMD_H
#define HULL_CGROUP_SYSTEMD_H

#include <sys/types.h>
#include "cgroup/resources_model.h"
#include "util/error.h"

/* "slice:prefix:name" (runc's format; empty: system.slice, hull-ID.scope) -> slice and unit names. */
int systemd_unit_names(const char *cgroups_path, const char *id, char **slice, char **unit, hull_err *err);
/* StartTransientUnit(unit) in slice with Delegate=yes holding pid, the resource properties systemd knows
 * taken from linux.resources; returns once pid is in the scope, with its cgroup directory. */
int systemd_start_scope(const char *slice, const char *unit, pid_t pid, const struct hull_resources *resources,
			char **cgroup_dir, hull_err *err);
/* SetUnitProperties(runtime) for the same properties. */
int systemd_set_properties(const char *unit, const struct hull_resources *resources, hull_err *err);
/* StopUnit(unit); a unit already gone is not an error. */
int systemd_stop_scope(const char *unit, hull_err *err);

#endif
