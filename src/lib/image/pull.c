/* pull.c - an image from a source into the store: manifest (through an index for this platform), config, the layers'
 * blobs fetched together, each missing layer unpacked and checked against the config's diffID, the record last.
 * Must never record an image before all it needs is in the store and verified. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/archive.h"
#include "image/image.h"
#include "image/source.h"
#include "image/unpack.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/xalloc.h"

#define INDEX_DEPTH_MAX 2 /* an index naming an index naming a manifest at most */

struct pull {
	struct store *store;
	struct image_source *src;
	const struct pull_opts *o;
	struct platform want;
	bool has_index;
	struct digest index;
};

static void say(const struct pull *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct pull *p, const char *fmt, ...)
{
	if (p->o->log == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(p->o->log, fmt, ap);
	va_end(ap);
	fflush(p->o->log);
}

/* The image manifest for reference, through indexes; its bytes are stored as a blob. */
static int fetch_manifest(struct pull *p, const char *reference, struct manifest **out, hull_err *err)
{
	char next[DIGEST_STR_MAX];
	for (int depth = 0;; depth++) {
		_cleanup_free_ char *body = NULL, *ct = NULL;
		size_t len = 0;
		_cleanup_manifest_ struct manifest *m = NULL;
		if (p->src->ops->get_manifest(p->src, reference, &body, &len, &ct, err) < 0 ||
		    manifest_parse(body, len, ct, &m, err) < 0)
			return -1;
		if (reference && strchr(reference, ':')) {
			struct digest want;
			if (digest_parse(reference, &want, "manifest reference", err) < 0)
				return -1;
			if (!digest_equal(&want, &m->digest))
				return hull_fail_code(err, EBADMSG, "%s: manifest %s: digest mismatch (got %s)", p->src->name,
						      reference, digest_text(&m->digest));
		}
		if (store_put_blob(p->store, &m->digest, body, len, err) < 0)
			return -1;
		if (m->kind == MANIFEST_IMAGE) {
			*out = m;
			m = NULL;
			return 0;
		}
		if (depth >= INDEX_DEPTH_MAX)
			return hull_fail_code(err, ELOOP, "%s: indexes nested more than %d deep", p->src->name, INDEX_DEPTH_MAX);
		const struct descriptor *d = manifest_pick(m, &p->want, err);
		if (d == NULL)
			return hull_err_prefix(err, "%s", p->src->name);
		if (!p->has_index) {
			p->has_index = true;
			p->index = m->digest;
		}
		reference = digest_str(&d->digest, next);
	}
}

static int close_fds(struct blob_fetch *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].fd >= 0) {
			close(f[i].fd);
			f[i].fd = -1;
		}
	return 0;
}

/* Fetch the blobs the store lacks. A blob another pull is fetching is waited for, then taken from the store (or
 * fetched here when that pull died). */
static int fetch_blobs(struct pull *p, const struct descriptor **descs, size_t n, hull_err *err)
{
	_cleanup_free_ struct blob_fetch *f = xcalloc(n ? n : 1, sizeof(*f));
	_cleanup_free_ const struct descriptor **busy = xcalloc(n ? n : 1, sizeof(*busy));
	size_t nf = 0, nbusy = 0;
	int ret = -1;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= digest_equal(&descs[j]->digest, &descs[i]->digest);
		if (dup || store_has_blob(p->store, &descs[i]->digest))
			continue;
		int fd = store_blob_partial(p->store, &descs[i]->digest, false, err);
		if (fd == -EWOULDBLOCK) {
			busy[nbusy++] = descs[i];
			continue;
		}
		if (fd < 0)
			goto out;
		f[nf++] = (struct blob_fetch){ descs[i], fd };
	}
	if (nf && p->src->ops->get_blobs(p->src, f, nf, err) < 0)
		goto out;
	fault_point("pull.blobs_fetched");
	for (size_t i = 0; i < nf; i++) {
		if (store_blob_commit(p->store, &f[i].desc->digest, err) < 0)
			goto out;
		fault_point("pull.blob_committed");
	}
	close_fds(f, nf);
	nf = 0;
	for (size_t i = 0; i < nbusy; i++) {
		say(p, "Waiting for blob %.19s (another pull is fetching it)\n", digest_text(&busy[i]->digest));
		int fd = store_blob_partial(p->store, &busy[i]->digest, true, err);
		if (fd < 0)
			goto out;
		f[nf++] = (struct blob_fetch){ busy[i], fd };
		if (store_has_blob(p->store, &busy[i]->digest)) {
			store_blob_discard(p->store, &busy[i]->digest); /* the empty file our open made */
			continue;
		}
		if (p->src->ops->get_blobs(p->src, &f[nf - 1], 1, err) < 0 || store_blob_commit(p->store, &busy[i]->digest, err) < 0)
			goto out;
	}
	ret = 0;
