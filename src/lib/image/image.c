/* image.c - images in the store read back (record, manifest, config) and made into runtime bundles.
 * Must never leave a half-made bundle behind, nor trust a stored blob more than a fetched one (all re-parsed). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/convert.h"
#include "image/image.h"
#include "image/unpack.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

int image_open(struct store *s, const char *what, struct image *out, hull_err *err)
{
	*out = (struct image){ 0 };
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (store_image_find(s, what, &out->record, err) < 0)
		goto fail;
	if (store_read_blob(s, &out->record->manifest, MANIFEST_MAX, &text, &len, err) < 0 ||
	    manifest_parse_stored(text, len, NULL, &out->record->manifest, &out->manifest, err) < 0)
		goto fail;
	free(text);
	text = NULL;
	if (store_read_blob(s, &out->manifest->config.digest, IMAGE_CONFIG_MAX, &text, &len, err) < 0 ||
	    image_config_parse_stored(text, len, &out->manifest->config.digest, &out->config, err) < 0)
		goto fail;
	if (out->config->n_diff_ids != out->manifest->n_layers) {
		hull_fail_code(err, EBADMSG, "image %.12s: its manifest and config disagree on the layers", out->record->id.hex);
		goto fail;
	}
	return 0;
fail:
	image_clear(out);
	return -1;
}

void image_clear(struct image *img)
{
	image_record_free(&img->record);
	manifest_free(&img->manifest);
	image_config_free(&img->config);
}

static int apply_layers(struct store *s, const struct image *img, int rootfd, hull_err *err)
{
	for (size_t i = 0; i < img->manifest->n_layers; i++) {
		const struct descriptor *d = &img->manifest->layers[i];
		_cleanup_close_ int blob = store_open_blob(s, &d->digest, err);
		if (blob < 0)
			return -1;
		struct unpack_opts uo = { .whiteouts = UNPACK_APPLY, .compression = d->compression, .keep_owners = geteuid() == 0 };
		struct unpack_result res;
		if (layer_unpack(blob, rootfd, &uo, &res, err) < 0)
			return hull_err_prefix(err, "layer %s", digest_text(&d->digest));
		if (!digest_equal(&res.diff_id, &img->config->diff_ids[i]))
			return hull_fail_code(err, EBADMSG, "layer %s: its tar is %s, the image config says %s", digest_text(&d->digest),
					      digest_text(&res.diff_id), digest_text(&img->config->diff_ids[i]));
	}
	return 0;
}

static int make_bundle(struct store *s, const struct image *img, int dirfd, const char *dir, hull_err *err)
{
	if (mkdirat(dirfd, "rootfs", 0755) < 0)
		return hull_fail_sys(err, "bundle %s: mkdir rootfs", dir);
	_cleanup_close_ int rootfd = openat(dirfd, "rootfs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return hull_fail_sys(err, "bundle %s: rootfs", dir);
	if (apply_layers(s, img, rootfd, err) < 0)
		return hull_err_prefix(err, "bundle %s", dir);
	json_object *cfg = NULL;
	if (image_runtime_config(img->config, rootfd, geteuid() != 0, false, &cfg, err) < 0)
		return hull_err_prefix(err, "bundle %s", dir);
	const char *text = json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	_cleanup_free_ char *data = xasprintf("%s\n", text);
	json_object_put(cfg);
	if (fs_write_file_atomic(dirfd, "config.json", data, strlen(data), 0644, err) < 0)
		return hull_err_prefix(err, "bundle %s", dir);
	return 0;
}

int image_bundle(struct store *s, const struct image *img, const char *dir, hull_err *err)
{
	bool made = mkdir(dir, 0755) == 0;
	if (!made && errno != EEXIST)
		return hull_fail_sys(err, "bundle %s", dir);
	_cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return hull_fail_sys(err, "bundle %s", dir);
	if (!made) {
		_cleanup_closedir_ DIR *d = fdopendir(fcntl(dirfd, F_DUPFD_CLOEXEC, 0));
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				return hull_fail_code(err, EEXIST, "bundle %s: the directory is not empty", dir);
	}
	if (make_bundle(s, img, dirfd, dir, err) == 0)
		return 0;
	/* nothing stays: what was made in the directory, and the directory when it was made here */
	fs_rmtree(dirfd, "rootfs");
	unlinkat(dirfd, "config.json", 0);
	if (made)
		rmdir(dir);
	return -1;
}
