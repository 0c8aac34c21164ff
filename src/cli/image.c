/* image.c - `hull image VERB`: pull, ls, inspect, rm, prune, tag, bundle over libhull's image store; each verb
 * parses its flags, calls the library, prints. Must never hold image logic of its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/engine.h"
#include "image/archive.h"
#include "image/image.h"
#include "image/ref.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

/* podman's exit code for an error of the engine itself (125), which scripts around podman test */
#define EXIT_ENGINE 125

static int fail(hull_err *err)
{
	cli_fail(err);
	return EXIT_ENGINE;
}

struct image_verb {
	const char *name;
	int (*run)(struct cli_globals *g, struct store *s, int argc, char **argv);
	const char *summary;
	const char *usage;
};

static const struct image_verb *verb_get(const char *name);

/* each verb's help goes through cli_print_help as a command named "image VERB" */
static const struct cli_command *verb_command(const char *name)
{
	static struct cli_command c;
	static char full[64];
	const struct image_verb *v = verb_get(name);
	snprintf(full, sizeof(full), "image %s", v->name);
	c = (struct cli_command){ full, NULL, v->summary, v->usage };
	return &c;
}

/* A verb's flags and its number of arguments: the index of its first argument, or -1 with *rc the exit code (0 after
 * --help) */
static int verb_parse(const char *name, int argc, char **argv, const char *shorts, const struct option *longs,
		      cli_opt_handler handle, void *data, int min, int max, int *rc)
{
	const struct cli_command *cmd = verb_command(name);
	int ind = cli_parse(cmd, argc, argv, shorts, longs, handle, data);
	*rc = ind == -2 ? 0 : EXIT_ENGINE;
	if (ind < 0 || cli_want_args(cmd, argc, ind, min, max) < 0)
		return -1;
	return ind;
}

/* --- pull --- */

enum { P_TLS = 1000, P_CERTS, P_CREDS, P_AUTHFILE, P_PLATFORM, P_QUIET };

struct pull_flags {
	struct pull_opts o;
	struct platform platform;
	bool quiet;
};

static int pull_flag(int opt, const char *arg, void *data)
{
	struct pull_flags *f = data;
	_cleanup_err_ hull_err err = NULL;
	switch (opt) {
	case P_TLS:
		return cli_parse_bool("--tls-verify", arg, &f->o.registry.tls_verify);
	case P_CERTS:
		f->o.registry.certs_dir = arg;
		return 0;
	case P_CREDS:
		f->o.registry.creds = arg;
		return 0;
	case P_AUTHFILE:
		f->o.registry.auth_file = arg;
		return 0;
	case P_PLATFORM:
		platform_clear(&f->platform);
		if (platform_parse(arg, &f->platform, &err) < 0)
			return cli_fail(&err), -1;
		return 0;
	case 'q':
		f->quiet = true;
		return 0;
	}
	return -1;
}

static const struct option pull_opts[] = {
	{ "tls-verify", optional_argument, NULL, P_TLS },
	{ "cert-dir", required_argument, NULL, P_CERTS },
	{ "creds", required_argument, NULL, P_CREDS },
	{ "authfile", required_argument, NULL, P_AUTHFILE },
	{ "platform", required_argument, NULL, P_PLATFORM },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

static int image_pull_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	const struct cli_command *cmd = verb_command("pull");
	struct pull_flags f = { .o.registry.tls_verify = true };
	int ind = cli_parse(cmd, argc, argv, "q", pull_opts, pull_flag, &f);
	if (ind < 0) {
		platform_clear(&f.platform);
		return ind == -2 ? 0 : EXIT_ENGINE;
	}
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0) {
		platform_clear(&f.platform);
		return 125;
	}
	f.o.platform = f.platform;
	f.o.log = f.quiet ? NULL : stderr;
	f.o.registry.progress = !f.quiet && isatty(STDERR_FILENO);
	struct digest id;
	_cleanup_err_ hull_err err = NULL;
	int ret = image_pull(s, argv[ind], &f.o, &id, &err);
	platform_clear(&f.platform);
	if (ret < 0)
		return fail(&err);
	printf("%s\n", id.hex);
	return 0;
}

/* --- ls --- */

static int64_t image_size(struct store *s, const struct image *img)
{
	int64_t total = 0;
	for (size_t i = 0; i < img->config->n_diff_ids; i++) {
		int64_t n = store_layer_size(s, &img->config->diff_ids[i]);
		total += n > 0 ? n : 0;
	}
	return total;
}

