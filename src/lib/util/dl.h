/* dl.h - optional libraries (libseccomp, libsystemd) opened on first use, so that the common path
 * never pays for them.
 * Must never keep a half-filled table: every symbol resolves, or the library is closed again. */
#ifndef HULL_DL_H
#define HULL_DL_H

#include <stddef.h>

#include "util/error.h"

/* A symbol and where its address goes: an offset into the caller's table of function pointers. */
struct dl_symbol {
	const char *name;
	size_t offset;
};

/* Open soname and store each symbol's address at table + offset. *handle is set last, so a non-NULL
 * *handle means a complete table (and a second call does nothing). `what` names the user in errors
 * ("linux.seccomp"), `hint` follows the library's name there (" (install libseccomp2)", or ""). */
int dl_load(const char *soname, const struct dl_symbol *syms, size_t n, void *table, void **handle,
	    const char *what, const char *hint, hull_err *err);

#endif
