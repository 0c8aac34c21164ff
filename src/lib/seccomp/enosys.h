/* enosys.h - the -ENOSYS stub runc prepends to a seccomp filter: a syscall newer than every syscall
 * the profile names (per architecture) fails with ENOSYS, so that programs fall back to older calls.
 * Must never change the verdict for a syscall at or below that maximum: those go to the filter. */
#ifndef HULL_SECCOMP_ENOSYS_H
#define HULL_SECCOMP_ENOSYS_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp/profile.h"
#include "util/error.h"

/* A syscall name -> its number on a libseccomp architecture token, negative if unknown there. */
typedef int (*seccomp_resolver)(uint32_t arch_token, const char *name);

/* The stub for s (*out NULL and *len 0 when s needs none: a default action that allows, or that
 * already returns ENOSYS, or no architecture with a known syscall). The caller frees *out. */
int seccomp_enosys_stub(const struct hull_seccomp *s, seccomp_resolver resolve, struct sock_filter **out, size_t *len,
			hull_err *err);

#endif
