/* image.h - what the `hull image` commands do with the store: pull (from any source), inspect, bundle.
 * Must never leave a half-made image, layer or bundle visible after an error. */
#ifndef HULL_IMAGE_IMAGE_H
#define HULL_IMAGE_IMAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "image/manifest.h"
#include "image/registry.h"
#include "image/store.h"
#include "util/error.h"

struct pull_opts {
	struct registry_opts registry;
	struct platform platform; /* fields NULL: the host's */
	FILE *log;                /* progress lines ("Copying blob ..."), NULL: quiet */
	/* the name to record (a reference, normalised); NULL: the reference pulled, when it has a name */
	const char *name;
};

/* Pull `ref` (any transport but the archives) into the store: every blob verified, each missing layer unpacked and
 * checked against its diffID, then the record written with the reference's name. *id: the image id. */
int image_pull(struct store *s, const char *ref, const struct pull_opts *o, struct digest *id, hull_err *err);

/* The same from an open source: `reference` as the source takes it (a tag, a digest, NULL for its only image),
 * `name` recorded (NULL: none). */
struct image_source;
int image_pull_source(struct store *s, struct image_source *src, const char *reference, const char *name,
		      const struct pull_opts *o, struct digest *id, hull_err *err);

/* An image in the store, read back: its manifest and config (verified blobs). */
struct image {
	struct image_record *record;
	struct manifest *manifest;
	struct image_config *config;
};
int image_open(struct store *s, const char *what, struct image *out, hull_err *err);
void image_clear(struct image *img);
#define _cleanup_image_ __attribute__((cleanup(image_clear)))

/* A runtime bundle in dir (which must not exist, or be empty): rootfs/ with every layer applied in order and
 * config.json made from the image's config (image-spec conversion.md) over runc's default spec. Nothing stays
 * behind on error. */
int image_bundle(struct store *s, const struct image *img, const char *dir, hull_err *err);

/* A writable overlay's own directories (both on one filesystem). volatile_: the overlay never syncs them (overlayfs'
 * "volatile", Linux 5.10; podman's choice for --rm containers, whose upper is thrown away): no flush of the disk at
 * unmount. A kernel without it mounts without. Such a work directory keeps work/incompat/volatile, which refuses the
 * next mount until it is removed. */
struct image_upper {
	const char *dir, *work;
	bool volatile_;
	/* >= 0: a user namespace whose maps idmap every layer (a container with its own maps sees the image's files
	 * owned by its own root); a kernel or a caller that cannot idmap the layers gets them as they are */
	int idmap_userns;
	/* with idmap_userns: an empty directory of the caller's where the idmapped layers are attached while the
	 * overlay is made (overlayfs takes no detached layer) */
	const char *scratch;
};

/* The image's layers as one overlayfs on target: read-only without upper (NULL), else writable over it.
 * image_unmount takes away only an overlay of this store's layers. */
int image_mount(struct store *s, const struct image *img, const struct image_upper *upper, const char *target,
		hull_err *err);
int image_unmount(struct store *s, const char *target, hull_err *err);

#endif
