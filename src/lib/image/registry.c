/* registry.c - a client of one OCI distribution-spec v2 registry over libcurl (dlopen'ed on first use): the session
 * (TLS with certs.d, anonymous/basic/bearer auth, single requests with retries) and manifests; blobs are
 * registry_blobs.c's.
 * Must never hand out bytes whose digest it has not checked, nor send credentials over plain http to a host that is
 * not loopback unless tls_verify is false.
 *
 * Schemes: https first, always. Loopback hosts and tls_verify=false fall back to plain http when the TLS handshake
 * itself fails (the server speaks http: CURLE_SSL_CONNECT_ERROR), as podman does for insecure registries; a failed
 * certificate check is reported, never answered with http.
 * TLS: with CA files in certs.d (or opts->certs_dir), the host's bundle (libcurl's default CAINFO) and those files
 * are concatenated in memory and handed over with CURLOPT_CAINFO_BLOB (no temporary file); NAME.cert + NAME.key
 * there is the client certificate. Redirects: curl (>= 7.58) does not carry a custom Authorization header, nor
 * CURLOPT_USERNAME/PASSWORD, to another host; CURLOPT_UNRESTRICTED_AUTH stays 0. */
#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "image/auth.h"
#include "image/registry.h"
#include "image/registry_client.h"
#include "image/registry_internal.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* The bodies hull reads besides manifests and error documents: tokens */
#define TOKEN_BODY_MAX ((size_t)64 << 10)
/* A CA file or the host's bundle */
#define CA_FILE_MAX ((size_t)16 << 20)
#define CONNECT_TIMEOUT_S 30L
/* a transfer slower than 1 byte/s for this long is dead */
#define STALL_TIME_S 60L
#define MAX_REDIRS 10L
/* the backoff between tries */
#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 4000
#define PARALLEL_DEFAULT 3
#define PARALLEL_MAX 16

struct curl_api curl_api;

