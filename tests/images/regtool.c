/* regtool.c - drives libhull's registry client for tests/images/registry.bats: a manifest by tag or digest, blobs
 * fetched in parallel into a directory. Must never hide an error: one line on stderr and exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/registry.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

static int fail(hull_err *err)
{
	fprintf(stderr, "regtool: %s\n", *err ? (*err)->msg : "unknown error");
	hull_err_free(err);
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: regtool manifest [OPTS] HOST/REPO:TAG|HOST/REPO@DIGEST [-o FILE]\n"
			"       regtool blobs [OPTS] HOST/REPO DIGEST:SIZE... -d OUTDIR\n"
			"OPTS: --tls-verify=false --cert-dir D --creds U:P --authfile F --parallel N --progress\n");
	return 2;
}

/* HOST/REPO[:TAG|@DIGEST] -> host, repo, reference (NULL when absent) */
static int split_ref(char *s, char **host, char **repo, char **ref)
{
	char *slash = strchr(s, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	*host = s;
	*repo = slash + 1;
	*ref = NULL;
	char *at = strchr(*repo, '@');
	char *last = strrchr(*repo, '/');
	char *colon = strrchr(last ? last : *repo, ':');
	if (at) {
		*at = '\0';
		*ref = at + 1;
	} else if (colon) {
		*colon = '\0';
		*ref = colon + 1;
	}
	return 0;
}

static int cmd_manifest(struct registry_opts *o, const char *out, int argc, char **argv)
{
	if (argc != 1)
		return usage();
	char *host, *repo, *ref;
	if (split_ref(argv[0], &host, &repo, &ref) < 0 || ref == NULL)
		return usage();
	_cleanup_err_ hull_err err = NULL;
	_cleanup_registry_ struct registry *r = NULL;
	_cleanup_free_ char *body = NULL, *type = NULL;
	size_t len = 0;
	struct digest d;
	if (registry_open(&r, host, o, &err) < 0 || registry_get_manifest(r, repo, ref, &body, &len, &type, &err) < 0 ||
	    digest_buffer(body, len, DIGEST_SHA256, &d, &err) < 0)
		return fail(&err);
	printf("%s\n%s\n", type ? type : "", digest_text(&d));
	if (out) {
		FILE *f = fopen(out, "we");
		if (f == NULL || fwrite(body, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "regtool: write %s: %s\n", out, strerror(errno));
			return 1;
		}
	}
	return 0;
}

struct fetch_list {
	struct descriptor *descs;
	struct blob_fetch *fetches;
	size_t n;
};

static void fetch_list_free(struct fetch_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->fetches[i].fd >= 0)
			close(l->fetches[i].fd);
	free(l->fetches);
	free(l->descs);
}

/* DIGEST:SIZE words -> descriptors and the files of dir named by their hex, opened for a resumed fetch */
static int open_fetches(struct fetch_list *l, const char *dir, char **args, hull_err *err)
{
	l->descs = xcalloc(l->n, sizeof(*l->descs));
	l->fetches = xcalloc(l->n, sizeof(*l->fetches));
	for (size_t i = 0; i < l->n; i++)
		l->fetches[i].fd = -1;
	for (size_t i = 0; i < l->n; i++) {
		char *colon = strrchr(args[i], ':');
		if (colon == NULL)
			return hull_fail(err, "%s: not DIGEST:SIZE", args[i]);
		*colon = '\0';
		l->descs[i].size = strtoll(colon + 1, NULL, 10);
		if (digest_parse(args[i], &l->descs[i].digest, "blob", err) < 0)
			return -1;
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, l->descs[i].digest.hex);
		l->fetches[i].desc = &l->descs[i];
		l->fetches[i].fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (l->fetches[i].fd < 0)
			return hull_fail_sys(err, "open %s", path);
	}
	return 0;
}

static int cmd_blobs(struct registry_opts *o, const char *dir, int argc, char **argv)
{
	if (argc < 2 || dir == NULL)
		return usage();
	char *host, *repo, *ref;
	if (split_ref(argv[0], &host, &repo, &ref) < 0 || ref != NULL)
		return usage();
	__attribute__((cleanup(fetch_list_free))) struct fetch_list l = { .n = (size_t)argc - 1 };
	_cleanup_err_ hull_err err = NULL;
	_cleanup_registry_ struct registry *r = NULL;
	if (open_fetches(&l, dir, argv + 1, &err) < 0 || registry_open(&r, host, o, &err) < 0 ||
	    registry_get_blobs(r, repo, l.fetches, l.n, &err) < 0)
		return fail(&err);
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_TLS = 1000, O_CERTS, O_CREDS, O_AUTHFILE, O_PARALLEL, O_PROGRESS };
	static const struct option opts[] = {
		{ "tls-verify", required_argument, NULL, O_TLS }, { "cert-dir", required_argument, NULL, O_CERTS },
		{ "creds", required_argument, NULL, O_CREDS },	  { "authfile", required_argument, NULL, O_AUTHFILE },
		{ "parallel", required_argument, NULL, O_PARALLEL }, { "progress", no_argument, NULL, O_PROGRESS },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2)
		return usage();
	struct registry_opts o = { .tls_verify = true };
	const char *out = NULL, *dir = NULL;
	int opt;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "o:d:", opts, NULL)) != -1) {
		switch (opt) {
		case O_TLS: o.tls_verify = strcmp(optarg, "false") != 0; break;
		case O_CERTS: o.certs_dir = optarg; break;
		case O_CREDS: o.creds = optarg; break;
		case O_AUTHFILE: o.auth_file = optarg; break;
		case O_PARALLEL: o.parallel = atoi(optarg); break;
		case O_PROGRESS: o.progress = true; break;
		case 'o': out = optarg; break;
		case 'd': dir = optarg; break;
		default: return usage();
		}
	}
	if (strcmp(argv[1], "manifest") == 0)
		return cmd_manifest(&o, out, argc - optind, argv + optind);
	if (strcmp(argv[1], "blobs") == 0)
		return cmd_blobs(&o, dir, argc - optind, argv + optind);
	return usage();
}
