/* network_cni.c - hull's CNI network: the conflist (written once, parsed into a typed value), and each plugin run as
 * the CNI spec says (CNI_* environment, the config on stdin, the result or error on stdout), ADD in order, DEL in
 * reverse. Must never make an interface, address or rule itself, nor leave a plugin's half made ADD undone. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/network_cni.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/xalloc.h"

extern char **environ;

#define CONFLIST_MAX ((size_t)1 << 20)
#define PLUGIN_OUTPUT_MAX ((size_t)4 << 20)
#define PLUGINS_MAX 16
#define STDERR_SHOWN 512   /* how much of a plugin's stderr an error quotes */
#define PLUGIN_TIMEOUT_MS (60 * 1000)

static void json_put(json_object **o)
{
	if (*o)
		json_object_put(*o);
}
#define _cleanup_json_ __attribute__((cleanup(json_put)))

char *cni_conflist_default(const char *state_dir)
{
	_cleanup_free_ char *ipam_dir = xasprintf("%s/ipam", state_dir);
	_cleanup_free_ char *text = xasprintf(
		"{ 'cniVersion': '1.0.0', 'name': '" CNI_NETWORK_NAME "', 'plugins': ["
		"  { 'type': 'bridge', 'bridge': '" CNI_BRIDGE_NAME "', 'isGateway': true, 'ipMasq': true,"
		"    'hairpinMode': true,"
		"    'ipam': { 'type': 'host-local', 'routes': [ { 'dst': '0.0.0.0/0' } ],"
		"              'ranges': [ [ { 'subnet': '" CNI_SUBNET "', 'gateway': '" CNI_GATEWAY "' } ] ] } },"
		"  { 'type': 'portmap', 'capabilities': { 'portMappings': true } },"
		"  { 'type': 'firewall', 'backend': 'iptables' } ] }");
	for (char *p = text; *p; p++)
		if (*p == '\'')
			*p = '"';
	_cleanup_json_ json_object *root = json_tokener_parse(text);
	/* the state directory is set apart from the text: json-c quotes it, whatever it holds */
	json_object *plugins = json_object_object_get(root, "plugins");
	json_object *ipam = json_object_object_get(json_object_array_get_idx(plugins, 0), "ipam");
	json_object_object_add(ipam, "dataDir", json_object_new_string(ipam_dir));
	return xasprintf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
										JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Names that become file names or executables' names: no '/', nothing hidden. */
static bool cni_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CNI_NAME_MAX || s[0] == '.')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int conflist_string(json_object *o, const char *key, char *buf, size_t len, const char *src, hull_err *err)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return hull_fail_code(err, EINVAL, "%s: \"%s\" must be a string", src, key);
	const char *s = json_object_get_string(v);
	if (strlen(s) >= len)
		return hull_fail_code(err, EINVAL, "%s: \"%s\" is too long", src, key);
	strcpy(buf, s);
	return 0;
}

static int plugin_parse(json_object *conf, size_t i, const char *src, struct cni_plugin *p, hull_err *err)
{
	_cleanup_free_ char *what = xasprintf("%s: plugins[%zu]", src, i);
	if (!json_object_is_type(conf, json_type_object))
		return hull_fail_code(err, EINVAL, "%s must be an object", what);
	if (conflist_string(conf, "type", p->type, sizeof(p->type), what, err) < 0)
		return -1;
	if (!cni_name_ok(p->type))
		return hull_fail_code(err, EINVAL, "%s: type \"%s\" is not a plugin's name", what, p->type);
	json_object *caps, *pm;
	if (json_object_object_get_ex(conf, "capabilities", &caps)) {
		if (!json_object_is_type(caps, json_type_object))
			return hull_fail_code(err, EINVAL, "%s: \"capabilities\" must be an object", what);
		if (json_object_object_get_ex(caps, "portMappings", &pm)) {
			if (!json_object_is_type(pm, json_type_boolean))
				return hull_fail_code(err, EINVAL, "%s: capabilities.portMappings must be a boolean",
						      what);
			p->port_mappings = json_object_get_boolean(pm);
		}
	}
	p->conf = conf;
	return 0;
}

