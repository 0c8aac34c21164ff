/* digest.c - sha256/sha512 digests of blobs through libcrypto (dlopen'ed when an image command needs it, so the
 * runtime's commands never load it). Must never accept a digest string it has not validated. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image/digest.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/xalloc.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct engine_st ENGINE;

static struct {
	void *handle;
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *);
	const EVP_MD *(*sha256)(void);
	const EVP_MD *(*sha512)(void);
	int (*init)(EVP_MD_CTX *, const EVP_MD *, ENGINE *);
	int (*update)(EVP_MD_CTX *, const void *, size_t);
	int (*final)(EVP_MD_CTX *, unsigned char *, unsigned int *);
} lib;

#define SYM(field, name) { name, offsetof(__typeof__(lib), field) }
static const struct dl_symbol lib_symbols[] = {
	SYM(ctx_new, "EVP_MD_CTX_new"), SYM(ctx_free, "EVP_MD_CTX_free"), SYM(sha256, "EVP_sha256"),
	SYM(sha512, "EVP_sha512"),	SYM(init, "EVP_DigestInit_ex"),	  SYM(update, "EVP_DigestUpdate"),
	SYM(final, "EVP_DigestFinal_ex"),
};
#undef SYM

static const struct {
	const char *name;
	size_t hexlen;
} algos[] = {
	[DIGEST_SHA256] = { "sha256", 64 },
	[DIGEST_SHA512] = { "sha512", 128 },
};

struct hasher {
	EVP_MD_CTX *ctx;
	enum digest_algo algo;
};

int digest_parse(const char *s, struct digest *out, const char *what, hull_err *err)
{
	for (size_t a = 0; a < ARRAY_SIZE(algos); a++) {
		size_t n = strlen(algos[a].name);
		if (strncmp(s, algos[a].name, n) != 0 || s[n] != ':')
			continue;
		const char *hex = s + n + 1;
		size_t len = strspn(hex, "0123456789abcdef");
		if (len != algos[a].hexlen || hex[len] != '\0')
			break;
		out->algo = (enum digest_algo)a;
		memcpy(out->hex, hex, len + 1);
		return 0;
	}
	return hull_fail_code(err, EINVAL, "%s: \"%.80s\" is not a digest (sha256:<64 hex digits> or sha512:<128>)", what, s);
}

const char *digest_str(const struct digest *d, char *buf)
{
	snprintf(buf, DIGEST_STR_MAX, "%s:%s", algos[d->algo].name, d->hex);
	return buf;
}

bool digest_equal(const struct digest *a, const struct digest *b)
{
	return a->algo == b->algo && strcmp(a->hex, b->hex) == 0;
}

int hasher_new(struct hasher **out, enum digest_algo algo, hull_err *err)
{
	if (dl_load("libcrypto.so.3", lib_symbols, ARRAY_SIZE(lib_symbols), &lib, &lib.handle, "digest",
		    " (install libssl3)", err) < 0)
		return -1;
	struct hasher *h = xcalloc(1, sizeof(*h));
	h->ctx = lib.ctx_new();
	if (h->ctx == NULL)
		xalloc_die();
	h->algo = algo;
	if (lib.init(h->ctx, algo == DIGEST_SHA256 ? lib.sha256() : lib.sha512(), NULL) != 1) {
		hasher_free(&h);
		return hull_fail(err, "digest: libcrypto cannot start %s", algos[algo].name);
	}
	*out = h;
	return 0;
}

void hasher_update(struct hasher *h, const void *buf, size_t len)
{
	if (len)
		lib.update(h->ctx, buf, len);
}

void hasher_final(struct hasher *h, struct digest *out)
{
	unsigned char md[64];
	unsigned int n = 0;
	lib.final(h->ctx, md, &n);
	out->algo = h->algo;
	for (unsigned int i = 0; i < n; i++)
		snprintf(out->hex + 2 * i, 3, "%02x", md[i]);
	lib.init(h->ctx, NULL, NULL); /* ready for reuse with the same algorithm */
}

void hasher_free(struct hasher **h)
{
	if (*h) {
		lib.ctx_free((*h)->ctx);
		free(*h);
		*h = NULL;
	}
}

int digest_buffer(const void *buf, size_t len, enum digest_algo algo, struct digest *out, hull_err *err)
{
	_cleanup_hasher_ struct hasher *h = NULL;
	if (hasher_new(&h, algo, err) < 0)
		return -1;
	hasher_update(h, buf, len);
	hasher_final(h, out);
	return 0;
}

#define DIGEST_CHUNK (256 * 1024)

int digest_fd(int fd, enum digest_algo algo, struct digest *out, hull_err *err)
{
	_cleanup_hasher_ struct hasher *h = NULL;
	if (hasher_new(&h, algo, err) < 0)
		return -1;
	_cleanup_free_ char *buf = xmalloc(DIGEST_CHUNK);
	for (off_t off = 0;;) {
		ssize_t n = pread(fd, buf, DIGEST_CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return hull_fail_sys(err, "digest: read");
		if (n == 0)
			break;
		hasher_update(h, buf, (size_t)n);
		off += n;
	}
	hasher_final(h, out);
	return 0;
}
