/* runspec.h - `hull container run/create` flags as typed values, and how they change the runtime config made from an
 * image (image/convert.c) into the one the engine runs. Must never touch the host: it only edits JSON and reads the
 * image's root through rootfd (RESOLVE_IN_ROOT). */
#ifndef HULL_ENGINE_RUNSPEC_H
#define HULL_ENGINE_RUNSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "spec.h"
#include "util/error.h"

enum mount_kind { MOUNT_BIND, MOUNT_VOLUME, MOUNT_TMPFS };

/* -v SRC:DST[:OPTS], --mount type=...,src=...,dst=...,ro, --tmpfs DST[:OPTS] */
struct run_mount {
	enum mount_kind kind;
	char *source;       /* bind: absolute host path; volume: the volume's name (NULL: anonymous); tmpfs: NULL */
	char *destination;  /* absolute path in the container */
	char **options;     /* extra mount options ("ro", "nosuid", "size=64m", "mode=1777", ...), NULL-terminated */
};

struct run_spec {
	char **env;              /* -e K=V / -e K (from our environment) / --env-file lines, resolved: K=V, in order */
	char *workdir;           /* -w */
	char *user;              /* -u USER[:GROUP], names or numbers */
	char **entrypoint;       /* --entrypoint (NULL: the image's; an empty array: none) */
	bool entrypoint_set;
	char **command;          /* after IMAGE (NULL: the image's Cmd) */
	char *hostname;          /* --hostname (NULL: the engine's default, the short id) */
	struct run_mount *mounts;
	size_t n_mounts;
	bool read_only;          /* --read-only */
	char **cap_add, **cap_drop; /* names as Docker takes them: "NET_ADMIN", "CAP_NET_ADMIN", "ALL" */
	char *seccomp;           /* --security-opt seccomp=FILE|unconfined (NULL: hull's default profile) */
	bool no_new_privileges;  /* --security-opt no-new-privileges */
	bool privileged;         /* --privileged */
	char **devices;          /* --device HOST[:CONTAINER[:PERMS]] */
	int64_t memory;          /* --memory bytes, 0: none */
	int64_t cpus_milli;      /* --cpus in thousandths of a CPU, 0: none */
	int64_t pids_limit;      /* --pids-limit, 0: none (-1: unlimited) */
	bool init;               /* --init: hull's own minimal init as pid 1 (runtime annotation, see runspec_apply) */
	struct hull_idmap *uidmap, *gidmap; /* --uidmap/--gidmap CONTAINER:HOST:SIZE */
	size_t n_uidmap, n_gidmap;
	bool tty, interactive;   /* -t, -i */
	char *stop_signal;       /* --stop-signal (NULL: the image's StopSignal, else SIGTERM) */
	char **labels;           /* --label K=V */
};

/* Parse one flag's value into spec (the CLI calls this for each flag it sees): flag is the long name without "--"
 * ("env", "env-file", "workdir", "user", "entrypoint", "hostname", "volume", "mount", "tmpfs", "read-only",
 * "cap-add", "cap-drop", "security-opt", "privileged", "device", "memory", "cpus", "pids-limit", "init", "uidmap",
 * "gidmap", "tty", "interactive", "stop-signal", "label"); arg NULL for a boolean flag. Errors name the flag and value,
 * worded as Docker words them where it has the flag. */
int runspec_flag(struct run_spec *spec, const char *flag, const char *arg, hull_err *err);
void runspec_clear(struct run_spec *spec);

/* What the engine has made for the container, which the config refers to. */
struct runspec_env {
	const char *hosts, *resolv_conf, *hostname_file;  /* files to bind into /etc (NULL: none) */
	const char *volumes_dir;  /* named volumes live in volumes_dir/NAME/_data (made here if missing) */
	const char *netns;        /* path of the network namespace to join; NULL with host_network false: a new one */
	bool host_network;        /* --network host: no network namespace, and /etc/hosts etc. of the host */
	bool rootless;
	const char *short_id;     /* the default hostname */
	char **image_entrypoint, **image_cmd; /* the image's Entrypoint and Cmd, to rebuild process.args when --entrypoint
					       * or a command is given (both NULL: process.args is kept unless replaced) */
	char **image_volumes;     /* the image's Volumes: each gets an anonymous volume unless a mount covers it */
};

/* Apply spec to config (the image's runtime config from image_runtime_config, over hull's defaults): Docker's and
 * podman's engine defaults (capabilities, masked and read-only paths, /dev/shm, hull's default seccomp profile,
 * the /etc files), then every flag. rootfd: the container's root (the mounted overlay), O_PATH, to resolve -u names
 * in /etc/passwd and /etc/group and to make -w's directory as Docker does. Errors name the flag. */
int runspec_apply(const struct run_spec *spec, const struct runspec_env *env, int rootfd, json_object *config,
		  hull_err *err);

/* Helpers shared by the parser and runspec_apply: Docker's sizes ("64m", "1.5g", "512k", bytes; binary units) -> bytes,
 * and --device HOST[:CONTAINER[:PERMS]] -> its parts (allocated). Both return -1 on a malformed value. */
int runspec_parse_bytes(const char *s, int64_t *out);
int runspec_split_device(const char *arg, char **host, char **container, char **perms);

#endif
