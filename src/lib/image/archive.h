/* archive.h - images in and out of archive files: docker-archive (`docker save`) and oci-archive (a tarred OCI layout).
 * Must never write an archive that holds a blob it has not read back from the store. */
#ifndef HULL_IMAGE_ARCHIVE_H
#define HULL_IMAGE_ARCHIVE_H

#include <stdio.h>

#include "image/image.h"
#include "image/store.h"
#include "util/error.h"

enum archive_format { ARCHIVE_DOCKER, ARCHIVE_OCI };

/* Every image of the archive file (either format, told apart by what it holds; plain, gzip or zstd) into the store,
 * with the names it records; "Loaded image: NAME" (or "Loaded image: sha256:ID") lines on out. */
int image_load(struct store *s, const char *file, const struct pull_opts *o, FILE *out, hull_err *err);
/* The one image of an archive that ref (oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]]) names, or its only
 * one, as `hull image pull` takes it. */
struct image_ref;
int image_pull_archive(struct store *s, const struct image_ref *ref, const struct pull_opts *o, struct digest *id, hull_err *err);
/* The images (as image_open finds them: names, ids) into an archive file, written under a temporary name and
 * renamed; file "-" is stdout. names[i] is the name recorded for images[i] (NULL: its first own name). */
int image_save(struct store *s, char *const *images, size_t n, enum archive_format fmt, const char *file, hull_err *err);

#endif
