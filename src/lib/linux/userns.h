/* userns.h - the id maps of a new user namespace, written by hull itself or, for more than its own ids
 * when it is not root, by newuidmap/newgidmap (shadow's setuid helpers, /etc/subuid and /etc/subgid).
 * Must never map ids the kernel or the helpers would refuse silently: each refusal is one clear error. */
#ifndef HULL_USERNS_H
#define HULL_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"
#include "util/error.h"

/* Does this config make a user namespace whose maps an unprivileged hull writes (rootless)? Then the
 * init stays dumpable until SYNC_GO: /proc/PID/uid_map of a non-dumpable process is root's. */
bool userns_unprivileged_maps(const struct hull_spec *s);
/* The init stays dumpable until its maps are written (then made non-dumpable): when we write them unprivileged, or as
 * root of a user namespace we entered after our exec (the engine's pause namespace): the init's /proc files belong to
 * the root of the namespace its memory came from, which ours does not map, while it is not dumpable. */
bool userns_maps_need_dumpable(const struct hull_spec *s);
/* Write uid_map and gid_map of the new user namespace of pid (nothing for none or a joined one). */
int userns_write_maps(pid_t pid, const struct hull_spec *s, hull_err *err);
/* The same for maps of an unprivileged caller's own: one line of its own id written directly (setgroups denied),
 * anything more through newuidmap/newgidmap. */
int userns_write_idmaps(pid_t pid, const struct hull_idmap *uids, size_t nu, const struct hull_idmap *gids, size_t ng,
			hull_err *err);

/* Do we run in a user namespace other than the initial one (as under podman's rootless `unshare`)? */
bool userns_nested(void);
/* Rootless, as runc's cgroup manager decides it: not root, or root of a user namespace. */
bool userns_rootless(void);

#endif
