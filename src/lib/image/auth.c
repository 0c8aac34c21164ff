/* auth.c - registry credentials in auth.json (Docker's and podman's format): looked up, stored, removed, with the
 * base64 codec the format needs. Must never write a credentials file other than atomically with mode 0600, nor put
 * a password in an error message. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/auth.h"
#include "image/registry_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* An auth.json holds a few hosts; anything this large is not one */
#define AUTH_FILE_MAX ((size_t)1 << 20)

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t len)
{
	const unsigned char *in = data;
	char *out = xmalloc((len + 2) / 3 * 4 + 1), *o = out;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*o++ = b64_chars[v >> 18 & 63];
		*o++ = b64_chars[v >> 12 & 63];
		*o++ = i + 1 < len ? b64_chars[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? b64_chars[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_chars, c) : NULL;
	return p ? (int)(p - b64_chars) : -1;
}

int base64_decode(const char *text, char **out, size_t *len)
{
	size_t n = strlen(text);
	if (n % 4 != 0)
		return -1;
	_cleanup_free_ char *buf = xmalloc(n / 4 * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			if (text[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad) /* "=" followed by a digit */
				return -1;
			v[k] = b64_value(text[i + k]);
			if (v[k] < 0)
				return -1;
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		buf[o++] = (char)(w >> 16);
		if (pad < 2)
			buf[o++] = (char)(w >> 8 & 0xff);
		if (pad < 1)
			buf[o++] = (char)(w & 0xff);
	}
	if (memchr(buf, '\0', o))
		return -1;
	buf[o] = '\0';
	*len = o;
	*out = take_ptr(buf);
	return 0;
}

char *auth_key_host(const char *key)
{
	const char *k = key;
	if (strncmp(k, "https://", 8) == 0)
		k += 8;
	else if (strncmp(k, "http://", 7) == 0)
		k += 7;
	char *host = xstrndup(k, strcspn(k, "/"));
	if (strcmp(host, "index.docker.io") == 0 || strcmp(host, "registry-1.docker.io") == 0) {
		free(host);
		host = xstrdup("docker.io");
	}
	return host;
}

static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	if (home && *home)
		return home;
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_dir : "/";
}

char *auth_default_file(void)
{
	const char *env = getenv("REGISTRY_AUTH_FILE");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg && *xdg)
		return xasprintf("%s/containers/auth.json", xdg);
	return xasprintf("%s/.config/containers/auth.json", home_dir());
}

/* The file's JSON: *out NULL (and 0) when it does not exist and may_be_missing */
static int read_auth_file(const char *file, bool may_be_missing, json_object **out, hull_err *err)
{
	*out = NULL;
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (fs_read_file_max(AT_FDCWD, file, AUTH_FILE_MAX, &text, &len, err) < 0) {
		if (may_be_missing && (*err)->errnum == ENOENT) {
			hull_err_free(err);
			return 0;
		}
		return hull_err_prefix(err, "auth file");
	}
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (o == NULL || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return hull_fail_code(err, EINVAL, "auth file %s: not a JSON object", file);
	}
	json_object *auths = NULL;
	if (json_object_object_get_ex(o, "auths", &auths) && !json_object_is_type(auths, json_type_object)) {
		json_object_put(o);
		return hull_fail_code(err, EINVAL, "auth file %s: \"auths\" is not an object", file);
	}
	*out = o;
	return 0;
}

/* The entry of `auths` whose key names host, or NULL */
static json_object *find_entry(json_object *auths, const char *host, const char **key)
{
	_cleanup_free_ char *want = auth_key_host(host);
	json_object_object_foreach(auths, k, v)
	{
		_cleanup_free_ char *h = auth_key_host(k);
		if (strcmp(h, want) == 0) {
			if (key)
				*key = k;
			return v;
		}
	}
	return NULL;
}

/* 0 found, 1 not in this file, -1 malformed */
static int lookup_in(const char *file, bool may_be_missing, const char *host, char **user, char **pass, hull_err *err)
{
	json_object *root = NULL;
	if (read_auth_file(file, may_be_missing, &root, err) < 0)
		return -1;
	if (root == NULL)
		return 1;
	json_object *auths = NULL, *entry = NULL, *auth = NULL;
	const char *key = NULL;
	int ret = 1;
	if (json_object_object_get_ex(root, "auths", &auths))
		entry = find_entry(auths, host, &key);
	if (entry && json_object_object_get_ex(entry, "auth", &auth)) {
		_cleanup_free_ char *plain = NULL;
		size_t len = 0;
		char *colon = NULL;
		if (json_object_is_type(auth, json_type_string) &&
		    base64_decode(json_object_get_string(auth), &plain, &len) == 0)
			colon = strchr(plain, ':');
		if (colon == NULL || colon == plain) {
			ret = hull_fail_code(err, EINVAL, "auth file %s: auths.\"%.200s\".auth is not base64 of user:password",
					     file, key);
		} else {
			*user = xstrndup(plain, (size_t)(colon - plain));
			*pass = xstrdup(colon + 1);
			explicit_bzero(plain, len);
			ret = 0;
		}
	}
	json_object_put(root);
	return ret;
}

