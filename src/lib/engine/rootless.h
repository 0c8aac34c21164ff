/* rootless.h - a non-root user's engine runs in the user and mount namespaces of one pause process (rootless.c).
 * Must never be called by root, nor after a second thread exists (setns of a user namespace needs one thread). */
#ifndef HULL_ENGINE_ROOTLESS_H
#define HULL_ENGINE_ROOTLESS_H

#include "util/error.h"

/* Join the user's pause process (made, mapped and recorded in root/pause.pid when there is none): the caller is then
 * root of its user namespace, with its mount namespace, for everything below root. */
int rootless_enter(const char *root, hull_err *err);

#endif