/* RFC 3339 -> seconds since the epoch, 0 when unreadable */
static time_t parse_time(const char *s)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (end == NULL)
		return 0;
	time_t t = timegm(&tm);
	while (*end == '.' || (*end >= '0' && *end <= '9'))
		end++;
	int hh = 0, mm = 0;
	if ((*end == '+' || *end == '-') && sscanf(end + 1, "%d:%d", &hh, &mm) == 2)
		t -= (*end == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
	return t;
}

/* "4.26 MB" as podman writes sizes (decimal units, three significant digits) */
static const char *human_size(int64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)n;
	size_t u = 0;
	while (v >= 1000 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g %s", v, units[u]);
	return buf;
}

/* "3 weeks ago" as Docker's and podman's tables write ages */
static const char *human_age(time_t t, char *buf, size_t len)
{
	static const struct {
		long secs;
		const char *unit;
	} steps[] = { { 365L * 86400, "year" }, { 30L * 86400, "month" }, { 7L * 86400, "week" }, { 86400, "day" },
		      { 3600, "hour" },	      { 60, "minute" },		    { 1, "second" } };
	long d = (long)(time(NULL) - t);
	if (t == 0)
		return snprintf(buf, len, "N/A"), buf;
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (d >= steps[i].secs || i + 1 == ARRAY_SIZE(steps)) {
			long k = d / steps[i].secs;
			snprintf(buf, len, "%ld %s%s ago", k, steps[i].unit, k == 1 ? "" : "s");
			return buf;
		}
	return buf;
}

struct ls_flags {
	bool json, quiet, all;
};

static int ls_flag(int opt, const char *arg, void *data)
{
	struct ls_flags *f = data;
	if (opt == 'f') {
		if (strcmp(arg, "json") == 0)
			f->json = true;
		else if (strcmp(arg, "table") != 0)
			return cli_failf("invalid value \"%s\" for flag --format: table or json", arg), -1;
		return 0;
	}
	if (opt == 'q')
		return f->quiet = true, 0;
	if (opt == 'a')
		return f->all = true, 0;
	return -1;
}

static void split_name(const char *name, char **repo, char **tag)
{
	const char *slash = strrchr(name, '/');
	const char *colon = strrchr(slash ? slash : name, ':');
	*repo = colon ? xstrndup(name, (size_t)(colon - name)) : xstrdup(name);
	*tag = xstrdup(colon ? colon + 1 : "<none>");
}

static int image_ls_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct ls_flags f = { 0 };
	int rc, ind = verb_parse("ls", argc, argv, "f:qa", opts, ls_flag, &f, 0, 0, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	struct image_record **v = NULL;
	size_t n = 0;
	if (store_image_list(s, &v, &n, &err) < 0)
		return fail(&err);
	json_object *out = json_object_new_array();
	if (!f.json && !f.quiet)
		printf("%-40s %-20s %-14s %-16s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
	for (size_t i = n; i-- > 0;) { /* newest first */
		_cleanup_image_ struct image img = { 0 };
		char *idtext = v[i]->id.hex;
		if (image_open(s, idtext, &img, &err) < 0) {
			hull_err_free(&err);
			continue;
		}
		int64_t size = image_size(s, &img);
		time_t created = parse_time(img.config->created);
		if (f.quiet) {
			printf("%.12s\n", idtext);
			continue;
		}
		if (f.json) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "Id", json_object_new_string(idtext));
			json_object_object_add(o, "RepoTags", sj_new_strv((const char *const *)v[i]->names));
			json_object_object_add(o, "Digest", json_object_new_string(digest_text(v[i]->has_index ? &v[i]->index : &v[i]->manifest)));
			json_object_object_add(o, "Size", json_object_new_int64(size));
			json_object_object_add(o, "Created", json_object_new_int64((int64_t)created));
			json_object_object_add(o, "CreatedAt", json_object_new_string(img.config->created ? img.config->created : ""));
			json_object_object_add(o, "Names", sj_new_strv((const char *const *)v[i]->names));
			json_object_array_add(out, o);
			continue;
		}
		char sz[32], age[48];
		human_size(size, sz, sizeof(sz));
		human_age(created, age, sizeof(age));
		if (v[i]->names[0] == NULL)
			printf("%-40s %-20s %-14.12s %-16s %s\n", "<none>", "<none>", idtext, age, sz);
		for (char **nm = v[i]->names; *nm; nm++) {
			_cleanup_free_ char *repo = NULL, *tag = NULL;
			split_name(*nm, &repo, &tag);
			printf("%-40s %-20s %-14.12s %-16s %s\n", repo, tag, idtext, age, sz);
		}
	}
	image_records_free(&v, n);
	int ret = f.json ? cli_print_json(out, true) : 0;
	json_object_put(out);
	return ret;
}

