/* test_registry.c - the registry client's pure parts: WWW-Authenticate parsing (hostile values too), base64, the
 * http/https and credentials policy, host names, error bodies; and auth.json lookup, store and removal.
 * Must never read or write the user's auth files: HOME, XDG_RUNTIME_DIR and REGISTRY_AUTH_FILE point into scratch. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "image/auth.h"
#include "image/registry.h"
#include "image/registry_internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

static char *tmp;
static hull_err err;
static struct auth_challenge ch;

static int scratch(void **state)
{
	(void)state;
	tmp = unit_tmpdir();
	char xdg[PATH_MAX];
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmp);
	mkdir(xdg, 0700);
	setenv("HOME", tmp, 1);
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	unsetenv("REGISTRY_AUTH_FILE");
	return 0;
}

static int scratch_gone(void **state)
{
	(void)state;
	hull_err_free(&err);
	auth_challenge_clear(&ch);
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return r;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, scratch, scratch_gone)

static void parse_ok(const char *value)
{
	auth_challenge_clear(&ch);
	hull_err_free(&err);
	if (www_authenticate_parse(value, &ch, &err) != 0)
		fail_msg("%s: %s", value, err->msg);
}

static void parse_refused(const char *value)
{
	auth_challenge_clear(&ch);
	hull_err_free(&err);
	assert_int_equal(www_authenticate_parse(value, &ch, &err), -1);
	assert_non_null(err);
	assert_int_equal(err->errnum, EPROTO);
	assert_int_equal(ch.scheme, AUTH_NONE);
	assert_null(ch.realm);
}

static void www_authenticate_bearer_gives_realm_service_and_scope(void **state)
{
	(void)state;
	parse_ok("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
		 "scope=\"repository:library/busybox:pull\"");
	assert_int_equal(ch.scheme, AUTH_BEARER);
	assert_string_equal(ch.realm, "https://auth.docker.io/token");
	assert_string_equal(ch.service, "registry.docker.io");
	assert_string_equal(ch.scope, "repository:library/busybox:pull");
	/* scheme and names in any case, spaces around '=' and ',', unknown parameters ignored */
	parse_ok("bEaReR  Realm = \"http://127.0.0.1:1/t\" , error=\"insufficient_scope\" ,SERVICE=svc");
	assert_int_equal(ch.scheme, AUTH_BEARER);
	assert_string_equal(ch.realm, "http://127.0.0.1:1/t");
	assert_string_equal(ch.service, "svc");
	assert_null(ch.scope);
}

static void www_authenticate_quoted_strings_take_escapes(void **state)
{
	(void)state;
	parse_ok("Basic realm=\"a \\\"quoted\\\" realm, with comma \\\\ and backslash\"");
	assert_int_equal(ch.scheme, AUTH_BASIC);
	assert_string_equal(ch.realm, "a \"quoted\" realm, with comma \\ and backslash");
	parse_ok("Basic");
	assert_int_equal(ch.scheme, AUTH_BASIC);
	assert_null(ch.realm);
}

static void www_authenticate_prefers_bearer_among_several_challenges(void **state)
{
	(void)state;
	parse_ok("Basic realm=\"basic\", Bearer realm=\"https://t.example/token\",service=\"s\"");
	assert_int_equal(ch.scheme, AUTH_BEARER);
	assert_string_equal(ch.realm, "https://t.example/token");
	parse_ok("Negotiate, Basic realm=\"r\"");
	assert_int_equal(ch.scheme, AUTH_BASIC);
	assert_string_equal(ch.realm, "r");
	/* an unusable Bearer (no realm) does not hide a usable Basic */
	parse_ok("Bearer service=\"s\", Basic realm=\"r\"");
	assert_int_equal(ch.scheme, AUTH_BASIC);
}

