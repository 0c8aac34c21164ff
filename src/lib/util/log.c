/* log.c - the warning/debug sink of libhull.
 * Must never write anywhere on its own (out of memory aside: xalloc's one line): without a sink, messages go
 * nowhere. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"

static hull_log_sink current_sink;
int hull_log_debug_enabled;

void hull_log_set_sink(hull_log_sink sink)
{
	current_sink = sink;
}

static void emit(const char *level, const char *fmt, va_list ap)
{
	if (current_sink == NULL)
		return;
	char *msg = xvasprintf(fmt, ap);
	current_sink(level, msg);
	free(msg);
}

void hull_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("warning", fmt, ap);
	va_end(ap);
}

void hull_debug(const char *fmt, ...)
{
	if (!hull_log_debug_enabled)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("debug", fmt, ap);
	va_end(ap);
}