/* --- inspect --- */

static int image_inspect_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	int rc, ind = verb_parse("inspect", argc, argv, "", NULL, cli_no_flags, NULL, 1, 64, &rc);
	if (ind < 0)
		return rc;
	json_object *out = json_object_new_array();
	int ret = 0;
	for (int i = ind; i < argc; i++) {
		_cleanup_image_ struct image img = { 0 };
		_cleanup_err_ hull_err err = NULL;
		if (image_open(s, argv[i], &img, &err) < 0) {
			cli_fail(&err);
			ret = 125;
			continue;
		}
		json_object *o = json_object_new_object();
		json_object *cfg = json_tokener_parse(img.config->raw);
		json_object_object_add(o, "Id", json_object_new_string(img.record->id.hex));
		json_object_object_add(o, "Digest", json_object_new_string(digest_text(img.record->has_index ? &img.record->index : &img.record->manifest)));
		json_object_object_add(o, "ManifestDigest", json_object_new_string(digest_text(&img.record->manifest)));
		json_object_object_add(o, "ManifestType", json_object_new_string(img.manifest->media_type));
		json_object_object_add(o, "RepoTags", sj_new_strv((const char *const *)img.record->names));
		json_object_object_add(o, "Created", json_object_new_string(img.config->created ? img.config->created : ""));
		json_object_object_add(o, "Os", json_object_new_string(img.config->platform.os));
		json_object_object_add(o, "Architecture", json_object_new_string(img.config->platform.arch));
		if (img.config->platform.variant)
			json_object_object_add(o, "Variant", json_object_new_string(img.config->platform.variant));
		json_object_object_add(o, "Size", json_object_new_int64(image_size(s, &img)));
		json_object *layers = json_object_new_array();
		for (size_t k = 0; k < img.manifest->n_layers; k++)
			json_object_array_add(layers, json_object_new_string(digest_text(&img.manifest->layers[k].digest)));
		json_object_object_add(o, "Layers", layers);
		json_object_object_add(o, "ImageConfig", cfg);
		json_object_array_add(out, o);
	}
	if (json_object_array_length(out) || ret == 0)
		cli_print_json(out, true);
	json_object_put(out);
	return ret;
}

/* --- rm, prune --- */

static int collect(struct store *s, struct gc_result *res)
{
	_cleanup_err_ hull_err err = NULL;
	if (store_lock_exclusive(s, &err) < 0 || store_gc(s, res, &err) < 0)
		return cli_fail(&err), -1;
	return 0;
}

struct rm_flags {
	bool force, all;
};

static int rm_flag(int opt, const char *arg, void *data)
{
	(void)arg;
	struct rm_flags *f = data;
	if (opt == 'f')
		return f->force = true, 0;
	if (opt == 'a')
		return f->all = true, 0;
	return -1;
}

/* Docker's rule: a name untags (the image goes with its last name); an id removes the image, which needs -f
 * when it has more than one name. */
static int rm_one(struct store *s, const char *what, bool force)
{
	_cleanup_err_ hull_err err = NULL;
	_cleanup_image_record_ struct image_record *r = NULL;
	if (store_image_find(s, what, &r, &err) < 0)
		return cli_fail(&err), -1;
	_cleanup_free_ char *name = NULL;
	struct image_ref ref;
	hull_err rerr = NULL;
	if (image_ref_parse_name(what, &ref, &rerr) == 0) {
		name = image_ref_name(&ref);
		image_ref_clear(&ref);
	}
	hull_err_free(&rerr);
	bool by_name = false;
	for (char **n = r->names; name && *n; n++)
		by_name |= strcmp(*n, name) == 0;
	if (!by_name && r->names[0] && r->names[1] && !force)
		return cli_failf("image %.12s has several names: remove them one by one, or use --force", r->id.hex), -1;
	char user[256];
	bool last_name = !by_name || !r->names[0] || !r->names[1];
	if (last_name && ctr_image_user(s->dirfd, r->id.hex, user, sizeof(user)))
		return cli_failf("image %.12s is in use by container %s: remove the container first", r->id.hex, user), -1;
	int k = store_image_untag(s, &r->id, by_name ? name : NULL, !by_name, &err);
	if (k < 0)
		return cli_fail(&err), -1;
	if (by_name)
		printf("Untagged: %s\n", name);
	else
		for (char **n = r->names; *n; n++)
			printf("Untagged: %s\n", *n);
	if (k == 1)
		printf("Deleted: %s\n", digest_text(&r->id));
	return 0;
}

