/* ref.c - image references: the grammar of distribution's reference package (domain, path components, tag,
 * digest) and Docker's normalisation, plus the transports hull reads from. Must never accept a name a registry
 * would refuse, nor lose a part the user typed. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "image/ref.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define NAME_MAX_TOTAL 255 /* distribution: a repository name of at most 255 characters */
#define TAG_MAX 128
#define DOCKER_HUB "docker.io"

static int bad(hull_err *err, const char *s, const char *why)
{
	return hull_fail_code(err, EINVAL, "invalid reference \"%.200s\": %s", s, why);
}

static bool alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* a path component: [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)* */
static bool valid_component(const char *s, size_t n)
{
	if (n == 0 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1]))
		return false;
	for (size_t i = 0; i < n;) {
		if (alnum_lower(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !alnum_lower(s[j]))
			j++;
		size_t len = j - i;
		bool dashes = strspn(s + i, "-") >= len;
		bool sep = (len == 1 && (s[i] == '.' || s[i] == '_')) || (len == 2 && s[i] == '_' && s[i + 1] == '_') || dashes;
		if (!sep)
			return false;
		i = j;
	}
	return true;
}

/* a domain: host components of [A-Za-z0-9-] separated by '.', or a bracketed IPv6 address, and an optional :port */
static bool valid_domain(const char *s, size_t n)
{
	const char *colon = NULL;
	size_t hostlen = n;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (close == NULL)
			return false;
		for (const char *c = s + 1; c < close; c++)
			if (!isxdigit((unsigned char)*c) && *c != ':')
				return false;
		hostlen = (size_t)(close - s) + 1;
		if (hostlen < n && s[hostlen] != ':')
			return false;
	} else {
		colon = memchr(s, ':', n);
		if (colon)
			hostlen = (size_t)(colon - s);
		if (hostlen == 0)
			return false;
		for (size_t i = 0; i < hostlen; i++) {
			char c = s[i];
			if (!isalnum((unsigned char)c) && c != '-' && c != '.')
				return false;
			if (c == '.' && (i == 0 || i + 1 == hostlen || s[i - 1] == '.'))
				return false;
		}
	}
	if (hostlen < n) {
		size_t plen = n - hostlen - 1;
		if (plen == 0 || plen > 5 || strspn(s + hostlen + 1, "0123456789") < plen)
			return false;
	}
	return true;
}

static bool valid_tag(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > TAG_MAX || !(isalnum((unsigned char)t[0]) || t[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '.' && t[i] != '-')
			return false;
	return true;
}

/* Docker's rule: the first component is a domain when it has a '.' or a ':' or is "localhost", else the name is
 * on Docker Hub. */
static bool looks_like_domain(const char *s, size_t n)
{
	return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && strncmp(s, "localhost", 9) == 0) ||
	       (n && s[0] == '[');
}

