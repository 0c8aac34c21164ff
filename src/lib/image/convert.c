/* convert.c - image config -> runtime config as the image-spec's conversion.md says: Entrypoint and Cmd, Env (PATH
 * added when the image has none), WorkingDir, User resolved in the image's /etc/passwd and /etc/group, labels and
 * the config's fields as annotations. Must never read a file of the host where the image's is meant. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/convert.h"
#include "spec_default.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define BUNDLE_OCI_VERSION "1.0.2"
#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ID_FILE_MAX ((size_t)16 << 20)
#define GIDS_MAX 64

/* a file of the image's (/etc/passwd, /etc/group) read through its root; NULL when absent */
static char *image_file(int rootfd, const char *path)
{
	int fd = fs_open_in_root(rootfd, path, O_RDONLY, 0);
	if (fd < 0)
		return NULL;
	char *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (fs_read_fd_max(fd, path, ID_FILE_MAX, &text, NULL, &err) < 0)
		text = NULL;
	close(fd);
	return text;
}

static bool parse_id(const char *s, unsigned *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end || errno || v > 0xfffffffeUL)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Find a line of an /etc/passwd or /etc/group text whose field 0 is name (or, name NULL, whose field 2 is id);
 * its fields split in place into f[0..n). */
static bool find_entry(char *text, const char *name, unsigned id, char **f, size_t n)
{
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		size_t k = 0;
		for (char *p = line; k < n; k++) {
			f[k] = p;
			p = strchr(p, ':');
			if (p == NULL) {
				k++;
				break;
			}
			*p++ = '\0';
		}
		for (; k < n; k++)
			f[k] = (char *)"";
		unsigned v;
		if (name ? strcmp(f[0], name) == 0 : (parse_id(f[2], &v) && v == id))
			return true;
	}
	return false;
}

struct user {
	unsigned uid, gid;
	unsigned gids[GIDS_MAX];
	size_t n_gids;
};

