/* state.h - the per-container state directory under --root: its lock, state.json, exec.fifo.
 * Must never trust a pid without its start time: pids are reused. */
#ifndef HULL_STATE_H
#define HULL_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "cgroup/cgroup.h"
#include "linux/intelrdt.h"
#include "util/error.h"

enum hull_status { STATUS_CREATING, STATUS_CREATED, STATUS_RUNNING, STATUS_STOPPED, STATUS_PAUSED };
extern const char *const hull_status_names[];

#define STATE_FILE "state.json"
#define STATE_CONFIG "config.json"
#define STATE_FIFO "exec.fifo"

struct hull_state {
	char *id;
	pid_t pid;
	uint64_t start_time;  /* /proc/PID/stat field 22, guards against pid reuse */
	char *bundle;
	char *rootfs;
	char *created;        /* RFC 3339 with nanoseconds, UTC */
	uid_t owner;
	bool own_pidns;       /* the container has a pid namespace of its own */
	bool has_poststart, has_poststop;
	bool creating;        /* written by create before the init is ready: "creating" whatever its pid */
	json_object *annotations;  /* owned, may be NULL */
	struct hull_cgroup *cgroup;  /* owned, never NULL after state_read */
	struct hull_rdt_group rdt;   /* linux.intelRdt's group, name NULL when none */
};

/* Container ids: letters, digits and _ + - . (not "." or ".."), as runc accepts. */
int state_check_id(const char *id, hull_err *err);
/* Make root/ID atomically; EEXIST is "container ID already exists". Returns a dir fd. */
int state_dir_create(const char *root, const char *id, hull_err *err);
/* Open root/ID; ENOENT is "container ID does not exist". Returns a dir fd. */
int state_dir_open(const char *root, const char *id, hull_err *err);
/* Exclusive flock on the state dir, held until the fd is closed. A directory removed while we waited
 * (by a delete that held the lock before us) is ENOENT "container does not exist": root/ID may by now
 * be another container's. */
int state_lock(int dirfd, const char *id, hull_err *err);
int state_dir_remove(const char *root, const char *id);
/* Remove root/ID, whose locked fd is dirfd, while still holding the lock: no other create or delete
 * can have put another container there. Needs no fd of its own for a state dir holding only hull's
 * files (as a create out of fds has to). */
int state_dir_remove_locked(int dirfd, const char *root, const char *id);

/* state.json's text (allocated). */
char *state_format(const struct hull_state *st);
int state_write(int dirfd, const struct hull_state *st, hull_err *err);
/* Parse and validate state.json's text (text[len] == '\0'): every field typed, ranged and checked as hull
 * writes it; `name` starts each error ("NAME: FIELD: what"). On failure *st is cleared. */
int state_parse(const char *text, size_t len, const char *name, struct hull_state *st, hull_err *err);
/* A file of the state directory as hull wrote it: a regular file, not a link, not larger than any hull
 * writes (else errnum EBADMSG); text[len] == '\0'. */
int state_read_file(int dirfd, const char *file, char **text, size_t *len, hull_err *err);
/* Read state.json; a missing file yields status "creating" with pid 0. A damaged file (unreadable as
 * state_parse wants it, a link, too large, or naming another container) fails with errnum EBADMSG. */
int state_read(int dirfd, const char *id, struct hull_state *st, hull_err *err);
void state_clear(struct hull_state *st);
enum hull_status state_status(int dirfd, const struct hull_state *st);

/* /proc/PID/stat field 22; 0 when the process is gone. `zombie` set when it has exited. */
uint64_t state_proc_start_time(pid_t pid, bool *zombie);
/* Now, as RFC 3339 with nanoseconds (Go's format, trailing zeros trimmed). */
char *state_now_rfc3339(void);
/* The spec's state object (ociVersion, id, status, pid, bundle, annotations) + runc's extras. */
json_object *state_to_json(const struct hull_state *st, enum hull_status status, bool runc_extras);

#endif