static void www_authenticate_refuses_hostile_values(void **state)
{
	(void)state;
	parse_refused("");
	parse_refused("   ,, ,");
	parse_refused("=====");
	parse_refused("Bearer realm=\"https://x/unterminated");
	parse_refused("Bearer realm=\"https://x/\\");
	parse_refused("Bearer realm=\"https://x/\x01\"");
	parse_refused("Bearer realm=\"https://x/\x7f\"");
	parse_refused("Bearer realm=\"https://a/\",realm=\"https://b/\"");
	parse_refused("Bearer realm=");
	parse_refused("Bearer realm=\"https://a/\" garbage");
	parse_refused("Bearer service=\"s\"");
	parse_refused("Bearer realm=\"file:///etc/passwd\"");
	parse_refused("Bearer realm=\"javascript:x\"");
	parse_refused("Negotiate");
	parse_refused("Basic realm=\"a\" \"b\"");
	/* lengths: a value over AUTH_HEADER_MAX is not taken, a header over twice that not read */
	size_t n = AUTH_HEADER_MAX + 100;
	_cleanup_free_ char *long_realm = xmalloc(n + 64);
	snprintf(long_realm, n + 64, "Bearer realm=\"https://x/%0*d\"", (int)n, 0);
	parse_refused(long_realm);
	_cleanup_free_ char *huge = xmalloc(3 * AUTH_HEADER_MAX);
	memset(huge, ',', 3 * AUTH_HEADER_MAX - 1);
	huge[3 * AUTH_HEADER_MAX - 1] = '\0';
	parse_refused(huge);
}

/* Values made of the characters the grammar cares about, in any order: each parsed or refused, never more (the
 * sanitizer builds check the reads); a parsed Bearer always has an http(s) realm. */
static void www_authenticate_survives_random_values(void **state)
{
	(void)state;
	static const char *const pieces[] = { "Bearer", "Basic", " ", ",", "=", "\"", "\\", "realm", "service", "scope",
					      "https://r/", "\t", "x", "\x01", "\xff", "Negotiate", "==", ", ", "realm=" };
	unsigned seed = 12345;
	char value[256];
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		value[0] = '\0';
		for (int k = (int)((seed = seed * 1103515245 + 12345) >> 16) % 12; k >= 0; k--) {
			const char *p = pieces[((seed = seed * 1103515245 + 12345) >> 16) % ARRAY_SIZE(pieces)];
			if (n + strlen(p) + 1 >= sizeof(value))
				break;
			strcpy(value + n, p);
			n += strlen(p);
		}
		auth_challenge_clear(&ch);
		hull_err_free(&err);
		if (www_authenticate_parse(value, &ch, &err) == 0) {
			assert_int_not_equal(ch.scheme, AUTH_NONE);
			if (ch.scheme == AUTH_BEARER)
				assert_true(strncmp(ch.realm, "https://", 8) == 0 || strncmp(ch.realm, "http://", 7) == 0);
		} else {
			assert_non_null(err);
			assert_int_equal(ch.scheme, AUTH_NONE);
		}
	}
}

static void base64_encodes_and_decodes_rfc4648_vectors(void **state)
{
	(void)state;
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
		_cleanup_free_ char *e = base64_encode(plain[i], strlen(plain[i]));
		assert_string_equal(e, coded[i]);
		_cleanup_free_ char *d = NULL;
		size_t len = 99;
		assert_int_equal(base64_decode(coded[i], &d, &len), 0);
		assert_int_equal(len, strlen(plain[i]));
		assert_string_equal(d, plain[i]);
	}
	_cleanup_free_ char *bin = base64_encode("\xff\xfe\xfd", 3);
	assert_string_equal(bin, "//79");
}

static void base64_refuses_what_is_not_base64(void **state)
{
	(void)state;
	static const char *const bad[] = { "Zg=", "Zg", "Z===", "Zg=a", "=Zg=", "Zm9v!g==", "Zm 9", "AA==" /* a NUL */ };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *d = NULL;
		size_t len = 0;
		if (base64_decode(bad[i], &d, &len) != -1)
			fail_msg("\"%s\" decoded", bad[i]);
		assert_null(d);
	}
}