static int image_rm_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = verb_command("rm");
	struct rm_flags f = { 0 };
	int ind = cli_parse(cmd, argc, argv, "fa", opts, rm_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : EXIT_ENGINE;
	if (!f.all && cli_want_args(cmd, argc, ind, 1, 1024) < 0)
		return EXIT_ENGINE;
	int ret = 0;
	if (f.all) {
		_cleanup_err_ hull_err err = NULL;
		struct image_record **v = NULL;
		size_t n = 0;
		if (store_image_list(s, &v, &n, &err) < 0)
			return fail(&err);
		for (size_t i = 0; i < n; i++)
			if (rm_one(s, v[i]->id.hex, true) < 0)
				ret = 1;
		image_records_free(&v, n);
	}
	for (int i = ind; i < argc; i++)
		if (rm_one(s, argv[i], f.force) < 0)
			ret = 1;
	struct gc_result res;
	if (collect(s, &res) < 0)
		ret = 125;
	return ret;
}

static int image_prune_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct rm_flags f = { 0 };
	int rc, ind = verb_parse("prune", argc, argv, "af", opts, rm_flag, &f, 0, 0, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	if (store_lock_exclusive(s, &err) < 0)
		return fail(&err);
	struct image_record **v = NULL;
	size_t n = 0;
	if (store_image_list(s, &v, &n, &err) < 0)
		return fail(&err);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		char user[256];
		if ((v[i]->names[0] && !f.all) || ctr_image_user(s->dirfd, v[i]->id.hex, user, sizeof(user)))
			continue;
		if (store_image_untag(s, &v[i]->id, NULL, true, &err) < 0) {
			cli_fail(&err);
			ret = 125;
			continue;
		}
		printf("%s\n", v[i]->id.hex);
	}
	image_records_free(&v, n);
	struct gc_result res;
	if (collect(s, &res) < 0)
		return EXIT_ENGINE;
	char sz[32];
	fprintf(stderr, "Total reclaimed space: %s\n", human_size((int64_t)res.bytes, sz, sizeof(sz)));
	return ret;
}

/* --- tag, bundle --- */

static int image_tag_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	int rc, ind = verb_parse("tag", argc, argv, "", NULL, cli_no_flags, NULL, 2, 64, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	_cleanup_image_record_ struct image_record *r = NULL;
	if (store_image_find(s, argv[ind], &r, &err) < 0)
		return fail(&err);
	for (int i = ind + 1; i < argc; i++) {
		_cleanup_image_ref_ struct image_ref ref = { 0 };
		if (image_ref_parse_name(argv[i], &ref, &err) < 0)
			return fail(&err);
		if (ref.has_digest)
			return cli_failf("%s: a tag cannot name a digest", argv[i]), EXIT_ENGINE;
		_cleanup_free_ char *name = image_ref_name(&ref);
		if (store_image_tag(s, &r->id, name, &err) < 0)
			return fail(&err);
	}
	return 0;
}

static int image_bundle_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	int rc, ind = verb_parse("bundle", argc, argv, "", NULL, cli_no_flags, NULL, 2, 2, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	_cleanup_image_ struct image img = { 0 };
	if (image_open(s, argv[ind], &img, &err) < 0 || image_bundle(s, &img, argv[ind + 1], &err) < 0)
		return fail(&err);
	return 0;
}

/* --- load, save --- */

struct archive_flags {
	const char *input, *output;
	enum archive_format format;
	bool quiet;
};

