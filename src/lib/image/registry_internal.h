/* registry_internal.h - the pure pieces of the registry client and of auth.c, exposed for the unit tests:
 * WWW-Authenticate parsing, base64, host names and the http/https policy. Must never be used outside src/lib/image
 * and tests/unit: the contracts are registry.h and auth.h. */
#ifndef HULL_IMAGE_REGISTRY_INTERNAL_H
#define HULL_IMAGE_REGISTRY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* The most of a WWW-Authenticate value, a realm, service or scope hull takes from a registry */
#define AUTH_HEADER_MAX 4096

enum auth_scheme { AUTH_NONE, AUTH_BASIC, AUTH_BEARER };

struct auth_challenge {
	enum auth_scheme scheme;
	char *realm;   /* Bearer: an http(s) URL; Basic: free text */
	char *service; /* or NULL */
	char *scope;   /* or NULL; several scopes are separated by spaces */
};

/* One WWW-Authenticate value (RFC 7235: scheme, then name=token|"quoted\"string" pairs; several challenges may
 * share a value, separated by commas). The first Bearer challenge wins over a Basic one; other schemes are skipped.
 * 0 and *out filled (fields allocated) or -1 on a malformed value or one without a usable challenge. */
int www_authenticate_parse(const char *value, struct auth_challenge *out, hull_err *err);
void auth_challenge_clear(struct auth_challenge *c);

/* Standard base64 with padding. Encode returns an allocated string; decode -1 on anything not base64 (or a NUL in
 * the decoded bytes), else the allocated, NUL-terminated bytes and their length. */
char *base64_encode(const void *data, size_t len);
int base64_decode(const char *text, char **out, size_t *len);

/* "docker.io", "index.docker.io" -> "registry-1.docker.io" (where Docker Hub's API is); others unchanged. Allocated. */
char *registry_api_host(const char *host);
/* The key a host has in auth.json: "https://index.docker.io/v1/", "registry-1.docker.io" -> "docker.io";
 * "https://host/path" -> "host". Allocated. */
char *auth_key_host(const char *key);
/* localhost, 127.0.0.0/8, ::1, with or without ":port" ("[::1]:5000") */
bool registry_host_is_loopback(const char *host);

/* What registry_open tries: https only (verified), or https then plain http (loopback hosts, tls_verify false) */
enum registry_schemes { SCHEMES_HTTPS_ONLY, SCHEMES_HTTPS_THEN_HTTP };
enum registry_schemes registry_schemes_for(const char *host, bool tls_verify);
/* May credentials travel to this URL? https always; http only to a loopback host or with tls_verify false */
bool registry_may_send_creds(const char *url, bool tls_verify);

/* The registry's error body ({"errors":[{"code","message","detail"}]}) as one printable line (allocated), or NULL */
char *registry_error_line(const char *body, size_t len);

#endif
