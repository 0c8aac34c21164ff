/* hooks.h - running OCI hooks with the state on stdin and their timeout.
 * Must never let a hook outlive its timeout. */
#ifndef HULL_HOOKS_H
#define HULL_HOOKS_H

#include "spec.h"
#include "util/error.h"

/* Run every hook of `kind` in order, each fed `state_json` on stdin; the first failure stops the list. */
int hooks_run(const struct hull_spec *s, enum hull_hook_kind kind, const char *state_json, hull_err *err);
/* For poststart and poststop: a failing hook is a warning, and the remaining hooks still run. */
void hooks_run_warn(const struct hull_spec *s, enum hull_hook_kind kind, const char *state_json);
/* The spec's state object as JSON text, for hooks run before state.json exists. */
char *hooks_state_json(const struct hull_spec *s, const char *id, const char *status, int pid);
/* The same state as an object (the seccomp agent gets it inside its own message). */
json_object *hooks_state_object(const struct hull_spec *s, const char *id, const char *status, int pid);

#endif
