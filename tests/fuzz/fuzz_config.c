/* fuzz_config.c - libFuzzer target: each input is parsed as config.json (spec_parse) and as an exec --process file.
 * Must never touch the filesystem or keep state between inputs: each run frees all it made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "spec.h"

/* spec_parse only joins strings with the bundle path; it is never looked up. */
#define FAKE_BUNDLE "/nonexistent-bundle"

/* spec_parse wants text[len] == '\0', which libFuzzer's buffer does not promise. */
static char *terminated_copy(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

static void fuzz_spec_parse(const char *text, size_t size)
{
	struct hull_spec *spec = NULL;
	hull_err err = NULL;
	if (spec_parse(text, size, "config.json", FAKE_BUNDLE, &spec, &err) == 0) {
		/* a success must hand back a spec and no error */
		if (spec == NULL || err != NULL)
			abort();
		spec_free(spec);
	} else if (err == NULL || err->msg == NULL) {
		abort();  /* a failure must say why */
	}
	hull_err_free(&err);
}

static void fuzz_spec_parse_process(const char *text, size_t size)
{
	json_tokener *tok = json_tokener_new();
	if (tok == NULL)
		abort();
	json_object *root = json_tokener_parse_ex(tok, text, (int)size + 1);
	json_tokener_free(tok);
	if (root == NULL)
		return;
	struct hull_process *proc = NULL;
	hull_err err = NULL;
	if (spec_parse_process(root, "process.json", &proc, &err) == 0) {
		if (proc == NULL || err != NULL)
			abort();
		spec_process_free(proc);
	} else if (err == NULL || err->msg == NULL) {
		abort();
	}
	hull_err_free(&err);
	json_object_put(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* spec_parse hands the length to json-c as an int */
	if (size > 1 << 20)
		return -1;
	char *text = terminated_copy(data, size);
	fuzz_spec_parse(text, size);
	fuzz_spec_parse_process(text, size);
	free(text);
	return 0;
}
