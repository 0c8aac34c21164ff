/* record.c - a container's record (ctr.json) and status (status.json) on disk, typed and validated when read; finding
 * one by name or id prefix; listing; the owner lock. Must never trust a record's text: both files are parsed into
 * typed values once, here, and a half-made container is recognised by its missing status and unheld lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define RECORD_MAX ((size_t)1 << 20)
#define PREFIX_MIN 1

const char *const ctr_state_names[] = { [CTR_CREATED] = "created", [CTR_RUNNING] = "running",
					[CTR_EXITED] = "exited", [CTR_REMOVING] = "removing" };
static const char *const restart_names[] = { [RESTART_NO] = "no", [RESTART_ON_FAILURE] = "on-failure",
					     [RESTART_ALWAYS] = "always", [RESTART_UNLESS_STOPPED] = "unless-stopped" };
static const char *const net_names[] = { [NET_NONE] = "none", [NET_HOST] = "host", [NET_BRIDGE] = "bridge" };

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (s && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}
#define NAME_INDEX(names, s) name_index((names), sizeof(names) / sizeof(names[0]), (s))

bool ctr_name_valid(const char *name)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(name);
	return n > 0 && n <= 128 && strchr(first, name[0]) &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static bool is_id(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

void ctr_record_clear(struct ctr_record *r)
{
	free(r->name);
	free(r->image);
	cleanup_strvp(&r->command);
	free(r->created);
	free(r->ports);
	free(r->runtime);
	memset(r, 0, sizeof(*r));
}

void ctr_clear(struct ctr *c)
{
	ctr_record_clear(&c->rec);
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->lock >= 0)
		close(c->lock);
	free(c->dir);
	memset(c, 0, sizeof(*c));
	c->dirfd = c->lock = -1;
}

/* --- ctr.json --- */

static int get_int(struct ctx *c, json_object *o, const char *key, int64_t min, int64_t max, int64_t *out)
{
	return sj_get_int(c, o, key, key, min, max, NULL, out);
}

static int parse_ports(struct ctx *c, json_object *doc, struct ctr_record *r)
{
	int ret = 0;
	size_t n = 0;
	json_object *a = sj_get_array(c, doc, "ports", "ports", &n, &ret);
	if (a == NULL)
		return ret;
	r->ports = xcalloc(n ? n : 1, sizeof(*r->ports));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string))
			return sj_bad(c, "ports", "not a string");
		if (port_map_parse(json_object_get_string(e), &r->ports[i], c->err) < 0)
			return hull_err_prefix(c->err, "%s: ports", c->name);
		r->n_ports++;
	}
	return 0;
}

