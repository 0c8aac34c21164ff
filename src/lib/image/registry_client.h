/* registry_client.h - what registry.c (the session: libcurl, TLS, auth, single requests, manifests) shares with
 * registry_blobs.c (blobs fetched in parallel). Must never be used outside those two files (registry.h is the
 * contract). */
#ifndef HULL_IMAGE_REGISTRY_CLIENT_H
#define HULL_IMAGE_REGISTRY_CLIENT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "image/registry_internal.h"
#include "util/error.h"

/* error documents a registry sends, read up to this much */
#define ERROR_BODY_MAX ((size_t)16 << 10)
/* transient failures (connection, 5xx, 429) per request before giving up */
#define TRIES_MAX 5

/* libcurl, dlopen'ed on first use (registry_open) */
struct curl_api {
	void *handle;
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
};
extern struct curl_api curl_api;

/* Options are variadic: each value must have the type libcurl reads (long, pointer, curl_off_t). */
#define set_long(h, opt, v) curl_api.easy_setopt((h), (opt), (long)(v))
#define set_ptr(h, opt, v) curl_api.easy_setopt((h), (opt), (v))

struct token {
	struct token *next;
	char *key;    /* the scope it was asked for ("" for none) */
	char *header; /* "Authorization: Bearer ..." */
};

struct registry {
	char *name;     /* as the reference names it (auth.json, certs.d, messages) */
	char *host;     /* where the API is */
	char *base;     /* "https://host" or "http://host" once a request has told */
	bool tls_verify, progress;
	int parallel;
	char *auth_file, *creds;
	bool creds_loaded;
	char *user, *pass;
	struct auth_challenge challenge; /* AUTH_NONE until the registry asks */
	struct token *tokens;
	char *ca_blob; /* the host's bundle + certs.d's CAs, or NULL: libcurl's defaults */
	size_t ca_len;
	char *client_cert, *client_key;
	CURL *easy; /* the handle of single requests, kept for its connections */
};

/* one HTTP exchange */
struct response {
	long status;
	char *content_type, *www_auth, *content_range;
	char *body; /* a 2xx's body into a buffer of at most max bytes, or an error's (ERROR_BODY_MAX) */
	size_t len, max;
	bool too_big;
	void (*headers_done)(struct response *); /* the final response's headers are in */
	char errbuf[CURL_ERROR_SIZE];
};

void reg_response_reset(struct response *resp);
bool reg_status_ok(long s);
/* the body callback: into resp->body, at most resp->max bytes of a 2xx (ERROR_BODY_MAX of an error) */
size_t reg_on_body(char *buf, size_t size, size_t nitems, void *data);
/* a new handle with the registry's options (TLS, timeouts, redirects) for one request */
CURL *reg_easy_new(struct registry *r, const char *url, struct curl_slist *headers, struct response *resp);
/* a connection that failed on the way (retried), not one that TLS refused */
bool reg_is_transient_in(CURLcode rc, const char *errbuf);
/* 429 and 5xx (retried) */
bool reg_status_transient(long s);
/* a libcurl failure as one line naming the registry and what was asked */
int reg_curl_fail(struct registry *r, const char *what, CURLcode rc, const char *errbuf, hull_err *err);
void reg_sleep_ms(long ms);
/* the backoff before try number tries + 1 */
long reg_backoff_ms(int tries);
/* r->base from GET /v2/: the scheme, and the registry's auth challenge */
int reg_ensure_base(struct registry *r, hull_err *err);
/* The Authorization header a request for scope carries (allocated, or NULL when none) */
int reg_auth_header(struct registry *r, const char *scope, char **out, hull_err *err);
/* A 401: forget the token that failed and learn the registry's challenge anew */
int reg_learn_challenge(struct registry *r, const struct response *resp, const char *scope, hull_err *err);
struct curl_slist *reg_header_list(const char *accept, const char *authz);
/* "registry HOST: rest" -> "registry HOST: what: rest"; returns -1 */
int reg_name_object(struct registry *r, const char *what, hull_err *err);
/* a non-2xx answer as one line; returns -1 */
int reg_http_fail(struct registry *r, const char *what, const struct response *resp, hull_err *err);
/* distribution-spec's repository names */
bool reg_valid_repo(const char *repo);
/* a secret string zeroed, then freed */
void reg_wipe_free(char *s);

#endif
