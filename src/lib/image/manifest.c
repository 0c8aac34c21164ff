/* manifest.c - manifests, indexes and image configs (OCI image-spec, Docker schema 2) from bytes to typed values:
 * media types, digests, sizes and platforms checked once, here. Must never hand out a descriptor it has not
 * checked, nor accept a document whose declared and actual media types disagree. */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "image/manifest.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

static const struct {
	const char *type;
	enum manifest_kind kind;
} manifest_types[] = {
	{ MT_OCI_MANIFEST, MANIFEST_IMAGE },
	{ MT_DOCKER_MANIFEST, MANIFEST_IMAGE },
	{ MT_OCI_INDEX, MANIFEST_INDEX },
	{ MT_DOCKER_LIST, MANIFEST_INDEX },
};

static const struct {
	const char *type;
	enum layer_compression compression;
} layer_types[] = {
	{ MT_OCI_LAYER, LAYER_PLAIN },
	{ MT_OCI_LAYER_GZIP, LAYER_GZIP },
	{ MT_OCI_LAYER_ZSTD, LAYER_ZSTD },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar", LAYER_PLAIN },
	{ MT_OCI_LAYER_ND_GZIP, LAYER_GZIP },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", LAYER_ZSTD },
	{ MT_DOCKER_LAYER_GZIP, LAYER_GZIP },
	{ MT_DOCKER_LAYER_FOREIGN, LAYER_GZIP },
};

/* "type/subtype; charset=utf-8" -> "type/subtype" (allocated), or NULL for NULL */
static char *bare_media_type(const char *ct)
{
	if (ct == NULL)
		return NULL;
	size_t n = strcspn(ct, "; \t");
	return xstrndup(ct, n);
}

static int kind_of(const char *type, enum manifest_kind *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(manifest_types); i++)
		if (strcmp(type, manifest_types[i].type) == 0) {
			*kind = manifest_types[i].kind;
			return 0;
		}
	return -1;
}

static int parse_platform(struct ctx *c, json_object *d, const char *path, struct platform *p)
{
	int ret = 0;
	_cleanup_free_ char *pp = sj_join(path, "platform");
	json_object *o = sj_get_object(c, d, "platform", pp, &ret);
	if (o == NULL)
		return ret;
	if (sj_get_string(c, o, "os", pp, true, &p->os) < 0 || sj_get_string(c, o, "architecture", pp, true, &p->arch) < 0 ||
	    sj_get_string(c, o, "variant", pp, false, &p->variant) < 0)
		return -1;
	return 0;
}

static void descriptor_clear(struct descriptor *d)
{
	free(d->media_type);
	platform_clear(&d->platform);
}

enum desc_role { ROLE_CONFIG, ROLE_LAYER, ROLE_MANIFEST };

static int parse_descriptor(struct ctx *c, json_object *d, const char *path, enum desc_role role, struct descriptor *out)
{
	_cleanup_free_ char *digest = NULL;
	if (sj_check_element_object(c, d, path) < 0 || sj_get_string(c, d, "mediaType", path, true, &out->media_type) < 0 ||
	    sj_get_string(c, d, "digest", path, true, &digest) < 0)
		return -1;
	_cleanup_free_ char *dpath = sj_join(path, "digest");
	_cleanup_free_ char *what = xasprintf("%s: %s", c->name, dpath);
	if (digest_parse(digest, &out->digest, what, c->err) < 0)
		return -1;
	bool present = false;
	if (sj_get_int(c, d, "size", path, 0, INT64_MAX, &present, &out->size) < 0)
		return -1;
	if (!present)
		return sj_bad(c, path, "a descriptor needs a size");
	switch (role) {
	case ROLE_CONFIG:
		if (strcmp(out->media_type, MT_OCI_CONFIG) != 0 && strcmp(out->media_type, MT_DOCKER_CONFIG) != 0)
			return sj_bad(c, path, "not a container image: its config is \"%.100s\"", out->media_type);
		if ((uint64_t)out->size > IMAGE_CONFIG_MAX)
			return sj_bad(c, path, "an image config of %lld bytes (at most %zu)", (long long)out->size, IMAGE_CONFIG_MAX);
		return 0;
	case ROLE_LAYER:
		for (size_t i = 0; i < ARRAY_SIZE(layer_types); i++)
			if (strcmp(out->media_type, layer_types[i].type) == 0) {
				out->compression = layer_types[i].compression;
				return 0;
			}
		return sj_bad(c, path, "a layer of media type \"%.100s\", which hull cannot unpack", out->media_type);
	case ROLE_MANIFEST: {
		enum manifest_kind k;
		if (kind_of(out->media_type, &k) < 0)
			return sj_bad(c, path, "an index entry of media type \"%.100s\"", out->media_type);
		if ((uint64_t)out->size > MANIFEST_MAX)
			return sj_bad(c, path, "a manifest of %lld bytes (at most %zu)", (long long)out->size, MANIFEST_MAX);
		return parse_platform(c, d, path, &out->platform);
	}
	}
	return 0;
}

