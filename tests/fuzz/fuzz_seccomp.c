/* fuzz_seccomp.c - libFuzzer target: each input is a linux.seccomp object for seccomp_profile_parse.
 * Must never compile or load a filter: only the parser runs. */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "seccomp/profile.h"
#include "spec_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	char *text = fuzz_terminated_copy(data, size);
	hull_err err = NULL;
	json_object *obj = sj_parse_document(text, size, "seccomp.json", &err);
	if (obj == NULL) {
		hull_err_free(&err);
		free(text);
		return 0;
	}
	struct ctx c = { "config.json", &err };
	struct hull_seccomp *s = NULL;
	int ret = seccomp_profile_parse(&c, obj, &s);
	fuzz_check_result(ret, s, &err);
	seccomp_profile_free(s);
	json_object_put(obj);
	free(text);
	return 0;
}
