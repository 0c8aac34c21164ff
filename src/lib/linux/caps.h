/* caps.h - capability names and applying the five capability sets.
 * Must never raise a capability the config did not ask for. */
#ifndef HULL_CAPS_H
#define HULL_CAPS_H

#include <stdint.h>

#include "spec.h"
#include "util/error.h"

/* "CAP_CHOWN" -> 0; -1 when unknown. */
int caps_from_name(const char *name);
const char *caps_name(int cap);
/* Highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last_cap(void);
/* Drop every capability from the bounding set that is not in `bounding`. Needs CAP_SETPCAP. */
int caps_drop_bounding(uint64_t bounding, hull_err *err);
/* Set effective/permitted/inheritable and raise ambient. Call after the uid switch. */
int caps_apply(const struct hull_caps *caps, hull_err *err);
/* Number of capability names hull knows (for `features`). */
int caps_known_count(void);

#endif