int auth_lookup(const char *host, const char *file, char **user, char **pass, hull_err *err)
{
	*user = *pass = NULL;
	if (file)
		return lookup_in(file, true, host, user, pass, err);
	const char *env = getenv("REGISTRY_AUTH_FILE"), *xdg = getenv("XDG_RUNTIME_DIR");
	const char *home = home_dir();
	_cleanup_free_ char *podman = xdg && *xdg ? xasprintf("%s/containers/auth.json", xdg) : NULL;
	_cleanup_free_ char *config = xasprintf("%s/.config/containers/auth.json", home);
	_cleanup_free_ char *docker = xasprintf("%s/.docker/config.json", home);
	const char *files[] = { env && *env ? env : NULL, podman, config, docker };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (files[i] == NULL)
			continue;
		int r = lookup_in(files[i], true, host, user, pass, err);
		if (r <= 0)
			return r;
	}
	return 1;
}

static int write_auth_file(const char *file, json_object *root, hull_err *err)
{
	_cleanup_free_ char *dir = xstrdup(file);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		struct stat st;
		if (stat(dir, &st) < 0 && fs_mkdir_p(dir, 0700, err) < 0)
			return hull_err_prefix(err, "auth file %s", file);
	}
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_SPACED |
								JSON_C_TO_STRING_NOSLASHESCAPE);
	_cleanup_free_ char *body = xasprintf("%s\n", text);
	int r = fs_write_file_atomic(AT_FDCWD, file, body, strlen(body), 0600, err);
	explicit_bzero(body, strlen(body));
	return r < 0 ? hull_err_prefix(err, "auth file") : 0;
}

int auth_store(const char *host, const char *file, const char *user, const char *pass, hull_err *err)
{
	if (strchr(user, ':') || *user == '\0')
		return hull_fail_code(err, EINVAL, "%s: a user name must be non-empty and without ':'", host);
	_cleanup_free_ char *path = file ? xstrdup(file) : auth_default_file();
	json_object *root = NULL;
	if (read_auth_file(path, true, &root, err) < 0)
		return -1;
	if (root == NULL)
		root = json_object_new_object();
	json_object *auths = NULL;
	if (!json_object_object_get_ex(root, "auths", &auths)) {
		auths = json_object_new_object();
		json_object_object_add(root, "auths", auths);
	}
	const char *key = NULL;
	json_object *entry = find_entry(auths, host, &key);
	if (entry == NULL || !json_object_is_type(entry, json_type_object)) {
		entry = json_object_new_object();
		_cleanup_free_ char *k = key ? xstrdup(key) : auth_key_host(host);
		json_object_object_add(auths, k, entry);
	}
	_cleanup_free_ char *plain = xasprintf("%s:%s", user, pass);
	_cleanup_free_ char *b64 = base64_encode(plain, strlen(plain));
	explicit_bzero(plain, strlen(plain));
	json_object_object_add(entry, "auth", json_object_new_string(b64));
	explicit_bzero(b64, strlen(b64));
	int r = write_auth_file(path, root, err);
	json_object_put(root);
	return r;
}

int auth_remove(const char *host, const char *file, bool all, hull_err *err)
{
	_cleanup_free_ char *path = file ? xstrdup(file) : auth_default_file();
	json_object *root = NULL, *auths = NULL;
	if (read_auth_file(path, true, &root, err) < 0)
		return -1;
	if (root == NULL)
		return 1;
	int removed = 0;
	if (json_object_object_get_ex(root, "auths", &auths)) {
		const char *key = NULL;
		if (all) {
			removed = json_object_object_length(auths) > 0;
			json_object_object_add(root, "auths", json_object_new_object());
		} else {
			while (find_entry(auths, host, &key)) {
				_cleanup_free_ char *k = xstrdup(key);
				json_object_object_del(auths, k);
				removed = 1;
			}
		}
	}
	int r = removed ? write_auth_file(path, root, err) : 1;
	json_object_put(root);
	return r;
}
