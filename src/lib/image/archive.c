/* archive.c - `image load` and `image save`: archives unpacked with layer_unpack (every name contained) and read as a
 * source, archives written with libarchive (loaded on first use) from the store's verified blobs.
 * Must never leave the unpacked archive or a half-written output file behind. */
#include <archive.h>
#include <archive_entry.h>
#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/archive.h"
#include "image/ref.h"
#include "image/source.h"
#include "image/unpack.h"
#include "util/cleanup.h"
#include "util/dl.h"
#include "util/xalloc.h"

#define ARCHIVE_MAX ((uint64_t)256 << 30) /* what an archive may unpack to */
#define COPY_CHUNK ((size_t)256 << 10)

/* --- load --- */

static enum layer_compression sniff(int fd)
{
	unsigned char h[4] = { 0 };
	if (pread(fd, h, sizeof(h), 0) < 2)
		return LAYER_PLAIN;
	if (h[0] == 0x1f && h[1] == 0x8b)
		return LAYER_GZIP;
	if (h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd)
		return LAYER_ZSTD;
	return LAYER_PLAIN;
}

/* a name from an archive ("busybox:latest", "docker.io/library/busybox:1.36") normalised; NULL when it is none */
static char *normal_name(const char *n)
{
	struct image_ref r;
	_cleanup_err_ hull_err err = NULL;
	if (n == NULL || image_ref_parse_name(n, &r, &err) < 0)
		return NULL;
	char *out = r.has_digest && r.tag == NULL ? NULL : image_ref_name(&r);
	image_ref_clear(&r);
	return out;
}

static void loaded(FILE *out, const char *name, const struct digest *id)
{
	if (out)
		fprintf(out, "Loaded image: %s\n", name ? name : digest_text(id));
}

/* does a RepoTag (or ref.name) name the image `want` asks for? */
static bool wanted(const char *name, const struct image_ref *want)
{
	if (want->transport == TRANSPORT_OCI_ARCHIVE)
		return want->tag == NULL || (name && strcmp(name, want->tag) == 0);
	if (want->path == NULL)
		return true;
	_cleanup_free_ char *a = normal_name(name), *b = image_ref_name(want);
	return a && strcmp(a, b) == 0;
}

static int load_docker(struct store *s, int dirfd, const char *file, const struct image_ref *want, const struct pull_opts *o,
		       FILE *out, size_t *loaded_n, struct digest *id, hull_err *err)
{
	size_t n = 0;
	if (docker_archive_count(dirfd, &n) < 0 || n == 0)
		return hull_fail_code(err, EINVAL, "%s: manifest.json lists no image", file);
	for (size_t i = 0; i < n; i++) {
		_cleanup_source_ struct image_source *src = NULL;
		_cleanup_strv_ char **tags = NULL;
		_cleanup_free_ char *name = xasprintf("docker-archive:%s", file);
		if (source_docker_archive_open(&src, dirfd, name, i, &tags, err) < 0)
			return -1;
		bool match = want == NULL || (n == 1 && want->path == NULL);
		for (char **t = tags; want && !match && t && *t; t++)
			match = wanted(*t, want);
		if (!match)
			continue;
		_cleanup_free_ char *first = want && want->path ? image_ref_name(want) : tags ? normal_name(tags[0]) : NULL;
		if (image_pull_source(s, src, NULL, first, o, id, err) < 0)
			return -1;
		(*loaded_n)++;
		loaded(out, first, id);
		for (char **t = tags && tags[0] && !want ? tags + 1 : NULL; t && *t; t++) {
			_cleanup_free_ char *nm = normal_name(*t);
			if (nm && store_image_tag(s, id, nm, err) < 0)
				return -1;
			if (nm)
				loaded(out, nm, id);
		}
	}
	return 0;
}

static int load_oci(struct store *s, int dirfd, const char *path, const char *file, const struct image_ref *want,
		    const struct pull_opts *o, FILE *out, size_t *loaded_n, struct digest *id, hull_err *err)
{
	struct oci_entry *v = NULL;
	size_t n = 0;
	_cleanup_free_ char *name = xasprintf("oci-archive:%s", file);
	if (oci_layout_entries(dirfd, name, &v, &n, err) < 0)
		return -1;
	int ret = n ? 0 : hull_fail_code(err, EINVAL, "%s: index.json lists no image", file);
	struct image_ref ref = { .transport = TRANSPORT_OCI, .file = (char *)path };
	for (size_t i = 0; i < n && ret == 0; i++) {
		if (want && !(n == 1 && want->tag == NULL) && !wanted(v[i].ref_name, want))
			continue;
		_cleanup_source_ struct image_source *src = NULL;
		_cleanup_free_ char *nm = o->name ? xstrdup(o->name) : normal_name(v[i].ref_name);
		ret = source_oci_open(&src, &ref, err);
		if (ret == 0) { /* messages name the archive, not the directory it was unpacked into */
			free(src->name);
			src->name = xstrdup(name);
		}
		if (ret == 0)
			ret = image_pull_source(s, src, digest_text(&v[i].digest), nm, o, id, err);
		if (ret == 0) {
			(*loaded_n)++;
			loaded(out, nm, id);
		}
	}
	oci_entries_free(&v, n);
	return ret;
}