static int parse_descriptors(struct ctx *c, json_object *doc, const char *key, enum desc_role role, size_t max,
			     struct descriptor **out, size_t *n_out)
{
	int ret = 0;
	size_t n = 0;
	json_object *a = sj_get_array(c, doc, key, key, &n, &ret);
	if (ret < 0)
		return -1;
	if (a == NULL)
		return sj_bad(c, key, "missing");
	if (n > max)
		return sj_bad(c, key, "%zu entries (at most %zu)", n, max);
	*out = xcalloc(n ? n : 1, sizeof(**out));
	*n_out = n;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = sj_idx(key, i);
		if (parse_descriptor(c, json_object_array_get_idx(a, i), p, role, &(*out)[i]) < 0)
			return -1;
	}
	return 0;
}

int manifest_parse(const char *body, size_t len, const char *content_type, struct manifest **out, hull_err *err)
{
	return manifest_parse_stored(body, len, content_type, NULL, out, err);
}

int manifest_parse_stored(const char *body, size_t len, const char *content_type, const struct digest *stored,
			  struct manifest **out, hull_err *err)
{
	_cleanup_manifest_ struct manifest *m = xcalloc(1, sizeof(*m));
	if (stored)
		m->digest = *stored;
	else if (digest_buffer(body, len, DIGEST_SHA256, &m->digest, err) < 0)
		return -1;
	if (len > MANIFEST_MAX)
		return hull_fail_code(err, EFBIG, "manifest %s: %zu bytes (at most %zu)", digest_text(&m->digest), len, MANIFEST_MAX);
	_cleanup_free_ char *text = xstrndup(body, len);
	if (strlen(text) != len)
		return hull_fail_code(err, EINVAL, "manifest %s: a NUL byte in the document", digest_text(&m->digest));
	_cleanup_free_ char *name = xasprintf("manifest %s", digest_text(&m->digest));
	json_object *doc = sj_parse_document(text, len, name, err);
	if (doc == NULL)
		return -1;
	struct ctx c = { name, err };
	int ret = -1;
	_cleanup_free_ char *declared = NULL, *ct = bare_media_type(content_type);
	int64_t schema = 0;
	bool present = false;
	if (sj_get_string(&c, doc, "mediaType", "mediaType", false, &declared) < 0 ||
	    sj_get_int(&c, doc, "schemaVersion", "schemaVersion", 0, 1000, &present, &schema) < 0)
		goto out;
	if (schema == 1 || (ct && strncmp(ct, "application/vnd.docker.distribution.manifest.v1", 47) == 0)) {
		hull_fail_code(err, ENOTSUP, "%s: Docker schema 1 manifests are deprecated and not supported", name);
		goto out;
	}
	if (schema != 2) {
		sj_bad(&c, "schemaVersion", "must be 2");
		goto out;
	}
	/* the content type when it names a manifest type, else the document's own, else what its fields say */
	enum manifest_kind ct_kind, kind;
	const char *type = declared;
	if (ct && kind_of(ct, &ct_kind) == 0) {
		if (declared && strcmp(declared, ct) != 0) {
			sj_bad(&c, "mediaType", "\"%.100s\" but served as \"%.100s\"", declared, ct);
			goto out;
		}
		type = ct;
	}
	if (type == NULL)
		type = sj_field(doc, "manifests") ? MT_OCI_INDEX : MT_OCI_MANIFEST;
	if (kind_of(type, &kind) < 0) {
		hull_fail_code(err, EINVAL, "%s: not an image manifest or index: \"%.100s\"", name, type);
		goto out;
	}
	m->kind = kind;
	m->media_type = xstrdup(type);
	if (kind == MANIFEST_INDEX) {
		if (sj_field(doc, "config") || sj_field(doc, "layers")) {
			sj_bad(&c, "manifests", "an index with config or layers");
			goto out;
		}
		ret = parse_descriptors(&c, doc, "manifests", ROLE_MANIFEST, INDEX_MANIFESTS_MAX, &m->manifests, &m->n_manifests);
	} else {
		if (sj_field(doc, "manifests")) {
			sj_bad(&c, "manifests", "an image manifest with manifests");
			goto out;
		}
		json_object *cfg = sj_field(doc, "config");
		if (cfg == NULL) {
			sj_bad(&c, "config", "missing");
			goto out;
		}
		if (parse_descriptor(&c, cfg, "config", ROLE_CONFIG, &m->config) < 0)
			goto out;
		ret = parse_descriptors(&c, doc, "layers", ROLE_LAYER, IMAGE_LAYERS_MAX, &m->layers, &m->n_layers);
	}
out:
	json_object_put(doc);
	if (ret == 0) {
		*out = m;
		m = NULL;
	}
	return ret;
}