static void loopback_hosts_may_fall_back_to_http_others_never(void **state)
{
	(void)state;
	static const char *const loopback[] = { "localhost", "localhost:5000", "LOCALHOST:1", "127.0.0.1",
						"127.0.0.1:5000", "127.255.1.2:443", "[::1]:5000", "::1" };
	static const char *const remote[] = { "registry.example", "registry.example:5000", "128.0.0.1:5000",
					      "localhost.evil.example", "127.0.0.1.evil.example", "[::2]:5000",
					      "10.0.0.1", "docker.io" };
	for (size_t i = 0; i < ARRAY_SIZE(loopback); i++) {
		if (!registry_host_is_loopback(loopback[i]))
			fail_msg("%s is loopback", loopback[i]);
		assert_int_equal(registry_schemes_for(loopback[i], true), SCHEMES_HTTPS_THEN_HTTP);
	}
	for (size_t i = 0; i < ARRAY_SIZE(remote); i++) {
		if (registry_host_is_loopback(remote[i]))
			fail_msg("%s is not loopback", remote[i]);
		assert_int_equal(registry_schemes_for(remote[i], true), SCHEMES_HTTPS_ONLY);
		assert_int_equal(registry_schemes_for(remote[i], false), SCHEMES_HTTPS_THEN_HTTP);
	}
}

static void credentials_go_over_http_only_to_loopback_or_when_told(void **state)
{
	(void)state;
	assert_true(registry_may_send_creds("https://auth.example/token", true));
	assert_true(registry_may_send_creds("HTTPS://auth.example/token", true));
	assert_true(registry_may_send_creds("http://127.0.0.1:5000/token?x=1", true));
	assert_true(registry_may_send_creds("http://localhost/token", true));
	assert_true(registry_may_send_creds("http://[::1]:80/token", true));
	assert_false(registry_may_send_creds("http://auth.example/token", true));
	assert_false(registry_may_send_creds("http://127.0.0.1@auth.example/token", true));
	assert_false(registry_may_send_creds("http://127.0.0.1.auth.example/", true));
	assert_false(registry_may_send_creds("ftp://127.0.0.1/", true));
	assert_true(registry_may_send_creds("http://auth.example/token", false));
	assert_false(registry_may_send_creds("gopher://auth.example/", false));
}

