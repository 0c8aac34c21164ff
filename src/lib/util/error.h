/* error.h - the one error type of libhull: an errno plus a message that names the object.
 * Never prints: the library reports, the CLI prints. */
#ifndef HULL_ERROR_H
#define HULL_ERROR_H

#include <stdarg.h>

struct hull_error {
	int errnum;  /* errno of the failing call, 0 when the failure is not a system error */
	char *msg;   /* complete message, strerror(errnum) already appended */
};
typedef struct hull_error *hull_err;

/* Each returns -1 so that callers can write `return hull_fail(err, ...)`.
 * hull_fail_errno appends ": strerror(errno)"; hull_fail does not. */
int hull_fail(hull_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hull_fail_errno(hull_err *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define hull_fail_sys(err, ...) hull_fail_errno((err), errno, __VA_ARGS__)

/* Like hull_fail, but records errnum (for callers that test it) without appending strerror. */
int hull_fail_code(hull_err *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix an existing error with context: "prefix: old message". Returns -1. */
int hull_err_prefix(hull_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Build an error from an errno and a complete message received from elsewhere (the container's init). */
int hull_err_raw(hull_err *err, int errnum, const char *msg);
void hull_err_free(hull_err *err);

#endif