static int parse_record(const char *text, size_t len, const char *name, struct ctr_record *r, hull_err *err)
{
	json_object *doc = sj_parse_document(text, len, name, err);
	if (doc == NULL)
		return -1;
	struct ctx c = { name, err };
	_cleanup_free_ char *id = NULL, *image_id = NULL, *restart = NULL, *net = NULL;
	int64_t restart_max = 0, sig = 0, timeout = 0, log_size = 0, log_files = 0;
	int ret = -1;
	if (sj_get_string(&c, doc, "id", "id", true, &id) < 0 || sj_get_string(&c, doc, "name", "name", true, &r->name) < 0 ||
	    sj_get_string(&c, doc, "image", "image", true, &r->image) < 0 ||
	    sj_get_string(&c, doc, "image_id", "image_id", true, &image_id) < 0 ||
	    sj_get_strv(&c, doc, "command", "command", false, &r->command, NULL) < 0 ||
	    sj_get_string(&c, doc, "created", "created", true, &r->created) < 0 ||
	    sj_get_string(&c, doc, "restart", "restart", true, &restart) < 0 ||
	    get_int(&c, doc, "restart_max", 0, 1 << 30, &restart_max) < 0 ||
	    sj_get_bool(&c, doc, "auto_remove", "auto_remove", &r->auto_remove) < 0 ||
	    sj_get_bool(&c, doc, "tty", "tty", &r->tty) < 0 ||
	    sj_get_bool(&c, doc, "interactive", "interactive", &r->interactive) < 0 ||
	    sj_get_string(&c, doc, "network", "network", true, &net) < 0 || parse_ports(&c, doc, r) < 0 ||
	    get_int(&c, doc, "stop_signal", 1, 64, &sig) < 0 || get_int(&c, doc, "stop_timeout", 0, 1 << 30, &timeout) < 0 ||
	    get_int(&c, doc, "log_max_size", 0, INT64_MAX, &log_size) < 0 ||
	    get_int(&c, doc, "log_max_files", 0, 1000, &log_files) < 0 ||
	    sj_get_string(&c, doc, "runtime", "runtime", false, &r->runtime) < 0)
		goto out;
	int rp = NAME_INDEX(restart_names, restart), nm = NAME_INDEX(net_names, net);
	if (!is_id(id) || !is_id(image_id) || !ctr_name_valid(r->name) || rp < 0 || nm < 0 ||
	    (r->runtime && r->runtime[0] != '/')) {
		hull_fail_code(err, EINVAL, "%s: not a container record", name);
		goto out;
	}
	memcpy(r->id, id, sizeof(r->id));
	memcpy(r->image_id, image_id, sizeof(r->image_id));
	r->restart = (enum restart_policy)rp;
	r->net = (enum net_mode)nm;
	r->restart_max = (int)restart_max;
	r->stop_signal = sig ? (int)sig : SIGTERM;
	r->stop_timeout = (int)timeout;
	r->log_max_size = log_size;
	r->log_max_files = log_files ? (int)log_files : 1;
	if (r->command == NULL)
		r->command = xcalloc(1, sizeof(char *));
	ret = 0;
out:
	json_object_put(doc);
	return ret;
}

static int write_record(int dirfd, const struct ctr_record *r, hull_err *err)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(r->id));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "image", json_object_new_string(r->image));
	json_object_object_add(o, "image_id", json_object_new_string(r->image_id));
	json_object_object_add(o, "command", sj_new_strv((const char *const *)r->command));
	json_object_object_add(o, "created", json_object_new_string(r->created));
	json_object_object_add(o, "restart", json_object_new_string(restart_names[r->restart]));
	json_object_object_add(o, "restart_max", json_object_new_int(r->restart_max));
	json_object_object_add(o, "auto_remove", json_object_new_boolean(r->auto_remove));
	json_object_object_add(o, "tty", json_object_new_boolean(r->tty));
	json_object_object_add(o, "interactive", json_object_new_boolean(r->interactive));
	json_object_object_add(o, "network", json_object_new_string(net_names[r->net]));
	json_object *ports = json_object_new_array();
	for (size_t i = 0; i < r->n_ports; i++) {
		const struct port_map *p = &r->ports[i];
		_cleanup_free_ char *s = xasprintf("%s%s%u:%u/%s", p->host_ip, *p->host_ip ? ":" : "", p->host_port,
						   p->container_port, p->proto);
		json_object_array_add(ports, json_object_new_string(s));
	}
	json_object_object_add(o, "ports", ports);
	json_object_object_add(o, "stop_signal", json_object_new_int(r->stop_signal));
	json_object_object_add(o, "stop_timeout", json_object_new_int(r->stop_timeout));
	json_object_object_add(o, "log_max_size", json_object_new_int64(r->log_max_size));
	json_object_object_add(o, "log_max_files", json_object_new_int(r->log_max_files));
	if (r->runtime)
		json_object_object_add(o, "runtime", json_object_new_string(r->runtime));
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = fs_write_file_atomic(dirfd, "ctr.json", text, strlen(text), 0600, err);
	json_object_put(o);
	return ret;
}

int ctr_record_write(struct ctr *c, hull_err *err)
{
	return write_record(c->dirfd, &c->rec, err);
}

