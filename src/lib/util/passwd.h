/* passwd.h - USER[:GROUP] resolved in a container's /etc/passwd and /etc/group, read inside its root (RESOLVE_IN_ROOT),
 * as runc's and podman's user lookup resolves it. Must never read a file of the host where the container's is meant. */
#ifndef HULL_UTIL_PASSWD_H
#define HULL_UTIL_PASSWD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

#define PASSWD_GIDS_MAX 64

struct passwd_user {
	unsigned uid, gid;
	/* the groups of /etc/group that list the user by name, its primary group left out; none with an explicit GROUP */
	unsigned gids[PASSWD_GIDS_MAX];
	size_t n_gids;
	char *home; /* the passwd entry's home; "/" without an entry or with an empty one */
};

/* USER (name or uid) with an optional :GROUP (name or gid). A numeric id passes through (a uid found in passwd gives
 * its primary group and name); a name must be found ("unable to find user NAME: no matching entries in passwd
 * file", ENOENT, as runc and podman word it). rootfd < 0: no files, numeric ids only. */
int passwd_resolve(int rootfd, const char *spec, struct passwd_user *u, hull_err *err);
/* The home of uid in rootfd's /etc/passwd, "/" without one (allocated). */
char *passwd_home_of(int rootfd, unsigned uid);
void passwd_user_free(struct passwd_user *u);

#endif
