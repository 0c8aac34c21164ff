/* unpacktool.c - layer_unpack() from the command line, for the image tests: one blob into one directory, printing
 * "diff_id entries bytes" or one error line (exit 1). Must never do more than layer_unpack() does itself. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/unpack.h"
#include "util/cleanup.h"
#include "util/error.h"

static const char usage[] = "usage: unpacktool [--apply] [--owners] [--gzip|--zstd] [--max-bytes N] [--lower DIR]... BLOB DIR\n"
			     "  (--lower: the layers below, nearest first, for overlay mode)\n";

int main(int argc, char **argv)
{
	struct unpack_opts opts = { .whiteouts = UNPACK_OVERLAY, .compression = LAYER_PLAIN };
	int lower[IMAGE_LAYERS_MAX];
	size_t n_lower = 0;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--apply") == 0)
			opts.whiteouts = UNPACK_APPLY;
		else if (strcmp(argv[i], "--owners") == 0)
			opts.keep_owners = true;
		else if (strcmp(argv[i], "--gzip") == 0)
			opts.compression = LAYER_GZIP;
		else if (strcmp(argv[i], "--zstd") == 0)
			opts.compression = LAYER_ZSTD;
		else if (strcmp(argv[i], "--max-bytes") == 0 && i + 1 < argc)
			opts.max_bytes = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--lower") == 0 && i + 1 < argc && n_lower < IMAGE_LAYERS_MAX) {
			lower[n_lower] = open(argv[++i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (lower[n_lower++] < 0) {
				perror(argv[i]);
				return 1;
			}
		} else
			break;
	}
	opts.lower_fds = lower;
	opts.n_lower = n_lower;
	if (argc - i != 2) {
		fputs(usage, stderr);
		return 2;
	}
	_cleanup_close_ int blob = open(argv[i], O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int dir = open(argv[i + 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (blob < 0 || dir < 0) {
		perror(blob < 0 ? argv[i] : argv[i + 1]);
		return 1;
	}
	_cleanup_err_ hull_err err = NULL;
	struct unpack_result res;
	if (layer_unpack(blob, dir, &opts, &res, &err) < 0) {
		fprintf(stderr, "unpacktool: %s\n", err->msg);
		return 1;
	}
	printf("%s %llu %llu\n", digest_text(&res.diff_id), (unsigned long long)res.entries,
	       (unsigned long long)res.bytes);
	return 0;
}
