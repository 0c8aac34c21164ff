/* log.h - a container's log file: one line per chunk of output in the CRI format conmon writes
 * ("2026-12-07T04:50:00.123456789Z stdout F text", P for a partial line), rotated by size; and the reader behind
 * `hull container logs [-f] [--tail N]`. Must never lose or reorder output, nor let one line exceed the size limit
 * unrotated. */
#ifndef HULL_MONITOR_LOG_H
#define HULL_MONITOR_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum log_stream { LOG_STDOUT = 1, LOG_STDERR = 2 };

struct log_writer;

/* path: the log file (made 0600 if missing, appended to); max_size: rotate when a write would take it past this many
 * bytes (0: never); max_files: how many files to keep in all, the live one included (path, path.1, ...; >= 1). */
int log_writer_open(struct log_writer **out, const char *path, int64_t max_size, int max_files, hull_err *err);
/* Write what the container printed: split at '\n' into F lines, a rest without '\n' kept until the next write or
 * flush (a rest longer than LOG_LINE_MAX goes out as a P line). */
int log_writer_write(struct log_writer *w, enum log_stream stream, const char *buf, size_t len, hull_err *err);
/* The kept rests go out as P lines (at exit). */
int log_writer_flush(struct log_writer *w, hull_err *err);
void log_writer_close(struct log_writer **w);
#define LOG_LINE_MAX (16 * 1024)

struct log_read_opts {
	int64_t tail;       /* the last N lines (full lines, P parts joined), -1: all */
	bool follow;        /* keep reading as the file grows and rotates, until done() says so and the file is read */
	bool timestamps;    /* prefix each line with its time, as `docker logs -t` */
	bool (*done)(void *arg);  /* follow: the writer is gone (the container exited and its monitor finished) */
	void *arg;
	int out_fd, err_fd; /* where stdout and stderr lines go */
};
/* Print the log (rotated files first, oldest first) to out_fd/err_fd by stream. */
int log_read(const char *path, const struct log_read_opts *o, hull_err *err);

#endif
