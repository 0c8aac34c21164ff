/* seccomp_default.h - linux.seccomp for a container of the engine: hull's default profile (behaving as Docker's and
 * podman's default) and Docker-format profile files, both resolved against the container's capabilities and arch.
 * Must never compile or load a filter: it only writes the runtime-spec JSON the runtime compiles. */
#ifndef HULL_ENGINE_SECCOMP_DEFAULT_H
#define HULL_ENGINE_SECCOMP_DEFAULT_H

#include <stdint.h>
#include <json-c/json.h>

#include "util/error.h"

/* caps: the container's bounding set, one bit per capability number. */
json_object *seccomp_default_profile(uint64_t caps);
/* A Docker-format profile (names/name, action, args, includes/excludes by caps, arches and minKernel, archMap) read
 * from path -> linux.seccomp, keeping only the entries that apply to caps and this machine. */
int seccomp_docker_profile(const char *path, uint64_t caps, json_object **out, hull_err *err);

#endif
