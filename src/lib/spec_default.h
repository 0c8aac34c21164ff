/* spec_default.h - runc's default config.json, for `hull spec` and for bundles made from images.
 * Must never hold policy of an engine: this is the runtime's default and nothing more. */
#ifndef HULL_SPEC_DEFAULT_H
#define HULL_SPEC_DEFAULT_H

#include <stdbool.h>
#include <json-c/json.h>

/* A new object (the caller puts it): runc's `spec`, or `spec --rootless` (the caller's uid and gid mapped to 0). */
json_object *spec_default(bool rootless);

#endif
