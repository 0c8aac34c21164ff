/* mounts.h - mount(8)-style option parsing and one OCI mount applied through the new mount API.
 * Must never mount onto a path: targets are always fds resolved inside the root. */
#ifndef HULL_MOUNTS_H
#define HULL_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

/* Whether m is a bind mount (type "bind" or a bind/rbind option); false when its options do not parse. */
bool mount_is_bind(const struct hull_mount *m);
/* Whether m's destination is /dev (any spelling: "/dev/", "//dev"). */
bool mount_is_dev(const struct hull_mount *m);
/* Apply m inside rootfd (the rootfs, before pivot_root); s->bundle resolves relative bind sources.
 * srcfd >= 0: the bind's source, from mounts_receive_sources. */
int mount_apply(int rootfd, const struct hull_spec *s, const struct hull_mount *m, int srcfd, hull_err *err);
/* With a new user namespace the init may not reach a bind source that only the host's root can (a 0700
 * directory): hull opens each with its own credentials in the init's mount namespace, before SYNC_GO,
 * and sends it over the sync socket (runc's mount source fds); the init clones the mount from the fd.
 * Resolved in the init's namespace, the mount carries the locks the host's flags got there. */
bool mounts_need_host_sources(const struct hull_spec *s);
int mounts_send_sources(pid_t init, const struct hull_spec *s, int sync_fd, hull_err *err);
/* An idmapped mount (m->idmap), detached, in hull's child in the init's mount namespace: the bind's
 * tree or a new filesystem, its attributes set, idmapped through userns_fd. Returns its fd. */
int mount_idmapped_tree(const struct hull_spec *s, const struct hull_mount *m, int userns_fd, hull_err *err);
/* In the init: *fds is NULL when none is needed, else one entry per mount: -1 for one hull prepared
 * nothing for, a source (bind) or a whole detached mount (idmapped) for the others. */
int mounts_receive_sources(const struct hull_spec *s, int sync_fd, int **fds, hull_err *err);
void mounts_close_sources(int *fds, size_t n);
/* Bind-mount the object behind srcfd onto targetfd with attrs (MOUNT_ATTR_*), optionally recursive. */
int mount_bind_fd(int srcfd, int targetfd, uint64_t attr_set, bool recursive, const char *what, hull_err *err);
/* Mount a fresh filesystem of `type` with comma-free options onto targetfd. Returns the mount fd. */
int mount_new_fs(const char *type, const char *source, char *const *data, bool sb_ro, uint64_t attrs, int targetfd,
		 const char *what, hull_err *err);

#endif
