/* unpack.h - one layer (a tar, plain, gzip or zstd) unpacked into a directory, through libarchive (loaded on
 * first use). Must never create, change or remove anything outside the directory it is given, whatever the
 * tar says: absolute names, "..", symlinks or hardlinks leading out, whiteouts naming outside paths. */
#ifndef HULL_IMAGE_UNPACK_H
#define HULL_IMAGE_UNPACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "image/digest.h"
#include "image/manifest.h"
#include "util/error.h"

enum unpack_whiteouts {
	/* a layer of its own for overlayfs: ".wh.NAME" -> a 0:0 character device NAME, ".wh..wh..opq" -> the
	 * directory gets trusted.overlay.opaque="y" (the store's layers) */
	UNPACK_OVERLAY,
	/* applied to what the directory already holds (a flattened rootfs, as `umoci unpack` makes): ".wh.NAME"
	 * removes NAME, ".wh..wh..opq" empties the directory of what earlier layers put there */
	UNPACK_APPLY,
};

struct unpack_opts {
	enum unpack_whiteouts whiteouts;
	enum layer_compression compression; /* from the media type; the magic bytes are checked against it */
	/* false: files keep the unpacking user's ids (a rootless store); true: the tar's uid/gid */
	bool keep_owners;
	/* the most uncompressed bytes the tar may expand to, 0: the default (UNPACK_DEFAULT_MAX) */
	uint64_t max_bytes;
	/* UNPACK_OVERLAY: the layers below this one, nearest first (n_lower of them, none for the base). A directory
	 * this layer only implies (a file's parent without an entry of its own, as `umoci repack` writes them) takes
	 * their mode, owner, times and xattrs: overlayfs shows the topmost layer's directory, not a fresh 0755 one. */
	const int *lower_fds;
	size_t n_lower;
};
/* far above any real layer, small enough that a decompression bomb stops early */
#define UNPACK_DEFAULT_MAX ((uint64_t)64 << 30)

struct unpack_result {
	struct digest diff_id; /* sha256 of the uncompressed tar stream, to check against the config's diff_ids */
	uint64_t entries;
	uint64_t bytes;        /* uncompressed tar bytes */
};

/* Unpack the tar read from blobfd (from its start) into dirfd. On error the directory holds a partial tree the
 * caller removes (it is under the store's tmp/, never visible as a layer). */
int layer_unpack(int blobfd, int dirfd, const struct unpack_opts *opts, struct unpack_result *res, hull_err *err);

#endif