int cni_conflist_parse(const char *text, const char *src, struct cni_conflist *out, hull_err *err)
{
	memset(out, 0, sizeof(*out));
	enum json_tokener_error jerr;
	_cleanup_json_ json_object *root = json_tokener_parse_verbose(text, &jerr);
	if (root == NULL)
		return hull_fail_code(err, EINVAL, "%s: %s", src, json_tokener_error_desc(jerr));
	if (!json_object_is_type(root, json_type_object))
		return hull_fail_code(err, EINVAL, "%s: a conflist must be a JSON object", src);
	struct cni_conflist l = { 0 };
	if (conflist_string(root, "cniVersion", l.version, sizeof(l.version), src, err) < 0 ||
	    conflist_string(root, "name", l.name, sizeof(l.name), src, err) < 0)
		return -1;
	if (!cni_name_ok(l.name))
		return hull_fail_code(err, EINVAL, "%s: \"%s\" is not a network's name", src, l.name);
	json_object *plugins;
	if (!json_object_object_get_ex(root, "plugins", &plugins) || !json_object_is_type(plugins, json_type_array))
		return hull_fail_code(err, EINVAL, "%s: \"plugins\" must be an array", src);
	size_t n = json_object_array_length(plugins);
	if (n == 0 || n > PLUGINS_MAX)
		return hull_fail_code(err, EINVAL, "%s: \"plugins\" must list 1 to %d plugins", src, PLUGINS_MAX);
	_cleanup_free_ struct cni_plugin *list = xcalloc(n, sizeof(*list));
	for (size_t i = 0; i < n; i++)
		if (plugin_parse(json_object_array_get_idx(plugins, i), i, src, &list[i], err) < 0)
			return -1;
	l.plugins = take_ptr(list);
	l.n_plugins = n;
	l.root = take_ptr(root);
	*out = l;
	return 0;
}

void cni_conflist_clear(struct cni_conflist *l)
{
	free(l->plugins);
	json_put(&l->root);
	memset(l, 0, sizeof(*l));
}

int cni_conflist_load(const char *state_dir, struct cni_conflist *out, hull_err *err)
{
	_cleanup_free_ char *path = xasprintf("%s/" CNI_CONFLIST_FILE, state_dir);
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		if (fs_mkdir_p(state_dir, 0700, err) < 0)
			return -1;
		text = cni_conflist_default(state_dir);
		/* two first uses at once write the same text: the second rename changes nothing */
		if (fs_write_file_atomic(AT_FDCWD, path, text, strlen(text), 0644, err) < 0)
			return -1;
	} else if (fs_read_file_max(AT_FDCWD, path, CONFLIST_MAX, &text, &len, err) < 0) {
		return -1;
	}
	return cni_conflist_parse(text, path, out, err);
}

static void copy_address(json_object *v, char *buf, size_t len)
{
	const char *s = json_object_get_string(v);
	size_t n = s ? strcspn(s, "/") : 0;
	if (n >= len)
		n = 0;
	memcpy(buf, s ? s : "", n);
	buf[n] = '\0';
}

void cni_result_address(json_object *result, char *ip, size_t ip_len, char *gw, size_t gw_len)
{
	ip[0] = gw[0] = '\0';
	json_object *ips, *chosen = NULL;
	if (!json_object_object_get_ex(result, "ips", &ips) || !json_object_is_type(ips, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(ips); i++) {
		json_object *e = json_object_array_get_idx(ips, i), *addr;
		if (!json_object_object_get_ex(e, "address", &addr) || !json_object_is_type(addr, json_type_string))
			continue;
		if (chosen == NULL || strchr(json_object_get_string(addr), ':') == NULL) {
			chosen = e;
			if (strchr(json_object_get_string(addr), ':') == NULL)
				break;
		}
	}
	if (chosen == NULL)
		return;
	copy_address(json_object_object_get(chosen, "address"), ip, ip_len);
	copy_address(json_object_object_get(chosen, "gateway"), gw, gw_len);
}

/* ---- one plugin run ---- */

struct cni_call {
	const struct cni_conflist *list;
	const struct net_opts *o;
	const char *command;  /* "ADD" or "DEL" */
	const char *netns;
	const char *cni_path;
};

static const char *cni_path(void)
{
	const char *p = getenv("HULL_CNI_PATH");
	return p && *p ? p : CNI_PATH_DEFAULT;
}

static char *plugin_find(const char *path, const char *type)
{
	_cleanup_free_ char *dirs = xstrdup(path);
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *exe = xasprintf("%s/%s", d, type);
		if (access(exe, X_OK) == 0)
			return exe;
		free(exe);
	}
	return NULL;
}

/* The plugin's stdin: its own object, with the list's name and version, the previous result, and the runtime's
 * values for the capabilities it declares. */
