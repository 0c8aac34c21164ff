/* fuzz_resources.c - libFuzzer target: each input is `hull update --resources FILE`, read as update.c reads it
 * and parsed as hull_update parses it (resources_parse) before any cgroup is written.
 * Must never reach a cgroup: only the validation runs. */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "cgroup/resources_model.h"

/* hull_update's parse of its input; the typed result is dropped. */
static int validate_update_resources(json_object *resources, hull_err *err)
{
	struct hull_resources r;
	int ret = resources_parse(resources, "update", "resources", RES_SPEC_1_3, &r, err);
	resources_clear(&r);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	char *text = fuzz_terminated_copy(data, size);
	/* update.c: a JSON object, or "not a JSON object of linux.resources" */
	json_object *r = json_tokener_parse(text);
	if (r != NULL && json_object_is_type(r, json_type_object)) {
		hull_err err = NULL;
		int ret = validate_update_resources(r, &err);
		fuzz_check_result(ret, r, &err);
	}
	json_object_put(r);
	free(text);
	return 0;
}