#define SYM(field, name) { name, offsetof(struct curl_api, field) }
static const struct dl_symbol cl_symbols[] = {
	SYM(global_init, "curl_global_init"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_reset, "curl_easy_reset"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_perform, "curl_easy_perform"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(easy_escape, "curl_easy_escape"),
	SYM(free, "curl_free"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
	SYM(multi_init, "curl_multi_init"),
	SYM(multi_cleanup, "curl_multi_cleanup"),
	SYM(multi_add_handle, "curl_multi_add_handle"),
	SYM(multi_remove_handle, "curl_multi_remove_handle"),
	SYM(multi_perform, "curl_multi_perform"),
	SYM(multi_poll, "curl_multi_poll"),
	SYM(multi_info_read, "curl_multi_info_read"),
};
#undef SYM

static int load_libcurl(hull_err *err)
{
	if (curl_api.handle)
		return 0;
	if (dl_load("libcurl.so.4", cl_symbols, ARRAY_SIZE(cl_symbols), &curl_api, &curl_api.handle, "registry",
		    " (install libcurl4)", err) < 0)
		return -1;
	if (curl_api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return hull_fail(err, "registry: libcurl cannot initialise");
	return 0;
}

static void curl_slist_freep(struct curl_slist **l)
{
	if (*l)
		curl_api.slist_free_all(*l);
}
static void curl_easy_freep(CURL **h)
{
	if (*h)
		curl_api.easy_cleanup(*h);
}
#define _cleanup_slist_ __attribute__((cleanup(curl_slist_freep)))
#define _cleanup_easy_ __attribute__((cleanup(curl_easy_freep)))


/* ---- the client ---- */


void reg_wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void registry_close(struct registry **rp)
{
	struct registry *r = *rp;
	if (r == NULL)
		return;
	for (struct token *t = r->tokens, *next; t; t = next) {
		next = t->next;
		free(t->key);
		reg_wipe_free(t->header);
		free(t);
	}
	auth_challenge_clear(&r->challenge);
	if (r->easy)
		curl_api.easy_cleanup(r->easy);
	free(r->name);
	free(r->host);
	free(r->base);
	free(r->auth_file);
	reg_wipe_free(r->creds);
	free(r->user);
	reg_wipe_free(r->pass);
	free(r->ca_blob);
	free(r->client_cert);
	free(r->client_key);
	free(r);
	*rp = NULL;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

static void append_bytes(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = xrealloc(*buf, *len + n + 2);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[(*len)++] = '\n'; /* a file without a final newline must not glue two PEM blocks */
	(*buf)[*len] = '\0';
}

/* One certs.d directory: its *.crt appended to r->ca_blob, its first NAME.cert with NAME.key the client's */
static int read_certs_dir(struct registry *r, const char *dir, bool must_exist, hull_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (d == NULL) {
		if (!must_exist && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		return hull_fail_sys(err, "registry %s: certs directory %s", r->name, dir);
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (has_suffix(e->d_name, ".crt") || has_suffix(e->d_name, ".cert")) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	}
	if (n) /* qsort with NULL is undefined, even for none */
		qsort(names, n, sizeof(*names), name_cmp);
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, names[i]);
		if (has_suffix(names[i], ".cert")) {
			_cleanup_free_ char *key = xasprintf("%s/%.*s.key", dir, (int)(strlen(names[i]) - 5), names[i]);
			if (access(key, R_OK) < 0)
				ret = hull_fail_sys(err, "registry %s: client certificate %s without its key %s", r->name,
						    path, key);
			else if (r->client_cert == NULL) {
				r->client_cert = take_ptr(path);
				r->client_key = take_ptr(key);
			}
			continue;
		}
		_cleanup_free_ char *pem = NULL;
		size_t len = 0;
		if (fs_read_file_max(AT_FDCWD, path, CA_FILE_MAX, &pem, &len, err) < 0)
			ret = hull_err_prefix(err, "registry %s: CA file", r->name);
		else
			append_bytes(&r->ca_blob, &r->ca_len, pem, len);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* The host's CA bundle first (CURLOPT_CAINFO_BLOB replaces libcurl's default CAINFO, it does not add to it) */
static int prepend_host_bundle(struct registry *r, hull_err *err)
{
	_cleanup_easy_ CURL *h = curl_api.easy_init();
	char *path = NULL;
	if (h == NULL)
		xalloc_die();
	if (curl_api.easy_getinfo(h, CURLINFO_CAINFO, &path) != CURLE_OK || path == NULL)
		return 0;
	_cleanup_free_ char *pem = NULL;
	size_t len = 0;
	if (fs_read_file_max(AT_FDCWD, path, CA_FILE_MAX, &pem, &len, err) < 0)
		return hull_err_prefix(err, "registry %s: the host's CA bundle", r->name);
	char *blob = NULL;
	size_t blen = 0;
	append_bytes(&blob, &blen, pem, len);
	blob = xrealloc(blob, blen + r->ca_len + 1);
	memcpy(blob + blen, r->ca_blob, r->ca_len + 1);
	free(r->ca_blob);
	r->ca_blob = blob;
	r->ca_len = blen + r->ca_len;
	return 0;
}

static int load_tls_files(struct registry *r, const char *certs_dir, hull_err *err)
{
	if (certs_dir) {
		if (read_certs_dir(r, certs_dir, true, err) < 0)
			return -1;
	} else {
		static const char *const roots[] = { "/etc/containers/certs.d", "/etc/docker/certs.d" };
		for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
			_cleanup_free_ char *dir = xasprintf("%s/%s", roots[i], r->name);
			if (read_certs_dir(r, dir, false, err) < 0)
				return -1;
		}
	}
	if (r->ca_blob && r->tls_verify)
		return prepend_host_bundle(r, err);
	free(r->ca_blob);
	r->ca_blob = NULL;
	r->ca_len = 0;
	return 0;
}

static bool valid_host(const char *host)
{
	size_t n = strlen(host);
	return n > 0 && n < 256 && strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]_") == n;
}

int registry_open(struct registry **out, const char *host, const struct registry_opts *o, hull_err *err)
{
	*out = NULL;
	if (!valid_host(host))
		return hull_fail_code(err, EINVAL, "registry \"%.100s\": not a host[:port]", host);
	if (load_libcurl(err) < 0)
		return -1;
	struct registry_opts defaults = { .tls_verify = true };
	if (o == NULL)
		o = &defaults;
	_cleanup_registry_ struct registry *r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(host);
	r->host = registry_api_host(host);
	r->tls_verify = o->tls_verify;
	r->progress = o->progress;
	r->parallel = o->parallel > 0 ? (o->parallel < PARALLEL_MAX ? o->parallel : PARALLEL_MAX) : PARALLEL_DEFAULT;
	r->auth_file = o->auth_file ? xstrdup(o->auth_file) : NULL;
	r->creds = o->creds ? xstrdup(o->creds) : NULL;
	if (r->creds && (strchr(r->creds, ':') == NULL || r->creds[0] == ':'))
		return hull_fail_code(err, EINVAL, "registry %s: credentials must be user:password", host);
	if (load_tls_files(r, o->certs_dir, err) < 0)
		return -1;
	*out = take_ptr(r);
	return 0;
}

static int load_creds(struct registry *r, hull_err *err)
{
	if (r->creds_loaded)
		return 0;
	if (r->creds) {
		const char *colon = strchr(r->creds, ':');
		r->user = xstrndup(r->creds, (size_t)(colon - r->creds));
		r->pass = xstrdup(colon + 1);
	} else if (auth_lookup(r->name, r->auth_file, &r->user, &r->pass, err) < 0) {
		return -1;
	}
	r->creds_loaded = true;
	return 0;
}

/* ---- one HTTP exchange ---- */


void reg_response_reset(struct response *resp)
{
	resp->status = 0;
	free(resp->content_type);
	free(resp->www_auth);
	free(resp->content_range);
	free(resp->body);
	resp->content_type = resp->www_auth = resp->content_range = resp->body = NULL;
	resp->len = 0;
	resp->too_big = false;
	resp->errbuf[0] = '\0';
}

bool reg_status_ok(long s)
{
	return s >= 200 && s < 300;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *data)
{
	struct response *resp = data;
	size_t len = size * nitems, n = len;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n == 0) {
		if (resp->headers_done && resp->status >= 200 && !(resp->status >= 300 && resp->status < 400))
			resp->headers_done(resp);
		return len;
	}
	if (n > 5 && strncmp(buf, "HTTP/", 5) == 0) { /* a new response (a redirect's, 100 Continue's) */
		const char *sp = memchr(buf, ' ', n);
		resp->status = sp && sp + 4 <= buf + n ? strtol(sp + 1, NULL, 10) : 0;
		free(resp->content_type);
		free(resp->www_auth);
		free(resp->content_range);
		resp->content_type = resp->www_auth = resp->content_range = NULL;
		return len;
	}
	static const struct {
		const char *name;
		size_t field;
	} wanted[] = {
		{ "content-type", offsetof(struct response, content_type) },
		{ "www-authenticate", offsetof(struct response, www_auth) },
		{ "content-range", offsetof(struct response, content_range) },
	};
	for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
		size_t k = strlen(wanted[i].name);
		if (n <= k || strncasecmp(buf, wanted[i].name, k) != 0 || buf[k] != ':')
			continue;
		const char *v = buf + k + 1;
		v += strspn(v, " \t"); /* optional white space */
		size_t vn = n - (size_t)(v - buf);
		char **field = (char **)((char *)resp + wanted[i].field);
		if (vn > AUTH_HEADER_MAX)
			return len; /* ignored: nothing hull reads is that long */
		if (*field && i == 1) { /* WWW-Authenticate repeated: the parser takes a list */
			char *both = xasprintf("%s, %.*s", *field, (int)vn, v);
			free(*field);
			*field = both;
		} else if (*field == NULL) {
			*field = xstrndup(v, vn);
		}
	}
	return len;
}

