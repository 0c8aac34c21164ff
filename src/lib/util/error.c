/* error.c - building and chaining hull_err values.
 * Must never print or exit (out of memory aside: xalloc's one line): reporting belongs to the caller. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

const char *hull_strerror(int errnum, char *buf, size_t len)
{
	if (len == 0)
		return "";
	snprintf(buf, len, "%s", strerror(errnum));
	/* "No such file or directory" -> "no such file or directory"; "RPC struct is bad" stays */
	if (isupper((unsigned char)buf[0]) && !isupper((unsigned char)buf[1]))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}


static int set(hull_err *err, int errnum, char *msg)
{
	if (err == NULL) {
		free(msg);
		return -1;
	}
	hull_err_free(err);
	/* one line whatever the message quotes (a media type, a tar entry's name from outside): a control character
	 * would break the line the user reads and the log's format */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	struct hull_error *e = xcalloc(1, sizeof(*e));
	e->errnum = errnum;
	e->msg = msg;
	*err = e;
	return -1;
}

int hull_fail(hull_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	return set(err, 0, msg);
}

int hull_fail_code(hull_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	return set(err, errnum, msg);
}

int hull_fail_errno(hull_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *head = xvasprintf(fmt, ap);
	va_end(ap);
	char text[HULL_STRERROR_MAX];
	char *msg = xasprintf("%s: %s", head, hull_strerror(errnum, text, sizeof(text)));
	free(head);
	return set(err, errnum, msg);
}

int hull_err_prefix(hull_err *err, const char *fmt, ...)
{
	if (err == NULL || *err == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *head = xvasprintf(fmt, ap);
	va_end(ap);
	char *msg = xasprintf("%s: %s", head, (*err)->msg);
	free((*err)->msg);
	(*err)->msg = msg;
	free(head);
	return -1;
}

int hull_err_raw(hull_err *err, int errnum, const char *msg)
{
	return set(err, errnum, xstrdup(msg));
}

void hull_err_free(hull_err *err)
{
	if (err == NULL || *err == NULL)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}