/* --- status.json --- */

static int copy_field(struct ctx *c, json_object *doc, const char *key, char *buf, size_t size)
{
	_cleanup_free_ char *s = NULL;
	if (sj_get_string(c, doc, key, key, false, &s) < 0)
		return -1;
	if (s && strlen(s) >= size)
		return sj_bad(c, key, "too long");
	snprintf(buf, size, "%s", s ? s : "");
	return 0;
}

int ctr_status_read(struct ctr *c, hull_err *err)
{
	_cleanup_free_ char *text = NULL, *state = NULL;
	size_t len = 0;
	_cleanup_close_ int fd = openat(c->dirfd, "status.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "container %s: status", c->rec.name ? c->rec.name : c->dir);
	if (fs_read_fd_max(fd, "status.json", RECORD_MAX, &text, &len, err) < 0)
		return -1;
	_cleanup_free_ char *name = xasprintf("%s/status.json", c->dir);
	json_object *doc = sj_parse_document(text, len, name, err);
	if (doc == NULL)
		return -1;
	struct ctx x = { name, err };
	struct ctr_status *s = &c->status;
	int64_t pid = 0, monitor = 0, code = 0, restarts = 0;
	int ret = -1;
	if (sj_get_string(&x, doc, "state", "state", true, &state) < 0 || get_int(&x, doc, "pid", 0, INT32_MAX, &pid) < 0 ||
	    get_int(&x, doc, "monitor", 0, INT32_MAX, &monitor) < 0 || get_int(&x, doc, "exit_code", -1, 255, &code) < 0 ||
	    get_int(&x, doc, "restarts", 0, INT32_MAX, &restarts) < 0 ||
	    sj_get_bool(&x, doc, "oom_killed", "oom_killed", &s->oom_killed) < 0 ||
	    copy_field(&x, doc, "started", s->started, sizeof(s->started)) < 0 ||
	    copy_field(&x, doc, "finished", s->finished, sizeof(s->finished)) < 0 ||
	    copy_field(&x, doc, "ip", s->ip, sizeof(s->ip)) < 0 || copy_field(&x, doc, "netns", s->netns, sizeof(s->netns)) < 0)
		goto out;
	int st = NAME_INDEX(ctr_state_names, state);
	if (st < 0) {
		sj_bad(&x, "state", "unknown state \"%s\"", state);
		goto out;
	}
	s->state = (enum ctr_state)st;
	s->pid = (pid_t)pid;
	s->monitor = (pid_t)monitor;
	s->exit_code = (int)code;
	s->restarts = (int)restarts;
	ret = 0;
out:
	json_object_put(doc);
	return ret;
}

int ctr_status_write(struct ctr *c, hull_err *err)
{
	const struct ctr_status *s = &c->status;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(ctr_state_names[s->state]));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "monitor", json_object_new_int(s->monitor));
	json_object_object_add(o, "exit_code", json_object_new_int(s->exit_code));
	json_object_object_add(o, "started", json_object_new_string(s->started));
	json_object_object_add(o, "finished", json_object_new_string(s->finished));
	json_object_object_add(o, "restarts", json_object_new_int(s->restarts));
	json_object_object_add(o, "oom_killed", json_object_new_boolean(s->oom_killed));
	json_object_object_add(o, "ip", json_object_new_string(s->ip));
	json_object_object_add(o, "netns", json_object_new_string(s->netns));
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = fs_write_file_atomic(c->dirfd, "status.json", text, strlen(text), 0600, err);
	json_object_put(o);
	return ret;
}

/* --- the owner lock --- */

int ctr_own(struct ctr *c, bool wait, hull_err *err)
{
	int fd = openat(c->dirfd, "owner.lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hull_fail_sys(err, "container %s: owner lock", c->rec.name ? c->rec.name : c->dir);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			return -EWOULDBLOCK;
		return hull_fail_errno(err, e, "container %s: owner lock", c->rec.name ? c->rec.name : c->dir);
	}
	return fd;
}

