/* ref.h - image references as users type them ("busybox", "localhost:5000/a/b:tag@sha256:...", "oci:DIR:tag"),
 * normalised as Docker does (docker.io/library/busybox:latest). Must never accept a name a registry would refuse. */
#ifndef HULL_IMAGE_REF_H
#define HULL_IMAGE_REF_H

#include <stdbool.h>

#include "image/digest.h"
#include "util/error.h"

enum transport {
	TRANSPORT_DOCKER,	  /* docker://NAME (the default): a registry */
	TRANSPORT_OCI,		  /* oci:DIR[:TAG] */
	TRANSPORT_OCI_ARCHIVE,	  /* oci-archive:FILE[:TAG] */
	TRANSPORT_DOCKER_ARCHIVE, /* docker-archive:FILE[:NAME:TAG] */
};

struct image_ref {
	enum transport transport;
	char *domain; /* registry host[:port], "docker.io" for Docker Hub */
	char *path;   /* repository below the domain: "library/busybox" */
	char *tag;    /* NULL when only a digest was given */
	bool has_digest;
	struct digest digest;
	char *file;   /* oci, oci-archive, docker-archive: the directory or file */
};

/* Parse a reference; a docker reference without tag or digest gets "latest". */
int image_ref_parse(const char *s, struct image_ref *out, hull_err *err);
/* A registry reference without transport prefix ("busybox", "docker.io/library/busybox:1.36"), for names and tags
 * (`hull image tag`, archive names): "latest" when it has neither tag nor digest. */
int image_ref_parse_name(const char *s, struct image_ref *out, hull_err *err);
/* "domain/path:tag", "domain/path@digest" or "domain/path:tag@digest" (allocated) */
char *image_ref_name(const struct image_ref *r);
/* "domain/path" (allocated) */
char *image_ref_repo(const struct image_ref *r);
void image_ref_clear(struct image_ref *r);
#define _cleanup_image_ref_ __attribute__((cleanup(image_ref_clear)))

#endif