static int archive_flag(int opt, const char *arg, void *data)
{
	struct archive_flags *f = data;
	switch (opt) {
	case 'i':
		f->input = arg;
		return 0;
	case 'o':
		f->output = arg;
		return 0;
	case 'q':
		f->quiet = true;
		return 0;
	case 'f':
		if (strcmp(arg, "docker-archive") == 0)
			f->format = ARCHIVE_DOCKER;
		else if (strcmp(arg, "oci-archive") == 0)
			f->format = ARCHIVE_OCI;
		else
			return cli_failf("invalid value \"%s\" for flag --format: docker-archive or oci-archive", arg), -1;
		return 0;
	}
	return -1;
}

static const struct option archive_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

static int image_load_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	const struct cli_command *cmd = verb_command("load");
	struct archive_flags f = { 0 };
	int ind = cli_parse(cmd, argc, argv, "i:q", archive_opts, archive_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : EXIT_ENGINE;
	if (cli_want_args(cmd, argc, ind, f.input ? 0 : 1, f.input ? 0 : 1) < 0)
		return EXIT_ENGINE;
	const char *file = f.input ? f.input : argv[ind];
	struct pull_opts o = { .log = NULL };
	_cleanup_err_ hull_err err = NULL;
	if (image_load(s, file, &o, f.quiet ? NULL : stdout, &err) < 0)
		return fail(&err);
	return 0;
}

static int image_save_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	struct archive_flags f = { .format = ARCHIVE_DOCKER };
	int rc, ind = verb_parse("save", argc, argv, "o:q", archive_opts, archive_flag, &f, 1, 256, &rc);
	if (ind < 0)
		return rc;
	if (f.output == NULL && isatty(STDOUT_FILENO))
		return cli_failf("image save: refusing to write an archive to a terminal: use --output FILE"), EXIT_ENGINE;
	_cleanup_err_ hull_err err = NULL;
	if (image_save(s, argv + ind, (size_t)(argc - ind), f.format, f.output ? f.output : "-", &err) < 0)
		return fail(&err);
	return 0;
}

/* --- mount, umount --- */

static int image_mount_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	int rc, ind = verb_parse("mount", argc, argv, "", NULL, cli_no_flags, NULL, 2, 2, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	_cleanup_image_ struct image img = { 0 };
	if (image_open(s, argv[ind], &img, &err) < 0 || image_mount(s, &img, NULL, argv[ind + 1], &err) < 0)
		return fail(&err);
	return 0;
}

static int image_umount_cmd(struct cli_globals *g, struct store *s, int argc, char **argv)
{
	(void)g;
	int rc, ind = verb_parse("umount", argc, argv, "", NULL, cli_no_flags, NULL, 1, 1, &rc);
	if (ind < 0)
		return rc;
	_cleanup_err_ hull_err err = NULL;
	if (image_unmount(s, argv[ind], &err) < 0)
		return fail(&err);
	return 0;
}

