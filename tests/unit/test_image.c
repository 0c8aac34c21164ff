/* test_image.c - unit tests of the image half's parsers and store: references normalised as Docker does, manifests
 * and indexes under each content type, platform choice, image configs, and the store's records, names and garbage
 * collection. Must never touch anything but the scratch directories it makes. */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/manifest.h"
#include "image/ref.h"
#include "image/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define HEX_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void assert_name(const char *in, const char *want)
{
	struct image_ref r;
	hull_err err = NULL;
	int ret = image_ref_parse(in, &r, &err);
	if (ret < 0)
		fail_msg("%s: %s", in, err->msg);
	char *name = image_ref_name(&r);
	assert_string_equal(name, want);
	free(name);
	image_ref_clear(&r);
}

static void assert_bad_ref(const char *in, const char *words)
{
	struct image_ref r;
	hull_err err = NULL;
	assert_int_equal(image_ref_parse(in, &r, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", in, err->msg, words);
	assert_null(r.domain);
	hull_err_free(&err);
}

static void references_are_normalised_as_docker_does(void **state)
{
	(void)state;
	assert_name("busybox", "docker.io/library/busybox:latest");
	assert_name("library/busybox:1.36", "docker.io/library/busybox:1.36");
	assert_name("user/repo", "docker.io/user/repo:latest");
	assert_name("docker://alpine:3", "docker.io/library/alpine:3");
	assert_name("index.docker.io/library/x", "docker.io/library/x:latest");
	assert_name("localhost/foo", "localhost/foo:latest");
	assert_name("localhost:5000/a/b-c_d/e__f:t.1-x", "localhost:5000/a/b-c_d/e__f:t.1-x");
	assert_name("quay.io/a/b@sha256:" HEX_A, "quay.io/a/b@sha256:" HEX_A);
	assert_name("quay.io/a/b:v1@sha256:" HEX_A, "quay.io/a/b:v1@sha256:" HEX_A);
	assert_name("[::1]:5000/x", "[::1]:5000/x:latest");
	assert_name("127.0.0.1:5000/x:y", "127.0.0.1:5000/x:y");
}

static void bad_references_are_refused_with_the_reason(void **state)
{
	(void)state;
	assert_bad_ref("Busybox", "lowercase");
	assert_bad_ref("a//b", "components");
	assert_bad_ref("-a", "components");
	assert_bad_ref("a:", "a tag is");
	assert_bad_ref("a:-t", "a tag is");
	assert_bad_ref("a@sha256:abc", "not a sha256");
	assert_bad_ref("a@md5:" HEX_A, "not a sha256");
	assert_bad_ref("", "no repository");
	assert_bad_ref("host:99999999/x", "registry host");
	assert_bad_ref("a..b.c/x", "registry host");
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_bad_ref(longname, "longer than 255");
}

static void transports_keep_their_file_and_tag(void **state)
{
	(void)state;
	struct image_ref r;
	hull_err err = NULL;
	assert_int_equal(image_ref_parse("oci:/some/dir:tag", &r, &err), 0);
	assert_int_equal(r.transport, TRANSPORT_OCI);
	assert_string_equal(r.file, "/some/dir");
	assert_string_equal(r.tag, "tag");
	image_ref_clear(&r);
	assert_int_equal(image_ref_parse("oci:/some/dir", &r, &err), 0);
	assert_null(r.tag);
	image_ref_clear(&r);
	assert_int_equal(image_ref_parse("docker-archive:/x.tar:name:1", &r, &err), 0);
	assert_int_equal(r.transport, TRANSPORT_DOCKER_ARCHIVE);
	assert_string_equal(r.file, "/x.tar");
	char *n = image_ref_name(&r);
	assert_string_equal(n, "docker.io/library/name:1");
	free(n);
	image_ref_clear(&r);
	assert_int_equal(image_ref_parse("oci:", &r, &err), -1);
	hull_err_free(&err);
}

static const char *oci_manifest =
	"{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json','config':{'mediaType':"
	"'application/vnd.oci.image.config.v1+json','digest':'sha256:" HEX_A "','size':10},'layers':[{'mediaType':"
	"'application/vnd.oci.image.layer.v1.tar+zstd','digest':'sha256:" HEX_B "','size':20},{'mediaType':"
	"'application/vnd.docker.image.rootfs.diff.tar.gzip','digest':'sha256:" HEX_A "','size':0}]}";

static struct manifest *parse(const char *single_quoted, const char *ct, hull_err *err)
{
	char *text = unit_json(single_quoted);
	struct manifest *m = NULL;
	int ret = manifest_parse(text, strlen(text), ct, &m, err);
	free(text);
	return ret == 0 ? m : NULL;
}

static void manifests_are_typed_and_checked(void **state)
{
	(void)state;
	hull_err err = NULL;
	struct manifest *m = parse(oci_manifest, "application/vnd.oci.image.manifest.v1+json; charset=utf-8", &err);
	assert_non_null(m);
	assert_int_equal(m->kind, MANIFEST_IMAGE);
	assert_int_equal(m->n_layers, 2);
	assert_int_equal(m->layers[0].compression, LAYER_ZSTD);
	assert_int_equal(m->layers[1].compression, LAYER_GZIP);
	assert_int_equal(m->config.size, 10);
	assert_string_equal(m->config.digest.hex, HEX_A);
	manifest_free(&m);
	/* served as an index: the document says otherwise */
	assert_null(parse(oci_manifest, MT_OCI_INDEX, &err));
	assert_non_null(strstr(err->msg, "but served as"));
	hull_err_free(&err);
	/* no mediaType and no content type: the fields tell */
	m = parse("{'schemaVersion':2,'manifests':[]}", NULL, &err);
	assert_non_null(m);
	assert_int_equal(m->kind, MANIFEST_INDEX);
	manifest_free(&m);
	assert_null(parse("{'schemaVersion':2,'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':"
			  "'sha256:" HEX_A "','size':-5},'layers':[]}", NULL, &err));
	hull_err_free(&err);
	assert_null(parse("{'schemaVersion':2,'manifests':[],'layers':[]}", MT_OCI_INDEX, &err));
	hull_err_free(&err);
}

static void an_index_entry_is_picked_for_the_platform(void **state)
{
	(void)state;
	hull_err err = NULL;
	struct manifest *m = parse("{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.list.v2+json',"
				   "'manifests':[{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','digest':'sha256:" HEX_A
				   "','size':1,'platform':{'os':'linux','architecture':'arm','variant':'v6'}},"
				   "{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','digest':'sha256:" HEX_B
				   "','size':2,'platform':{'os':'linux','architecture':'arm','variant':'v7'}}]}",
				   NULL, &err);
	assert_non_null(m);
	struct platform want = { 0 };
	assert_int_equal(platform_parse("linux/arm/v7", &want, &err), 0);
	const struct descriptor *d = manifest_pick(m, &want, &err);
	assert_non_null(d);
	assert_string_equal(d->digest.hex, HEX_B);
	platform_clear(&want);
	assert_int_equal(platform_parse("linux/s390x", &want, &err), 0);
	assert_null(manifest_pick(m, &want, &err));
	assert_non_null(strstr(err->msg, "(it has: linux/arm/v6, linux/arm/v7)"));
	hull_err_free(&err);
	platform_clear(&want);
	assert_int_equal(platform_parse("linux", &want, &err), -1);
	hull_err_free(&err);
	manifest_free(&m);
}

static void image_configs_give_what_conversion_needs(void **state)
{
	(void)state;
	char *text = unit_json("{'os':'linux','architecture':'amd64','config':{'User':'app:grp','Env':['A=1'],'Entrypoint':"
			       "['/bin/sh'],'Cmd':null,'WorkingDir':'/w','Labels':{'k':'v'},'ExposedPorts':{'80/tcp':{}},"
			       "'Volumes':{'/data':{}}},'rootfs':{'type':'layers','diff_ids':['sha256:" HEX_A "']}}");
	struct image_config *c = NULL;
	hull_err err = NULL;
	assert_int_equal(image_config_parse(text, strlen(text), &c, &err), 0);
	assert_string_equal(c->user, "app:grp");
	assert_string_equal(c->entrypoint[0], "/bin/sh");
	assert_null(c->cmd);
	assert_string_equal(c->label_keys[0], "k");
	assert_string_equal(c->label_values[0], "v");
	assert_string_equal(c->volumes[0], "/data");
	assert_int_equal(c->n_diff_ids, 1);
	image_config_free(&c);
	free(text);
	text = unit_json("{'os':'linux','architecture':'amd64','config':{'Labels':{'k':1}},'rootfs':{'type':'layers','diff_ids':[]}}");
	assert_int_equal(image_config_parse(text, strlen(text), &c, &err), -1);
	assert_non_null(strstr(err->msg, "is not a string"));
	hull_err_free(&err);
	free(text);
}

static void store_blobs_are_verified(void **state)
{
	(void)state;
	_cleanup_free_ char *root = unit_tmpdir();
	struct store *s = NULL;
	hull_err err = NULL;
	assert_int_equal(store_open(&s, root, &err), 0);
	struct digest d;
	assert_int_equal(digest_buffer("hello", 5, DIGEST_SHA256, &d, &err), 0);
	assert_int_equal(store_put_blob(s, &d, "hellO", 5, &err), -1);
	assert_non_null(strstr(err->msg, "digest mismatch"));
	hull_err_free(&err);
	assert_false(store_has_blob(s, &d));
	assert_int_equal(store_put_blob(s, &d, "hello", 5, &err), 0);
	assert_true(store_has_blob(s, &d));
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(store_read_blob(s, &d, 100, &data, &len, &err), 0);
	assert_memory_equal(data, "hello", 5);
	free(data);
	store_close(&s);
	unit_rmtree(root);
}

static void record(struct store *s, const char *hex, const char *name)
{
	hull_err err = NULL;
	char *names[] = { (char *)name, NULL };
	struct image_record r = { .names = name ? names : NULL };
	assert_int_equal(digest_parse(hex, &r.id, "test", &err), 0);
	r.manifest = r.id;
	assert_int_equal(store_image_put(s, &r, &err), 0);
}

static void names_move_between_images_and_ids_are_found_by_prefix(void **state)
{
	(void)state;
	_cleanup_free_ char *root = unit_tmpdir();
	struct store *s = NULL;
	hull_err err = NULL;
	assert_int_equal(store_open(&s, root, &err), 0);
	record(s, "sha256:" HEX_A, "docker.io/library/x:latest");
	record(s, "sha256:" HEX_B, "docker.io/library/x:latest");
	struct image_record *r = NULL;
	assert_int_equal(store_image_find(s, "x", &r, &err), 0);
	assert_string_equal(r->id.hex, HEX_B);
	image_record_free(&r);
	/* the first image lost its name and is still there, found by a short id */
	assert_int_equal(store_image_find(s, "aaa", &r, &err), 0);
	assert_null(r->names[0]);
	image_record_free(&r);
	assert_int_equal(store_image_find(s, "aa", &r, &err), -1); /* too short to be an id, and no such name */
	assert_non_null(strstr(err->msg, "image not known"));
	hull_err_free(&err);
	assert_int_equal(store_image_tag(s, &(struct digest){ .algo = DIGEST_SHA256, .hex = HEX_A }, "docker.io/library/y:1", &err), 0);
	assert_int_equal(store_image_untag(s, &(struct digest){ .algo = DIGEST_SHA256, .hex = HEX_A }, "docker.io/library/y:1", false, &err), 1);
	assert_int_equal(store_image_find(s, HEX_A, &r, &err), -1);
	hull_err_free(&err);
	store_close(&s);
	unit_rmtree(root);
}

static void gc_needs_the_store_alone_and_removes_what_no_image_uses(void **state)
{
	(void)state;
	_cleanup_free_ char *root = unit_tmpdir();
	struct store *s = NULL;
	hull_err err = NULL;
	assert_int_equal(store_open(&s, root, &err), 0);
	struct digest d;
	assert_int_equal(digest_buffer("orphan", 6, DIGEST_SHA256, &d, &err), 0);
	assert_int_equal(store_put_blob(s, &d, "orphan", 6, &err), 0);
	struct gc_result res;
	assert_int_equal(store_gc(s, &res, &err), -1);
	hull_err_free(&err);
	assert_int_equal(store_lock_exclusive(s, &err), 0);
	assert_int_equal(store_gc(s, &res, &err), 0);
	assert_int_equal(res.blobs, 1);
	assert_false(store_has_blob(s, &d));
	store_close(&s);
	unit_rmtree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references_are_normalised_as_docker_does),
		cmocka_unit_test(bad_references_are_refused_with_the_reason),
		cmocka_unit_test(transports_keep_their_file_and_tag),
		cmocka_unit_test(manifests_are_typed_and_checked),
		cmocka_unit_test(an_index_entry_is_picked_for_the_platform),
		cmocka_unit_test(image_configs_give_what_conversion_needs),
		cmocka_unit_test(store_blobs_are_verified),
		cmocka_unit_test(names_move_between_images_and_ids_are_found_by_prefix),
		cmocka_unit_test(gc_needs_the_store_alone_and_removes_what_no_image_uses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
