/* source.c - opening an image source by transport, and the verified copy local sources share.
 * Must never pass on a blob whose size or digest differs from its descriptor's. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/source.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

int source_open(struct image_source **out, const struct image_ref *ref, const struct registry_opts *o, hull_err *err)
{
	switch (ref->transport) {
	case TRANSPORT_DOCKER:
		return source_registry_open(out, ref, o, err);
	case TRANSPORT_OCI:
		return source_oci_open(out, ref, err);
	case TRANSPORT_OCI_ARCHIVE:
	case TRANSPORT_DOCKER_ARCHIVE:
		break;
	}
	return hull_fail_code(err, ENOTSUP, "%s: an archive is read whole (image_pull_archive)", ref->file);
}

void source_close(struct image_source **src)
{
	if (*src) {
		(*src)->ops->close(*src);
		*src = NULL;
	}
}

#define COPY_CHUNK (256 * 1024)

static int copy_blob(int srcfd, const struct descriptor *d, int fd, hull_err *err)
{
	_cleanup_hasher_ struct hasher *h = NULL;
	if (hasher_new(&h, d->digest.algo, err) < 0)
		return -1;
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return hull_fail_sys(err, "blob %s", digest_text(&d->digest));
	_cleanup_free_ char *buf = xmalloc(COPY_CHUNK);
	int64_t left = d->size;
	off_t off = 0;
	while (left > 0) {
		ssize_t n = pread(srcfd, buf, left < COPY_CHUNK ? (size_t)left : COPY_CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return hull_fail_sys(err, "blob %s: read", digest_text(&d->digest));
		if (n == 0)
			return hull_fail_code(err, EBADMSG, "blob %s: %lld bytes short of its size", digest_text(&d->digest), (long long)left);
		hasher_update(h, buf, (size_t)n);
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(fd, buf + w, (size_t)(n - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return hull_fail_sys(err, "blob %s: write", digest_text(&d->digest));
			w += k;
		}
		off += n;
		left -= n;
	}
	char extra;
	if (pread(srcfd, &extra, 1, off) == 1)
		return hull_fail_code(err, EBADMSG, "blob %s: longer than its size %lld", digest_text(&d->digest), (long long)d->size);
	struct digest got;
	hasher_final(h, &got);
	if (!digest_equal(&got, &d->digest))
		return hull_fail_code(err, EBADMSG, "blob %s: digest mismatch (got %s)", digest_text(&d->digest), digest_text(&got));
	return 0;
}

/* a local copy starts over each time: after any failure nothing of it is worth keeping */
int source_copy_blob(int srcfd, const struct descriptor *d, int fd, hull_err *err)
{
	if (copy_blob(srcfd, d, fd, err) == 0)
		return 0;
	if (ftruncate(fd, 0) < 0) {
		/* the caller removes an empty or a wrong partial file either way */
	}
	return -1;
}
