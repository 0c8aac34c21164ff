/* digest.h - content digests ("sha256:<hex>") as OCI writes them: parsed and checked once, computed through
 * OpenSSL's libcrypto, loaded on first use. Must never accept a digest string it has not validated. */
#ifndef HULL_IMAGE_DIGEST_H
#define HULL_IMAGE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum digest_algo { DIGEST_SHA256, DIGEST_SHA512 };
/* "sha512:" + 128 hex digits + NUL */
#define DIGEST_STR_MAX 136

struct digest {
	enum digest_algo algo;
	char hex[129]; /* lowercase, 64 (sha256) or 128 (sha512) digits */
};

/* "sha256:" + 64 lowercase hex digits, or "sha512:" + 128; anything else (other algorithms included) is refused,
 * the message naming `what` ("manifest layers[2].digest"). */
int digest_parse(const char *s, struct digest *out, const char *what, hull_err *err);
/* "algo:hex" in buf (DIGEST_STR_MAX bytes); returns buf */
const char *digest_str(const struct digest *d, char *buf);
/* digest_str into a buffer that lives until the end of the enclosing block */
#define digest_text(d) digest_str((d), (char[DIGEST_STR_MAX]){ 0 })
bool digest_equal(const struct digest *a, const struct digest *b);

/* An incremental hash. */
struct hasher;
int hasher_new(struct hasher **out, enum digest_algo algo, hull_err *err);
void hasher_update(struct hasher *h, const void *buf, size_t len);
/* The digest of everything given so far; the hasher can be freed or reused after hasher_reset. */
void hasher_final(struct hasher *h, struct digest *out);
void hasher_free(struct hasher **h);
#define _cleanup_hasher_ __attribute__((cleanup(hasher_free)))

int digest_buffer(const void *buf, size_t len, enum digest_algo algo, struct digest *out, hull_err *err);
/* The digest of a whole file from its start (reads with pread, the offset is left alone). */
int digest_fd(int fd, enum digest_algo algo, struct digest *out, hull_err *err);

#endif