static char *plugin_stdin(const struct cni_call *c, const struct cni_plugin *p, json_object *prev)
{
	_cleanup_json_ json_object *in = json_object_new_object();
	json_object_object_foreach(p->conf, key, val) {
		json_object_object_add(in, key, json_object_get(val));
	}
	json_object_object_add(in, "cniVersion", json_object_new_string(c->list->version));
	json_object_object_add(in, "name", json_object_new_string(c->list->name));
	json_object_object_del(in, "prevResult");
	if (prev)
		json_object_object_add(in, "prevResult", json_object_get(prev));
	json_object_object_del(in, "runtimeConfig");
	if (p->port_mappings && c->o->n_ports > 0) {
		json_object *maps = json_object_new_array();
		for (size_t i = 0; i < c->o->n_ports; i++) {
			const struct port_map *m = &c->o->ports[i];
			json_object *e = json_object_new_object();
			json_object_object_add(e, "hostPort", json_object_new_int(m->host_port));
			json_object_object_add(e, "containerPort", json_object_new_int(m->container_port));
			json_object_object_add(e, "protocol", json_object_new_string(m->proto));
			if (m->host_ip[0])
				json_object_object_add(e, "hostIP", json_object_new_string(m->host_ip));
			json_object_array_add(maps, e);
		}
		json_object *rc = json_object_new_object();
		json_object_object_add(rc, "portMappings", maps);
		json_object_object_add(in, "runtimeConfig", rc);
	}
	return xstrdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Our environment without its CNI_ variables, then the call's. */
static char **plugin_env(const struct cni_call *c)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 7, sizeof(char *));
	size_t k = 0;
	bool has_path = false;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "CNI_", 4) == 0)
			continue;
		has_path |= strncmp(environ[i], "PATH=", 5) == 0;
		env[k++] = xstrdup(environ[i]);
	}
	if (!has_path)
		env[k++] = xstrdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	env[k++] = xasprintf("CNI_COMMAND=%s", c->command);
	env[k++] = xasprintf("CNI_CONTAINERID=%s", c->o->id);
	env[k++] = xasprintf("CNI_NETNS=%s", c->netns);
	env[k++] = xstrdup("CNI_IFNAME=" CNI_IFNAME);
	env[k++] = xasprintf("CNI_PATH=%s", c->cni_path);
	return env;
}

static int memfd_with(const char *name, const char *text)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = text ? strlen(text) : 0;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A failed plugin's words: its CNI error object {code, msg, details} when it printed one, else its stderr. */
static int plugin_error(const char *what, int status, const char *out, const char *errtext, hull_err *err)
{
	_cleanup_json_ json_object *e = out ? json_tokener_parse(out) : NULL;
	json_object *msg, *code, *details;
	if (e && json_object_object_get_ex(e, "msg", &msg) && json_object_is_type(msg, json_type_string)) {
		int c = json_object_object_get_ex(e, "code", &code) ? json_object_get_int(code) : 0;
		const char *d = json_object_object_get_ex(e, "details", &details) ? json_object_get_string(details)
										  : NULL;
		return hull_fail_code(err, EIO, "%s: %s%s%s (CNI error %d)", what, json_object_get_string(msg),
				      d && *d ? ": " : "", d && *d ? d : "", c);
	}
	size_t n = errtext ? strcspn(errtext, "\n") : 0;
	if (n > 0)
		return hull_fail_code(err, EIO, "%s: %.*s", what, (int)(n < STDERR_SHOWN ? n : STDERR_SHOWN), errtext);
	if (WIFSIGNALED(status))
		return hull_fail_code(err, EIO, "%s: killed by signal %d", what, WTERMSIG(status));
	return hull_fail_code(err, EIO, "%s: exited with status %d", what, WEXITSTATUS(status));
}

/* A plugin that hangs (an xtables lock never released) must not hang hull: killed after PLUGIN_TIMEOUT_MS.
 * 0 when it exited, 1 when it was killed for it, -1 (errno) when it could not be waited for. */
