/* spec.h - config.json as typed structs, validated on load.
 * Must never touch the system: parsing and validation only. */
#ifndef HULL_SPEC_H
#define HULL_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "cgroup/resources_model.h"
#include "spec_json.h"
#include "util/error.h"

struct hull_seccomp;

enum hull_ns_kind { NS_PID, NS_NET, NS_MNT, NS_IPC, NS_UTS, NS_USER, NS_CGROUP, NS_TIME, NS_COUNT };
/* The namespace a sysctl belongs to (as runc's list), NS_COUNT for a host-wide one. */
enum hull_ns_kind spec_sysctl_namespace(const char *name);

struct hull_namespace {
	bool enabled;  /* a namespace of this kind is in the config */
	char *path;    /* join this one instead of creating a new one */
};

struct hull_idmap {
	uint32_t container_id, host_id, size;
};

enum hull_mount_idmap { MOUNT_IDMAP_NONE, MOUNT_IDMAP, MOUNT_IDMAP_RECURSIVE };

struct hull_mount {
	char *destination;
	char *type;
	char *source;
	char **options;  /* NULL-terminated */
	size_t n_options;
	enum hull_mount_idmap idmap;  /* "idmap"/"ridmap", or mappings given (runc: idmap) */
	struct hull_idmap *uid_mappings, *gid_mappings;  /* none: the container's user namespace's */
	size_t n_uid_mappings, n_gid_mappings;
};

struct hull_rlimit {
	int resource;
	uint64_t soft, hard;
};

enum hull_hook_kind { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER,
		      HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_KIND_COUNT };

struct hull_hook {
	char *path;
	char **args;  /* NULL-terminated; argv[0] = path when the config has none */
	char **env;   /* NULL-terminated, may be empty */
	int timeout;  /* seconds, 0 = none */
};

struct hull_hook_list {
	struct hull_hook *hooks;
	size_t n;
};

struct hull_device {
	char *path;
	char type;  /* 'c', 'b', 'u' or 'p' */
	int64_t major, minor;
	mode_t mode;  /* permission bits */
	uid_t uid;
	gid_t gid;
};

struct hull_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct hull_process {
	bool terminal;
	unsigned console_height, console_width;
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
	char **args;
	char **env;
	char *cwd;
	bool has_caps;
	struct hull_caps caps;
	struct hull_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	char *apparmor_profile;
	char *selinux_label;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_io_priority;
	int io_priority_class, io_priority_level;
	bool has_scheduler;
	uint32_t sched_policy;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_flags, sched_runtime, sched_deadline, sched_period;
	/* execCPUAffinity (exec only, never the init): the CPUs of the runtime's part before the process joins
	 * the container's cgroup, and of the process after */
	struct sj_mask exec_cpus_initial, exec_cpus_final;
};

struct hull_sysctl {
	char *key, *value;
};

/* linux.netDevices: a host interface moved into the container's network namespace. */
struct hull_net_device {
	char *host_name;  /* the key: the interface in the runtime's network namespace */
	char *name;       /* inside the container: "name", or host_name when absent */
};

/* linux.intelRdt: a resctrl CLOS group (runtime-spec 1.3). */
struct hull_intel_rdt {
	char *clos_id;          /* NULL: the group is named after the container */
	char *l3_cache_schema;  /* NULL when absent */
	char *mem_bw_schema;    /* NULL when absent */
	char **schemata;        /* NULL-terminated lines, NULL when absent */
	bool enable_monitoring; /* a mon_groups/<id> group of the container's own */
};

struct hull_spec {
	json_object *json;  /* the whole document: saved with the state; annotations are borrowed from it */
	char *oci_version;
	bool spec_1_3;      /* ociVersion 1.3 or later: its meanings where 1.3 changed one (pids.limit 0 is a limit, a
			     * failing poststart hook fails start), as runc 1.4; older configs keep runc 1.1's */
	char *bundle;       /* absolute */
	char *root_path;    /* absolute */
	bool root_readonly;
	char *hostname;
	char *domainname;
	struct hull_mount *mounts;
	size_t n_mounts;
	struct hull_process *process;  /* NULL when the config has no process */
	struct hull_hook_list hooks[HOOK_KIND_COUNT];
	json_object *annotations;  /* borrowed from json, may be NULL */
	bool init_reaper;          /* annotation "hull.init": "true": hull's reaper is pid 1, the process its child */

	struct hull_namespace ns[NS_COUNT];
	struct hull_idmap *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	struct hull_device *devices;
	size_t n_devices;
	struct hull_sysctl *sysctl;
	size_t n_sysctl;
	char **masked_paths, **readonly_paths;
	unsigned long rootfs_propagation;  /* MS_* propagation flags, 0 = default (rslave) */
	char *mount_label;
	char *cgroups_path;
	bool has_personality;
	unsigned long personality;
	struct hull_seccomp *seccomp;  /* linux.seccomp, NULL when absent */
	bool has_resources;            /* linux.resources is there (even empty) */
	struct hull_resources resources;
	bool has_memory_policy;        /* linux.memoryPolicy: set_mempolicy(2) for every process of the container */
	int mempolicy_mode;            /* MPOL_*, with the MPOL_F_* flags or'ed in */
	struct sj_mask mempolicy_nodes;
	bool has_time_offsets;
	int64_t monotonic_secs, boottime_secs;
	uint32_t monotonic_nsecs, boottime_nsecs;
	struct hull_net_device *net_devices;  /* linux.netDevices, in the config's order */
	size_t n_net_devices;
	struct hull_intel_rdt *intel_rdt;     /* linux.intelRdt, NULL when absent */
};

/* Load BUNDLE/config.json. Errors read "config.json: process.args: must be a non-empty array". */
int spec_load(const char *bundle, struct hull_spec **out, hull_err *err);
/* Parse a document already in memory (NUL-terminated at text[len]); `name` prefixes error messages. */
int spec_parse(const char *text, size_t len, const char *name, const char *bundle, struct hull_spec **out, hull_err *err);
/* Parse a lone process object (exec --process); `name` prefixes error messages. */
int spec_parse_process(json_object *obj, const char *name, struct hull_process **out, hull_err *err);
void spec_free(struct hull_spec *spec);
void spec_process_free(struct hull_process *p);

/* linux.memoryPolicy's modes and flags by index (NULL past the last), for `features`. */
const char *spec_mempolicy_mode_name(size_t i);
const char *spec_mempolicy_flag_name(size_t i);
/* A network interface name as the kernel accepts it (dev_valid_name): 1 to IFNAMSIZ-1 bytes, not "." or
 * "..", no '/', ':' or whitespace. */
bool spec_valid_ifname(const char *name);
/* A resctrl group name: one path component, not "." / ".." nor one of resctrl's own entries. */
bool spec_valid_rdt_group(const char *name);

extern const char *const hull_ns_names[NS_COUNT];   /* spec names: "pid", "network", ... */
extern const char *const hull_ns_proc_names[NS_COUNT]; /* /proc/PID/ns names: "pid", "net", ... */
extern const int hull_ns_clone_flags[NS_COUNT];
extern const char *const hull_hook_names[HOOK_KIND_COUNT];

#endif
