/* source_oci.c - an OCI image layout directory (oci:DIR[:TAG]) as an image source: index.json, tags as
 * org.opencontainers.image.ref.name annotations, blobs under blobs/ALGO/HEX. Must never open anything outside the
 * layout's directory, whatever its files or symlinks say. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/manifest.h"
#include "image/source.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define REF_NAME_ANNOTATION "org.opencontainers.image.ref.name"

struct oci_source {
	struct image_source base;
	int dirfd;
};

static int open_blob(struct oci_source *o, const struct digest *d, hull_err *err)
{
	_cleanup_free_ char *p = xasprintf("blobs/%s/%s", d->algo == DIGEST_SHA256 ? "sha256" : "sha512", d->hex);
	int fd = fs_open_in_root(o->dirfd, p, O_RDONLY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "%s: blob %s", o->base.name, digest_text(d));
	return fd;
}

static int read_blob(struct oci_source *o, const struct digest *d, size_t max, char **body, size_t *len, hull_err *err)
{
	_cleanup_close_ int fd = open_blob(o, d, err);
	if (fd < 0)
		return -1;
	if (fs_read_fd_max(fd, "blob", max, body, len, err) < 0)
		return hull_err_prefix(err, "%s: blob %s", o->base.name, digest_text(d));
	return 0;
}

int oci_layout_entries(int dirfd, const char *name, struct oci_entry **out, size_t *n_out, hull_err *err)
{
	_cleanup_free_ char *text = NULL, *what = xasprintf("%s: index.json", name);
	size_t len = 0;
	_cleanup_close_ int fd = fs_open_in_root(dirfd, "index.json", O_RDONLY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "%s", what);
	if (fs_read_fd_max(fd, "index.json", MANIFEST_MAX, &text, &len, err) < 0)
		return hull_err_prefix(err, "%s", what);
	_cleanup_manifest_ struct manifest *idx = NULL;
	if (manifest_parse(text, len, MT_OCI_INDEX, &idx, err) < 0)
		return hull_err_prefix(err, "%s", name);
	/* the annotations are not part of the typed index: read them from the document */
	json_object *doc = sj_parse_document(text, len, what, err);
	if (doc == NULL)
		return -1;
	json_object *ms = sj_field(doc, "manifests");
	struct oci_entry *v = xcalloc(idx->n_manifests + 1, sizeof(*v));
	for (size_t i = 0; i < idx->n_manifests; i++) {
		json_object *ann = sj_field(json_object_array_get_idx(ms, i), "annotations");
		json_object *rn = ann && json_object_is_type(ann, json_type_object) ? sj_field(ann, REF_NAME_ANNOTATION) : NULL;
		v[i].digest = idx->manifests[i].digest;
		v[i].media_type = xstrdup(idx->manifests[i].media_type);
		if (rn && json_object_is_type(rn, json_type_string) && !sj_has_nul(rn))
			v[i].ref_name = xstrdup(json_object_get_string(rn));
	}
	json_object_put(doc);
	*out = v;
	*n_out = idx->n_manifests;
	return 0;
}

void oci_entries_free(struct oci_entry **v, size_t n)
{
	for (size_t i = 0; *v && i < n; i++) {
		free((*v)[i].media_type);
		free((*v)[i].ref_name);
	}
	free(*v);
	*v = NULL;
}

/* index.json's entry for reference (a tag, or NULL for the only entry): its digest and media type */
static int find_entry(struct oci_source *o, const char *reference, struct digest *d, char **media_type, hull_err *err)
{
	struct oci_entry *v = NULL;
	size_t n = 0;
	if (oci_layout_entries(o->dirfd, o->base.name, &v, &n, err) < 0)
		return -1;
	ssize_t found = reference == NULL && n == 1 ? 0 : -1;
	for (size_t i = 0; i < n && reference; i++)
		if (v[i].ref_name && strcmp(v[i].ref_name, reference) == 0)
			found = (ssize_t)i;
	if (found >= 0) {
		*d = v[found].digest;
		*media_type = xstrdup(v[found].media_type);
	}
	oci_entries_free(&v, n);
	if (found >= 0)
		return 0;
	if (reference)
		return hull_fail_code(err, ENOENT, "%s: no image tagged \"%s\"", o->base.name, reference);
	return hull_fail_code(err, ENOENT, "%s: %zu images in the layout: name one with :TAG", o->base.name, n);
}

static int oci_manifest(struct image_source *src, const char *reference, char **body, size_t *len, char **ct, hull_err *err)
{
	struct oci_source *o = (struct oci_source *)src;
	struct digest d;
	*ct = NULL;
	if (reference && strchr(reference, ':')) {
		if (digest_parse(reference, &d, src->name, err) < 0)
			return -1;
	} else if (find_entry(o, reference, &d, ct, err) < 0) {
		return -1;
	}
	if (read_blob(o, &d, MANIFEST_MAX, body, len, err) < 0)
		return -1;
	struct digest got;
	if (digest_buffer(*body, *len, d.algo, &got, err) < 0)
		return -1;
	if (!digest_equal(&got, &d))
		return hull_fail_code(err, EBADMSG, "%s: manifest %s: digest mismatch (got %s)", src->name, digest_text(&d),
				      digest_text(&got));
	return 0;
}

static int oci_blobs(struct image_source *src, struct blob_fetch *f, size_t n, hull_err *err)
{
	struct oci_source *o = (struct oci_source *)src;
	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int fd = open_blob(o, &f[i].desc->digest, err);
		if (fd < 0 || source_copy_blob(fd, f[i].desc, f[i].fd, err) < 0)
			return hull_err_prefix(err, "%s", src->name);
	}
	return 0;
}

static void oci_close(struct image_source *src)
{
	struct oci_source *o = (struct oci_source *)src;
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->base.name);
	free(o);
}

static const struct source_ops oci_ops = { oci_manifest, oci_blobs, oci_close };

int source_oci_open(struct image_source **out, const struct image_ref *ref, hull_err *err)
{
	int fd = open(ref->file, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "oci:%s", ref->file);
	struct oci_source *o = xcalloc(1, sizeof(*o));
	o->base.ops = &oci_ops;
	o->base.name = xasprintf("oci:%s", ref->file);
	o->dirfd = fd;
	int lfd = fs_open_in_root(fd, "oci-layout", O_RDONLY, 0);
	if (lfd < 0) {
		oci_close(&o->base);
		return hull_fail_code(err, -lfd, "oci:%s: not an OCI image layout (no oci-layout file)", ref->file);
	}
	close(lfd);
	*out = &o->base;
	return 0;
}
