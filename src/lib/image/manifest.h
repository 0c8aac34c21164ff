/* manifest.h - OCI image manifests and indexes, Docker schema 2 manifests and manifest lists, and image
 * configs: parsed from registry or archive bytes into typed values, validated once.
 * Must never hand out a descriptor whose digest, size or media type it has not checked. */
#ifndef HULL_IMAGE_MANIFEST_H
#define HULL_IMAGE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/digest.h"
#include "util/error.h"

#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define MT_OCI_LAYER_ND_GZIP "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MT_DOCKER_LAYER_FOREIGN "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
/* What a registry is asked for (the Accept header of a manifest GET) */
#define MT_ACCEPT_ALL MT_OCI_INDEX ", " MT_OCI_MANIFEST ", " MT_DOCKER_LIST ", " MT_DOCKER_MANIFEST

/* The most a manifest, index or image config may weigh: the distribution-spec's registries refuse manifests over
 * 4 MiB; a config is small too. Anything larger is hostile. */
#define MANIFEST_MAX ((size_t)4 << 20)
#define IMAGE_CONFIG_MAX ((size_t)8 << 20)
/* The most layers an image may have (overlayfs stacks at most 500 lower dirs), manifests an index may list */
#define IMAGE_LAYERS_MAX 500
#define INDEX_MANIFESTS_MAX 1024

enum layer_compression { LAYER_PLAIN, LAYER_GZIP, LAYER_ZSTD };

struct platform {
	char *os;	/* "linux" */
	char *arch;	/* GOARCH: "amd64", "arm64" */
	char *variant;	/* "v8", or NULL */
};

struct descriptor {
	char *media_type;
	struct digest digest;
	int64_t size; /* >= 0 */
	struct platform platform; /* an index's entries only; fields NULL when absent */
	enum layer_compression compression; /* layers only, from the media type */
};

enum manifest_kind { MANIFEST_IMAGE, MANIFEST_INDEX };

struct manifest {
	enum manifest_kind kind;
	char *media_type;          /* the document's own (OCI or Docker) */
	struct digest digest;      /* of the bytes it was parsed from */
	struct descriptor config;  /* MANIFEST_IMAGE */
	struct descriptor *layers; /* MANIFEST_IMAGE, n_layers of them, base first */
	size_t n_layers;
	struct descriptor *manifests; /* MANIFEST_INDEX */
	size_t n_manifests;
};

/* Parse a manifest or an index. `content_type` is what the registry or archive said (NULL: take the document's
 * mediaType, or infer from its fields as the image-spec allows). The digest of the bytes is computed here. */
int manifest_parse(const char *body, size_t len, const char *content_type, struct manifest **out, hull_err *err);
/* The same for a manifest read from the store by its digest (verified when it was stored): not hashed again. */
int manifest_parse_stored(const char *body, size_t len, const char *content_type, const struct digest *stored,
			  struct manifest **out, hull_err *err);
void manifest_free(struct manifest **m);
#define _cleanup_manifest_ __attribute__((cleanup(manifest_free)))

/* The entry of an index for a platform (want->variant NULL: any, preferring the host's); NULL and *err naming the
 * platforms it has when none matches. */
const struct descriptor *manifest_pick(const struct manifest *index, const struct platform *want, hull_err *err);
/* This host's platform as the image-spec names it (GOOS/GOARCH/variant); static strings. */
void platform_host(struct platform *out);
/* "os/arch[/variant]" -> platform (allocated fields) */
int platform_parse(const char *s, struct platform *out, hull_err *err);
void platform_clear(struct platform *p);

/* An image config (application/vnd.oci.image.config.v1+json, Docker's is the same shape). */
struct image_config {
	struct digest digest; /* of the bytes: the image's id */
	struct platform platform;
	char *created;
	struct digest *diff_ids; /* rootfs.diff_ids: one per layer, the digest of its uncompressed tar */
	size_t n_diff_ids;
	/* config.* (conversion.md), each NULL/empty when absent */
	char *user, *working_dir, *stop_signal;
	char **env, **entrypoint, **cmd, **volumes, **exposed_ports; /* NULL-terminated */
	char **label_keys, **label_values;                          /* NULL-terminated, same length */
	char *raw;  /* the bytes as fetched (what `image inspect` prints) */
	size_t raw_len;
};
int image_config_parse(const char *body, size_t len, struct image_config **out, hull_err *err);
/* The same for a config read from the store by its digest (verified when it was stored): not hashed again, which
 * spares `hull container run` loading libcrypto. */
int image_config_parse_stored(const char *body, size_t len, const struct digest *stored, struct image_config **out,
			      hull_err *err);
void image_config_free(struct image_config **c);
#define _cleanup_image_config_ __attribute__((cleanup(image_config_free)))

#endif