void manifest_free(struct manifest **mp)
{
	struct manifest *m = *mp;
	if (m == NULL)
		return;
	free(m->media_type);
	descriptor_clear(&m->config);
	for (size_t i = 0; i < m->n_layers; i++)
		descriptor_clear(&m->layers[i]);
	free(m->layers);
	for (size_t i = 0; i < m->n_manifests; i++)
		descriptor_clear(&m->manifests[i]);
	free(m->manifests);
	free(m);
	*mp = NULL;
}

/* uname's machine -> GOARCH and variant */
static const struct {
	const char *machine, *arch, *variant;
} arches[] = {
	{ "x86_64", "amd64", NULL }, { "aarch64", "arm64", "v8" }, { "armv7l", "arm", "v7" }, { "armv6l", "arm", "v6" },
	{ "i686", "386", NULL },     { "i386", "386", NULL },	    { "ppc64le", "ppc64le", NULL }, { "s390x", "s390x", NULL },
	{ "riscv64", "riscv64", NULL }, { "mips64", "mips64le", NULL }, { "loongarch64", "loong64", NULL },
};

void platform_host(struct platform *out)
{
	static struct utsname u;
	if (u.machine[0] == '\0')
		uname(&u);
	*out = (struct platform){ .os = (char *)"linux", .arch = u.machine };
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (strcmp(u.machine, arches[i].machine) == 0) {
			out->arch = (char *)arches[i].arch;
			out->variant = (char *)arches[i].variant;
		}
}

int platform_parse(const char *s, struct platform *out, hull_err *err)
{
	*out = (struct platform){ 0 };
	const char *a = strchr(s, '/');
	if (a == NULL || a == s || a[1] == '\0' || a[1] == '/')
		return hull_fail_code(err, EINVAL, "invalid platform \"%.100s\": OS/ARCH[/VARIANT]", s);
	const char *v = strchr(a + 1, '/');
	if (v && (v[1] == '\0' || strchr(v + 1, '/')))
		return hull_fail_code(err, EINVAL, "invalid platform \"%.100s\": OS/ARCH[/VARIANT]", s);
	out->os = xstrndup(s, (size_t)(a - s));
	out->arch = v ? xstrndup(a + 1, (size_t)(v - a - 1)) : xstrdup(a + 1);
	out->variant = v ? xstrdup(v + 1) : NULL;
	return 0;
}