out:
	/* after a failure: a blob that failed its check was emptied and goes; one that came whole is verified and
	 * kept; a prefix stays for the next pull to resume */
	for (size_t i = 0; ret < 0 && i < nf; i++) {
		struct stat st;
		struct digest got;
		_cleanup_err_ hull_err ignored = NULL;
		if (f[i].fd < 0 || fstat(f[i].fd, &st) < 0)
			continue;
		if (st.st_size == 0)
			store_blob_discard(p->store, &f[i].desc->digest);
		else if (st.st_size == f[i].desc->size && digest_fd(f[i].fd, f[i].desc->digest.algo, &got, &ignored) == 0 &&
			 digest_equal(&got, &f[i].desc->digest))
			store_blob_commit(p->store, &f[i].desc->digest, &ignored);
	}
	close_fds(f, nf);
	return ret;
}

/* Layer i of the image into the store, with the layers below it (all in the store by then) as its lowers: a
 * directory it only implies takes their metadata, as overlayfs will show it. A layer two images share is unpacked
 * by whichever pulls it first, over that image's lowers. */
static int unpack_layer(struct pull *p, const struct manifest *m, const struct image_config *c, size_t i, hull_err *err)
{
	const struct descriptor *d = &m->layers[i];
	const struct digest *diff_id = &c->diff_ids[i];
	_cleanup_close_ int blob = store_open_blob(p->store, &d->digest, err);
	if (blob < 0)
		return -1;
	_cleanup_free_ int *lowers = xcalloc(i + 1, sizeof(int));
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int dirfd = -1;
	size_t n_lower = 0;
	int ret = -1;
	for (size_t j = i; j-- > 0;) {
		_cleanup_free_ char *path = store_layer_path(p->store, &c->diff_ids[j]);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			hull_fail_sys(err, "layer %s", digest_text(&c->diff_ids[j]));
			goto out;
		}
		lowers[n_lower++] = fd;
	}
	if (store_layer_tmpdir(p->store, &tmp, &dirfd, err) < 0)
		goto out;
	/* the layer's root as overlayfs will show it when the tar has no "./" of its own: the layer below's (mkdtemp
	 * made it 0700), or a fresh 0755 for the base */
	struct stat below = { .st_mode = S_IFDIR | 0755, .st_uid = geteuid(), .st_gid = getegid() };
	if (n_lower && fstat(lowers[0], &below) < 0) {
		hull_fail_sys(err, "layer %s", digest_text(&c->diff_ids[i - 1]));
		goto out;
	}
	if (fchmod(dirfd, below.st_mode & 07777) < 0 || (geteuid() == 0 && fchown(dirfd, below.st_uid, below.st_gid) < 0)) {
		hull_fail_sys(err, "layer %s: its root", digest_text(diff_id));
		store_tmp_remove(p->store, tmp);
		goto out;
	}
	struct unpack_opts uo = { .whiteouts = UNPACK_OVERLAY, .compression = d->compression, .keep_owners = geteuid() == 0,
				  .lower_fds = lowers, .n_lower = n_lower };
	struct unpack_result res;
	if (layer_unpack(blob, dirfd, &uo, &res, err) < 0) {
		store_tmp_remove(p->store, tmp);
		hull_err_prefix(err, "layer %s", digest_text(&d->digest));
		goto out;
	}
	fault_point("pull.layer_unpacked");
	if (!digest_equal(&res.diff_id, diff_id)) {
		store_tmp_remove(p->store, tmp);
		hull_fail_code(err, EBADMSG, "layer %s: its tar is %s, the image config says %s", digest_text(&d->digest),
			       digest_text(&res.diff_id), digest_text(diff_id));
		goto out;
	}
	ret = store_layer_commit(p->store, tmp, diff_id, res.bytes, err);
out:
	for (size_t k = 0; k < n_lower; k++)
		close(lowers[k]);
	return ret;
}

