/* fuzz_common.h - what every libFuzzer target of tests/fuzz shares: a NUL-terminated copy of the input and
 * the contract of a parser's result. Must never keep state between inputs. */
#ifndef HULL_FUZZ_COMMON_H
#define HULL_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* Far above any real input; the parsers hand lengths to json-c as an int. */
#define FUZZ_MAX_INPUT (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parsers want text[len] == '\0', which libFuzzer's buffer does not promise. */
static inline char *fuzz_terminated_copy(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* A parser's result: success with a value and no error, or failure that says why (one line). */
static inline void fuzz_check_result(int ret, const void *value, hull_err *err)
{
	if (ret == 0 && (value == NULL || *err != NULL))
		abort();
	if (ret < 0 && (*err == NULL || (*err)->msg == NULL || strchr((*err)->msg, '\n') != NULL))
		abort();
	hull_err_free(err);
}

#endif