/* Unpack the archive into the store's tmp/ and load what `want` names from it (NULL: everything) */
static int load_archive(struct store *s, const char *file, const struct image_ref *want, const struct pull_opts *o,
			FILE *out, struct digest *id, hull_err *err)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "load %s", file);
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int dirfd = -1;
	if (store_layer_tmpdir(s, &tmp, &dirfd, err) < 0)
		return -1;
	struct unpack_opts uo = { .whiteouts = UNPACK_APPLY, .compression = sniff(fd), .max_bytes = ARCHIVE_MAX };
	struct unpack_result res;
	size_t n = 0;
	int ret = layer_unpack(fd, dirfd, &uo, &res, err);
	bool docker = ret == 0 && faccessat(dirfd, "manifest.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	bool oci = ret == 0 && faccessat(dirfd, "oci-layout", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	if (ret < 0)
		hull_err_prefix(err, "load %s", file);
	else if (want && ((want->transport == TRANSPORT_DOCKER_ARCHIVE && !docker) || (want->transport == TRANSPORT_OCI_ARCHIVE && !oci)))
		ret = hull_fail_code(err, EINVAL, "%s: not a%s", file, docker ? "n oci-archive (no oci-layout)" : " docker-archive (no manifest.json)");
	else if (docker)
		ret = load_docker(s, dirfd, file, want, o, out, &n, id, err);
	else if (oci) {
		_cleanup_free_ char *path = xasprintf("%s/%s", s->root, tmp);
		ret = load_oci(s, dirfd, path, file, want, o, out, &n, id, err);
	} else
		ret = hull_fail_code(err, EINVAL, "load %s: neither a docker-archive (manifest.json) nor an oci-archive (oci-layout)", file);
	if (ret == 0 && want && n != 1)
		ret = hull_fail_code(err, ENOENT, "%s: %s", file, n ? "more than one image matches" : "no such image in the archive");
	store_tmp_remove(s, tmp);
	return ret;
}

int image_load(struct store *s, const char *file, const struct pull_opts *o, FILE *out, hull_err *err)
{
	struct digest id;
	return load_archive(s, file, NULL, o, out, &id, err);
}

int image_pull_archive(struct store *s, const struct image_ref *ref, const struct pull_opts *o, struct digest *id, hull_err *err)
{
	return load_archive(s, ref->file, ref, o, NULL, id, err);
}

/* --- save --- */

#define F(name) __typeof__(archive_##name) *name;
static struct {
	void *handle;
	F(write_new) F(write_free) F(write_close) F(write_set_format_pax_restricted) F(write_open_fd) F(write_header)
	F(write_data) F(error_string) F(entry_new) F(entry_free) F(entry_set_pathname) F(entry_set_size)
	F(entry_set_filetype) F(entry_set_perm) F(entry_set_mtime)
} aw;
#undef F
#define SYM(name) { "archive_" #name, offsetof(__typeof__(aw), name) }
static const struct dl_symbol aw_symbols[] = {
	SYM(write_new),	   SYM(write_free),	     SYM(write_close),	      SYM(write_set_format_pax_restricted),
	SYM(write_open_fd), SYM(write_header),	     SYM(write_data),	      SYM(error_string),
	SYM(entry_new),	   SYM(entry_free),	     SYM(entry_set_pathname), SYM(entry_set_size),
	SYM(entry_set_filetype), SYM(entry_set_perm), SYM(entry_set_mtime),
};
#undef SYM

struct writer {
	struct archive *a;
	const char *file;
	char **written; /* names already in the archive (a blob two images share goes in once) */
	size_t n_written;
};

