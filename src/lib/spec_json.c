/* spec_json.c - typed reads of config.json values, each error naming the document and the JSON path.
 * Must never accept a value of the wrong type or range silently. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_json.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

int sj_bad(struct ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *what = xvasprintf(fmt, ap);
	va_end(ap);
	_cleanup_free_ char *msg = xasprintf("%s: %s: %s", c->name, path, what);
	/* keys and values from the document are echoed: a newline in one must not split the error */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return hull_fail(c->err, "%s", msg);
}

json_object *sj_field(json_object *obj, const char *key)
{
	json_object *v = NULL;
	if (obj == NULL || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;  /* NULL for JSON null too: null means absent */
}

bool sj_has_nul(json_object *v)
{
	/* "\u0000" decodes to a NUL that strdup would cut the value at: "/a\u0000b" must not become "/a" */
	return strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v);
}

char *sj_join(const char *a, const char *b)
{
	return xasprintf("%s%s%s", a, *a ? "." : "", b);
}

char *sj_idx(const char *a, size_t i)
{
	return xasprintf("%s[%zu]", a, i);
}

int sj_want_type(struct ctx *c, json_object *v, json_type t, const char *path, const char *what)
{
	if (v && json_object_get_type(v) != t)
		return sj_bad(c, path, "must be %s", what);
	return 0;
}

int sj_get_string(struct ctx *c, json_object *obj, const char *key, const char *path, bool required, char **out)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	if (v == NULL) {
		if (required)
			return sj_bad(c, p, "is required");
		return 0;
	}
	if (sj_want_type(c, v, json_type_string, p, "a string") < 0)
		return -1;
	if (sj_has_nul(v))
		return sj_bad(c, p, "must not contain a NUL character");
	*out = xstrdup(json_object_get_string(v));
	return 0;
}

int sj_get_id_list(struct ctx *c, json_object *obj, const char *key, const char *path, struct sj_mask *out)
{
	_cleanup_free_ char *text = NULL;
	memset(out, 0, sizeof(*out));
	if (sj_get_string(c, obj, key, path, false, &text) < 0)
		return -1;
	if (text == NULL || text[0] == '\0')
		return 0;
	_cleanup_free_ char *p = sj_join(path, key);
	const size_t word = 8 * sizeof(unsigned long);
	for (const char *s = text;;) {
		char *end;
		if (!isdigit((unsigned char)*s))
			return sj_bad(c, p, "\"%s\": expected a list such as \"0-3,7\"", text);
		unsigned long lo = strtoul(s, &end, 10), hi = lo;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return sj_bad(c, p, "\"%s\": expected a list such as \"0-3,7\"", text);
			hi = strtoul(end + 1, &end, 10);
		}
		if (lo > hi)
			return sj_bad(c, p, "\"%s\": range %lu-%lu is backwards", text, lo, hi);
		if (hi >= SJ_MASK_BITS)
			return sj_bad(c, p, "\"%s\": %lu is beyond the largest number hull can set (%d)", text, hi,
				      SJ_MASK_BITS - 1);
		for (unsigned long i = lo; i <= hi; i++)
			out->bits[i / word] |= 1UL << (i % word);
		if (*end == '\0')
			break;
		if (*end != ',')
			return sj_bad(c, p, "\"%s\": expected a list such as \"0-3,7\"", text);
		s = end + 1;
	}
	out->set = true;
	return 0;
}

int sj_get_bool(struct ctx *c, json_object *obj, const char *key, const char *path, bool *out)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	if (v == NULL)
		return 0;
	if (sj_want_type(c, v, json_type_boolean, p, "a boolean") < 0)
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

/* json-c clamps integers beyond INT64_MAX to INT64_MAX; get_uint64 still has them exactly. */
bool sj_beyond_int64(json_object *v)
{
	return json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX;
}

/* Integers are range-checked here so that no caller truncates silently. */
int sj_get_int(struct ctx *c, json_object *obj, const char *key, const char *path, int64_t min, int64_t max,
		   bool *present, int64_t *out)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	if (v == NULL)
		return 0;
	if (json_object_get_type(v) != json_type_int)
		return sj_bad(c, p, "must be an integer");
	if (sj_beyond_int64(v))
		return sj_bad(c, p, "%llu is out of range [%lld, %lld]", (unsigned long long)json_object_get_uint64(v),
			   (long long)min, (long long)max);
	int64_t n = json_object_get_int64(v);
	if (n < min || n > max)
		return sj_bad(c, p, "%lld is out of range [%lld, %lld]", (long long)n, (long long)min, (long long)max);
	if (present)
		*present = true;
	*out = n;
	return 0;
}

