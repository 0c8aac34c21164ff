/* error.h - the one error type of libhull: an errno plus a message that names the object.
 * Never prints: the library reports, the CLI prints. */
#ifndef HULL_ERROR_H
#define HULL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

struct hull_error {
	int errnum;  /* errno of the failing call, 0 when the failure is not a system error */
	char *msg;   /* complete message, hull_strerror(errnum) already appended */
};
typedef struct hull_error *hull_err;

/* Each returns -1 so that callers can write `return hull_fail(err, ...)`.
 * hull_fail_errno appends ": " and the errno text worded as runc words it; hull_fail does not. */
int hull_fail(hull_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hull_fail_errno(hull_err *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define hull_fail_sys(err, ...) hull_fail_errno((err), errno, __VA_ARGS__)

/* Like hull_fail, but records errnum (for callers that test it) without appending strerror. */
int hull_fail_code(hull_err *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* strerror(errnum) worded as runc (Go's syscall.Errno) words it: lowercase first letter,
 * "no such file or directory". Engines match these words case-sensitively (Docker: exit codes
 * 127/126 from "no such file or directory" / "permission denied"). Written into buf. */
#define HULL_STRERROR_MAX 128
const char *hull_strerror(int errnum, char *buf, size_t len);
/* hull_strerror into a buffer that lives until the end of the enclosing block */
#define hull_errtext(errnum) hull_strerror((errnum), (char[HULL_STRERROR_MAX]){ 0 }, HULL_STRERROR_MAX)

/* Prefix an existing error with context: "prefix: old message". Returns -1. */
int hull_err_prefix(hull_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Build an error from an errno and a complete message received from elsewhere (the container's init). */
int hull_err_raw(hull_err *err, int errnum, const char *msg);
void hull_err_free(hull_err *err);

#endif