static int entry_start(struct writer *w, const char *name, int64_t size, hull_err *err)
{
	struct archive_entry *e = aw.entry_new();
	if (e == NULL)
		xalloc_die();
	aw.entry_set_pathname(e, name);
	aw.entry_set_size(e, size);
	aw.entry_set_filetype(e, AE_IFREG);
	aw.entry_set_perm(e, 0644);
	aw.entry_set_mtime(e, 0, 0);
	int r = aw.write_header(w->a, e);
	aw.entry_free(e);
	if (r != ARCHIVE_OK)
		return hull_fail(err, "save %s: %s: %s", w->file, name, aw.error_string(w->a) ?: "cannot write");
	return 0;
}

static int write_data(struct writer *w, const char *name, const void *buf, size_t len, hull_err *err)
{
	if (len && aw.write_data(w->a, buf, len) != (la_ssize_t)len)
		return hull_fail(err, "save %s: %s: %s", w->file, name, aw.error_string(w->a) ?: "cannot write");
	return 0;
}

static int write_text(struct writer *w, const char *name, const char *text, hull_err *err)
{
	if (entry_start(w, name, (int64_t)strlen(text), err) < 0)
		return -1;
	return write_data(w, name, text, strlen(text), err);
}

static bool once(struct writer *w, const char *name)
{
	for (size_t i = 0; i < w->n_written; i++)
		if (strcmp(w->written[i], name) == 0)
			return false;
	w->written = xreallocarray(w->written, w->n_written + 1, sizeof(char *));
	w->written[w->n_written++] = xstrdup(name);
	return true;
}

/* a stored blob, re-verified while it is copied in */
static int write_blob(struct writer *w, struct store *s, const struct digest *d, const char *name, hull_err *err)
{
	if (!once(w, name))
		return 0;
	_cleanup_close_ int fd = store_open_blob(s, d, err);
	if (fd < 0)
		return -1;
	off_t size = lseek(fd, 0, SEEK_END);
	if (size < 0 || entry_start(w, name, size, err) < 0)
		return size < 0 ? hull_fail_sys(err, "blob %s", digest_text(d)) : -1;
	_cleanup_hasher_ struct hasher *h = NULL;
	if (hasher_new(&h, d->algo, err) < 0)
		return -1;
	_cleanup_free_ char *buf = xmalloc(COPY_CHUNK);
	for (off_t off = 0; off < size;) {
		ssize_t n = pread(fd, buf, COPY_CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return hull_fail_sys(err, "blob %s: read", digest_text(d));
		hasher_update(h, buf, (size_t)n);
		if (write_data(w, name, buf, (size_t)n, err) < 0)
			return -1;
		off += n;
	}
	struct digest got;
	hasher_final(h, &got);
	if (!digest_equal(&got, d))
		return hull_fail_code(err, EBADMSG, "blob %s: the store's copy is damaged (its digest is %s)", digest_text(d), digest_text(&got));
	return 0;
}

static char *blob_name(const struct digest *d)
{
	return xasprintf("blobs/%s/%s", d->algo == DIGEST_SHA256 ? "sha256" : "sha512", d->hex);
}

static int save_oci(struct writer *w, struct store *s, struct image *imgs, char *const *names, size_t n, hull_err *err)
{
	json_object *index = json_object_new_object(), *ms = json_object_new_array();
	json_object_object_add(index, "schemaVersion", json_object_new_int(2));
	json_object_object_add(index, "mediaType", json_object_new_string(MT_OCI_INDEX));
	json_object_object_add(index, "manifests", ms);
	int ret = write_text(w, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", err);
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct manifest *m = imgs[i].manifest;
		_cleanup_free_ char *mname = blob_name(&imgs[i].record->manifest), *cname = blob_name(&m->config.digest);
		ret = write_blob(w, s, &imgs[i].record->manifest, mname, err);
		if (ret == 0)
			ret = write_blob(w, s, &m->config.digest, cname, err);
		for (size_t k = 0; k < m->n_layers && ret == 0; k++) {
			_cleanup_free_ char *lname = blob_name(&m->layers[k].digest);
			ret = write_blob(w, s, &m->layers[k].digest, lname, err);
		}
		_cleanup_free_ char *text = NULL;
		size_t len = 0;
		if (ret == 0)
			ret = store_read_blob(s, &imgs[i].record->manifest, MANIFEST_MAX, &text, &len, err);
		if (ret < 0)
			break;
		json_object *d = json_object_new_object();
		json_object_object_add(d, "mediaType", json_object_new_string(m->media_type));
		json_object_object_add(d, "digest", json_object_new_string(digest_text(&imgs[i].record->manifest)));
		json_object_object_add(d, "size", json_object_new_int64((int64_t)len));
		const char *nm = names[i] ? names[i] : imgs[i].record->names[0];
		if (nm) {
			json_object *ann = json_object_new_object();
			json_object_object_add(ann, "org.opencontainers.image.ref.name", json_object_new_string(nm));
			json_object_object_add(d, "annotations", ann);
		}
		json_object_array_add(ms, d);
	}
	if (ret == 0)
		ret = write_text(w, "index.json", json_object_to_json_string_ext(index, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), err);
	json_object_put(index);
	return ret;
}

/* docker save's layout: manifest.json, the config as HEX.json and each layer as HEX.tar (the stored blob: docker and
 * podman load detect a compressed one) */
static int save_docker(struct writer *w, struct store *s, struct image *imgs, char *const *names, size_t n, hull_err *err)
{
	json_object *top = json_object_new_array();
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct manifest *m = imgs[i].manifest;
		_cleanup_free_ char *cname = xasprintf("%s.json", m->config.digest.hex);
		json_object *e = json_object_new_object(), *layers = json_object_new_array(), *tags = json_object_new_array();
		json_object_object_add(e, "Config", json_object_new_string(cname));
		if (names[i])
			json_object_array_add(tags, json_object_new_string(names[i]));
		else
			for (char **t = imgs[i].record->names; *t; t++)
				json_object_array_add(tags, json_object_new_string(*t));
		json_object_object_add(e, "RepoTags", tags);
		json_object_object_add(e, "Layers", layers);
		json_object_array_add(top, e);
		ret = write_blob(w, s, &m->config.digest, cname, err);
		for (size_t k = 0; k < m->n_layers && ret == 0; k++) {
			_cleanup_free_ char *lname = xasprintf("%s.tar", m->layers[k].digest.hex);
			json_object_array_add(layers, json_object_new_string(lname));
			ret = write_blob(w, s, &m->layers[k].digest, lname, err);
		}
	}
	if (ret == 0)
		ret = write_text(w, "manifest.json", json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), err);
	json_object_put(top);
	return ret;
}

