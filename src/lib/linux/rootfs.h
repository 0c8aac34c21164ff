/* rootfs.h - the container's root filesystem: mounts in order, /dev, pivot_root, masked and read-only paths.
 * Must never let a mount, mkdir or mknod land outside the root. */
#ifndef HULL_ROOTFS_H
#define HULL_ROOTFS_H

#include <stdbool.h>

#include "spec.h"
#include "util/error.h"

/* In the init's new mount namespace: stop propagation to the host, make the rootfs a mount, apply the
 * config's mounts and create /dev. mount_fds (NULL, or one per mount, -1 where none) holds the bind
 * sources cloned on the host side (mounts_clone_sources); below is root.path, opened by the caller (before it took
 * the container's identity). Returns an O_PATH fd of the new root. */
int rootfs_prepare(const struct hull_spec *s, const int *mount_fds, int below, int *rootfd, hull_err *err);
/* Without a mount namespace of its own the container shares the host's mounts: hull mounts nothing
 * and only chroots into root.path. Returns an O_PATH fd of the root. */
int rootfs_chroot_only(const struct hull_spec *s, int *rootfd, hull_err *err);
/* pivot_root into rootfd and detach the old root (or, with no_pivot, detach the host's procfs and sysfs
 * mounts, move the root onto / and chroot). */
int rootfs_pivot(int rootfd, bool no_pivot, hull_err *err);
/* Before pivot (the host's /dev/null must still be in our mount namespace to be bound):
 * readonlyPaths, then maskedPaths (files masked with host_null), all resolved inside rootfd. */
int rootfs_protect_paths(int rootfd, const struct hull_spec *s, int host_null, hull_err *err);
/* After pivot: root.readonly and a read-only /dev. */
int rootfs_finalize(const struct hull_spec *s, hull_err *err);
/* linux.sysctl, through the container's /proc/sys verified to be procfs. */
int rootfs_write_sysctl(int rootfd, const struct hull_spec *s, hull_err *err);

#endif
