/* source_registry.c - a registry as an image source: registry.c's client for the reference's host and repository.
 * Must never talk to another host than the reference names. */
#include <stdlib.h>

#include "image/source.h"
#include "util/xalloc.h"

struct registry_source {
	struct image_source base;
	struct registry *reg;
	char *repo; /* the path below the host */
};

static int reg_manifest(struct image_source *src, const char *reference, char **body, size_t *len, char **ct, hull_err *err)
{
	struct registry_source *r = (struct registry_source *)src;
	return registry_get_manifest(r->reg, r->repo, reference, body, len, ct, err);
}

static int reg_blobs(struct image_source *src, struct blob_fetch *f, size_t n, hull_err *err)
{
	struct registry_source *r = (struct registry_source *)src;
	return registry_get_blobs(r->reg, r->repo, f, n, err);
}

static void reg_close(struct image_source *src)
{
	struct registry_source *r = (struct registry_source *)src;
	registry_close(&r->reg);
	free(r->repo);
	free(r->base.name);
	free(r);
}

static const struct source_ops registry_ops = { reg_manifest, reg_blobs, reg_close };

int source_registry_open(struct image_source **out, const struct image_ref *ref, const struct registry_opts *o, hull_err *err)
{
	struct registry *reg = NULL;
	if (registry_open(&reg, ref->domain, o, err) < 0)
		return -1;
	struct registry_source *r = xcalloc(1, sizeof(*r));
	r->base.ops = &registry_ops;
	r->base.name = xasprintf("%s/%s", ref->domain, ref->path);
	r->reg = reg;
	r->repo = xstrdup(ref->path);
	*out = &r->base;
	return 0;
}