static bool platform_matches(const struct platform *have, const struct platform *want)
{
	return strcmp(have->os, want->os) == 0 && strcmp(have->arch, want->arch) == 0;
}

static int pull_image(struct pull *p, const char *reference, const char *name, struct digest *id, hull_err *err)
{
	_cleanup_manifest_ struct manifest *m = NULL;
	say(p, "Trying to pull %s...\n", p->src->name);
	if (fetch_manifest(p, reference, &m, err) < 0)
		return -1;
	const struct descriptor *cfgd = &m->config;
	if (fetch_blobs(p, &cfgd, 1, err) < 0)
		return -1;
	_cleanup_free_ char *ctext = NULL;
	size_t clen = 0;
	_cleanup_image_config_ struct image_config *c = NULL;
	if (store_read_blob(p->store, &cfgd->digest, IMAGE_CONFIG_MAX, &ctext, &clen, err) < 0 ||
	    image_config_parse(ctext, clen, &c, err) < 0)
		return -1;
	if (c->n_diff_ids != m->n_layers)
		return hull_fail_code(err, EBADMSG, "image %s: its manifest has %zu layers, its config %zu diff_ids", digest_text(&c->digest),
				      m->n_layers, c->n_diff_ids);
	if (!platform_matches(&c->platform, &p->want))
		say(p, "WARNING: image platform (%s/%s) does not match the expected platform (%s/%s)\n", c->platform.os,
		    c->platform.arch, p->want.os, p->want.arch);
	_cleanup_free_ const struct descriptor **need = xcalloc(m->n_layers + 1, sizeof(*need));
	size_t n = 0;
	/* every blob the record names is kept (save and bundle read them), even when its layer is already unpacked from
	 * another blob of the same tar (the other compression) */
	for (size_t i = 0; i < m->n_layers; i++) {
		if (store_has_blob(p->store, &m->layers[i].digest) && store_has_layer(p->store, &c->diff_ids[i])) {
			say(p, "Copying blob %.12s skipped: already exists\n", m->layers[i].digest.hex);
			continue;
		}
		need[n++] = &m->layers[i];
	}
	if (fetch_blobs(p, need, n, err) < 0)
		return -1;
	for (size_t i = 0; i < m->n_layers; i++) {
		if (store_has_layer(p->store, &c->diff_ids[i]))
			continue;
		if (unpack_layer(p, m, c, i, err) < 0)
			return -1;
		say(p, "Copying blob %.12s done\n", m->layers[i].digest.hex);
	}
	say(p, "Copying config %.10s done\nWriting manifest to image destination\n", c->digest.hex);
	fault_point("pull.layers_done");
	char *names[] = { (char *)name, NULL };
	struct image_record r = { .id = c->digest, .manifest = m->digest, .has_index = p->has_index, .index = p->index, .names = names };
	if (store_image_put(p->store, &r, err) < 0)
		return -1;
	*id = c->digest;
	return 0;
}

int image_pull_source(struct store *s, struct image_source *src, const char *reference, const char *name,
		      const struct pull_opts *o, struct digest *id, hull_err *err)
{
	struct pull p = { .store = s, .src = src, .o = o };
	platform_host(&p.want);
	if (o->platform.os)
		p.want = o->platform;
	return pull_image(&p, reference, name, id, err);
}

int image_pull(struct store *s, const char *refstr, const struct pull_opts *o, struct digest *id, hull_err *err)
{
	_cleanup_image_ref_ struct image_ref ref = { 0 };
	if (image_ref_parse(refstr, &ref, err) < 0)
		return -1;
	if (ref.transport == TRANSPORT_OCI_ARCHIVE || ref.transport == TRANSPORT_DOCKER_ARCHIVE)
		return image_pull_archive(s, &ref, o, id, err);
	_cleanup_source_ struct image_source *src = NULL;
	if (source_open(&src, &ref, &o->registry, err) < 0)
		return -1;
	_cleanup_free_ char *reference = ref.has_digest ? xstrdup(digest_text(&ref.digest)) : ref.tag ? xstrdup(ref.tag) : NULL;
	_cleanup_free_ char *name = o->name ? xstrdup(o->name) : ref.transport == TRANSPORT_DOCKER && ref.tag ? image_ref_name(&ref) : NULL;
	return image_pull_source(s, src, reference, name, o, id, err);
}