static const struct image_verb verbs[] = {
	{ "pull", image_pull_cmd, "pull an image from a registry, an OCI layout or an archive into the store",
	  "Usage: hull image pull [command options] REFERENCE\n\n"
	  "REFERENCE: NAME[:TAG][@DIGEST] (docker://, the default: busybox is docker.io/library/busybox:latest), oci:DIR[:TAG],\n"
	  "oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG].\n"
	  "Prints the image id.\n\nOptions:\n"
	  "   --platform value     OS/ARCH[/VARIANT] to pick from an index (default: this host's)\n"
	  "   --tls-verify=false   allow plain HTTP and unverified TLS (always allowed for localhost)\n"
	  "   --cert-dir value     a directory of CA certificates (*.crt) and client.cert/client.key\n"
	  "   --creds value        USER:PASSWORD for the registry\n"
	  "   --authfile value     the auth.json to read credentials from\n"
	  "   --quiet, -q          print only the image id\n" },
	{ "ls", image_ls_cmd, "list the images in the store",
	  "Usage: hull image ls [command options]\n\nOptions:\n"
	  "   --format value, -f value  table or json (default: \"table\")\n"
	  "   --quiet, -q               print only image ids\n"
	  "   --all, -a                 accepted for podman compatibility\n" },
	{ "inspect", image_inspect_cmd, "show an image's record, manifest digest and config",
	  "Usage: hull image inspect IMAGE...\n" },
	{ "rm", image_rm_cmd, "remove images (a name untags; an id removes) and what no image uses any more",
	  "Usage: hull image rm [command options] IMAGE...\n\nOptions:\n"
	  "   --force, -f   remove an image by id even when it has several names\n"
	  "   --all, -a     remove every image\n" },
	{ "prune", image_prune_cmd, "remove images without names (all with -a) and unused blobs and layers",
	  "Usage: hull image prune [command options]\n\nOptions:\n"
	  "   --all, -a     remove every image, named or not\n"
	  "   --force, -f   do not ask (hull never asks)\n" },
	{ "tag", image_tag_cmd, "add names to an image", "Usage: hull image tag IMAGE NAME...\n" },
	{ "load", image_load_cmd, "load the images of a docker-archive or oci-archive file",
	  "Usage: hull image load [command options] [FILE]\n\nThe format is told from the content; plain, gzip or zstd.\n\nOptions:\n"
	  "   --input value, -i value   the archive file\n"
	  "   --quiet, -q               print nothing\n" },
	{ "save", image_save_cmd, "save images into a docker-archive or oci-archive file",
	  "Usage: hull image save [command options] IMAGE...\n\nOptions:\n"
	  "   --output value, -o value  the file to write (default: stdout, never a terminal)\n"
	  "   --format value            docker-archive or oci-archive (default: \"docker-archive\")\n" },
	{ "mount", image_mount_cmd, "mount an image's layers read-only as one overlayfs",
	  "Usage: hull image mount IMAGE DIR\n\nThe image's layers, as the store keeps them, merged by overlayfs on DIR (read-only).\n" },
	{ "umount", image_umount_cmd, "unmount what hull image mount mounted", "Usage: hull image umount DIR\n" },
	{ "bundle", image_bundle_cmd, "make a runtime bundle (rootfs + config.json) of an image",
	  "Usage: hull image bundle IMAGE DIR\n\n"
	  "DIR/rootfs gets every layer applied in order and DIR/config.json the image's config over runc's default spec\n"
	  "(image-spec conversion.md). DIR must not exist or be empty. Any OCI runtime can run the bundle.\n" },
	{ NULL, NULL, NULL, NULL },
};

static const struct image_verb *verb_get(const char *name)
{
	for (const struct image_verb *v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	abort();
}

static void image_usage(FILE *f)
{
	fprintf(f, "NAME:\n   hull image - manage images in hull's store\n\nUSAGE:\n   hull image [--storage DIR] COMMAND [command options] [arguments...]\n\nCOMMANDS:\n");
	for (const struct image_verb *v = verbs; v->name; v++)
		fprintf(f, "   %-8s %s\n", v->name, v->summary);
	fprintf(f, "\nOPTIONS:\n   --storage value   the image store (default: /var/lib/hull; $XDG_DATA_HOME/hull for a user)\n");
}

static const char *const aliases[][2] = { { "list", "ls" }, { "remove", "rm" }, { "rmi", "rm" } };

int cmd_image(struct cli_globals *g, int argc, char **argv)
{
	int i = 1;
	const char *storage = g->storage;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			image_usage(stdout);
			return 0;
		}
		if (strncmp(argv[i], "--storage=", 10) == 0)
			storage = argv[i] + 10;
		else if (strcmp(argv[i], "--storage") == 0 && i + 1 < argc)
			storage = argv[++i];
		else
			return cli_failf("image: flag provided but not defined: %s", argv[i]), EXIT_ENGINE;
	}
	if (i >= argc) {
		image_usage(stderr);
		return 125;
	}
	const char *name = argv[i];
	for (size_t k = 0; k < ARRAY_SIZE(aliases); k++)
		if (strcmp(name, aliases[k][0]) == 0)
			name = aliases[k][1];
	const struct image_verb *v = NULL;
	for (const struct image_verb *e = verbs; e->name; e++)
		if (strcmp(e->name, name) == 0)
			v = e;
	if (v == NULL)
		return cli_failf("image: no such command: %s (see hull image --help)", argv[i]), EXIT_ENGINE;
	for (int k = i + 1; k < argc; k++)
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			cli_print_help(verb_command(v->name), stdout);
			return 0;
		}
	_cleanup_free_ char *root = storage ? xstrdup(storage) : store_default_root();
	_cleanup_err_ hull_err err = NULL;
	_cleanup_store_ struct store *s = NULL;
	if (store_open(&s, root, &err) < 0)
		return fail(&err);
	return v->run(g, s, argc - i, argv + i);
}
