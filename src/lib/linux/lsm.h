/* lsm.h - AppArmor profiles and SELinux labels for the container process.
 * Must never write a label through a /proc the container could have replaced. */
#ifndef HULL_LSM_H
#define HULL_LSM_H

#include "spec.h"
#include "util/error.h"

/* Before pivot_root: check the host has the LSMs the config names, and open our own
 * /proc/self/attr (verified procfs) for the late write. Returns the fd, or -1 when not needed. */
int lsm_prepare(const struct hull_process *p, int *attr_fd, hull_err *err);
/* Right before execve: the label for the next exec. */
int lsm_apply_exec_label(const struct hull_process *p, int attr_fd, hull_err *err);

/* linux.mountLabel: an error where it cannot be applied (no SELinux), never silently ignored. */
int lsm_check_mount_label(const char *label, hull_err *err);

#endif