int image_save(struct store *s, char *const *what, size_t n, enum archive_format fmt, const char *file, hull_err *err)
{
	if (dl_load("libarchive.so.13", aw_symbols, ARRAY_SIZE(aw_symbols), &aw, &aw.handle, "image save",
		    " (install libarchive13)", err) < 0)
		return -1;
	_cleanup_free_ struct image *imgs = xcalloc(n ? n : 1, sizeof(*imgs));
	_cleanup_free_ char **names = xcalloc(n + 1, sizeof(char *));
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = image_open(s, what[i], &imgs[i], err);
		/* a name given on the command line is the name saved; an id saves the image's own names */
		if (ret == 0 && strncmp(imgs[i].record->id.hex, what[i], strlen(what[i])) != 0)
			names[i] = normal_name(what[i]);
	}
	bool to_stdout = strcmp(file, "-") == 0;
	_cleanup_free_ char *tmp = to_stdout ? NULL : xasprintf("%s.tmp.%d", file, getpid());
	_cleanup_close_ int fd = -1;
	struct writer w = { .file = file };
	if (ret == 0) {
		fd = to_stdout ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			ret = hull_fail_sys(err, "save %s", file);
	}
	if (ret == 0) {
		w.a = aw.write_new();
		if (w.a == NULL)
			xalloc_die();
		if (aw.write_set_format_pax_restricted(w.a) != ARCHIVE_OK || aw.write_open_fd(w.a, fd) != ARCHIVE_OK)
			ret = hull_fail(err, "save %s: %s", file, aw.error_string(w.a) ?: "cannot start the archive");
	}
	if (ret == 0)
		ret = fmt == ARCHIVE_OCI ? save_oci(&w, s, imgs, names, n, err) : save_docker(&w, s, imgs, names, n, err);
	if (w.a) {
		if (aw.write_close(w.a) != ARCHIVE_OK && ret == 0)
			ret = hull_fail(err, "save %s: %s", file, aw.error_string(w.a) ?: "cannot finish the archive");
		aw.write_free(w.a);
	}
	if (ret == 0 && !to_stdout && (fsync(fd) < 0 || rename(tmp, file) < 0))
		ret = hull_fail_sys(err, "save %s", file);
	if (ret < 0 && tmp && fd >= 0)
		unlink(tmp);
	for (size_t i = 0; i < n; i++) {
		image_clear(&imgs[i]);
		free(names[i]);
	}
	for (size_t i = 0; i < w.n_written; i++)
		free(w.written[i]);
	free(w.written);
	return ret;
}
