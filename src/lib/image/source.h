/* source.h - where an image comes from (a registry, an OCI layout, an archive), behind one interface: a manifest for
 * a reference, and blobs into fds. Must never hand a blob to the store that the caller cannot verify by digest. */
#ifndef HULL_IMAGE_SOURCE_H
#define HULL_IMAGE_SOURCE_H

#include <stddef.h>

#include "image/digest.h"
#include "image/ref.h"
#include "image/registry.h"
#include "util/error.h"

struct image_source;

struct source_ops {
	/* The manifest or index that `reference` names (a tag, or "sha256:..."); NULL: the source's only image (an
	 * archive or layout holding one). */
	int (*get_manifest)(struct image_source *src, const char *reference, char **body, size_t *len, char **content_type,
			    hull_err *err);
	/* Each blob into its fd (registry.h's contract: verified, resumed where an fd already holds a prefix). */
	int (*get_blobs)(struct image_source *src, struct blob_fetch *fetches, size_t n, hull_err *err);
	void (*close)(struct image_source *src);
};

struct image_source {
	const struct source_ops *ops;
	char *name; /* for messages: "docker.io/library/busybox", "oci:/path" */
};

int source_open(struct image_source **out, const struct image_ref *ref, const struct registry_opts *o, hull_err *err);
void source_close(struct image_source **src);
#define _cleanup_source_ __attribute__((cleanup(source_close)))

/* The per-transport openers (source_*.c) */
int source_registry_open(struct image_source **out, const struct image_ref *ref, const struct registry_opts *o, hull_err *err);
int source_oci_open(struct image_source **out, const struct image_ref *ref, hull_err *err);
/* Entry `entry` of an unpacked docker-archive below dirfd (which must outlive the source); its RepoTags
 * (allocated, NULL-terminated or NULL). */
int source_docker_archive_open(struct image_source **out, int dirfd, const char *name, size_t entry, char ***repo_tags,
			       hull_err *err);
/* The entries of an OCI layout's index.json below dirfd: digest, media type, org.opencontainers.image.ref.name. */
struct oci_entry {
	struct digest digest;
	char *media_type;
	char *ref_name; /* NULL when absent */
};
int oci_layout_entries(int dirfd, const char *name, struct oci_entry **out, size_t *n, hull_err *err);
void oci_entries_free(struct oci_entry **v, size_t n);
/* How many images its manifest.json lists; -1 when it has none. */
int docker_archive_count(int dirfd, size_t *n);

/* Copy a blob of `size` bytes from srcfd (from its start) into fd after what fd holds, verifying its digest: the
 * get_blobs of local sources. */
int source_copy_blob(int srcfd, const struct descriptor *d, int fd, hull_err *err);

#endif