bool ctr_owned(struct ctr *c)
{
	_cleanup_close_ int fd = openat(c->dirfd, "owner.lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		return false;
	return errno == EWOULDBLOCK;
}

bool ctr_monitor_alive(struct ctr *c)
{
	if (c->status.monitor <= 0)
		return false;
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)c->status.monitor);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, comm, sizeof(comm) - 1);
	return n > 0 && strncmp(comm, "hull-monitor\n", 13) == 0;
}

/* --- finding --- */

/* Load ROOT/containers/ID: its record, and its status (-ENOENT, no error, when it has none yet: half made) */
static int ctr_load(struct engine *e, const char *id, struct ctr *out, hull_err *err)
{
	*out = (struct ctr){ .dirfd = -1, .lock = -1 };
	out->dir = xasprintf("%s/containers/%s", e->root, id);
	out->dirfd = openat(e->dirfd, id, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out->dirfd < 0) {
		int en = errno;
		ctr_clear(out);
		return en == ENOENT ? -ENOENT : hull_fail_errno(err, en, "container %s", id);
	}
	_cleanup_free_ char *text = NULL, *name = xasprintf("%s/ctr.json", out->dir);
	size_t len = 0;
	_cleanup_close_ int fd = openat(out->dirfd, "ctr.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int r;
	if (fd < 0)
		r = errno == ENOENT ? -ENOENT : hull_fail_sys(err, "%s", name);
	else if ((r = fs_read_fd_max(fd, name, RECORD_MAX, &text, &len, err)) >= 0 &&
		 (r = parse_record(text, len, name, &out->rec, err)) >= 0 && strcmp(out->rec.id, id) != 0)
		r = hull_fail_code(err, EINVAL, "%s: the record of another container", name);
	if (r >= 0 && faccessat(out->dirfd, "status.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		r = -ENOENT;
	if (r >= 0)
		r = ctr_status_read(out, err);
	if (r < 0)
		ctr_clear(out);
	return r;
}

/* A removed container's files whose remover died before it deleted them (its owner lock free): deleted now. */
static void sweep_left(int dirfd, const char *name)
{
	_cleanup_free_ char *lock = xasprintf("%s/owner.lock", name);
	_cleanup_close_ int fd = openat(dirfd, lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0)
		fs_rmtree(dirfd, name);
}

/* The ids under ROOT/containers (allocated, NULL-terminated); removed containers' files left behind are swept. */
static char **list_ids(struct engine *e, hull_err *err)
{
	int fd = openat(e->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		hull_fail_sys(err, "%s/containers", e->root);
		return NULL;
	}
	size_t n = 0;
	char **ids = xcalloc(1, sizeof(char *));
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, CTR_REMOVED_PREFIX, strlen(CTR_REMOVED_PREFIX)) == 0)
			sweep_left(fd, de->d_name);
		if (!is_id(de->d_name))
			continue;
		ids = xreallocarray(ids, n + 2, sizeof(char *));
		ids[n++] = xstrdup(de->d_name);
		ids[n] = NULL;
	}
	closedir(d);
	return ids;
}

