/* fuzz_hooks.c - libFuzzer target: hull only writes the hook state (hooks_state_json), so the input is cut
 * into a pid, id, status, bundle and annotation pairs, written, parsed back, and must come back equal.
 * Must never run a hook. */
#include <json-c/json.h>

#include "config.h"
#include "fuzz_common.h"
#include "linux/hooks.h"
#include "spec.h"

/* The next NUL-separated field of the input, or "" past its end. */
static const char *next_field(const char **p, const char *end)
{
	if (*p >= end)
		return "";
	const char *f = *p;
	*p += strlen(f) + 1;
	return f;
}

static void want_string(json_object *o, const char *key, const char *want)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), want) != 0 || (size_t)json_object_get_string_len(v) != strlen(want))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < sizeof(int32_t) || size > FUZZ_MAX_INPUT)
		return -1;
	int32_t pid;
	memcpy(&pid, data, sizeof(pid));
	char *text = fuzz_terminated_copy(data + sizeof(pid), size - sizeof(pid));
	const char *p = text, *end = text + size - sizeof(pid);
	const char *id = next_field(&p, end), *status = next_field(&p, end);
	struct hull_spec spec = { .bundle = (char *)next_field(&p, end), .annotations = json_object_new_object() };
	while (p < end) {
		const char *key = next_field(&p, end);
		json_object_object_add(spec.annotations, key, json_object_new_string(next_field(&p, end)));
	}
	char *state = hooks_state_json(&spec, id, status, pid);
	if (state == NULL)
		abort();
	json_object *back = json_tokener_parse(state);
	json_object *v = NULL;
	if (back == NULL || !json_object_is_type(back, json_type_object))
		abort();
	want_string(back, "ociVersion", HULL_OCI_VERSION);
	want_string(back, "id", id);
	want_string(back, "status", status);
	want_string(back, "bundle", spec.bundle);
	if (!json_object_object_get_ex(back, "pid", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != pid)
		abort();
	if (!json_object_object_get_ex(back, "annotations", &v) || !json_object_equal(v, spec.annotations))
		abort();
	json_object_put(back);
	json_object_put(spec.annotations);
	free(state);
	free(text);
	return 0;
}
