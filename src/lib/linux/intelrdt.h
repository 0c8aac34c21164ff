/* intelrdt.h - linux.intelRdt through resctrl: the container's CLOS group (made or joined), its schemata, its
 * monitoring group. Must never remove a group hull did not make. */
#ifndef HULL_INTELRDT_H
#define HULL_INTELRDT_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"
#include "util/error.h"

/* Where hull looks for resctrl: the kernel documentation's mount point. It counts as mounted when it is a
 * mount point with resctrl's info/ directory; the filesystem type is not asked (see intelrdt.c). */
#define RESCTRL_ROOT "/sys/fs/resctrl"

/* What create made in resctrl, recorded in the state for update and delete. */
struct hull_rdt_group {
	char *name;       /* the CLOS group below RESCTRL_ROOT: closID or the container id; NULL: none */
	bool owned;       /* hull made it: delete removes it */
	bool monitoring;  /* hull made mon_groups/<id> in it */
};

/* Make or join the group of linux.intelRdt for container `id`, write its schemata (a group hull made), and
 * move `pid` into it (and into its monitoring group). On failure nothing is left. */
int rdt_join(const struct hull_intel_rdt *r, const char *id, pid_t pid, struct hull_rdt_group *out, hull_err *err);
/* Move `pid` into the group and its monitoring group (exec's process, as runc's exec). */
int rdt_enter(const struct hull_rdt_group *g, const char *id, pid_t pid, hull_err *err);
/* Rewrite the group's schemata with these lines (NULL ones skipped): `hull update --l3-cache-schema`. */
int rdt_write_schemata(const struct hull_rdt_group *g, const char *const *lines, size_t n, hull_err *err);
/* Remove what rdt_join made: the monitoring group, and the group if hull made it. */
int rdt_remove(const struct hull_rdt_group *g, const char *id, hull_err *err);
void rdt_group_clear(struct hull_rdt_group *g);

#endif
