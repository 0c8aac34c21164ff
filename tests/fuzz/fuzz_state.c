/* fuzz_state.c - libFuzzer target: each input is a state.json for state_parse; what it accepts must survive
 * state_format -> state_parse unchanged. Must never touch a state directory or a process. */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "state.h"

static void round_trip(const struct hull_state *st)
{
	char *text = state_format(st);
	if (text == NULL)
		abort();
	struct hull_state again;
	hull_err err = NULL;
	if (state_parse(text, strlen(text), "state.json (written back)", &again, &err) < 0)
		abort();  /* hull refuses what it wrote itself */
	char *text2 = state_format(&again);
	if (text2 == NULL || strcmp(text, text2) != 0 || again.pid != st->pid || again.start_time != st->start_time ||
	    again.owner != st->owner || strcmp(again.bundle, st->bundle) != 0 || again.cgroup->n != st->cgroup->n)
		abort();
	state_clear(&again);
	free(text);
	free(text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	char *text = fuzz_terminated_copy(data, size);
	struct hull_state st;
	hull_err err = NULL;
	int ret = state_parse(text, size, "state.json", &st, &err);
	fuzz_check_result(ret, ret == 0 ? st.cgroup : NULL, &err);
	if (ret == 0) {
		round_trip(&st);
		state_clear(&st);
	} else if (st.id != NULL || st.cgroup != NULL || st.annotations != NULL) {
		abort();  /* a failure leaves nothing behind */
	}
	free(text);
	return 0;
}
