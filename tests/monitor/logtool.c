/* logtool.c - the container log file (monitor/log.h) from the command line, for log.bats: `write` copies stdin into
 * a log writer, `read` is `hull container logs` over a path. Must never do more than log_writer_* and log_read do.
 *
 * usage: logtool write [--stderr] PATH MAXSIZE MAXFILES
 *          stdin in chunks of 64 KiB (each read to the full, so the split is the same each run); --stderr: every
 *          second chunk goes to stderr
 *        logtool read [--tail N] [-f] [-t] [--done-file FILE] PATH
 *          -f ends once FILE exists and the log is read (without --done-file: never) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor/log.h"
#include "util/cleanup.h"
#include "util/error.h"

#define CHUNK (64 * 1024)

static const char usage[] = "usage: logtool write [--stderr] PATH MAXSIZE MAXFILES\n"
			    "       logtool read [--tail N] [-f] [-t] [--done-file FILE] PATH\n";

/* a full chunk unless stdin ends first: 0 at its end, -1 on error */
static ssize_t chunk_read(char *buf)
{
	size_t got = 0;
	while (got < CHUNK) {
		ssize_t n = read(0, buf + got, CHUNK - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int log_write_stdin(int argc, char **argv)
{
	bool alternate = argc > 0 && strcmp(argv[0], "--stderr") == 0;
	argc -= alternate;
	argv += alternate;
	if (argc != 3) {
		fputs(usage, stderr);
		return 2;
	}
	_cleanup_err_ hull_err err = NULL;
	struct log_writer *w = NULL;
	if (log_writer_open(&w, argv[0], strtoll(argv[1], NULL, 10), atoi(argv[2]), &err) < 0) {
		fprintf(stderr, "logtool: %s\n", err->msg);
		return 1;
	}
	static char buf[CHUNK];
	int ret = 0;
	ssize_t n;
	for (unsigned long i = 0; ret == 0 && (n = chunk_read(buf)) > 0; i++) {
		enum log_stream s = alternate && i % 2 ? LOG_STDERR : LOG_STDOUT;
		ret = log_writer_write(w, s, buf, (size_t)n, &err);
	}
	if (ret == 0 && n < 0) {
		perror("logtool: read stdin");
		ret = -1;
	} else if (ret == 0) {
		ret = log_writer_flush(w, &err);
	}
	if (ret < 0 && err)
		fprintf(stderr, "logtool: %s\n", err->msg);
	log_writer_close(&w);
	return ret < 0;
}

static bool done_file_exists(void *arg)
{
	return access(arg, F_OK) == 0;
}

static int log_print(int argc, char **argv)
{
	struct log_read_opts o = { .tail = -1, .out_fd = 1, .err_fd = 2 };
	const char *path = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--tail") == 0 && i + 1 < argc)
			o.tail = strtoll(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-f") == 0)
			o.follow = true;
		else if (strcmp(argv[i], "-t") == 0)
			o.timestamps = true;
		else if (strcmp(argv[i], "--done-file") == 0 && i + 1 < argc) {
			o.done = done_file_exists;
			o.arg = argv[++i];
		} else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (path == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	_cleanup_err_ hull_err err = NULL;
	if (log_read(path, &o, &err) < 0) {
		fprintf(stderr, "logtool: %s\n", err->msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "write") == 0)
		return log_write_stdin(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "read") == 0)
		return log_print(argc - 2, argv + 2);
	fputs(usage, stderr);
	return 2;
}