size_t reg_on_body(char *buf, size_t size, size_t nitems, void *data)
{
	struct response *resp = data;
	size_t len = size * nitems;
	size_t max = reg_status_ok(resp->status) ? resp->max : ERROR_BODY_MAX;
	if (resp->len + len > max) {
		if (!reg_status_ok(resp->status))
			return len; /* an error document's tail: dropped */
		resp->too_big = true;
		return 0;
	}
	resp->body = xrealloc(resp->body, resp->len + len + 1);
	memcpy(resp->body + resp->len, buf, len);
	resp->len += len;
	resp->body[resp->len] = '\0';
	return len;
}

/* h's options for one request; h is new or reset */
static CURL *easy_setup(CURL *h, struct registry *r, const char *url, struct curl_slist *headers, struct response *resp)
{
	set_ptr(h, CURLOPT_URL, url);
	set_ptr(h, CURLOPT_PROTOCOLS_STR, "http,https");
	set_ptr(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	set_long(h, CURLOPT_FOLLOWLOCATION, 1);
	set_long(h, CURLOPT_MAXREDIRS, MAX_REDIRS);
	set_long(h, CURLOPT_UNRESTRICTED_AUTH, 0);
	set_long(h, CURLOPT_NOSIGNAL, 1);
	set_long(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	set_long(h, CURLOPT_LOW_SPEED_LIMIT, 1);
	set_long(h, CURLOPT_LOW_SPEED_TIME, STALL_TIME_S);
	set_ptr(h, CURLOPT_USERAGENT, "hull/" HULL_VERSION);
	set_ptr(h, CURLOPT_HTTPHEADER, headers);
	set_ptr(h, CURLOPT_HEADERFUNCTION, on_header);
	set_ptr(h, CURLOPT_HEADERDATA, resp);
	set_ptr(h, CURLOPT_WRITEFUNCTION, reg_on_body);
	set_ptr(h, CURLOPT_WRITEDATA, resp);
	set_ptr(h, CURLOPT_ERRORBUFFER, resp->errbuf);
	if (!r->tls_verify) {
		set_long(h, CURLOPT_SSL_VERIFYPEER, 0);
		set_long(h, CURLOPT_SSL_VERIFYHOST, 0);
	} else if (r->ca_blob) {
		struct curl_blob blob = { .data = r->ca_blob, .len = r->ca_len, .flags = CURL_BLOB_NOCOPY };
		set_ptr(h, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (r->client_cert) {
		set_ptr(h, CURLOPT_SSLCERT, r->client_cert);
		set_ptr(h, CURLOPT_SSLKEY, r->client_key);
	}
	return h;
}

static bool is_tls_error(CURLcode rc)
{
	return rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CERTPROBLEM ||
	       rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_ISSUER_ERROR || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

static bool is_transient(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
	       rc == CURLE_PARTIAL_FILE || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

/* A connection that failed on the way, not one that TLS refused (a TLS alert read after the handshake is a
 * CURLE_RECV_ERROR too: "sslv3 alert bad certificate") */
bool reg_is_transient_in(CURLcode rc, const char *errbuf)
{
	if (rc == CURLE_RECV_ERROR && errbuf && strstr(errbuf, "SSL routines"))
		return false;
	return is_transient(rc);
}

bool reg_status_transient(long s)
{
	return s == 429 || (s >= 500 && s < 600);
}

int reg_curl_fail(struct registry *r, const char *what, CURLcode rc, const char *errbuf, hull_err *err)
{
	const char *detail = errbuf && *errbuf ? errbuf : curl_api.easy_strerror(rc);
	if (rc == CURLE_PEER_FAILED_VERIFICATION)
		return hull_fail_code(err, EPROTO,
				      "registry %s: %s: TLS certificate not trusted (%s); give its CA with certs.d or "
				      "--cert-dir, or use --tls-verify=false",
				      r->name, what, detail);
	if (is_tls_error(rc))
		return hull_fail_code(err, EPROTO, "registry %s: %s: TLS: %s", r->name, what, detail);
	return hull_fail_code(err, rc == CURLE_COULDNT_CONNECT ? ECONNREFUSED : EIO, "registry %s: %s: %s", r->name,
			      what, detail);
}

CURL *reg_easy_new(struct registry *r, const char *url, struct curl_slist *headers, struct response *resp)
{
	CURL *h = curl_api.easy_init();
	if (h == NULL)
		xalloc_die();
	return easy_setup(h, r, url, headers, resp);
}

/* One request at a time on the registry's own handle: its connections (and TLS sessions) serve the next one */
static CURLcode perform(struct registry *r, const char *url, struct curl_slist *headers, struct response *resp,
			const char *user, const char *pass)
{
	reg_response_reset(resp);
	if (r->easy == NULL && (r->easy = curl_api.easy_init()) == NULL)
		xalloc_die();
	curl_api.easy_reset(r->easy);
	CURL *h = easy_setup(r->easy, r, url, headers, resp);
	if (user) {
		set_long(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		set_ptr(h, CURLOPT_USERNAME, user);
		set_ptr(h, CURLOPT_PASSWORD, pass);
	}
	return curl_api.easy_perform(h);
}

void reg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long reg_backoff_ms(int tries)
{
	long ms = BACKOFF_FIRST_MS;
	for (int i = 1; i < tries && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

/* worth another try: the connection failed on the way, or the registry answered 429 or 5xx */
static bool transient_answer(CURLcode rc, const struct response *resp)
{
	return reg_is_transient_in(rc, resp->errbuf) || (rc == CURLE_OK && reg_status_transient(resp->status));
}

/* GET url (a /v2/), transient failures retried */
static CURLcode ping(struct registry *r, const char *url, struct response *resp)
{
	CURLcode rc;
	for (int tries = 1;; tries++) {
		rc = perform(r, url, NULL, resp, NULL, NULL);
		if (!transient_answer(rc, resp) || tries >= TRIES_MAX)
			return rc;
		reg_sleep_ms(reg_backoff_ms(tries));
	}
}

/* What GET /v2/ says of the registry: 401 tells how to authenticate */
static int adopt_base(struct registry *r, const char *scheme, const char *url, const struct response *resp,
		      hull_err *err)
{
	if (resp->status == 404)
		return hull_fail_code(err, ENOENT, "registry %s: %s answers 404: not a registry (distribution-spec v2)",
				      r->name, url);
	if (resp->status == 401) {
		auth_challenge_clear(&r->challenge);
		if (resp->www_auth == NULL)
			return hull_fail_code(err, EPROTO, "registry %s: 401 without WWW-Authenticate", r->name);
		if (www_authenticate_parse(resp->www_auth, &r->challenge, err) < 0)
			return hull_err_prefix(err, "registry %s", r->name);
	}
	r->base = xasprintf("%s://%s", scheme, r->host);
	return 0;
}

/* The scheme, learnt from GET /v2/: https; plain http (when allowed) only after a TLS handshake that failed, and
 * only when http answers as a registry does (else the TLS error is the one to report) */
int reg_ensure_base(struct registry *r, hull_err *err)
{
	if (r->base)
		return 0;
	struct response resp = { .max = ERROR_BODY_MAX };
	_cleanup_free_ char *https = xasprintf("https://%s/v2/", r->host);
	_cleanup_free_ char *http = xasprintf("http://%s/v2/", r->host);
	int ret;
	CURLcode rc = ping(r, https, &resp);
	if (rc == CURLE_SSL_CONNECT_ERROR && registry_schemes_for(r->host, r->tls_verify) == SCHEMES_HTTPS_THEN_HTTP) {
		char tls_error[CURL_ERROR_SIZE];
		snprintf(tls_error, sizeof(tls_error), "%s", resp.errbuf);
		CURLcode plain = ping(r, http, &resp);
		long s = resp.status;
		if (plain == CURLE_OK && (reg_status_ok(s) || s == 401 || s == 403 || s == 404))
			ret = adopt_base(r, "http", http, &resp, err);
		else
			ret = reg_curl_fail(r, https, rc, tls_error, err);
	} else if (rc != CURLE_OK) {
		ret = reg_curl_fail(r, https, rc, resp.errbuf, err);
	} else {
		ret = adopt_base(r, "https", https, &resp, err);
	}
	reg_response_reset(&resp);
	return ret;
}

static struct token **token_slot(struct registry *r, const char *key)
{
	struct token **t = &r->tokens;
	while (*t && strcmp((*t)->key, key) != 0)
		t = &(*t)->next;
	return t;
}

static void token_drop(struct registry *r, const char *key)
{
	struct token **slot = token_slot(r, key), *t = *slot;
	if (t) {
		*slot = t->next;
		free(t->key);
		reg_wipe_free(t->header);
		free(t);
	}
}

/* realm?service=S&scope=A&scope=B */
static char *token_url(struct registry *r, const char *scope)
{
	_cleanup_easy_ CURL *h = curl_api.easy_init();
	if (h == NULL)
		xalloc_die();
	const struct auth_challenge *c = &r->challenge;
	char *url = xstrdup(c->realm);
	char sep = strchr(url, '?') ? '&' : '?';
	if (c->service) {
		char *esc = curl_api.easy_escape(h, c->service, 0);
		char *u = xasprintf("%s%cservice=%s", url, sep, esc ? esc : "");
		curl_api.free(esc);
		free(url);
		url = u;
		sep = '&';
	}
	_cleanup_free_ char *scopes = xstrdup(scope ? scope : "");
	char *save = NULL;
	for (char *s = strtok_r(scopes, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
		char *esc = curl_api.easy_escape(h, s, 0);
		char *u = xasprintf("%s%cscope=%s", url, sep, esc ? esc : "");
		curl_api.free(esc);
		free(url);
		url = u;
		sep = '&';
	}
	return url;
}

static int fetch_token(struct registry *r, const char *key, const char *scope, hull_err *err)
{
	if (load_creds(r, err) < 0)
		return -1;
	_cleanup_free_ char *url = token_url(r, scope);
	if (r->user && !registry_may_send_creds(url, r->tls_verify))
		return hull_fail_code(err, EPERM,
				      "registry %s: refusing to send credentials over plain http to the token realm %s "
				      "(use --tls-verify=false to allow it)",
				      r->name, r->challenge.realm);
	struct response resp = { .max = TOKEN_BODY_MAX };
	CURLcode rc = CURLE_OK;
	for (int tries = 1;; tries++) {
		rc = perform(r, url, NULL, &resp, r->user, r->pass);
		if (!transient_answer(rc, &resp) || tries >= TRIES_MAX)
			break;
		reg_sleep_ms(reg_backoff_ms(tries));
	}
	int ret = 0;
	_cleanup_free_ char *line = NULL;
	if (rc != CURLE_OK) {
		_cleanup_free_ char *what = xasprintf("token from %s", r->challenge.realm);
		ret = reg_curl_fail(r, what, rc, resp.errbuf, err);
	} else if (resp.status == 401 || resp.status == 403) {
		ret = hull_fail_code(err, EACCES, "registry %s: token from %s: %s", r->name, r->challenge.realm,
				     r->user ? "invalid username/password" : "authentication required");
	} else if (!reg_status_ok(resp.status)) {
		line = registry_error_line(resp.body, resp.len);
		ret = hull_fail_code(err, EPROTO, "registry %s: token from %s: HTTP %ld%s%s", r->name, r->challenge.realm,
				     resp.status, line ? ": " : "", line ? line : "");
	} else {
		json_tokener *tok = json_tokener_new();
		json_object *o = json_tokener_parse_ex(tok, resp.body ? resp.body : "", (int)resp.len);
		json_tokener_free(tok);
		json_object *t = NULL;
		if (!(o && (json_object_object_get_ex(o, "token", &t) || json_object_object_get_ex(o, "access_token", &t)) &&
		      json_object_is_type(t, json_type_string))) {
			ret = hull_fail_code(err, EPROTO, "registry %s: token from %s: no token in the answer", r->name,
					     r->challenge.realm);
		} else {
			const char *s = json_object_get_string(t);
			size_t n = strlen(s);
			if (n == 0 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=") != n) {
				ret = hull_fail_code(err, EPROTO, "registry %s: token from %s: not a bearer token", r->name,
						     r->challenge.realm);
			} else {
				struct token *tk = xcalloc(1, sizeof(*tk));
				tk->key = xstrdup(key);
				tk->header = xasprintf("Authorization: Bearer %s", s);
				tk->next = r->tokens;
				r->tokens = tk;
			}
		}
		json_object_put(o);
	}
	if (resp.body)
		explicit_bzero(resp.body, resp.len);
	reg_response_reset(&resp);
	return ret;
}

/* The Authorization header a request for scope carries (allocated, or NULL when none) */
int reg_auth_header(struct registry *r, const char *scope, char **out, hull_err *err)
{
	*out = NULL;
	const char *key = scope ? scope : "";
	switch (r->challenge.scheme) {
	case AUTH_NONE:
		return 0;
	case AUTH_BASIC: {
		if (load_creds(r, err) < 0)
			return -1;
		if (r->user == NULL)
			return 0;
		if (!registry_may_send_creds(r->base, r->tls_verify))
			return hull_fail_code(err, EPERM, "registry %s: refusing to send credentials over plain http", r->name);
		_cleanup_free_ char *plain = xasprintf("%s:%s", r->user, r->pass);
		_cleanup_free_ char *b64 = base64_encode(plain, strlen(plain));
		explicit_bzero(plain, strlen(plain));
		*out = xasprintf("Authorization: Basic %s", b64);
		explicit_bzero(b64, strlen(b64));
		return 0;
	}
	case AUTH_BEARER: {
		struct token *t = *token_slot(r, key);
		if (t == NULL) {
			if (fetch_token(r, key, scope, err) < 0)
				return -1;
			t = *token_slot(r, key);
		}
		*out = xstrdup(t->header);
		return 0;
	}
	}
	return 0;
}

/* A 401: forget the token that failed and learn the registry's challenge anew; a Bearer challenge naming a scope
 * gets its token for that scope now (the registry knows best what this request needs) */
int reg_learn_challenge(struct registry *r, const struct response *resp, const char *scope, hull_err *err)
{
	const char *key = scope ? scope : "";
	token_drop(r, key);
	if (resp->www_auth == NULL)
		return 0;
	struct auth_challenge c;
	if (www_authenticate_parse(resp->www_auth, &c, err) < 0)
		return hull_err_prefix(err, "registry %s", r->name);
	auth_challenge_clear(&r->challenge);
	r->challenge = c;
	if (c.scheme != AUTH_BEARER || c.scope == NULL)
		return 0;
	_cleanup_free_ char *asked = take_ptr(r->challenge.scope);
	return fetch_token(r, key, asked, err);
}

struct curl_slist *reg_header_list(const char *accept, const char *authz)
{
	struct curl_slist *l = NULL;
	_cleanup_free_ char *a = accept ? xasprintf("Accept: %s", accept) : NULL;
	if (a)
		l = curl_api.slist_append(l, a);
	if (authz)
		l = curl_api.slist_append(l, authz);
	return l;
}

/* GET base+path with auth: a 401 is answered once (new challenge, new token); transient failures retried. The
 * caller reads resp->status. */
static int request(struct registry *r, const char *path, const char *accept, const char *scope, struct response *resp,
		   hull_err *err)
{
	if (reg_ensure_base(r, err) < 0)
		return -1;
	_cleanup_free_ char *url = xasprintf("%s%s", r->base, path);
	bool reauth = false;
	for (int tries = 1;;) {
		_cleanup_free_ char *authz = NULL;
		if (reg_auth_header(r, scope, &authz, err) < 0)
			return -1;
		_cleanup_slist_ struct curl_slist *hdrs = reg_header_list(accept, authz);
		if (authz)
			explicit_bzero(authz, strlen(authz));
		CURLcode rc = perform(r, url, hdrs, resp, NULL, NULL);
		if (rc == CURLE_WRITE_ERROR && resp->too_big)
			return hull_fail_code(err, EFBIG, "registry %s: %s: larger than %zu bytes", r->name, path, resp->max);
		bool transient = transient_answer(rc, resp);
		if (transient && tries < TRIES_MAX) {
			reg_sleep_ms(reg_backoff_ms(tries++));
			continue;
		}
		if (rc != CURLE_OK)
			return reg_curl_fail(r, path, rc, resp->errbuf, err);
		if (resp->status != 401 || reauth)
			return 0;
		reauth = true;
		enum auth_scheme before = r->challenge.scheme;
		if (reg_learn_challenge(r, resp, scope, err) < 0)
			return -1;
		if (load_creds(r, err) < 0)
			return -1;
		/* Basic without credentials, or the same Basic credentials refused again: no point asking twice */
		if (r->challenge.scheme == AUTH_BASIC && (r->user == NULL || before == AUTH_BASIC))
			return 0;
	}
}

/* "registry HOST: rest" -> "registry HOST: what: rest": errors of a request name the object asked for */
int reg_name_object(struct registry *r, const char *what, hull_err *err)
{
	if (err == NULL || *err == NULL)
		return -1;
	_cleanup_free_ char *head = xasprintf("registry %s: ", r->name);
	size_t n = strlen(head);
	if (strncmp((*err)->msg, head, n) != 0)
		return hull_err_prefix(err, "registry %s: %s", r->name, what);
	char *msg = xasprintf("%s%s: %s", head, what, (*err)->msg + n);
	free((*err)->msg);
	(*err)->msg = msg;
	return -1;
}

int reg_http_fail(struct registry *r, const char *what, const struct response *resp, hull_err *err)
{
	_cleanup_free_ char *line = registry_error_line(resp->body, resp->len);
	if (resp->status == 401 || resp->status == 403)
		return hull_fail_code(err, EACCES, "registry %s: %s: %s%s%s%s", r->name, what,
				      r->user ? "unauthorized: invalid username/password or no access"
					      : "unauthorized: authentication required",
				      line ? " (" : "", line ? line : "", line ? ")" : "");
	if (line)
		return hull_fail_code(err, EPROTO, "registry %s: %s: HTTP %ld: %s", r->name, what, resp->status, line);
	return hull_fail_code(err, EPROTO, "registry %s: %s: HTTP %ld", r->name, what, resp->status);
}

int registry_check_auth(struct registry *r, hull_err *err)
{
	if (load_creds(r, err) < 0)
		return -1;
	struct response resp = { .max = ERROR_BODY_MAX };
	int ret = request(r, "/v2/", NULL, NULL, &resp, err);
	if (ret == 0 && !reg_status_ok(resp.status)) {
		if (resp.status == 401)
			ret = hull_fail_code(err, EACCES, "registry %s: %s", r->name,
					     r->user ? "invalid username/password" : "authentication required");
		else
			ret = reg_http_fail(r, "/v2/", &resp, err);
	}
	reg_response_reset(&resp);
	return ret;
}

/* distribution-spec's repository names: lowercase alnum components joined by separators, '/' between */
bool reg_valid_repo(const char *repo)
{
	size_t n = strlen(repo);
	if (n == 0 || n > 255 || strspn(repo, "abcdefghijklmnopqrstuvwxyz0123456789._-/") != n)
		return false;
	return isalnum((unsigned char)repo[0]) && isalnum((unsigned char)repo[n - 1]) && strstr(repo, "//") == NULL &&
	       strstr(repo, "..") == NULL;
}

static bool valid_tag(const char *tag)
{
	size_t n = strlen(tag);
	return n > 0 && n <= 128 && tag[0] != '.' && tag[0] != '-' &&
	       strspn(tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

int registry_get_manifest(struct registry *r, const char *repo, const char *reference, char **body, size_t *len,
			  char **content_type, hull_err *err)
{
	*body = NULL;
	*len = 0;
	*content_type = NULL;
	bool by_digest = strchr(reference, ':') != NULL;
	struct digest want;
	char sep = by_digest ? '@' : ':';
	if (!reg_valid_repo(repo))
		return hull_fail_code(err, EINVAL, "registry %s: \"%.100s\" is not a repository name", r->name, repo);
	if (by_digest ? digest_parse(reference, &want, "manifest reference", err) < 0 : !valid_tag(reference))
		return hull_fail_code(err, EINVAL, "registry %s: %s%c%.140s: not a tag or digest", r->name, repo, sep,
				      reference);
	_cleanup_free_ char *path = xasprintf("/v2/%s/manifests/%s", repo, reference);
	_cleanup_free_ char *scope = xasprintf("repository:%s:pull", repo);
	_cleanup_free_ char *what = xasprintf("%s%c%s", repo, sep, reference);
	struct response resp = { .max = MANIFEST_MAX };
	int ret = request(r, path, MT_ACCEPT_ALL, scope, &resp, err);
	if (ret < 0) {
		reg_response_reset(&resp);
		return reg_name_object(r, what, err);
	}
	if (resp.status == 404) {
		ret = hull_fail_code(err, ENOENT, "%s: manifest unknown", what);
	} else if (!reg_status_ok(resp.status)) {
		ret = reg_http_fail(r, what, &resp, err);
	} else if (by_digest) {
		struct digest got;
		if (digest_buffer(resp.body ? resp.body : "", resp.len, want.algo, &got, err) < 0)
			ret = -1;
		else if (!digest_equal(&got, &want))
			ret = hull_fail_code(err, EBADMSG, "%s: manifest digest mismatch (got %s)", what, digest_text(&got));
	}
	if (ret == 0) {
		*body = resp.body ? take_ptr(resp.body) : xstrdup("");
		*len = resp.len;
		if (resp.content_type) {
			size_t n = strcspn(resp.content_type, ";");
			while (n > 0 && (resp.content_type[n - 1] == ' ' || resp.content_type[n - 1] == '\t'))
				n--;
			*content_type = xstrndup(resp.content_type, n);
		}
	}
	reg_response_reset(&resp);
	return ret;
}