int sj_get_u64(struct ctx *c, json_object *obj, const char *key, const char *path, uint64_t *out)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	if (v == NULL)
		return 0;
	if (json_object_get_type(v) != json_type_int)
		return sj_bad(c, p, "must be an integer");
	if (json_object_get_int64(v) < 0)
		return sj_bad(c, p, "must not be negative");
	*out = json_object_get_uint64(v);
	return 0;
}

/* A JSON array of strings -> NULL-terminated vector. */
int sj_get_strv(struct ctx *c, json_object *obj, const char *key, const char *path, bool nonempty,
		    char ***out, size_t *n_out)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	if (v == NULL) {
		if (nonempty)
			return sj_bad(c, p, "must be a non-empty array");
		return 0;
	}
	if (json_object_get_type(v) != json_type_array)
		return sj_bad(c, p, nonempty ? "must be a non-empty array" : "must be an array of strings");
	size_t n = json_object_array_length(v);
	if (nonempty && n == 0)
		return sj_bad(c, p, "must be a non-empty array");
	char **strv = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		if (e == NULL || json_object_get_type(e) != json_type_string || sj_has_nul(e)) {
			bool nul = e && json_object_get_type(e) == json_type_string;
			cleanup_strvp(&strv);
			_cleanup_free_ char *ip = sj_idx(p, i);
			return sj_bad(c, ip, nul ? "must not contain a NUL character" : "must be a string");
		}
		strv[i] = xstrdup(json_object_get_string(e));
	}
	*out = strv;
	if (n_out)
		*n_out = n;
	return 0;
}

json_object *sj_get_object(struct ctx *c, json_object *obj, const char *key, const char *path, int *ret)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	*ret = sj_want_type(c, v, json_type_object, p, "an object");
	return *ret < 0 ? NULL : v;
}

/* Returns the array (or NULL when absent) and its length; *ret < 0 on a type error. */
json_object *sj_get_array(struct ctx *c, json_object *obj, const char *key, const char *path, size_t *n, int *ret)
{
	_cleanup_free_ char *p = sj_join(path, key);
	json_object *v = sj_field(obj, key);
	*n = 0;
	*ret = sj_want_type(c, v, json_type_array, p, "an array");
	if (*ret < 0 || v == NULL)
		return NULL;
	*n = json_object_array_length(v);
	return v;
}

int sj_check_element_object(struct ctx *c, json_object *e, const char *p)
{
	if (e == NULL || json_object_get_type(e) != json_type_object)
		return sj_bad(c, p, "must be an object");
	return 0;
}


json_object *sj_parse_value(const char *text, size_t len, json_type want, const char *name, hull_err *err)
{
	if (len > INT_MAX - 1) {
		hull_fail(err, "%s: the document is too large", name);
		return NULL;
	}
	json_tokener *tok = json_tokener_new();
	if (tok == NULL) {
		hull_fail_errno(err, ENOMEM, "%s", name);
		return NULL;
	}
	/* The terminating NUL is part of the input, so that a lone scalar ("42") ends where it should. */
	json_object *root = json_tokener_parse_ex(tok, text, (int)len + 1);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (jerr != json_tokener_success || (size_t)tok->char_offset < len) {
		size_t off = (size_t)tok->char_offset, line = 1;
		for (size_t i = 0; i < off && i < len; i++)
			line += text[i] == '\n';
		const char *why = jerr == json_tokener_success ? "trailing data after the document" : json_tokener_error_desc(jerr);
		if (jerr == json_tokener_continue || jerr == json_tokener_error_parse_eof)
			why = "unexpected end of file";
		json_object_put(root);
		json_tokener_free(tok);
		hull_fail(err, "%s: invalid JSON at line %zu: %s", name, line, why);
		return NULL;
	}
	json_tokener_free(tok);
	if (root == NULL || json_object_get_type(root) != want) {
		json_object_put(root);
		hull_fail(err, "%s: the document must be a JSON %s", name, want == json_type_array ? "array" : "object");
		return NULL;
	}
	return root;
}

json_object *sj_parse_document(const char *text, size_t len, const char *name, hull_err *err)
{
	return sj_parse_value(text, len, json_type_object, name, err);
}

json_object *sj_new_strv(const char *const *v)
{
	json_object *a = json_object_new_array();
	for (; v && *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}
