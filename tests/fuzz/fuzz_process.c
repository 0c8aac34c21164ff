/* fuzz_process.c - libFuzzer target: each input is an `exec --process` file, read as build_process (exec.c)
 * reads it: json_tokener_parse, then spec_parse_process. Must never keep state between inputs. */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	char *text = fuzz_terminated_copy(data, size);
	json_object *j = json_tokener_parse(text);
	struct hull_process *proc = NULL;
	hull_err err = NULL;
	int ret = spec_parse_process(j, "process.json", &proc, &err);
	fuzz_check_result(ret, proc, &err);
	spec_process_free(proc);
	json_object_put(j);
	free(text);
	return 0;
}
