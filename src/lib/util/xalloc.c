/* xalloc.c - allocation that cannot fail: out of memory is one line on stderr and exit status 1.
 * Must never print more than that line, nor return NULL: a caller has no failure path to take. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

_Noreturn void xalloc_die(void)
{
	static const char line[] = "hull: out of memory\n";
	/* write(2), not stdio: stdio may need memory itself; _exit: in a child, no parent buffer is flushed */
	if (write(STDERR_FILENO, line, sizeof(line) - 1) < 0) {
		/* nothing left to report with */
	}
	_exit(EXIT_FAILURE);
}

static void *checked(void *p)
{
	if (p == NULL)
		xalloc_die();
	return p;
}

void *xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
	return checked(realloc(p, size ? size : 1));
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	return checked(reallocarray(p, n ? n : 1, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return checked(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_die();
	return s;
}
