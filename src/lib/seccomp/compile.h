/* compile.h - a parsed seccomp profile -> a classic BPF program, through libseccomp (dlopen'ed on
 * first need) or a cache of earlier compilations. Must never hand out a program compiled from
 * another profile: a cache entry holds its profile text and is used only on an exact match. */
#ifndef HULL_SECCOMP_COMPILE_H
#define HULL_SECCOMP_COMPILE_H

#include <linux/filter.h>
#include <stdbool.h>

#include "seccomp/profile.h"
#include "util/error.h"

struct seccomp_program {
	struct sock_filter *insns;
	unsigned short len;
	bool cached;  /* came from the cache, libseccomp was not loaded */
};

/* Compile s, using and filling the cache in cache_dir (NULL: no cache). */
int seccomp_compile(const struct hull_seccomp *s, const char *cache_dir, struct seccomp_program *out, hull_err *err);
/* The same with the cache in ROOT/.seccomp-cache (the state root: `hull list` skips dot names). */
#define SECCOMP_CACHE_DIR ".seccomp-cache"
int seccomp_compile_cached(const struct hull_seccomp *s, const char *root, struct seccomp_program *out, hull_err *err);
void seccomp_program_free(struct seccomp_program *p);

#endif
