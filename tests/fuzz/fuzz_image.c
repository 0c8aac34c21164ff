/* fuzz_image.c - libFuzzer target for what a registry or an archive hands the image code: the first byte picks the
 * parser (manifest or index under one of the content types a registry may send, image config, image reference,
 * docker-archive manifest), the rest is its input. What a parser accepts must hold its invariants.
 * Must never touch a store, a registry or a file. */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "image/manifest.h"
#include "image/ref.h"

static const char *const content_types[] = {
	NULL, MT_OCI_MANIFEST, MT_OCI_INDEX, MT_DOCKER_MANIFEST, MT_DOCKER_LIST, "application/json; charset=utf-8",
};

static void check_descriptor(const struct descriptor *d)
{
	char buf[DIGEST_STR_MAX];
	struct digest again;
	hull_err err = NULL;
	if (d->size < 0 || d->media_type == NULL || digest_parse(digest_str(&d->digest, buf), &again, "fuzz", &err) < 0 ||
	    !digest_equal(&again, &d->digest))
		abort();
}

static void fuzz_manifest(const char *text, size_t len, const char *ct)
{
	struct manifest *m = NULL;
	hull_err err = NULL;
	int ret = manifest_parse(text, len, ct, &m, &err);
	fuzz_check_result(ret, m, &err);
	if (ret < 0) {
		if (m != NULL)
			abort();
		return;
	}
	if (m->kind == MANIFEST_IMAGE) {
		if (m->n_layers > IMAGE_LAYERS_MAX || m->n_manifests != 0)
			abort();
		check_descriptor(&m->config);
		for (size_t i = 0; i < m->n_layers; i++)
			check_descriptor(&m->layers[i]);
	} else {
		if (m->n_manifests > INDEX_MANIFESTS_MAX || m->n_layers != 0)
			abort();
		for (size_t i = 0; i < m->n_manifests; i++)
			check_descriptor(&m->manifests[i]);
		struct platform host;
		platform_host(&host);
		const struct descriptor *d = manifest_pick(m, &host, &err);
		if ((d == NULL) != (err != NULL))
			abort();
		hull_err_free(&err);
	}
	manifest_free(&m);
}

static void fuzz_config(const char *text, size_t len)
{
	struct image_config *c = NULL;
	hull_err err = NULL;
	int ret = image_config_parse(text, len, &c, &err);
	fuzz_check_result(ret, c, &err);
	if (ret == 0) {
		if (c->platform.os == NULL || c->platform.arch == NULL || c->n_diff_ids > IMAGE_LAYERS_MAX)
			abort();
		for (size_t i = 0; c->label_keys && c->label_keys[i]; i++)
			if (c->label_values[i] == NULL)
				abort();
		image_config_free(&c);
	} else if (c != NULL) {
		abort();
	}
}

/* an accepted reference names itself the same way again */
static void fuzz_ref(const char *text)
{
	struct image_ref r;
	hull_err err = NULL;
	int ret = image_ref_parse(text, &r, &err);
	fuzz_check_result(ret, &r, &err);
	if (ret < 0)
		return;
	if (r.transport == TRANSPORT_DOCKER) {
		char *name = image_ref_name(&r);
		struct image_ref again;
		if (image_ref_parse(name, &again, &err) < 0)
			abort();
		char *name2 = image_ref_name(&again);
		if (strcmp(name, name2) != 0 || strlen(r.domain) + strlen(r.path) > 255)
			abort();
		free(name);
		free(name2);
		image_ref_clear(&again);
	}
	image_ref_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > FUZZ_MAX_INPUT)
		return -1;
	unsigned pick = data[0];
	char *text = fuzz_terminated_copy(data + 1, size - 1);
	size_t len = size - 1;
	if (pick < 0x80)
		fuzz_manifest(text, len, content_types[pick % (sizeof(content_types) / sizeof(content_types[0]))]);
	else if (pick < 0xc0)
		fuzz_config(text, len);
	else if (strlen(text) == len)
		fuzz_ref(text);
	free(text);
	return 0;
}
