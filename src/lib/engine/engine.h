/* engine.h - containers made from images (`hull container ...`): their records under the store, names and id
 * prefixes, their storage (an overlay of the image's layers over an upper directory of their own), status and removal.
 * Must never touch a container, mount or file it did not make: everything it removes lives below ROOT/containers. */
#ifndef HULL_ENGINE_ENGINE_H
#define HULL_ENGINE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "engine/network.h"
#include "image/store.h"
#include "util/error.h"

/* Below the store's root:
 *   containers/ID/ctr.json       the record (written once, by create)
 *   containers/ID/status.json    created | running | exited, pids, times, exit code (rewritten by rename)
 *   containers/ID/config.json    the runtime config (the container's dir is its bundle; root "rootfs")
 *   containers/ID/rootfs         the overlay's mount point; overlay/upper, overlay/work its own layer
 *   containers/ID/owner.lock     flock(2): held by the command creating it, then by its monitor while it lives
 *   containers/ID/ctr.log        the log; attach.sock the monitor's socket; hosts, resolv.conf, hostname
 *   names/NAME                   a symlink to ID: a name is taken by symlinkat(2), atomically
 *   runtime/                     libhull's --root for these containers
 *   network/                     networking state (network.h)
 *   volumes/NAME/_data           named volumes */
struct engine {
	struct store *store;
	char *root;          /* the store's root */
	int dirfd;           /* ROOT/containers, O_PATH */
	char *runtime_root;  /* ROOT/runtime */
	char *network_dir;   /* ROOT/network */
	char *volumes_dir;   /* ROOT/volumes */
	bool rootless;
};
int engine_open(struct engine *e, const char *storage, hull_err *err);
void engine_close(struct engine *e);

enum restart_policy { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS, RESTART_UNLESS_STOPPED };

/* ctr.json: what create decided; never changes afterwards. */
struct ctr_record {
	char id[65];
	char *name;
	char *image;          /* as the user named it */
	char image_id[65];
	char **command;       /* the process's args, for `ls` */
	char *created;        /* RFC 3339 with nanoseconds, UTC */
	enum restart_policy restart;
	int restart_max;      /* on-failure:N (0: no limit) */
	bool auto_remove;     /* --rm */
	bool tty, interactive;
	enum net_mode net;
	struct port_map *ports;
	size_t n_ports;
	int stop_signal;
	int stop_timeout;     /* seconds */
	int64_t log_max_size; /* --log-opt max-size (0: no rotation) */
	int log_max_files;
	char *runtime;        /* --runtime PATH, NULL: libhull in-process */
};
void ctr_record_clear(struct ctr_record *r);

enum ctr_state { CTR_CREATED, CTR_RUNNING, CTR_EXITED, CTR_REMOVING };

/* status.json: what happened since. */
struct ctr_status {
	enum ctr_state state;
	pid_t pid;            /* the container's init, while running */
	pid_t monitor;
	int exit_code;        /* when exited: the process's code, 128+N after signal N, -1 when unknown */
	char started[40], finished[40]; /* RFC 3339, "" when not yet */
	int restarts;
	bool oom_killed;
	char ip[64];          /* the address on the bridge, "" without one */
	char netns[4096];     /* the namespace file network_setup made, "" without one */
};
extern const char *const ctr_state_names[];

/* One container, found by name, full id or a unique id prefix. */
struct ctr {
	struct ctr_record rec;
	struct ctr_status status;
	int dirfd;            /* ROOT/containers/ID, O_PATH */
	char *dir;            /* its path */
	int lock;             /* owner.lock while this process holds it, else -1 */
};
int ctr_find(struct engine *e, const char *what, struct ctr *out, hull_err *err);
void ctr_clear(struct ctr *c);
#define _cleanup_ctr_ __attribute__((cleanup(ctr_clear)))
/* Every container (oldest first), each loaded as ctr_find loads it; half-made ones whose maker is gone are removed
 * on the way (a kill -9 during create). */
int ctr_list(struct engine *e, struct ctr **out, size_t *n, hull_err *err);
void ctr_list_free(struct ctr *v, size_t n);

/* Write ctr.json (create, and a rename). */
int ctr_record_write(struct ctr *c, hull_err *err);
/* Read and write status.json (written by rename: readers never see half of it). */
int ctr_status_read(struct ctr *c, hull_err *err);
int ctr_status_write(struct ctr *c, hull_err *err);
/* Is the container's monitor (or its maker) alive? (owner.lock is held) */
bool ctr_owned(struct ctr *c);
/* Is the container's init still there (created, running or paused, as libhull's state says: its start time guards
 * against a reused pid)? */
bool ctr_init_alive(struct engine *e, struct ctr *c);
/* Is the monitor status.json names alive (a process named hull-monitor with that pid)? */
bool ctr_monitor_alive(struct ctr *c);
/* Hold owner.lock: -EWOULDBLOCK (no error) when someone holds it and wait is false. The fd, to keep. */
int ctr_own(struct ctr *c, bool wait, hull_err *err);

/* A new container: id, name (given, else generated) taken; its directory with ctr.json, config.json, the overlay
 * mounted on rootfs; status "created". The caller fills rec (but id, name and created) and config (the runtime
 * config without root.path); *out is the container, owned (owner.lock held until ctr_clear). On error nothing is
 * left. */
struct run_spec;
struct runspec_env;
struct image;
int ctr_create(struct engine *e, const char *name, struct ctr_record *rec, const struct image *img,
	       const struct run_spec *spec, struct ctr *out, hull_err *err);

/* Mount the overlay on rootfs again when it is not (after a reboot), for start. */
int ctr_mount(struct engine *e, struct ctr *c, hull_err *err);
/* Everything of a container that is not running: network, runtime state, mount, directory, name, and with volumes
 * its anonymous volumes (--rm, rm -v). Idempotent. */
int ctr_remove(struct engine *e, struct ctr *c, bool volumes, hull_err *err);
/* ctr_remove in two steps, for a caller that answers in between (the monitor of a --rm container): ctr_unmake does all
 * but delete the directory's files, which it moves out of sight (containers/.removed-ID, still under the owner lock
 * the caller holds); ctr_sweep deletes them. A listing sweeps what a remover killed in between left. */
int ctr_unmake(struct engine *e, struct ctr *c, bool volumes, hull_err *err);
int ctr_sweep(struct engine *e, const struct ctr *c, hull_err *err);
#define CTR_REMOVED_PREFIX ".removed-"

/* The name of a container made from image image_hex (64 hex) in the store at store_dirfd, copied into name; false when
 * none is (image rm and prune keep what a container's overlay stands on). */
bool ctr_image_user(int store_dirfd, const char *image_hex, char *name, size_t size);

/* The short id (12 hex) of an id. */
#define CTR_SHORT 12
/* A name "adjective_noun" not taken yet. */
char *ctr_generate_name(struct engine *e);
/* Names as Docker allows them: [a-zA-Z0-9][a-zA-Z0-9_.-]* */
bool ctr_name_valid(const char *name);

#endif