static void docker_hub_names_map_to_its_api_and_its_auth_key(void **state)
{
	(void)state;
	static const struct {
		const char *in, *api, *key;
	} cases[] = {
		{ "docker.io", "registry-1.docker.io", "docker.io" },
		{ "index.docker.io", "registry-1.docker.io", "docker.io" },
		{ "quay.io", "quay.io", "quay.io" },
		{ "localhost:5000", "localhost:5000", "localhost:5000" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *api = registry_api_host(cases[i].in), *key = auth_key_host(cases[i].in);
		assert_string_equal(api, cases[i].api);
		assert_string_equal(key, cases[i].key);
	}
	_cleanup_free_ char *k1 = auth_key_host("https://index.docker.io/v1/");
	_cleanup_free_ char *k2 = auth_key_host("http://reg.example:5000/ns/repo");
	assert_string_equal(k1, "docker.io");
	assert_string_equal(k2, "reg.example:5000");
}

static void registry_errors_become_one_printable_line(void **state)
{
	(void)state;
	static const char body[] = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
				   "\"detail\":{}},{\"code\":\"X\",\"message\":\"two\\nlines\\u001b[31m\"}]}";
	_cleanup_free_ char *line = registry_error_line(body, strlen(body));
	assert_string_equal(line, "MANIFEST_UNKNOWN: manifest unknown; X: two?lines?[31m");
	assert_null(registry_error_line("<html>502</html>", 16));
	assert_null(registry_error_line("{\"errors\":{}}", 13));
	assert_null(registry_error_line("{\"errors\":[1,2]}", 16));
	assert_null(registry_error_line(NULL, 0));
	/* a flood of errors stays one bounded line */
	char many[8192] = "{\"errors\":[";
	for (int i = 0; i < 100; i++)
		strcat(many, "{\"code\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},");
	strcpy(many + strlen(many) - 1, "]}");
	_cleanup_free_ char *bounded = registry_error_line(many, strlen(many));
	assert_non_null(bounded);
	assert_true(strlen(bounded) < 400);
}

static char *path_in(const char *rel)
{
	return xasprintf("%s/%s", tmp, rel);
}

static void auth_store_creates_a_private_file_and_lookup_finds_it(void **state)
{
	(void)state;
	_cleanup_free_ char *file = path_in("new/dir/auth.json");
	_cleanup_free_ char *dir = path_in("new/dir");
	assert_int_equal(auth_store("reg.example:5000", file, "alice", "pa:ss word", &err), 0);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	_cleanup_free_ char *user = NULL, *pass = NULL;
	assert_int_equal(auth_lookup("reg.example:5000", file, &user, &pass, &err), 0);
	assert_string_equal(user, "alice");
	assert_string_equal(pass, "pa:ss word");
	char *u2 = NULL, *p2 = NULL;
	assert_int_equal(auth_lookup("other.example", file, &u2, &p2, &err), 1);
	assert_null(u2);
	/* no file at all: not found, not an error */
	_cleanup_free_ char *none = path_in("none.json");
	assert_int_equal(auth_lookup("reg.example:5000", none, &u2, &p2, &err), 1);
	/* a user name with ':' cannot be told from its password */
	assert_int_equal(auth_store("reg.example", file, "a:b", "p", &err), -1);
}

static void auth_store_keeps_other_hosts_and_unknown_keys(void **state)
{
	(void)state;
	unit_write(tmp, "auth.json",
		   "{\"auths\": {\"other.example\": {\"auth\": \"dTpw\", \"email\": \"x@y\"},"
		   " \"reg.example\": {\"auth\": \"b2xkOm9sZA==\", \"identitytoken\": \"t\"}}, \"credHelpers\": {\"a\": \"b\"}}");
	_cleanup_free_ char *file = path_in("auth.json");
	assert_int_equal(auth_store("reg.example", file, "new", "secret", &err), 0);
	json_object *o = json_object_from_file(file);
	assert_non_null(o);
	json_object *auths = json_object_object_get(o, "auths");
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_object_get(auths, "other.example"), "auth")),
			    "dTpw");
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_object_get(auths, "other.example"), "email")),
			    "x@y");
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_object_get(auths, "reg.example"), "auth")),
			    "bmV3OnNlY3JldA==");
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_object_get(o, "credHelpers"), "a")), "b");
	json_object_put(o);
	/* nothing but the file itself in the directory: the temporary file was renamed */
	_cleanup_closedir_ DIR *d = opendir(tmp);
	int entries = 0;
	for (struct dirent *e; (e = readdir(d));)
		entries += e->d_name[0] != '.';
	assert_int_equal(entries, 2); /* auth.json, xdg */
}

static void auth_lookup_refuses_malformed_files_naming_them(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"not json", "[1]", "{\"auths\": []}", "{\"auths\": {\"reg.example\": {\"auth\": 7}}}",
		"{\"auths\": {\"reg.example\": {\"auth\": \"!!!\"}}}", "{\"auths\": {\"reg.example\": {\"auth\": \"bm9jb2xvbg==\"}}}",
	};
	_cleanup_free_ char *file = path_in("bad.json");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		unit_write(tmp, "bad.json", bad[i]);
		char *u = NULL, *p = NULL;
		hull_err_free(&err);
		if (auth_lookup("reg.example", file, &u, &p, &err) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err->msg, "bad.json"));
		assert_null(u);
		/* a store does not overwrite a file it cannot read; a bad entry it replaces */
		hull_err_free(&err);
		assert_int_equal(auth_store("reg.example", file, "u", "p", &err), i < 3 ? -1 : 0);
	}
}