static int parse_docker(const char *s, struct image_ref *out, bool need_tag, hull_err *err)
{
	_cleanup_free_ char *copy = xstrdup(s);
	char *at = strchr(copy, '@');
	if (at) {
		*at = '\0';
		_cleanup_err_ hull_err derr = NULL;
		if (digest_parse(at + 1, &out->digest, "digest", &derr) < 0)
			return bad(err, s, "the part after '@' is not a sha256 or sha512 digest");
		out->has_digest = true;
	}
	char *name = copy;
	/* the tag: after the last ':' that follows the last '/' */
	char *slash = strrchr(name, '/');
	char *colon = strrchr(slash ? slash : name, ':');
	if (colon) {
		*colon = '\0';
		if (!valid_tag(colon + 1))
			return bad(err, s, "a tag is 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
		out->tag = xstrdup(colon + 1);
	}
	if (*name == '\0')
		return bad(err, s, "no repository name");
	char *first_slash = strchr(name, '/');
	const char *path = name;
	if (first_slash && looks_like_domain(name, (size_t)(first_slash - name))) {
		if (!valid_domain(name, (size_t)(first_slash - name)))
			return bad(err, s, "the registry host is not a host name or address with an optional port");
		out->domain = xstrndup(name, (size_t)(first_slash - name));
		path = first_slash + 1;
	} else {
		out->domain = xstrdup(DOCKER_HUB);
	}
	if (strcmp(out->domain, "index.docker.io") == 0 || strcmp(out->domain, "registry-1.docker.io") == 0) {
		free(out->domain);
		out->domain = xstrdup(DOCKER_HUB);
	}
	for (const char *c = path;;) {
		const char *end = strchrnul(c, '/');
		if (!valid_component(c, (size_t)(end - c))) {
			for (const char *u = c; u < end; u++)
				if (isupper((unsigned char)*u))
					return bad(err, s, "repository names must be lowercase");
			return bad(err, s, "a repository name is components of [a-z0-9] separated by '.', '_', '__' or '-', joined by '/'");
		}
		if (*end == '\0')
			break;
		c = end + 1;
	}
	if (strcmp(out->domain, DOCKER_HUB) == 0 && strchr(path, '/') == NULL)
		out->path = xasprintf("library/%s", path);
	else
		out->path = xstrdup(path);
	if (strlen(out->domain) + 1 + strlen(out->path) > NAME_MAX_TOTAL)
		return bad(err, s, "the repository name is longer than 255 characters");
	if (out->tag == NULL && !out->has_digest) {
		if (need_tag)
			return bad(err, s, "no tag");
		out->tag = xstrdup("latest");
	}
	return 0;
}

static const struct {
	const char *prefix;
	enum transport t;
} transports[] = {
	{ "docker://", TRANSPORT_DOCKER },
	{ "oci:", TRANSPORT_OCI },
	{ "oci-archive:", TRANSPORT_OCI_ARCHIVE },
	{ "docker-archive:", TRANSPORT_DOCKER_ARCHIVE },
};

/* FILE[:TAG] of oci: and oci-archive:, FILE[:NAME:TAG] of docker-archive: (the last ':' separates, as
 * containers/image reads them; a path with a ':' of its own needs a tag after it) */
static int parse_local(const char *s, const char *rest, struct image_ref *out, hull_err *err)
{
	if (*rest == '\0')
		return bad(err, s, "no path after the transport");
	const char *colon = strchr(rest, ':');
	if (colon == NULL) {
		out->file = xstrdup(rest);
		return 0;
	}
	out->file = xstrndup(rest, (size_t)(colon - rest));
	if (out->transport == TRANSPORT_DOCKER_ARCHIVE) {
		if (parse_docker(colon + 1, out, false, err) < 0)
			return -1;
		return 0;
	}
	if (!valid_tag(colon + 1) && strlen(colon + 1) > TAG_MAX)
		return bad(err, s, "the tag of an OCI layout is too long");
	out->tag = xstrdup(colon + 1);
	return 0;
}

int image_ref_parse(const char *s, struct image_ref *out, hull_err *err)
{
	*out = (struct image_ref){ 0 };
	int ret = -1;
	for (size_t i = 0; i < ARRAY_SIZE(transports); i++) {
		size_t n = strlen(transports[i].prefix);
		if (strncmp(s, transports[i].prefix, n) != 0)
			continue;
		out->transport = transports[i].t;
		ret = out->transport == TRANSPORT_DOCKER ? parse_docker(s + n, out, false, err) : parse_local(s, s + n, out, err);
		goto done;
	}
	ret = parse_docker(s, out, false, err);
done:
	if (ret < 0)
		image_ref_clear(out);
	return ret;
}

int image_ref_parse_name(const char *s, struct image_ref *out, hull_err *err)
{
	*out = (struct image_ref){ 0 };
	if (parse_docker(s, out, false, err) < 0) {
		image_ref_clear(out);
		return -1;
	}
	return 0;
}

char *image_ref_repo(const struct image_ref *r)
{
	return xasprintf("%s/%s", r->domain, r->path);
}

char *image_ref_name(const struct image_ref *r)
{
	return xasprintf("%s/%s%s%s%s%s", r->domain, r->path, r->tag ? ":" : "", r->tag ? r->tag : "",
			 r->has_digest ? "@" : "", r->has_digest ? digest_text(&r->digest) : "");
}

void image_ref_clear(struct image_ref *r)
{
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->file);
	*r = (struct image_ref){ 0 };
}
