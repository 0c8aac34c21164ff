/* store.h - hull's image store: verified blobs by digest, each layer unpacked once (by its diffID) and shared by
 * every image that has it, image records by id with their names. Safe against concurrent pulls and against a kill
 * at any point: everything appears by rename(2), and what a dead writer left in tmp/ is resumed or removed.
 * Must never make visible a blob or layer it has not verified, nor remove one an image still uses. */
#ifndef HULL_IMAGE_STORE_H
#define HULL_IMAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/digest.h"
#include "util/error.h"

/* On disk, below the root:
 *   lock                 flock(2): shared by every user of the store, exclusive for garbage collection
 *   records.lock         flock(2): exclusive around every change of images/
 *   blobs/sha256/HEX     verified blobs: manifests, indexes, configs, compressed layers
 *   layers/HEX/          one layer unpacked for overlayfs (HEX of its diffID); layers/HEX.json its size
 *   images/HEX.json      an image record (HEX of its config digest: the image id)
 *   tmp/                 partial downloads (tmp/blob-HEX, resumed by the next pull), unpack dirs (tmp/layer-*) */
struct store {
	char *root;   /* for messages */
	int dirfd;    /* the root, O_PATH */
	int lockfd;   /* ROOT/lock, held shared from store_open on */
	bool exclusive;
};

/* /var/lib/hull for root; $XDG_DATA_HOME/hull (~/.local/share/hull) for others. Allocated. */
char *store_default_root(void);
/* Open (and make, mode 0700) the store and take its shared lock. */
int store_open(struct store **out, const char *root, hull_err *err);
void store_close(struct store **s);
#define _cleanup_store_ __attribute__((cleanup(store_close)))
/* Wait for every other user to finish and hold the store alone (rm, prune). */
int store_lock_exclusive(struct store *s, hull_err *err);

/* --- blobs --- */
bool store_has_blob(struct store *s, const struct digest *d);
/* O_RDONLY fd of a blob, ENOENT when absent */
int store_open_blob(struct store *s, const struct digest *d, hull_err *err);
/* A small blob (manifest, config) from memory: verified, written, renamed into place. */
int store_put_blob(struct store *s, const struct digest *d, const char *data, size_t len, hull_err *err);
int store_read_blob(struct store *s, const struct digest *d, size_t max, char **data, size_t *len, hull_err *err);

/* A download in progress: tmp/blob-HEX, O_RDWR, holding what an earlier attempt fetched, locked against other
 * pulls while the fd is open. Returns the fd, or -EWOULDBLOCK (no error built) when another pull holds it and
 * wait is false. */
int store_blob_partial(struct store *s, const struct digest *d, bool wait, hull_err *err);
/* Remove an (empty) partial blob, while its fd is still open and locked. */
void store_blob_discard(struct store *s, const struct digest *d);
/* The partial blob is complete and verified (by the caller): it becomes blobs/sha256/HEX. */
int store_blob_commit(struct store *s, const struct digest *d, hull_err *err);

/* --- layers --- */
bool store_has_layer(struct store *s, const struct digest *diff_id);
/* The uncompressed size of a layer's tar as its marker records it; -1 when unknown. */
int64_t store_layer_size(struct store *s, const struct digest *diff_id);
/* A new empty directory tmp/layer-XXXXXX to unpack into: its name (allocated) and an O_DIRECTORY fd. */
int store_layer_tmpdir(struct store *s, char **name, int *dirfd, hull_err *err);
/* The unpacked (and verified) layer becomes layers/HEX; when another pull made it first, ours is removed. */
int store_layer_commit(struct store *s, const char *tmpname, const struct digest *diff_id, uint64_t size, hull_err *err);
/* "ROOT/layers/HEX" (allocated) */
char *store_layer_path(struct store *s, const struct digest *diff_id);
/* Remove a tmp/ entry (a failed unpack). */
void store_tmp_remove(struct store *s, const char *name);

/* --- image records --- */
struct image_record {
	struct digest id;	/* the config's digest */
	struct digest manifest; /* the image manifest's digest */
	bool has_index;
	struct digest index;	/* the index it was picked from, when pulled through one */
	char **names;		/* NULL-terminated, normalised ("docker.io/library/busybox:latest") */
	char *pulled;		/* RFC 3339, when it entered the store */
};
void image_record_free(struct image_record **r);
void image_records_free(struct image_record ***v, size_t n);
#define _cleanup_image_record_ __attribute__((cleanup(image_record_free)))

/* Add or update a record; its names are taken away from every other image (which keeps its id). */
int store_image_put(struct store *s, const struct image_record *r, hull_err *err);
/* Every record, oldest first. */
int store_image_list(struct store *s, struct image_record ***out, size_t *n, hull_err *err);
/* An image by name ("busybox", normalised as Docker does), full or short id (at least 3 hex digits, unique), or
 * "sha256:..." id. ENOENT: "image not known". */
int store_image_find(struct store *s, const char *what, struct image_record **out, hull_err *err);
/* Add a name to an image (taking it from any other image). */
int store_image_tag(struct store *s, const struct digest *id, const char *name, hull_err *err);
/* Remove one name from an image (0), or the whole record when it has no other names or `all` (1). */
int store_image_untag(struct store *s, const struct digest *id, const char *name, bool all, hull_err *err);

/* Remove every blob and layer no record uses and whatever tmp/ holds; needs the exclusive lock. Counts what went. */
struct gc_result {
	size_t blobs, layers;
	uint64_t bytes;
};
int store_gc(struct store *s, struct gc_result *res, hull_err *err);

#endif
