/* mounts.h - mount(8)-style option parsing and one OCI mount applied through the new mount API.
 * Must never mount onto a path: targets are always fds resolved inside the root. */
#ifndef HULL_MOUNTS_H
#define HULL_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "spec.h"
#include "util/error.h"

struct mount_opts {
	uint64_t attr_set, attr_clr;          /* MOUNT_ATTR_* for the mount itself */
	uint64_t rec_attr_set, rec_attr_clr;  /* r-options (rro, rnosuid ...): the whole tree */
	unsigned long propagation;            /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, | MS_REC */
	bool bind, rbind, tmpcopyup;
	bool sb_ro;        /* "ro" also makes a new filesystem's superblock read-only */
	char **data;       /* filesystem options for fsconfig, NULL-terminated */
	size_t n_data;
};

int mount_opts_parse(char *const *options, size_t n, struct mount_opts *out, hull_err *err);
void mount_opts_free(struct mount_opts *o);
/* Names of the options hull understands (for `features`), NULL-terminated. */
extern const char *const mount_known_options[];

/* Whether m's destination is /dev (any spelling: "/dev/", "//dev"). */
bool mount_is_dev(const struct hull_mount *m);
/* Apply m inside rootfd (the rootfs, before pivot_root); s->bundle resolves relative bind sources.
 * srcfd >= 0: the bind's tree, cloned on the host side by mounts_clone_sources. */
int mount_apply(int rootfd, const struct hull_spec *s, const struct hull_mount *m, int srcfd, hull_err *err);
/* In hull's own process, before the init is cloned: with a new user namespace, clone every bind source
 * (open_tree) while the host's credentials still reach it, as runc's mount source fds do; the init,
 * whose ids the host may refuse, only moves the clones. *fds is NULL when none is needed, else one
 * entry per mount, -1 for a mount that is not a bind. */
int mounts_clone_sources(const struct hull_spec *s, int **fds, hull_err *err);
void mounts_close_sources(int *fds, size_t n);
/* Bind-mount the object behind srcfd onto targetfd with attrs (MOUNT_ATTR_*), optionally recursive. */
int mount_bind_fd(int srcfd, int targetfd, uint64_t attr_set, bool recursive, const char *what, hull_err *err);
/* Mount a fresh filesystem of `type` with comma-free options onto targetfd. Returns the mount fd. */
int mount_new_fs(const char *type, const char *source, char *const *data, bool sb_ro, uint64_t attrs, int targetfd,
		 const char *what, hull_err *err);

#endif