static int resolve_user(const char *spec, int rootfd, struct user *u, hull_err *err)
{
	*u = (struct user){ 0 };
	if (spec == NULL || *spec == '\0')
		return 0;
	_cleanup_free_ char *user = xstrdup(spec);
	char *group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	_cleanup_free_ char *passwd = image_file(rootfd, "/etc/passwd"), *grp = image_file(rootfd, "/etc/group");
	char *f[7];
	const char *name = NULL;
	_cleanup_free_ char *found_name = NULL;
	if (parse_id(user, &u->uid)) {
		_cleanup_free_ char *copy = passwd ? xstrdup(passwd) : NULL;
		if (copy && find_entry(copy, NULL, u->uid, f, 7)) {
			unsigned g;
			if (parse_id(f[3], &g))
				u->gid = g;
			name = found_name = xstrdup(f[0]);
		}
	} else {
		_cleanup_free_ char *copy = passwd ? xstrdup(passwd) : NULL;
		if (copy == NULL || !find_entry(copy, user, 0, f, 7) || !parse_id(f[2], &u->uid) || !parse_id(f[3], &u->gid))
			return hull_fail_code(err, ENOENT, "image user \"%s\": no such user in the image's /etc/passwd", user);
		name = user;
	}
	if (group) {
		if (!parse_id(group, &u->gid)) {
			_cleanup_free_ char *copy = grp ? xstrdup(grp) : NULL;
			if (copy == NULL || !find_entry(copy, group, 0, f, 4) || !parse_id(f[2], &u->gid))
				return hull_fail_code(err, ENOENT, "image user \"%s\": no such group in the image's /etc/group", spec);
		}
		return 0;
	}
	/* the supplementary groups that list the user by name (as Docker and podman add them) */
	if (name == NULL || grp == NULL)
		return 0;
	for (char *line = grp, *next; line && *line && u->n_gids < GIDS_MAX; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *gf[4] = { line, NULL, NULL, NULL };
		size_t k = 1;
		for (char *p = line; k < 4 && (p = strchr(p, ':')); k++) {
			*p++ = '\0';
			gf[k] = p;
		}
		unsigned g;
		if (k < 4 || !parse_id(gf[2], &g) || g == u->gid)
			continue;
		_cleanup_free_ char *members = xstrdup(gf[3]);
		for (char *save = NULL, *m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (strcmp(m, name) == 0) {
				u->gids[u->n_gids++] = g;
				break;
			}
	}
	return 0;
}

static void annotate(json_object *ann, const char *key, const char *value)
{
	if (value && *value)
		json_object_object_add(ann, key, json_object_new_string(value));
}

int image_runtime_config(const struct image_config *c, int rootfd, bool rootless, bool need_command, json_object **out,
			 hull_err *err)
{
	size_t n = 0;
	for (char **v = c->entrypoint; v && *v; v++)
		n++;
	for (char **v = c->cmd; v && *v; v++)
		n++;
	if (n == 0 && need_command)
		return hull_fail_code(err, EINVAL, "image %.12s: no command (neither Entrypoint nor Cmd)", c->digest.hex);
	struct user u;
	if (resolve_user(c->user, rootfd, &u, err) < 0)
		return -1;
	json_object *s = spec_default(rootless);
	/* nothing here needs a newer spec, and runtimes older than hull refuse versions they do not know (crun 1.8:
	 * "unknown version specified"): the bundle must run under any of them */
	json_object_object_add(s, "ociVersion", json_object_new_string(BUNDLE_OCI_VERSION));
	json_object *p = json_object_object_get(s, "process");
	json_object_object_add(p, "terminal", json_object_new_boolean(0));
	if (n) { /* else the default spec's ("sh") */
		json_object *args = sj_new_strv((const char *const *)c->entrypoint);
		for (char **v = c->cmd; v && *v; v++)
			json_object_array_add(args, json_object_new_string(*v));
		json_object_object_add(p, "args", args);
	}
	json_object *env = sj_new_strv((const char *const *)c->env);
	bool has_path = false;
	for (char **v = c->env; v && *v; v++)
		has_path |= strncmp(*v, "PATH=", 5) == 0;
	if (!has_path)
		json_object_array_put_idx(env, json_object_array_length(env), json_object_new_string(DEFAULT_PATH));
	json_object_object_add(p, "env", env);
	_cleanup_free_ char *cwd = c->working_dir && *c->working_dir ? (c->working_dir[0] == '/' ? xstrdup(c->working_dir) : xasprintf("/%s", c->working_dir)) : xstrdup("/");
	json_object_object_add(p, "cwd", json_object_new_string(cwd));
	if (!rootless) {
		json_object *user = json_object_new_object();
		json_object_object_add(user, "uid", json_object_new_int64(u.uid));
		json_object_object_add(user, "gid", json_object_new_int64(u.gid));
		if (u.n_gids) {
			json_object *g = json_object_new_array();
			for (size_t i = 0; i < u.n_gids; i++)
				json_object_array_add(g, json_object_new_int64(u.gids[i]));
			json_object_object_add(user, "additionalGids", g);
		}
		json_object_object_add(p, "user", user);
	}
	json_object_object_add(json_object_object_get(s, "root"), "readonly", json_object_new_boolean(0));
	json_object *ann = json_object_new_object();
	for (size_t i = 0; c->label_keys && c->label_keys[i]; i++)
		annotate(ann, c->label_keys[i], c->label_values[i]);
	annotate(ann, "org.opencontainers.image.os", c->platform.os);
	annotate(ann, "org.opencontainers.image.architecture", c->platform.arch);
	annotate(ann, "org.opencontainers.image.variant", c->platform.variant);
	annotate(ann, "org.opencontainers.image.created", c->created);
	annotate(ann, "org.opencontainers.image.stopSignal", c->stop_signal);
	if (c->exposed_ports && c->exposed_ports[0]) {
		_cleanup_free_ char *ports = xstrdup("");
		for (char **v = c->exposed_ports; *v; v++) {
			char *np = xasprintf("%s%s%s", ports, *ports ? "," : "", *v);
			free(ports);
			ports = np;
		}
		annotate(ann, "org.opencontainers.image.exposedPorts", ports);
	}
	json_object_object_add(s, "annotations", ann);
	for (char **v = c->volumes; v && *v; v++) {
		_cleanup_err_ hull_err verr = NULL;
		int fd = fs_mkpath_in_root(rootfd, *v, false, &verr);
		if (fd >= 0)
			close(fd);
	}
	*out = s;
	return 0;
}