static void auth_lookup_follows_the_documented_order(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/.docker", tmp);
	mkdir(dir, 0700);
	unit_write(dir, "config.json", "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"ZG9ja2VyOmh1Yg==\"}}}");
	_cleanup_free_ char *u = NULL, *p = NULL;
	assert_int_equal(auth_lookup("docker.io", NULL, &u, &p, &err), 0);
	assert_string_equal(u, "docker");
	free(u);
	free(p);
	u = p = NULL;
	/* podman's file (XDG_RUNTIME_DIR) comes before Docker's */
	_cleanup_free_ char *podman = auth_default_file();
	assert_int_equal(auth_store("docker.io", NULL, "podman", "pw", &err), 0);
	assert_int_equal(access(podman, F_OK), 0);
	assert_int_equal(auth_lookup("docker.io", NULL, &u, &p, &err), 0);
	assert_string_equal(u, "podman");
	free(u);
	free(p);
	u = p = NULL;
	/* and $REGISTRY_AUTH_FILE before both */
	_cleanup_free_ char *env = path_in("env.json");
	setenv("REGISTRY_AUTH_FILE", env, 1);
	_cleanup_free_ char *def = auth_default_file();
	assert_string_equal(def, env);
	assert_int_equal(auth_store("docker.io", NULL, "env", "pw", &err), 0);
	assert_int_equal(auth_lookup("docker.io", NULL, &u, &p, &err), 0);
	assert_string_equal(u, "env");
	unsetenv("REGISTRY_AUTH_FILE");
}

static void auth_remove_takes_one_host_or_all(void **state)
{
	(void)state;
	_cleanup_free_ char *file = path_in("auth.json");
	assert_int_equal(auth_store("a.example", file, "u", "p", &err), 0);
	assert_int_equal(auth_store("b.example", file, "u", "p", &err), 0);
	assert_int_equal(auth_remove("a.example", file, false, &err), 0);
	assert_int_equal(auth_remove("a.example", file, false, &err), 1);
	char *u = NULL, *p = NULL;
	assert_int_equal(auth_lookup("a.example", file, &u, &p, &err), 1);
	assert_int_equal(auth_lookup("b.example", file, &u, &p, &err), 0);
	free(u);
	free(p);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(auth_remove(NULL, file, true, &err), 0);
	assert_int_equal(auth_remove(NULL, file, true, &err), 1);
	assert_int_equal(auth_lookup("b.example", file, &u, &p, &err), 1);
	_cleanup_free_ char *none = path_in("none.json");
	assert_int_equal(auth_remove("a.example", none, false, &err), 1);
	assert_int_equal(access(none, F_OK), -1);
}

static void registry_open_refuses_bad_hosts_and_credentials(void **state)
{
	(void)state;
	struct registry *r = NULL;
	struct registry_opts o = { .tls_verify = true };
	static const char *const bad[] = { "", "host/with/path", "a b", "user@host", "host?x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		hull_err_free(&err);
		assert_int_equal(registry_open(&r, bad[i], &o, &err), -1);
		assert_null(r);
	}
	o.creds = "nocolon";
	assert_int_equal(registry_open(&r, "reg.example", &o, &err), -1);
	o.creds = "u:p";
	_cleanup_free_ char *missing = path_in("no-certs");
	o.certs_dir = missing;
	assert_int_equal(registry_open(&r, "reg.example", &o, &err), -1);
	assert_non_null(strstr(err->msg, "no-certs"));
	o.certs_dir = tmp;
	assert_int_equal(registry_open(&r, "reg.example", &o, &err), 0);
	registry_close(&r);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(www_authenticate_bearer_gives_realm_service_and_scope),
		TEST(www_authenticate_quoted_strings_take_escapes),
		TEST(www_authenticate_prefers_bearer_among_several_challenges),
		TEST(www_authenticate_refuses_hostile_values),
		TEST(www_authenticate_survives_random_values),
		TEST(base64_encodes_and_decodes_rfc4648_vectors),
		TEST(base64_refuses_what_is_not_base64),
		TEST(loopback_hosts_may_fall_back_to_http_others_never),
		TEST(credentials_go_over_http_only_to_loopback_or_when_told),
		TEST(docker_hub_names_map_to_its_api_and_its_auth_key),
		TEST(registry_errors_become_one_printable_line),
		TEST(auth_store_creates_a_private_file_and_lookup_finds_it),
		TEST(auth_store_keeps_other_hosts_and_unknown_keys),
		TEST(auth_lookup_refuses_malformed_files_naming_them),
		TEST(auth_lookup_follows_the_documented_order),
		TEST(auth_remove_takes_one_host_or_all),
		TEST(registry_open_refuses_bad_hosts_and_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
