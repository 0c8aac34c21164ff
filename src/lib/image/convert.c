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
#include "util/passwd.h"
#include "util/xalloc.h"

#define BUNDLE_OCI_VERSION "1.0.2"
#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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
	struct passwd_user u = { 0 };
	if (c->user && *c->user && passwd_resolve(rootfd, c->user, &u, err) < 0)
		return hull_err_prefix(err, "image user \"%s\"", c->user);
	passwd_user_free(&u);
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