static int plugin_wait(pid_t pid, int *status)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int n;
		while ((n = poll(&p, 1, PLUGIN_TIMEOUT_MS)) < 0 && errno == EINTR)
			;
		if (n == 0)
			kill(pid, SIGKILL);
		if (n == 0 && waitpid(pid, status, 0) >= 0)
			return 1;
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int plugin_run(const struct cni_call *c, const struct cni_plugin *p, json_object *prev, json_object **result,
		      hull_err *err)
{
	_cleanup_free_ char *what = xasprintf("network %s: plugin %s %s", c->list->name, p->type, c->command);
	_cleanup_free_ char *exe = plugin_find(c->cni_path, p->type);
	if (exe == NULL)
		return hull_fail_code(err, ENOENT, "%s: no executable %s in %s", what, p->type, c->cni_path);
	_cleanup_free_ char *input = plugin_stdin(c, p, prev);
	/* memfds rather than pipes: the plugin never waits on us, and we read once it has exited */
	_cleanup_close_ int in_fd = memfd_with("cni-stdin", input);
	_cleanup_close_ int out_fd = memfd_with("cni-stdout", NULL);
	_cleanup_close_ int err_fd = memfd_with("cni-stderr", NULL);
	if (in_fd < 0 || out_fd < 0 || err_fd < 0)
		return hull_fail_sys(err, "%s: make its stdio", what);
	_cleanup_strv_ char **env = plugin_env(c);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	pid_t pid;
	char *argv[] = { exe, NULL };
	int rc = posix_spawn(&pid, exe, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return hull_fail_errno(err, rc, "%s: start %s", what, exe);
	int status;
	int waited = plugin_wait(pid, &status);
	if (waited < 0)
		return hull_fail_sys(err, "%s: wait for it", what);
	if (waited > 0)
		return hull_fail_code(err, ETIMEDOUT, "%s: no answer in %d s (killed)", what, PLUGIN_TIMEOUT_MS / 1000);
	_cleanup_free_ char *out = NULL, *errtext = NULL;
	size_t len;
	if (lseek(out_fd, 0, SEEK_SET) < 0 || lseek(err_fd, 0, SEEK_SET) < 0 ||
	    fs_read_fd_max(out_fd, "the plugin's stdout", PLUGIN_OUTPUT_MAX, &out, &len, err) < 0 ||
	    fs_read_fd_max(err_fd, "the plugin's stderr", PLUGIN_OUTPUT_MAX, &errtext, &len, err) < 0)
		return hull_err_prefix(err, "%s", what);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return plugin_error(what, status, out, errtext, err);
	if (result == NULL)
		return 0;
	json_object *r = json_tokener_parse(out);
	if (r == NULL || !json_object_is_type(r, json_type_object)) {
		json_put(&r);
		return hull_fail_code(err, EPROTO, "%s: its result is not a JSON object", what);
	}
	*result = r;
	return 0;
}

/* ---- the list ---- */

static char *result_path(const struct net_opts *o)
{
	return xasprintf("%s/results/%s.json", o->state_dir, o->id);
}

/* DEL from the last plugin to the first, each tried even when one before failed; the first error is returned. */
static int list_del(const struct cni_call *c, json_object *prev, hull_err *err)
{
	int ret = 0;
	for (size_t i = c->list->n_plugins; i-- > 0;) {
		_cleanup_err_ hull_err e = NULL;
		if (plugin_run(c, &c->list->plugins[i], prev, NULL, &e) < 0 && ret == 0) {
			*err = take_ptr(e);
			ret = -1;
		}
	}
	return ret;
}

static int result_keep(const struct net_opts *o, json_object *result, hull_err *err)
{
	_cleanup_free_ char *dir = xasprintf("%s/results", o->state_dir);
	_cleanup_free_ char *path = result_path(o);
	const char *text = json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
	if (fs_mkdir_p(dir, 0700, err) < 0)
		return -1;
	return fs_write_file_atomic(AT_FDCWD, path, text, strlen(text), 0600, err);
}

/* A failed ADD: DEL through the whole list undoes what the plugins before made; the ADD's error is the one told. */
static int add_undo(struct cni_call *c, json_object *prev)
{
	c->command = "DEL";
	_cleanup_err_ hull_err ignored = NULL;
	list_del(c, prev, &ignored);
	return -1;
}

int cni_add(const struct cni_conflist *l, const struct net_opts *o, const char *netns, json_object **result,
	    hull_err *err)
{
	struct cni_call c = { .list = l, .o = o, .command = "ADD", .netns = netns, .cni_path = cni_path() };
	_cleanup_json_ json_object *prev = NULL;
	for (size_t i = 0; i < l->n_plugins; i++) {
		json_object *r = NULL;
		if (plugin_run(&c, &l->plugins[i], prev, &r, err) < 0)
			return add_undo(&c, prev);
		json_put(&prev);
		prev = r;
	}
	fault_point("network-after-add");
	if (result_keep(o, prev, err) < 0)
		return add_undo(&c, prev);
	*result = take_ptr(prev);
	return 0;
}

int cni_del(const struct cni_conflist *l, const struct net_opts *o, const char *netns, hull_err *err)
{
	struct cni_call c = { .list = l, .o = o, .command = "DEL", .netns = netns, .cni_path = cni_path() };
	_cleanup_free_ char *path = result_path(o);
	_cleanup_free_ char *text = NULL;
	size_t len;
	_cleanup_err_ hull_err unread = NULL;
	_cleanup_json_ json_object *prev = NULL;
	/* missing after a crash between ADD and keeping its result; unreadable (cut short): DEL as without */
	if (fs_read_file_max(AT_FDCWD, path, PLUGIN_OUTPUT_MAX, &text, &len, &unread) == 0)
		prev = json_tokener_parse(text);
	if (prev && !json_object_is_type(prev, json_type_object))
		json_put(&prev);
	if (list_del(&c, prev, err) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return hull_fail_sys(err, "remove %s", path);
	return 0;
}