/* A half-made container (no status) whose maker is gone: removed; one still being made: left alone. */
static void repair(struct engine *e, const char *id)
{
	struct ctr c = { .dirfd = -1, .lock = -1 };
	c.dir = xasprintf("%s/containers/%s", e->root, id);
	c.dirfd = openat(e->dirfd, id, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_err_ hull_err err = NULL;
	int lock = c.dirfd >= 0 ? ctr_own(&c, false, &err) : -1;
	if (lock >= 0 && faccessat(c.dirfd, "status.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
		_cleanup_free_ char *text = NULL;
		size_t len = 0;
		if (fs_read_file_max(c.dirfd, "ctr.json", RECORD_MAX, &text, &len, &err) < 0 ||
		    parse_record(text, len, "ctr.json", &c.rec, &err) < 0)
			ctr_record_clear(&c.rec); /* no name known: ctr_remove looks for the names that lead here */
		memcpy(c.rec.id, id, sizeof(c.rec.id));
		ctr_remove(e, &c, true, &err);
	}
	if (lock >= 0)
		close(lock);
	ctr_clear(&c);
}

int ctr_find(struct engine *e, const char *what, struct ctr *out, hull_err *err)
{
	*out = (struct ctr){ .dirfd = -1, .lock = -1 };
	if (*what == '\0')
		return hull_fail_code(err, ENOENT, "no container with name or ID \"\" found: no such container");
	char id[65] = "";
	/* a name first, as Docker looks: names/NAME -> ID */
	if (ctr_name_valid(what)) {
		_cleanup_free_ char *link = xasprintf("../names/%s", what);
		ssize_t n = readlinkat(e->dirfd, link, id, sizeof(id) - 1);
		if (n == 64) {
			id[64] = '\0';
			if (!is_id(id))
				id[0] = '\0';
		} else {
			id[0] = '\0';
		}
	}
	size_t wl = strlen(what);
	if (id[0] == '\0' && wl >= PREFIX_MIN && wl <= 64 && strspn(what, "0123456789abcdef") == wl) {
		_cleanup_strv_ char **ids = list_ids(e, err);
		if (ids == NULL)
			return -1;
		size_t found = 0;
		for (char **p = ids; *p; p++)
			if (strncmp(*p, what, wl) == 0 && found++ == 0)
				memcpy(id, *p, sizeof(id));
		if (found > 1)
			return hull_fail_code(err, EINVAL, "more than one result for container \"%s\"", what);
	}
	if (id[0] != '\0') {
		int r = ctr_load(e, id, out, err);
		if (r == -ENOENT)
			repair(e, id);
		if (r != -ENOENT)
			return r;
	}
	return hull_fail_code(err, ENOENT, "no container with name or ID \"%s\" found: no such container", what);
}

static int cmp_created(const void *a, const void *b)
{
	const struct ctr *x = a, *y = b;
	int c = strcmp(x->rec.created, y->rec.created);
	return c ? c : strcmp(x->rec.id, y->rec.id);
}

int ctr_list(struct engine *e, struct ctr **out, size_t *n_out, hull_err *err)
{
	*out = NULL;
	*n_out = 0;
	_cleanup_strv_ char **ids = list_ids(e, err);
	if (ids == NULL)
		return -1;
	size_t n = 0;
	for (char **p = ids; *p; p++)
		n++;
	struct ctr *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t k = 0;
	for (char **p = ids; *p; p++) {
		_cleanup_err_ hull_err one = NULL;
		int r = ctr_load(e, *p, &v[k], &one);
		if (r == -ENOENT)
			repair(e, *p);
		else if (r == 0)
			k++;
		/* a record that does not parse is skipped here; ctr_find names it */
	}
	qsort(v, k, sizeof(*v), cmp_created);
	*out = v;
	*n_out = k;
	return 0;
}

bool ctr_image_user(int store_dirfd, const char *image_hex, char *name, size_t size)
{
	int fd = openat(store_dirfd, "containers", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d)) != NULL) {
		if (!is_id(de->d_name))
			continue;
		_cleanup_free_ char *path = xasprintf("%s/ctr.json", de->d_name), *text = NULL;
		size_t len = 0;
		_cleanup_err_ hull_err err = NULL;
		struct ctr_record r = { 0 };
		if (fs_read_file_max(fd, path, RECORD_MAX, &text, &len, &err) == 0 &&
		    parse_record(text, len, path, &r, &err) == 0 && strcmp(r.image_id, image_hex) == 0) {
			snprintf(name, size, "%s", r.name);
			found = true;
		}
		ctr_record_clear(&r);
	}
	closedir(d);
	return found;
}

void ctr_list_free(struct ctr *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ctr_clear(&v[i]);
	free(v);
}
