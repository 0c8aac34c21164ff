/* store.c - the image store on disk: blobs by digest, layers by diffID, records by image id, with flock(2) for
 * concurrency and rename(2) for crash safety. Must never make visible a blob or layer it has not verified, nor
 * remove one an image still uses; everything is reached through the root's fd, never through a path a layer holds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image/manifest.h"
#include "image/ref.h"
#include "image/store.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define RECORD_MAX ((size_t)1 << 20)
static const char *const store_dirs[] = { "blobs", "blobs/sha256", "blobs/sha512", "layers", "images", "tmp" };

char *store_default_root(void)
{
	if (geteuid() == 0)
		return xstrdup("/var/lib/hull");
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/hull", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/hull", home && *home ? home : "/");
}

static void remove_stale(struct store *s)
{
	int fd = openat(s->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "layer-", 6) == 0)
			fs_rmtree(fd, de->d_name);
}

int store_open(struct store **out, const char *root, hull_err *err)
{
	if (fs_mkdir_p(root, 0700, err) < 0)
		return hull_err_prefix(err, "image store %s", root);
	struct store *s = xcalloc(1, sizeof(*s));
	/* absolute: overlay mounts and messages name layers by it */
	s->root = realpath(root, NULL);
	if (s->root == NULL) {
		free(s);
		return hull_fail_sys(err, "image store %s", root);
	}
	s->lockfd = -1;
	s->dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		int e = errno;
		store_close(&s);
		return hull_fail_errno(err, e, "image store %s", root);
	}
	for (size_t i = 0; i < ARRAY_SIZE(store_dirs); i++)
		if (mkdirat(s->dirfd, store_dirs[i], 0700) < 0 && errno != EEXIST) {
			int e = errno;
			store_close(&s);
			return hull_fail_errno(err, e, "image store %s: mkdir %s", root, store_dirs[i]);
		}
	s->lockfd = openat(s->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	/* alone in the store: what a killed user left in tmp/ (unpack dirs, load dirs) goes; partial blobs stay, the
	 * next pull resumes them */
	if (s->lockfd >= 0 && flock(s->lockfd, LOCK_EX | LOCK_NB) == 0)
		remove_stale(s);
	if (s->lockfd < 0 || flock(s->lockfd, LOCK_SH) < 0) {
		int e = errno;
		store_close(&s);
		return hull_fail_errno(err, e, "image store %s: lock", root);
	}
	*out = s;
	return 0;
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	if (s == NULL)
		return;
	if (s->lockfd >= 0)
		close(s->lockfd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->root);
	free(s);
	*sp = NULL;
}

int store_lock_exclusive(struct store *s, hull_err *err)
{
	if (s->exclusive)
		return 0;
	if (flock(s->lockfd, LOCK_EX) < 0)
		return hull_fail_sys(err, "image store %s: lock", s->root);
	s->exclusive = true;
	return 0;
}

/* --- blobs --- */

static char *blob_path(const struct digest *d)
{
	return xasprintf("blobs/%s/%s", d->algo == DIGEST_SHA256 ? "sha256" : "sha512", d->hex);
}

