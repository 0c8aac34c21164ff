/* spec_json.h - typed reads of config.json values whose errors carry the JSON path, for the config's parsers
 * (spec.c, seccomp/profile.c). Must never accept a value of the wrong type or range silently. */
#ifndef HULL_SPEC_JSON_H
#define HULL_SPEC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "util/error.h"

/* Parsing context: the document name and the JSON path of the value being read. */
struct ctx {
	const char *name;
	hull_err *err;
};

/* "NAME: PATH: what"; returns -1. */
int sj_bad(struct ctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* obj[key], NULL when absent or JSON null. */
json_object *sj_field(json_object *obj, const char *key);
/* A JSON string with an embedded NUL (which a C string would silently cut). */
bool sj_has_nul(json_object *v);
/* "a.b" and "a[i]" (allocated). */
char *sj_join(const char *a, const char *b);
char *sj_idx(const char *a, size_t i);
int sj_want_type(struct ctx *c, json_object *v, json_type t, const char *path, const char *what);
int sj_get_string(struct ctx *c, json_object *obj, const char *key, const char *path, bool required, char **out);
int sj_get_bool(struct ctx *c, json_object *obj, const char *key, const char *path, bool *out);
bool sj_beyond_int64(json_object *v);
int sj_get_int(struct ctx *c, json_object *obj, const char *key, const char *path, int64_t min, int64_t max,
	       bool *present, int64_t *out);
int sj_get_u64(struct ctx *c, json_object *obj, const char *key, const char *path, uint64_t *out);
/* A JSON array of strings -> NULL-terminated vector. */
int sj_get_strv(struct ctx *c, json_object *obj, const char *key, const char *path, bool nonempty, char ***out,
		size_t *n_out);
/* A set of CPUs or memory nodes, as "0-3,7" names one: numbers below SJ_MASK_BITS (the kernel's and glibc's
 * CPU_SETSIZE; Debian's kernels have at most 1024 NUMA nodes too). */
#define SJ_MASK_BITS 1024
struct sj_mask {
	bool set;  /* a non-empty list was given */
	unsigned long bits[SJ_MASK_BITS / (8 * sizeof(unsigned long))];
};
/* obj[key] as such a list; absent or "" leaves out unset. Errors name the first bad item. */
int sj_get_id_list(struct ctx *c, json_object *obj, const char *key, const char *path, struct sj_mask *out);
json_object *sj_get_object(struct ctx *c, json_object *obj, const char *key, const char *path, int *ret);
/* The array (or NULL when absent) and its length; *ret < 0 on a type error. */
json_object *sj_get_array(struct ctx *c, json_object *obj, const char *key, const char *path, size_t *n, int *ret);
int sj_check_element_object(struct ctx *c, json_object *e, const char *p);
/* text[0..len) (text[len] == '\0') as one JSON object and nothing after it; NULL and *err on anything else. */
json_object *sj_parse_document(const char *text, size_t len, const char *name, hull_err *err);
/* The same for a document of type want (json_type_object or json_type_array). */
json_object *sj_parse_value(const char *text, size_t len, json_type want, const char *name, hull_err *err);
/* A JSON array of the strings of a NULL-terminated vector (NULL: an empty array). */
json_object *sj_new_strv(const char *const *v);

#endif