void platform_clear(struct platform *p)
{
	free(p->os);
	free(p->arch);
	free(p->variant);
	*p = (struct platform){ 0 };
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

const struct descriptor *manifest_pick(const struct manifest *idx, const struct platform *want, hull_err *err)
{
	struct platform host;
	platform_host(&host);
	const struct descriptor *best = NULL;
	for (size_t i = 0; i < idx->n_manifests; i++) {
		const struct descriptor *d = &idx->manifests[i];
		if (!str_eq(d->platform.os, want->os) || !str_eq(d->platform.arch, want->arch))
			continue;
		if (want->variant && !str_eq(d->platform.variant, want->variant))
			continue;
		/* with no variant asked for: the host's variant first, then one without a variant, then any */
		if (best == NULL || (d->platform.variant == NULL && best->platform.variant && !str_eq(best->platform.variant, host.variant)) ||
		    (str_eq(d->platform.variant, host.variant) && str_eq(want->arch, host.arch)))
			best = d;
	}
	if (best)
		return best;
	_cleanup_free_ char *have = xstrdup("");
	for (size_t i = 0; i < idx->n_manifests && i < 16; i++) {
		const struct platform *p = &idx->manifests[i].platform;
		char *n = xasprintf("%s%s%s/%s%s%s", have, *have ? ", " : "", p->os ? p->os : "?", p->arch ? p->arch : "?",
				    p->variant ? "/" : "", p->variant ? p->variant : "");
		free(have);
		have = n;
	}
	hull_fail_code(err, ENOENT, "index %s: no image for %s/%s%s%s (it has: %s)", digest_text(&idx->digest), want->os,
		       want->arch, want->variant ? "/" : "", want->variant ? want->variant : "", *have ? have : "nothing");
	return NULL;
}

/* config.Labels, config.Volumes, config.ExposedPorts: objects (Volumes and ports map to {}) */
static int object_keys(struct ctx *c, json_object *cfg, const char *key, char ***keys, char ***values)
{
	int ret = 0;
	_cleanup_free_ char *path = sj_join("config", key);
	json_object *o = sj_get_object(c, cfg, key, path, &ret);
	if (o == NULL)
		return ret;
	size_t n = (size_t)json_object_object_length(o), i = 0;
	*keys = xcalloc(n + 1, sizeof(char *));
	if (values)
		*values = xcalloc(n + 1, sizeof(char *));
	json_object_object_foreach(o, k, v)
	{
		if (values) {
			if (!json_object_is_type(v, json_type_string) || sj_has_nul(v))
				return sj_bad(c, path, "the value of \"%.100s\" is not a string", k);
			(*values)[i] = xstrdup(json_object_get_string(v));
		}
		(*keys)[i++] = xstrdup(k);
	}
	return 0;
}

int image_config_parse(const char *body, size_t len, struct image_config **out, hull_err *err)
{
	return image_config_parse_stored(body, len, NULL, out, err);
}

int image_config_parse_stored(const char *body, size_t len, const struct digest *stored, struct image_config **out,
			      hull_err *err)
{
	_cleanup_image_config_ struct image_config *ic = xcalloc(1, sizeof(*ic));
	if (stored)
		ic->digest = *stored;
	else if (digest_buffer(body, len, DIGEST_SHA256, &ic->digest, err) < 0)
		return -1;
	if (len > IMAGE_CONFIG_MAX)
		return hull_fail_code(err, EFBIG, "image config %s: %zu bytes (at most %zu)", digest_text(&ic->digest), len,
				      IMAGE_CONFIG_MAX);
	ic->raw = xstrndup(body, len);
	ic->raw_len = len;
	if (strlen(ic->raw) != len)
		return hull_fail_code(err, EINVAL, "image config %s: a NUL byte in the document", digest_text(&ic->digest));
	_cleanup_free_ char *name = xasprintf("image config %s", digest_text(&ic->digest));
	json_object *doc = sj_parse_document(ic->raw, len, name, err);
	if (doc == NULL)
		return -1;
	struct ctx c = { name, err };
	int ret = -1, r = 0;
	size_t n = 0;
	_cleanup_free_ char *type = NULL;
	if (sj_get_string(&c, doc, "os", "os", true, &ic->platform.os) < 0 ||
	    sj_get_string(&c, doc, "architecture", "architecture", true, &ic->platform.arch) < 0 ||
	    sj_get_string(&c, doc, "variant", "variant", false, &ic->platform.variant) < 0 ||
	    sj_get_string(&c, doc, "created", "created", false, &ic->created) < 0)
		goto out;
	json_object *rootfs = sj_get_object(&c, doc, "rootfs", "rootfs", &r);
	if (rootfs == NULL) {
		if (r == 0)
			sj_bad(&c, "rootfs", "missing");
		goto out;
	}
	if (sj_get_string(&c, rootfs, "type", "rootfs.type", true, &type) < 0)
		goto out;
	if (strcmp(type, "layers") != 0) {
		sj_bad(&c, "rootfs.type", "\"%.50s\" (must be \"layers\")", type);
		goto out;
	}
	json_object *ids = sj_get_array(&c, rootfs, "diff_ids", "rootfs.diff_ids", &n, &r);
	if (r < 0)
		goto out;
	if (ids == NULL || n > IMAGE_LAYERS_MAX) {
		sj_bad(&c, "rootfs.diff_ids", ids ? "more than %d layers" : "missing", IMAGE_LAYERS_MAX);
		goto out;
	}
	ic->diff_ids = xcalloc(n ? n : 1, sizeof(*ic->diff_ids));
	ic->n_diff_ids = n;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ids, i);
		_cleanup_free_ char *what = xasprintf("%s: rootfs.diff_ids[%zu]", name, i);
		if (!json_object_is_type(e, json_type_string)) {
			hull_fail_code(err, EINVAL, "%s: not a string", what);
			goto out;
		}
		if (digest_parse(json_object_get_string(e), &ic->diff_ids[i], what, err) < 0)
			goto out;
	}
	json_object *cfg = sj_get_object(&c, doc, "config", "config", &r);
	if (r < 0)
		goto out;
	if (cfg && (sj_get_string(&c, cfg, "User", "config.User", false, &ic->user) < 0 ||
		    sj_get_string(&c, cfg, "WorkingDir", "config.WorkingDir", false, &ic->working_dir) < 0 ||
		    sj_get_string(&c, cfg, "StopSignal", "config.StopSignal", false, &ic->stop_signal) < 0 ||
		    sj_get_strv(&c, cfg, "Env", "config.Env", false, &ic->env, NULL) < 0 ||
		    sj_get_strv(&c, cfg, "Entrypoint", "config.Entrypoint", false, &ic->entrypoint, NULL) < 0 ||
		    sj_get_strv(&c, cfg, "Cmd", "config.Cmd", false, &ic->cmd, NULL) < 0 ||
		    object_keys(&c, cfg, "Volumes", &ic->volumes, NULL) < 0 ||
		    object_keys(&c, cfg, "ExposedPorts", &ic->exposed_ports, NULL) < 0 ||
		    object_keys(&c, cfg, "Labels", &ic->label_keys, &ic->label_values) < 0))
		goto out;
	ret = 0;
out:
	json_object_put(doc);
	if (ret == 0) {
		*out = ic;
		ic = NULL;
	}
	return ret;
}

void image_config_free(struct image_config **cp)
{
	struct image_config *c = *cp;
	if (c == NULL)
		return;
	platform_clear(&c->platform);
	free(c->created);
	free(c->diff_ids);
	free(c->user);
	free(c->working_dir);
	free(c->stop_signal);
	char **vecs[] = { c->env, c->entrypoint, c->cmd, c->volumes, c->exposed_ports, c->label_keys, c->label_values };
	for (size_t i = 0; i < ARRAY_SIZE(vecs); i++)
		cleanup_strvp(&vecs[i]);
	free(c->raw);
	free(c);
	*cp = NULL;
}
