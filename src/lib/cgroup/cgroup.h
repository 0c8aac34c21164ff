/* cgroup.h - the cgroup interface of libhull: where a container's cgroup lives on this host's layout
 * (v1, hybrid or v2), putting the init in it, signalling and removing it.
 * Must never create or write host cgroups outside the container's own directories. */
#ifndef HULL_CGROUP_H
#define HULL_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "util/error.h"

enum cgroup_layout { CGROUP_LAYOUT_V1, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_V2 };

/* Detected once per process, from statfs of /sys/fs/cgroup and /sys/fs/cgroup/unified. */
enum cgroup_layout cgroup_layout(void);

/* One mounted hierarchy under /sys/fs/cgroup. */
struct cgroup_hierarchy {
	char *mountpoint;  /* /sys/fs/cgroup/memory */
	char *root;        /* the mount's root inside the hierarchy (mountinfo field 4) */
	char *key;         /* its /proc/self/cgroup key: "memory", "cpu,cpuacct", "name=systemd", "" for v2 */
	bool v2;
};
int cgroup_hierarchies(struct cgroup_hierarchy **out, size_t *n, hull_err *err);
void cgroup_hierarchies_free(struct cgroup_hierarchy *h, size_t n);
/* This process's cgroup in the hierarchy with /proc/self/cgroup key `key`. */
char *cgroup_own_path(const char *key);
/* One line of a /proc/PID/cgroup text, "ID:KEY:PATH", pointing into the text. */
struct cgroup_line {
	const char *key, *path;
	size_t key_len, path_len;
};
/* The line at *pos, and *pos past it; false at the end. Lines without two colons are passed over. */
bool cgroup_line_next(const char **pos, struct cgroup_line *l);
/* The directory a line names under our mount of its hierarchy (absolute), or NULL: not mounted here. */
char *cgroup_line_dir(const struct cgroup_hierarchy *h, size_t nh, const struct cgroup_line *l);
/* A cgroup's path in hierarchy h (as /proc/PID/cgroup gives it, from the hierarchy's true root) from the
 * root of our mount of h, which may start deeper: a part of `path` ("" for the mount's root itself), or
 * NULL when it lies outside the mount. */
const char *cgroup_path_in_mount(const struct cgroup_hierarchy *h, const char *path);

/* A container's cgroup: one directory per hierarchy (on v2, one). */
struct hull_cgroup {
	char **dirs;  /* absolute paths */
	bool *made;   /* per directory: hull created it (only those are ever signalled as a whole or removed) */
	size_t n;
	char *systemd_unit;   /* the transient scope, with the systemd driver; NULL otherwise */
	char *systemd_slice;
};

/* runc's --rootless: auto decides by who we are (userns_rootless); rootless, a cgroup without permission is
 * skipped (in silence without cgroupsPath, as runc); not rootless, with a warning; false makes it fatal. */
enum hull_rootless { HULL_ROOTLESS_AUTO, HULL_ROOTLESS_TRUE, HULL_ROOTLESS_FALSE };
bool cgroup_rootless(enum hull_rootless mode);

/* Resolve linux.cgroupsPath (absolute: from each hierarchy's root; relative or absent: below hull's own
 * cgroup, the default being the container id; ".." cannot climb above either, as runc's CleanPath) and
 * create the directories. A directory that already existed is used but not owned: it is never signalled
 * as a whole nor removed. Without permission on the
 * cgroup tree the result is empty and a warning says so. */
int cgroup_create(const char *cgroups_path, const char *id, enum hull_rootless rootless, struct hull_cgroup **out,
		  hull_err *err);
/* The directories cgroup_create would make, none made: each owned if it does not exist yet. For a
 * record saved before cgroup_create, so that a create killed inside it leaves nothing delete misses. */
int cgroup_plan(const char *cgroups_path, const char *id, struct hull_cgroup **out, hull_err *err);
/* The systemd driver (cgroup v2 hosts): only names the scope; cgroup_enter creates it around the pid. */
int cgroup_create_systemd(const char *cgroups_path, const char *id, struct hull_cgroup **out, hull_err *err);
/* An O_DIRECTORY fd of the container's cgroup on a pure v2 host (for CLONE_INTO_CGROUP), else -1. */
int cgroup_v2_fd(const struct hull_cgroup *cg);
/* exec --cgroup: the container's cgroup with each directory replaced by the sub-cgroup that specs
 * ("[controller[,controller]:]path", a path without a controller applying to every hierarchy) name;
 * each must exist and stay below the container's own. */
int cgroup_sub(const struct hull_cgroup *cg, char **specs, struct hull_cgroup **out, hull_err *err);
/* Move pid into every directory (systemd driver: start the scope holding pid, with the properties
 * systemd knows from resources). */
struct hull_resources;
int cgroup_enter(struct hull_cgroup *cg, pid_t pid, const struct hull_resources *resources, hull_err *err);
/* The processes in the cgroup (read from its first directory). */
int cgroup_pids(const struct hull_cgroup *cg, pid_t **pids, size_t *n);
/* Is pid in one of cg's directories or below one (its /proc/PID/cgroup, mapped through our mounts)? */
bool cgroup_has_pid(const struct hull_cgroup *cg, pid_t pid);
/* The directory of pid's cgroup in the hierarchy that holds controller ("memory"), mapped through our mounts;
 * NULL when there is none or pid is gone. */
char *cgroup_pid_dir(pid_t pid, const char *controller);
/* The same directories, each made or not alike (plan against create). */
bool cgroup_same(const struct hull_cgroup *a, const struct hull_cgroup *b);
/* Does hull own (has it created) any of its directories? */
bool cgroup_owned(const struct hull_cgroup *cg);
/* Signal every process in the directories hull created. */
void cgroup_signal_all(const struct hull_cgroup *cg, int sig);
/* Kill what is left in the directories hull created, wait for it to go, remove them; directories it
 * did not create are left alone. */
int cgroup_destroy(const struct hull_cgroup *cg, hull_err *err);
/* Freeze or thaw every process (v1 freezer, v2 cgroup.freeze) and wait until the kernel says so. */
int cgroup_freeze(const struct hull_cgroup *cg, bool frozen, hull_err *err);
bool cgroup_is_frozen(const struct hull_cgroup *cg);
json_object *cgroup_to_json(const struct hull_cgroup *cg);
/* A state file without "made" (written by an older hull) owns nothing: its cgroup is left behind by
 * delete rather than risk killing processes hull never started. */
struct hull_cgroup *cgroup_from_json(json_object *arr);
void cgroup_free(struct hull_cgroup *cg);

/* Mount a `cgroup`/`cgroup2` mount of the config on targetfd, as the container's own view:
 * v2: a fresh cgroup2 rooted at the container's cgroup namespace, or without one (where a fresh mount
 * would show the host's whole tree, and a user namespace may not mount it at all) a bind of the
 * container's own cgroup directory; v1/hybrid: a tmpfs holding each hierarchy,
 * bind-mounted from the init's own cgroup. attrs are MOUNT_ATTR_* (ro, nosuid ...). */
int cgroup_mount_in_container(int targetfd, const char *type, uint64_t attrs, bool own_cgroupns, const char *what,
			      hull_err *err);

#endif
