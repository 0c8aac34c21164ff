/* registry_wire.c - what a registry sends and where credentials may go, as pure functions (registry_internal.h):
 * WWW-Authenticate challenges, error bodies, Docker Hub's API host, loopback hosts and the http/https policy.
 * Must never trust a header or body beyond its bounds, nor allow credentials over plain http to a remote host. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/registry_internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

char *registry_api_host(const char *host)
{
	if (strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0)
		return xstrdup("registry-1.docker.io");
	return xstrdup(host);
}

/* host[:port] or [v6]:port -> the bare host in buf */
static void host_part(const char *host, char *buf, size_t size)
{
	const char *start = host, *end;
	if (*host == '[') {
		start = host + 1;
		end = strchrnul(start, ']');
	} else {
		const char *colon = strchr(host, ':');
		end = colon && strchr(colon + 1, ':') == NULL ? colon : host + strlen(host);
	}
	snprintf(buf, size, "%.*s", (int)(end - start), start);
}

bool registry_host_is_loopback(const char *host)
{
	char h[256];
	host_part(host, h, sizeof(h));
	if (strcasecmp(h, "localhost") == 0)
		return true;
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, h, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

enum registry_schemes registry_schemes_for(const char *host, bool tls_verify)
{
	return !tls_verify || registry_host_is_loopback(host) ? SCHEMES_HTTPS_THEN_HTTP : SCHEMES_HTTPS_ONLY;
}

bool registry_may_send_creds(const char *url, bool tls_verify)
{
	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	if (!tls_verify)
		return true;
	const char *auth = url + 7;
	size_t n = strcspn(auth, "/?#");
	if (memchr(auth, '@', n)) /* user info in the authority: not a plain host */
		return false;
	char host[256];
	if (n >= sizeof(host))
		return false;
	snprintf(host, sizeof(host), "%.*s", (int)n, auth);
	return registry_host_is_loopback(host);
}

static bool is_tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t token_len(const char *p)
{
	size_t n = 0;
	while (is_tchar(p[n]))
		n++;
	return n;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

void auth_challenge_clear(struct auth_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	*c = (struct auth_challenge){ 0 };
}

/* A parameter's value at p (a token or a quoted string with backslash escapes): allocated into *out, *end after it */
static int param_value(const char *p, char **out, const char **end)
{
	size_t cap = strlen(p) + 1, n = 0;
	_cleanup_free_ char *v = xmalloc(cap);
	if (*p == '"') {
		for (p++;; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				break;
			if (*p == '\0' || ((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
				return -1;
			v[n++] = *p;
		}
		p++;
	} else {
		/* not RFC 7235's token only: registries write realm=https://... unquoted */
		while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '"' && (unsigned char)*p > 0x20 && *p != 0x7f)
			v[n++] = *p++;
		if (n == 0)
			return -1;
	}
	v[n] = '\0';
	*out = take_ptr(v);
	*end = p;
	return 0;
}

/* The parameters of one challenge from p: *end at the next challenge's scheme or the end */
static int challenge_params(const char *p, struct auth_challenge *c, const char **end)
{
	for (;;) {
		p = skip_ows(p);
		while (*p == ',')
			p = skip_ows(p + 1);
		size_t n = token_len(p);
		if (n == 0)
			break;
		const char *eq = skip_ows(p + n);
		if (*eq != '=') /* a token alone: the next challenge's scheme */
			break;
		char **field = NULL;
		if (n == 5 && strncasecmp(p, "realm", 5) == 0)
			field = &c->realm;
		else if (n == 7 && strncasecmp(p, "service", 7) == 0)
			field = &c->service;
		else if (n == 5 && strncasecmp(p, "scope", 5) == 0)
			field = &c->scope;
		_cleanup_free_ char *v = NULL;
		if (param_value(skip_ows(eq + 1), &v, &p) < 0)
			return -1;
		if (field && *field) /* a repeated parameter: which one would the registry mean? */
			return -1;
		if (field)
			*field = take_ptr(v);
		p = skip_ows(p);
		if (*p != ',' && *p != '\0')
			return -1;
	}
	*end = p;
	return 0;
}

int www_authenticate_parse(const char *value, struct auth_challenge *out, hull_err *err)
{
	*out = (struct auth_challenge){ 0 };
	if (strlen(value) > 2 * AUTH_HEADER_MAX)
		return hull_fail_code(err, EPROTO, "WWW-Authenticate: longer than %d bytes", 2 * AUTH_HEADER_MAX);
	const char *p = value;
	for (;;) {
		p = skip_ows(p);
		while (*p == ',')
			p = skip_ows(p + 1);
		if (*p == '\0')
			break;
		size_t n = token_len(p);
		if (n == 0) {
			auth_challenge_clear(out);
			return hull_fail_code(err, EPROTO, "WWW-Authenticate: malformed at byte %zu", (size_t)(p - value));
		}
		struct auth_challenge c = { .scheme = AUTH_NONE };
		if (n == 5 && strncasecmp(p, "basic", 5) == 0)
			c.scheme = AUTH_BASIC;
		else if (n == 6 && strncasecmp(p, "bearer", 6) == 0)
			c.scheme = AUTH_BEARER;
		const char *start = p;
		if (challenge_params(p + n, &c, &p) < 0) {
			auth_challenge_clear(&c);
			auth_challenge_clear(out);
			return hull_fail_code(err, EPROTO, "WWW-Authenticate: malformed parameters after byte %zu",
					      (size_t)(start - value));
		}
		bool usable = c.scheme == AUTH_BASIC ||
			      (c.scheme == AUTH_BEARER && c.realm && (strncasecmp(c.realm, "https://", 8) == 0 ||
								      strncasecmp(c.realm, "http://", 7) == 0));
		bool longer = (c.realm && strlen(c.realm) > AUTH_HEADER_MAX) ||
			      (c.service && strlen(c.service) > AUTH_HEADER_MAX) ||
			      (c.scope && strlen(c.scope) > AUTH_HEADER_MAX);
		if (usable && !longer && (out->scheme == AUTH_NONE || (out->scheme == AUTH_BASIC && c.scheme == AUTH_BEARER))) {
			auth_challenge_clear(out);
			*out = c;
		} else {
			auth_challenge_clear(&c);
		}
	}
	if (out->scheme == AUTH_NONE)
		return hull_fail_code(err, EPROTO, "WWW-Authenticate: no Basic or Bearer challenge with an http(s) realm");
	return 0;
}

/* Printable ASCII only, at most max bytes, appended */
static void append_clean(char *dst, size_t size, const char *src)
{
	size_t n = strlen(dst);
	for (; *src && n + 1 < size; src++)
		dst[n++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
	dst[n] = '\0';
}

#define ERROR_LINE_MAX 400
#define ERROR_ENTRIES_MAX 3

char *registry_error_line(const char *body, size_t len)
{
	if (body == NULL || len == 0)
		return NULL;
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	json_object *errors = NULL;
	char line[ERROR_LINE_MAX] = "";
	if (o && json_object_object_get_ex(o, "errors", &errors) && json_object_is_type(errors, json_type_array)) {
		size_t n = json_object_array_length(errors);
		for (size_t i = 0; i < n && i < ERROR_ENTRIES_MAX; i++) {
			json_object *e = json_object_array_get_idx(errors, i), *code = NULL, *msg = NULL;
			if (!json_object_is_type(e, json_type_object))
				continue;
			json_object_object_get_ex(e, "code", &code);
			json_object_object_get_ex(e, "message", &msg);
			if (*line)
				append_clean(line, sizeof(line), "; ");
			if (code && json_object_is_type(code, json_type_string))
				append_clean(line, sizeof(line), json_object_get_string(code));
			if (code && msg)
				append_clean(line, sizeof(line), ": ");
			if (msg && json_object_is_type(msg, json_type_string))
				append_clean(line, sizeof(line), json_object_get_string(msg));
		}
	}
	json_object_put(o);
	return *line ? xstrdup(line) : NULL;
}

