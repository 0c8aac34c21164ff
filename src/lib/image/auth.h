/* auth.h - registry credentials in the auth.json format Docker and podman share ({"auths": {"HOST":
 * {"auth": base64("user:password")}}}). Must never write a credentials file other than with mode 0600, nor print
 * a password. */
#ifndef HULL_IMAGE_AUTH_H
#define HULL_IMAGE_AUTH_H

#include <stdbool.h>

#include "util/error.h"

/* The file `hull login` writes: $REGISTRY_AUTH_FILE, else ${XDG_RUNTIME_DIR}/containers/auth.json (podman's), else
 * ~/.config/containers/auth.json. Allocated. */
char *auth_default_file(void);
/* Credentials for host: from `file` when given; else the first of $REGISTRY_AUTH_FILE, podman's auth.json,
 * ~/.config/containers/auth.json, ~/.docker/config.json that has host. 0 found (*user, *pass allocated),
 * 1 not found, -1 on a malformed file (named in err). */
int auth_lookup(const char *host, const char *file, char **user, char **pass, hull_err *err);
int auth_store(const char *host, const char *file, const char *user, const char *pass, hull_err *err);
/* 0 removed, 1 there was nothing for host; all: every host */
int auth_remove(const char *host, const char *file, bool all, hull_err *err);

#endif
