/* source_docker.c - an unpacked docker-archive (`docker save`'s manifest.json, config and layer tars) as an image
 * source: each entry's OCI manifest is made here from the files' digests. Must never open a file outside the
 * archive's directory, whatever manifest.json names. */
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

#define ARCHIVE_MANIFEST_MAX ((size_t)16 << 20)

struct blob_file {
	struct digest digest;
	char *path;
};

struct docker_source {
	struct image_source base;
	int dirfd;
	char *manifest; /* the OCI manifest made for the entry */
	struct blob_file *files;
	size_t n_files;
};

static int docker_manifest(struct image_source *src, const char *reference, char **body, size_t *len, char **ct, hull_err *err)
{
	struct docker_source *d = (struct docker_source *)src;
	(void)reference;
	*body = xstrdup(d->manifest);
	*len = strlen(d->manifest);
	*ct = xstrdup(MT_OCI_MANIFEST);
	(void)err;
	return 0;
}

static int docker_blobs(struct image_source *src, struct blob_fetch *f, size_t n, hull_err *err)
{
	struct docker_source *d = (struct docker_source *)src;
	for (size_t i = 0; i < n; i++) {
		const char *path = NULL;
		for (size_t k = 0; k < d->n_files; k++)
			if (digest_equal(&d->files[k].digest, &f[i].desc->digest))
				path = d->files[k].path;
		if (path == NULL)
			return hull_fail_code(err, ENOENT, "%s: no file holds blob %s", src->name, digest_text(&f[i].desc->digest));
		int fd = fs_open_in_root(d->dirfd, path, O_RDONLY, 0);
		if (fd < 0)
			return hull_fail_errno(err, -fd, "%s: %s", src->name, path);
		int r = source_copy_blob(fd, f[i].desc, f[i].fd, err);
		close(fd);
		if (r < 0)
			return -1;
	}
	return 0;
}

static void docker_close(struct image_source *src)
{
	struct docker_source *d = (struct docker_source *)src;
	for (size_t i = 0; i < d->n_files; i++)
		free(d->files[i].path);
	free(d->files);
	free(d->manifest);
	free(d->base.name);
	free(d);
}

static const struct source_ops docker_ops = { docker_manifest, docker_blobs, docker_close };

/* a file of the archive: its digest, size and compression (by its first bytes) */
static int describe(struct docker_source *d, const char *path, json_object **desc, enum layer_compression *comp, hull_err *err)
{
	_cleanup_close_ int fd = fs_open_in_root(d->dirfd, path, O_RDONLY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "%s: %s", d->base.name, path);
	struct digest dg;
	if (digest_fd(fd, DIGEST_SHA256, &dg, err) < 0)
		return -1;
	off_t size = lseek(fd, 0, SEEK_END);
	unsigned char head[4] = { 0 };
	if (pread(fd, head, sizeof(head), 0) < 0)
		return hull_fail_sys(err, "%s: %s", d->base.name, path);
	*comp = head[0] == 0x1f && head[1] == 0x8b ? LAYER_GZIP : head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? LAYER_ZSTD : LAYER_PLAIN;
	*desc = json_object_new_object();
	json_object_object_add(*desc, "digest", json_object_new_string(digest_text(&dg)));
	json_object_object_add(*desc, "size", json_object_new_int64(size));
	d->files = xreallocarray(d->files, d->n_files + 1, sizeof(*d->files));
	d->files[d->n_files++] = (struct blob_file){ dg, xstrdup(path) };
	return 0;
}

int source_docker_archive_open(struct image_source **out, int dirfd, const char *name, size_t entry, char ***repo_tags,
			       hull_err *err)
{
	_cleanup_free_ char *text = NULL, *what = xasprintf("%s: manifest.json", name);
	size_t len = 0;
	int fd = fs_open_in_root(dirfd, "manifest.json", O_RDONLY, 0);
	if (fd < 0)
		return hull_fail_errno(err, -fd, "%s", what);
	int r = fs_read_fd_max(fd, what, ARCHIVE_MANIFEST_MAX, &text, &len, err);
	close(fd);
	if (r < 0)
		return -1;
	json_object *doc = sj_parse_value(text, len, json_type_array, what, err);
	if (doc == NULL)
		return -1;
	struct ctx c = { what, err };
	struct docker_source *d = xcalloc(1, sizeof(*d));
	d->base.ops = &docker_ops;
	d->base.name = xstrdup(name);
	d->dirfd = dirfd;
	int ret = -1;
	_cleanup_free_ char *cfgpath = NULL, *p = sj_idx("", entry);
	_cleanup_strv_ char **layers = NULL;
	json_object *e = json_object_array_get_idx(doc, entry);
	if (e == NULL) {
		hull_fail_code(err, ENOENT, "%s: no entry %zu ", what, entry);
		goto out;
	}
	if (sj_check_element_object(&c, e, p) < 0 || sj_get_string(&c, e, "Config", p, true, &cfgpath) < 0 ||
	    sj_get_strv(&c, e, "Layers", p, false, &layers, NULL) < 0 || sj_get_strv(&c, e, "RepoTags", p, false, repo_tags, NULL) < 0)
		goto out;
	json_object *m = json_object_new_object(), *cfg = NULL, *ls = json_object_new_array();
	json_object_object_add(m, "schemaVersion", json_object_new_int(2));
	json_object_object_add(m, "mediaType", json_object_new_string(MT_OCI_MANIFEST));
	json_object_object_add(m, "layers", ls);
	enum layer_compression comp;
	if (describe(d, cfgpath, &cfg, &comp, err) < 0) {
		json_object_put(m);
		goto out;
	}
	json_object_object_add(cfg, "mediaType", json_object_new_string(MT_OCI_CONFIG));
	json_object_object_add(m, "config", cfg);
	static const char *const layer_types[] = { [LAYER_PLAIN] = MT_OCI_LAYER, [LAYER_GZIP] = MT_OCI_LAYER_GZIP, [LAYER_ZSTD] = MT_OCI_LAYER_ZSTD };
	for (char **l = layers; l && *l; l++) {
		json_object *ld = NULL;
		if (describe(d, *l, &ld, &comp, err) < 0) {
			json_object_put(m);
			goto out;
		}
		json_object_object_add(ld, "mediaType", json_object_new_string(layer_types[comp]));
		json_object_array_add(ls, ld);
	}
	d->manifest = xstrdup(json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(m);
	ret = 0;
out:
	json_object_put(doc);
	if (ret < 0) {
		docker_close(&d->base);
		return -1;
	}
	*out = &d->base;
	return 0;
}

int docker_archive_count(int dirfd, size_t *n)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	int fd = fs_open_in_root(dirfd, "manifest.json", O_RDONLY, 0);
	if (fd < 0)
		return -1;
	int r = fs_read_fd_max(fd, "manifest.json", ARCHIVE_MANIFEST_MAX, &text, NULL, &err);
	close(fd);
	if (r < 0)
		return -1;
	json_object *doc = json_tokener_parse(text);
	*n = doc && json_object_is_type(doc, json_type_array) ? json_object_array_length(doc) : 0;
	json_object_put(doc);
	return doc ? 0 : -1;
}
