/* log.h - warnings from the library, delivered to a sink the CLI installs.
 * Must never be used for errors: errors travel in hull_err. */
#ifndef HULL_LOG_H
#define HULL_LOG_H

typedef void (*hull_log_sink)(const char *level, const char *msg);

void hull_log_set_sink(hull_log_sink sink);
void hull_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hull_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int hull_log_debug_enabled;

#endif
