/* registry.h - a client of one registry (OCI distribution-spec v2, over libcurl loaded on first use): manifests
 * and blobs, verified against their digests, with anonymous, basic and bearer-token auth and TLS.
 * Must never hand out bytes whose digest it has not checked, nor send credentials over plain HTTP to a host
 * that is not loopback unless told to (--tls-verify=false). */
#ifndef HULL_IMAGE_REGISTRY_H
#define HULL_IMAGE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "image/digest.h"
#include "image/manifest.h"
#include "util/error.h"

struct registry_opts {
	bool tls_verify;       /* default true; false: http:// or unverified https:// (podman's --tls-verify=false) */
	const char *certs_dir; /* NULL: HOST[:PORT]/ under /etc/containers/certs.d and /etc/docker/certs.d (ca.crt,
				* *.crt, client.cert + client.key) */
	const char *auth_file; /* NULL: auth.h's default search */
	const char *creds;     /* "user:password" (--creds), or NULL */
	int parallel;          /* blobs fetched at once; 0: 3 */
	bool progress;         /* a progress display on stderr (only when it is a terminal) */
};

struct registry;

/* A client for `host` as a reference names it ("docker.io" is reached at registry-1.docker.io; "localhost:5000",
 * "127.0.0.1:5000"). https first; plain http only for loopback hosts or with tls_verify false. Nothing is sent
 * until the first request. */
int registry_open(struct registry **out, const char *host, const struct registry_opts *o, hull_err *err);
void registry_close(struct registry **r);
#define _cleanup_registry_ __attribute__((cleanup(registry_close)))

/* GET /v2/REPO/manifests/REFERENCE (a tag or "sha256:..."), Accept: MT_ACCEPT_ALL. The body (at most
 * MANIFEST_MAX bytes) and its Content-Type (allocated); when REFERENCE is a digest the body's digest must equal it.
 * 404 gives "REPO:REF: manifest unknown" with errno ENOENT. */
int registry_get_manifest(struct registry *r, const char *repo, const char *reference, char **body, size_t *len,
			  char **content_type, hull_err *err);

/* A blob to fetch into fd (O_RDWR, a file of the caller's): what it already holds is kept and the rest fetched
 * with a Range request (resume), falling back to a whole GET when the registry ignores Range. */
struct blob_fetch {
	const struct descriptor *desc;
	int fd;
};
/* Fetch all, up to opts.parallel at once, each retried on transient failures (connection reset, 5xx, 429). On
 * success every fd holds exactly desc->size bytes whose digest is desc->digest. On failure the error names the
 * first failed blob; each fd holds a prefix of its blob or is truncated to 0 when what it held was wrong. */
int registry_get_blobs(struct registry *r, const char *repo, struct blob_fetch *fetches, size_t n, hull_err *err);

/* GET /v2/ with the credentials the client would use (hull login): 0 when the registry accepts them. */
int registry_check_auth(struct registry *r, hull_err *err);

#endif
