/* fuzz_config.c - libFuzzer target: each input is parsed as config.json (spec_parse).
 * Must never touch the filesystem or keep state between inputs: each run frees all it made. */
#include "fuzz_common.h"
#include "spec.h"

/* spec_parse only joins strings with the bundle path; it is never looked up. */
#define FAKE_BUNDLE "/nonexistent-bundle"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	char *text = fuzz_terminated_copy(data, size);
	struct hull_spec *spec = NULL;
	hull_err err = NULL;
	int ret = spec_parse(text, size, "config.json", FAKE_BUNDLE, &spec, &err);
	fuzz_check_result(ret, spec, &err);
	spec_free(spec);
	free(text);
	return 0;
}