bool store_has_blob(struct store *s, const struct digest *d)
{
	_cleanup_free_ char *p = blob_path(d);
	return faccessat(s->dirfd, p, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int store_open_blob(struct store *s, const struct digest *d, hull_err *err)
{
	_cleanup_free_ char *p = blob_path(d);
	int fd = openat(s->dirfd, p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "blob %s", digest_text(d));
	return fd;
}

int store_read_blob(struct store *s, const struct digest *d, size_t max, char **data, size_t *len, hull_err *err)
{
	_cleanup_free_ char *p = blob_path(d);
	if (fs_read_file_max(s->dirfd, p, max, data, len, err) < 0)
		return hull_err_prefix(err, "blob %s", digest_text(d));
	return 0;
}

int store_put_blob(struct store *s, const struct digest *d, const char *data, size_t len, hull_err *err)
{
	struct digest got;
	if (digest_buffer(data, len, d->algo, &got, err) < 0)
		return -1;
	if (!digest_equal(&got, d))
		return hull_fail_code(err, EBADMSG, "blob %s: digest mismatch (got %s)", digest_text(d), digest_text(&got));
	if (store_has_blob(s, d))
		return 0;
	_cleanup_free_ char *p = blob_path(d);
	return fs_write_file_atomic(s->dirfd, p, data, len, 0600, err);
}

int store_blob_partial(struct store *s, const struct digest *d, bool wait, hull_err *err)
{
	_cleanup_free_ char *p = xasprintf("tmp/blob-%s", d->hex);
	_cleanup_close_ int fd = openat(s->dirfd, p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hull_fail_sys(err, "blob %s: %s", digest_text(d), p);
	if (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return -EWOULDBLOCK;
		return hull_fail_sys(err, "blob %s: lock", digest_text(d));
	}
	/* the previous holder may have committed it (renamed away) while we waited: start over on the real name */
	struct stat a, b;
	if (fstat(fd, &a) < 0 || fstatat(s->dirfd, p, &b, AT_SYMLINK_NOFOLLOW) < 0 || a.st_ino != b.st_ino) {
		close(fd);
		fd = -1;
		return store_blob_partial(s, d, wait, err);
	}
	int ret = fd;
	fd = -1;
	return ret;
}

void store_blob_discard(struct store *s, const struct digest *d)
{
	_cleanup_free_ char *p = xasprintf("tmp/blob-%s", d->hex);
	unlinkat(s->dirfd, p, 0);
}

int store_blob_commit(struct store *s, const struct digest *d, hull_err *err)
{
	_cleanup_free_ char *from = xasprintf("tmp/blob-%s", d->hex), *to = blob_path(d);
	if (renameat(s->dirfd, from, s->dirfd, to) < 0)
		return hull_fail_sys(err, "blob %s: rename into the store", digest_text(d));
	return 0;
}

/* --- layers --- */

char *store_layer_path(struct store *s, const struct digest *diff_id)
{
	return xasprintf("%s/layers/%s", s->root, diff_id->hex);
}

bool store_has_layer(struct store *s, const struct digest *diff_id)
{
	_cleanup_free_ char *p = xasprintf("layers/%s.json", diff_id->hex);
	return faccessat(s->dirfd, p, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int64_t store_layer_size(struct store *s, const struct digest *diff_id)
{
	_cleanup_free_ char *p = xasprintf("layers/%s.json", diff_id->hex), *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	size_t len = 0;
	if (fs_read_file_max(s->dirfd, p, RECORD_MAX, &text, &len, &err) < 0)
		return -1;
	json_object *doc = sj_parse_document(text, len, p, &err);
	struct ctx c = { p, &err };
	int64_t size = -1;
	bool present = false;
	if (doc == NULL || sj_get_int(&c, doc, "size", "size", 0, INT64_MAX, &present, &size) < 0 || !present)
		size = -1;
	json_object_put(doc);
	return size;
}

int store_layer_tmpdir(struct store *s, char **name, int *dirfd, hull_err *err)
{
	_cleanup_free_ char *tmpl = xasprintf("%s/tmp/layer-XXXXXX", s->root);
	if (mkdtemp(tmpl) == NULL)
		return hull_fail_sys(err, "image store %s: a directory to unpack into", s->root);
	const char *base = strrchr(tmpl, '/') + 1;
	*name = xasprintf("tmp/%s", base);
	*dirfd = openat(s->dirfd, *name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*dirfd < 0) {
		int e = errno;
		store_tmp_remove(s, *name);
		free(*name);
		*name = NULL;
		return hull_fail_errno(err, e, "image store %s: open %s", s->root, base);
	}
	return 0;
}

void store_tmp_remove(struct store *s, const char *name)
{
	_cleanup_close_ int tmp = openat(s->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tmp >= 0 && strncmp(name, "tmp/", 4) == 0)
		fs_rmtree(tmp, name + 4);
}

/* A layer is there once layers/HEX.json is: the directory is renamed in first, the marker written after it, so a
 * kill between the two leaves a directory without marker that the next pull replaces and gc removes. */
int store_layer_commit(struct store *s, const char *tmpname, const struct digest *diff_id, uint64_t size, hull_err *err)
{
	_cleanup_free_ char *to = xasprintf("layers/%s", diff_id->hex), *marker = xasprintf("layers/%s.json", diff_id->hex);
	if (store_has_layer(s, diff_id)) {
		store_tmp_remove(s, tmpname);
		return 0;
	}
	if (renameat(s->dirfd, tmpname, s->dirfd, to) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY)
			return hull_fail_sys(err, "layer %s: rename into the store", digest_text(diff_id));
		/* a directory without marker: a dead pull's (replace it), or a live one's about to write the marker */
		_cleanup_close_ int layers = openat(s->dirfd, "layers", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (renameat2(s->dirfd, tmpname, layers, diff_id->hex, RENAME_EXCHANGE) < 0)
			return hull_fail_sys(err, "layer %s: replace an unfinished one", digest_text(diff_id));
		store_tmp_remove(s, tmpname);
	}
	fault_point("pull.layer_renamed");
	_cleanup_free_ char *json = xasprintf("{\"diff_id\":\"%s\",\"size\":%llu}\n", digest_text(diff_id),
					      (unsigned long long)size);
	return fs_write_file_atomic(s->dirfd, marker, json, strlen(json), 0600, err);
}

/* --- records --- */

void image_record_free(struct image_record **rp)
{
	struct image_record *r = *rp;
	if (r == NULL)
		return;
	cleanup_strvp(&r->names);
	free(r->pulled);
	free(r);
	*rp = NULL;
}

void image_records_free(struct image_record ***v, size_t n)
{
	if (*v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		image_record_free(&(*v)[i]);
	free(*v);
	*v = NULL;
}

static int parse_record(const char *text, size_t len, const char *name, struct image_record **out, hull_err *err)
{
	json_object *doc = sj_parse_document(text, len, name, err);
	if (doc == NULL)
		return -1;
	struct ctx c = { name, err };
	_cleanup_image_record_ struct image_record *r = xcalloc(1, sizeof(*r));
	_cleanup_free_ char *id = NULL, *manifest = NULL, *index = NULL;
	int ret = -1;
	if (sj_get_string(&c, doc, "id", "id", true, &id) < 0 || sj_get_string(&c, doc, "manifest", "manifest", true, &manifest) < 0 ||
	    sj_get_string(&c, doc, "index", "index", false, &index) < 0 ||
	    sj_get_strv(&c, doc, "names", "names", false, &r->names, NULL) < 0 ||
	    sj_get_string(&c, doc, "pulled", "pulled", false, &r->pulled) < 0 || digest_parse(id, &r->id, name, err) < 0 ||
	    digest_parse(manifest, &r->manifest, name, err) < 0 || (index && digest_parse(index, &r->index, name, err) < 0))
		goto out;
	r->has_index = index != NULL;
	if (r->names == NULL)
		r->names = xcalloc(1, sizeof(char *));
	*out = r;
	r = NULL;
	ret = 0;
out:
	json_object_put(doc);
	return ret;
}

static int write_record(struct store *s, const struct image_record *r, hull_err *err)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(digest_text(&r->id)));
	json_object_object_add(o, "manifest", json_object_new_string(digest_text(&r->manifest)));
	if (r->has_index)
		json_object_object_add(o, "index", json_object_new_string(digest_text(&r->index)));
	json_object *names = json_object_new_array();
	for (char **n = r->names; n && *n; n++)
		json_object_array_add(names, json_object_new_string(*n));
	json_object_object_add(o, "names", names);
	if (r->pulled)
		json_object_object_add(o, "pulled", json_object_new_string(r->pulled));
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	_cleanup_free_ char *path = xasprintf("images/%s.json", r->id.hex);
	int ret = fs_write_file_atomic(s->dirfd, path, text, strlen(text), 0600, err);
	json_object_put(o);
	return ret;
}

static int cmp_pulled(const void *a, const void *b)
{
	const struct image_record *x = *(struct image_record *const *)a, *y = *(struct image_record *const *)b;
	int c = strcmp(x->pulled ? x->pulled : "", y->pulled ? y->pulled : "");
	return c ? c : strcmp(x->id.hex, y->id.hex);
}

int store_image_list(struct store *s, struct image_record ***out, size_t *n_out, hull_err *err)
{
	*out = NULL;
	*n_out = 0;
	int fd = openat(s->dirfd, "images", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "image store %s: images", s->root);
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return hull_fail_sys(err, "image store %s: images", s->root);
	}
	struct image_record **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len != 64 + 5 || strcmp(de->d_name + 64, ".json") != 0)
			continue; /* ".", "..", and a writer's temporary file */
		_cleanup_free_ char *text = NULL, *name = xasprintf("image record %s/images/%s", s->root, de->d_name);
		size_t tlen = 0;
		struct image_record *r = NULL;
		if (fs_read_file_max(dirfd(d), de->d_name, RECORD_MAX, &text, &tlen, err) < 0) {
			if ((*err)->errnum == ENOENT) { /* removed meanwhile */
				hull_err_free(err);
				continue;
			}
			image_records_free(&v, n);
			return -1;
		}
		if (parse_record(text, tlen, name, &r, err) < 0) {
			image_records_free(&v, n);
			return -1;
		}
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = r;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_pulled);
	*out = v;
	*n_out = n;
	return 0;
}

/* the records lock: every change of images/ reads, changes and writes under it */
static int records_lock(struct store *s, hull_err *err)
{
	int fd = openat(s->dirfd, "records.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return hull_fail_errno(err, e, "image store %s: lock the records", s->root);
	}
	return fd;
}

static bool strv_has(char **v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static void strv_add(char ***v, const char *s)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	*v = xreallocarray(*v, n + 2, sizeof(char *));
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

/* remove s from v; true when it was there */
static bool strv_remove(char **v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0) {
			free(v[i]);
			for (size_t j = i; v[j]; j++)
				v[j] = v[j + 1];
			return true;
		}
	return false;
}

static char *now_rfc3339(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char buf[64];
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%09ldZ", ts.tv_nsec);
	return xstrdup(buf);
}

/* Take names away from every record but keep_id's; the caller holds the records lock. */
static int take_names(struct store *s, char **names, const struct digest *keep_id, hull_err *err)
{
	struct image_record **v = NULL;
	size_t n = 0;
	if (store_image_list(s, &v, &n, err) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		if (digest_equal(&v[i]->id, keep_id))
			continue;
		bool changed = false;
		for (char **nm = names; nm && *nm; nm++)
			changed |= strv_remove(v[i]->names, *nm);
		if (changed)
			ret = write_record(s, v[i], err);
	}
	image_records_free(&v, n);
	return ret;
}

static int read_record(struct store *s, const struct digest *id, struct image_record **out, hull_err *err)
{
	_cleanup_free_ char *path = xasprintf("images/%s.json", id->hex), *text = NULL;
	_cleanup_free_ char *name = xasprintf("image record %s/%s", s->root, path);
	size_t len = 0;
	if (fs_read_file_max(s->dirfd, path, RECORD_MAX, &text, &len, err) < 0)
		return -1;
	return parse_record(text, len, name, out, err);
}

int store_image_put(struct store *s, const struct image_record *r, hull_err *err)
{
	_cleanup_close_ int lock = records_lock(s, err);
	if (lock < 0)
		return -1;
	_cleanup_image_record_ struct image_record *have = NULL;
	_cleanup_err_ hull_err rerr = NULL;
	if (read_record(s, &r->id, &have, &rerr) < 0) {
		if (rerr->errnum != ENOENT) {
			*err = rerr;
			rerr = NULL;
			return -1;
		}
		have = xcalloc(1, sizeof(*have));
		have->id = r->id;
		have->names = xcalloc(1, sizeof(char *));
		have->pulled = now_rfc3339();
	}
	have->manifest = r->manifest;
	have->has_index = r->has_index;
	have->index = r->index;
	for (char **n = r->names; n && *n; n++)
		if (!strv_has(have->names, *n))
			strv_add(&have->names, *n);
	if (take_names(s, r->names, &r->id, err) < 0)
		return -1;
	return write_record(s, have, err);
}

static bool is_hex(const char *s)
{
	return *s && strspn(s, "0123456789abcdef") == strlen(s);
}

#define SHORT_ID_MIN 3

int store_image_find(struct store *s, const char *what, struct image_record **out, hull_err *err)
{
	struct image_record **v = NULL;
	size_t n = 0;
	if (store_image_list(s, &v, &n, err) < 0)
		return -1;
	_cleanup_free_ char *name = NULL;
	struct image_ref ref;
	_cleanup_err_ hull_err rerr = NULL;
	if (image_ref_parse_name(what, &ref, &rerr) == 0) {
		name = image_ref_name(&ref);
		image_ref_clear(&ref);
	}
	const char *hex = strncmp(what, "sha256:", 7) == 0 ? what + 7 : what;
	bool by_id = is_hex(hex) && strlen(hex) >= SHORT_ID_MIN && strlen(hex) <= 64;
	ssize_t found = -1;
	int ret = 0;
	for (size_t i = 0; i < n; i++)
		if (name && strv_has(v[i]->names, name)) {
			found = (ssize_t)i;
			break;
		}
	for (size_t i = 0; found < 0 && by_id && i < n; i++) {
		if (strncmp(v[i]->id.hex, hex, strlen(hex)) != 0)
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (strncmp(v[j]->id.hex, hex, strlen(hex)) == 0) {
				ret = hull_fail_code(err, EINVAL, "%s: more than one image has an id starting so", what);
				goto out;
			}
		found = (ssize_t)i;
	}
	if (found < 0) {
		ret = hull_fail_code(err, ENOENT, "%s: image not known", what);
		goto out;
	}
	*out = v[found];
	v[found] = NULL;
out:
	image_records_free(&v, n);
	return ret;
}

int store_image_tag(struct store *s, const struct digest *id, const char *name, hull_err *err)
{
	_cleanup_close_ int lock = records_lock(s, err);
	if (lock < 0)
		return -1;
	_cleanup_image_record_ struct image_record *r = NULL;
	if (read_record(s, id, &r, err) < 0)
		return -1;
	char *names[] = { (char *)name, NULL };
	if (take_names(s, names, id, err) < 0)
		return -1;
	if (!strv_has(r->names, name))
		strv_add(&r->names, name);
	return write_record(s, r, err);
}

int store_image_untag(struct store *s, const struct digest *id, const char *name, bool all, hull_err *err)
{
	_cleanup_close_ int lock = records_lock(s, err);
	if (lock < 0)
		return -1;
	_cleanup_image_record_ struct image_record *r = NULL;
	if (read_record(s, id, &r, err) < 0)
		return -1;
	if (!all && name && strv_remove(r->names, name) && r->names[0])
		return write_record(s, r, err) < 0 ? -1 : 0;
	_cleanup_free_ char *path = xasprintf("images/%s.json", id->hex);
	if (unlinkat(s->dirfd, path, 0) < 0)
		return hull_fail_sys(err, "image %.12s: remove its record", id->hex);
	return 1;
}

/* --- garbage collection --- */

struct keep {
	char **blobs;  /* "sha256/HEX" */
	char **layers; /* HEX */
};

static void keep_blob(struct keep *k, const struct digest *d)
{
	_cleanup_free_ char *p = blob_path(d);
	strv_add(&k->blobs, p + strlen("blobs/"));
}

/* what an image record needs: its index, manifest, config and layer blobs, and its layers */
static int keep_image(struct store *s, const struct image_record *r, struct keep *k, hull_err *err)
{
	if (r->has_index)
		keep_blob(k, &r->index);
	keep_blob(k, &r->manifest);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	_cleanup_manifest_ struct manifest *m = NULL;
	if (store_read_blob(s, &r->manifest, MANIFEST_MAX, &text, &len, err) < 0 ||
	    manifest_parse_stored(text, len, NULL, &r->manifest, &m, err) < 0)
		return -1;
	keep_blob(k, &m->config.digest);
	for (size_t i = 0; i < m->n_layers; i++)
		keep_blob(k, &m->layers[i].digest);
	_cleanup_free_ char *ctext = NULL;
	_cleanup_image_config_ struct image_config *c = NULL;
	if (store_read_blob(s, &m->config.digest, IMAGE_CONFIG_MAX, &ctext, &len, err) < 0 ||
	    image_config_parse_stored(ctext, len, &m->config.digest, &c, err) < 0)
		return -1;
	for (size_t i = 0; i < c->n_diff_ids; i++)
		strv_add(&k->layers, c->diff_ids[i].hex);
	return 0;
}

static uint64_t tree_size(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return (uint64_t)st.st_size;
}

/* remove what dir (below the root) holds that keep does not name; layers' "HEX.json" markers go with HEX */
static int sweep(struct store *s, const char *dir, char **keep, bool layers, struct gc_result *res, hull_err *err)
{
	int fd = openat(s->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "image store %s: %s", s->root, dir);
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return hull_fail_sys(err, "image store %s: %s", s->root, dir);
	}
	const char *prefix = strchr(dir, '/') ? strchr(dir, '/') + 1 : "";
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		_cleanup_free_ char *key = xasprintf("%s%s%.*s", prefix, *prefix ? "/" : "",
						     layers ? (int)strcspn(de->d_name, ".") : (int)strlen(de->d_name), de->d_name);
		if (keep && strv_has(keep, key))
			continue;
		bool marker = layers && strchr(de->d_name, '.');
		if (!marker) {
			res->bytes += tree_size(fd, de->d_name);
			if (layers)
				res->layers++;
			else
				res->blobs++;
		}
		int r = fs_rmtree(fd, de->d_name);
		if (r < 0 && r != -ENOENT)
			return hull_fail_errno(err, -r, "image store %s: remove %s/%s", s->root, dir, de->d_name);
	}
	return 0;
}

int store_gc(struct store *s, struct gc_result *res, hull_err *err)
{
	*res = (struct gc_result){ 0 };
	if (!s->exclusive)
		return hull_fail(err, "image store %s: garbage collection needs the store alone", s->root);
	struct image_record **v = NULL;
	size_t n = 0;
	if (store_image_list(s, &v, &n, err) < 0)
		return -1;
	struct keep k = { xcalloc(1, sizeof(char *)), xcalloc(1, sizeof(char *)) };
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = keep_image(s, v[i], &k, err);
	image_records_free(&v, n);
	struct gc_result tmp = { 0 };
	if (ret == 0)
		ret = sweep(s, "blobs/sha256", k.blobs, false, res, err);
	if (ret == 0)
		ret = sweep(s, "blobs/sha512", k.blobs, false, res, err);
	if (ret == 0)
		ret = sweep(s, "layers", k.layers, true, res, err);
	if (ret == 0)
		ret = sweep(s, "tmp", NULL, false, &tmp, err);
	cleanup_strvp(&k.blobs);
	cleanup_strvp(&k.layers);
	return ret;
}
