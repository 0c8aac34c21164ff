/* shift.h - a rootless container's rootfs owned as its id maps say (the chown podman does where it cannot idmap).
 * Must never be used where the layers can be idmapped: it copies every file of the image into the upper. */
#ifndef HULL_ENGINE_SHIFT_H
#define HULL_ENGINE_SHIFT_H

#include <stddef.h>

#include "spec.h"
#include "util/error.h"

struct shift_maps {
	const struct hull_idmap *uid, *gid;
	size_t n_uid, n_gid;
};

/* Every entry below the merged root rootfd (not the root itself, nor below another mount) chowned from its
 * container id to the id the maps give it, its set-id bits and file capability kept. */
int shift_owners(int rootfd, const struct shift_maps *m, hull_err *err);

#endif
