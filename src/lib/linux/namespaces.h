/* namespaces.h - creating and joining namespaces, id maps, time offsets, uts names.
 * Must never leave the calling hull process inside a container namespace. */
#ifndef HULL_NAMESPACES_H
#define HULL_NAMESPACES_H

#include <sys/types.h>

#include "spec.h"
#include "util/error.h"

/* Start the container's init in its namespaces. In the parent returns the init's pid and sets *pidfd;
 * in the init returns 0. `keep_fd` is the init's end of the sync socket: when a namespace must be joined
 * by path, a short-lived joiner process does the setns() calls and reports the init's pid over
 * `parent_fd`'s peer. cgroup_fd (or -1): a cgroup v2 directory the init is born in. */
pid_t ns_spawn_init(const struct hull_spec *s, int parent_fd, int child_fd, int cgroup_fd, int *pidfd, hull_err *err);
/* Write /proc/PID/FILE ("uid_map" or "gid_map"). */
int ns_write_map(pid_t pid, const char *file, const struct hull_idmap *map, size_t n, hull_err *err);
/* The host id of a container id through a map; `unmapped` for an id the map leaves out. */
uint32_t ns_map_id(const struct hull_idmap *map, size_t n, uint32_t id, uint32_t unmapped);
/* Whether two sets of mappings are the same, in any order. */
bool ns_maps_equal(const struct hull_idmap *a, size_t na, const struct hull_idmap *b, size_t nb);
/* A new user namespace holding these mappings (for an idmapped mount): an fd for it, or -1. */
int ns_userns_fd(const struct hull_idmap *uids, size_t n_uids, const struct hull_idmap *gids, size_t n_gids,
		 hull_err *err);
/* Write /proc/PID/uid_map and gid_map from the config. */
int ns_write_idmaps(pid_t pid, const struct hull_spec *s, hull_err *err);
/* In the init: the namespaces that cannot be made by clone3 (cgroup after placement, ipc once the init
 * is the root of its new user namespace). */
int ns_enter_late(const struct hull_spec *s, hull_err *err);
/* In the init, before it takes a user namespace's root as its identity: the time namespace, whose offsets
 * are written through /proc/self, which belongs to the host's root once that identity change made us
 * non-dumpable. */
int ns_enter_time(const struct hull_spec *s, hull_err *err);
int ns_set_uts(const struct hull_spec *s, hull_err *err);
/* Does the kernel support this kind? (/proc/self/ns/NAME exists) */
int ns_supported(int kind);

#endif
