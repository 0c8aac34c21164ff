/* xalloc.h - hull's one policy for allocation failure: the x-functions never return NULL; out of memory
 * ends the process with one line, "hull: out of memory" (as crun's xmalloc). Must never be used where a
 * failure can be reported and survived better (a size from outside the process: check it first). */
#ifndef HULL_XALLOC_H
#define HULL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

_Noreturn void xalloc_die(void);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc for an array of n elements of size each, refusing an overflowing product */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
