/* convert.h - an image config turned into a runtime config (image-spec conversion.md), over runc's default spec.
 * Must never resolve a user or group name outside the image's own rootfs. */
#ifndef HULL_IMAGE_CONVERT_H
#define HULL_IMAGE_CONVERT_H

#include <stdbool.h>
#include <json-c/json.h>

#include "image/manifest.h"
#include "util/error.h"

/* The config.json for an image whose rootfs is rootfd (for /etc/passwd and /etc/group, and the Volumes' directories,
 * which are made when missing): args from Entrypoint + Cmd, env, cwd, user (names resolved in the image), and
 * annotations from labels and the config's fields. rootless: runc's `spec --rootless` base. An image without a
 * command is refused when need_command, else keeps the default spec's "sh". */
int image_runtime_config(const struct image_config *c, int rootfd, bool rootless, bool need_command, json_object **out,
			 hull_err *err);

#endif
