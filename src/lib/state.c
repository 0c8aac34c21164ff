/* state.c - state directories, their lock, state.json and the status of a container.
 * Must never report a process as the container's init unless its start time matches. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "spec_json.h"
#include "state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

const char *const hull_status_names[] = { "creating", "created", "running", "stopped", "paused" };

/* The kernel's ceiling for /proc/sys/kernel/pid_max (PID_MAX_LIMIT on 64-bit). */
#define STATE_PID_MAX 4194304
/* Far above any state hull writes (annotations, the saved config), far below what would hurt to read. */
#define STATE_SIZE_MAX (64 << 20)
/* One directory per mounted hierarchy; a host has a dozen or so. */
#define STATE_CGROUP_DIRS_MAX 64
#define STATE_UNIT_MAX 255
#define STATE_CGROUP_ROOT "/sys/fs/cgroup"

/* The id as an error may show it: one line, not too long. */
static void printable_id(const char *id, char out[80])
{
	size_t n = 0;
	for (const char *p = id; *p && n < 64; p++)
		out[n++] = isprint((unsigned char)*p) ? *p : '?';
	strcpy(out + n, strlen(id) > 64 ? "..." : "");
}

int state_check_id(const char *id, hull_err *err)
{
	if (id == NULL || *id == '\0')
		return hull_fail(err, "container id cannot be empty");
	char shown[80];
	printable_id(id, shown);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0 || strlen(id) > 1024)
		return hull_fail(err, "invalid container id \"%s\"", shown);
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return hull_fail(err, "invalid container id \"%s\": only letters, digits and _ + - . are allowed", shown);
	return 0;
}

int state_dir_create(const char *root, const char *id, hull_err *err)
{
	if (state_check_id(id, err) < 0)
		return -1;
	if (fs_mkdir_p(root, 0700, err) < 0)
		return -1;
	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return hull_fail_sys(err, "open %s", root);
	if (mkdirat(rootfd, id, 0711) < 0) {
		if (errno == EEXIST)
			return hull_fail_code(err, EEXIST, "container with given ID already exists");
		return hull_fail_sys(err, "create state directory %s/%s", root, id);
	}
	int fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		hull_fail_sys(err, "open %s/%s", root, id);
		/* made just now and still empty: not a container to leave behind (ENOENT: a racing delete
		 * removed it already, and what is there now is not ours) */
		if (e == EMFILE || e == ENFILE || e == ENOMEM)
			unlinkat(rootfd, id, AT_REMOVEDIR);
		return -1;
	}
	return fd;
}

int state_dir_open(const char *root, const char *id, hull_err *err)
{
	if (state_check_id(id, err) < 0)
		return -1;
	_cleanup_free_ char *path = xasprintf("%s/%s", root, id);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return hull_fail_code(err, ENOENT, "container does not exist");
		return hull_fail_sys(err, "open %s", path);
	}
	return fd;
}

int state_lock(int dirfd, const char *id, hull_err *err)
{
	while (flock(dirfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return hull_fail_sys(err, "lock container %s", id);
	struct stat st;
	if (fstat(dirfd, &st) < 0) {
		flock(dirfd, LOCK_UN);
		return hull_fail_sys(err, "container %s", id);
	}
	if (st.st_nlink == 0) {
		flock(dirfd, LOCK_UN);
		return hull_fail_code(err, ENOENT, "container does not exist");
	}
	return 0;
}

int state_dir_remove_locked(int dirfd, const char *root, const char *id)
{
	static const char *const files[] = { STATE_FILE, STATE_CONFIG, STATE_FIFO };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlinkat(dirfd, files[i], 0);
	_cleanup_free_ char *path = xasprintf("%s/%s", root, id);
	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	return errno == ENOTEMPTY || errno == EEXIST ? state_dir_remove(root, id) : -errno;
}

int state_dir_remove(const char *root, const char *id)
{
	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	return fs_rmtree(rootfd, id);
}

static json_object *rdt_to_json(const struct hull_rdt_group *g)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "group", json_object_new_string(g->name));
	json_object_object_add(o, "owned", json_object_new_boolean(g->owned));
	json_object_object_add(o, "monitoring", json_object_new_boolean(g->monitoring));
	return o;
}

/* delete removes what this names: one group name directly below resctrl's root, nothing else */
static int parse_rdt(struct ctx *c, json_object *o, struct hull_rdt_group *g)
{
	int ret;
	json_object *r = sj_get_object(c, o, "intel_rdt", "", &ret);
	if (ret < 0 || r == NULL)
		return ret;
	if (sj_get_string(c, r, "group", "intel_rdt", true, &g->name) < 0 || sj_get_bool(c, r, "owned", "intel_rdt", &g->owned) < 0 ||
	    sj_get_bool(c, r, "monitoring", "intel_rdt", &g->monitoring) < 0)
		return -1;
	if (!spec_valid_rdt_group(g->name))
		return sj_bad(c, "intel_rdt.group", "not a resctrl group name");
	return 0;
}

char *state_format(const struct hull_state *st)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid", json_object_new_int(st->pid));
	json_object_object_add(o, "start_time", json_object_new_uint64(st->start_time));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
	json_object_object_add(o, "created", json_object_new_string(st->created));
	json_object_object_add(o, "owner", json_object_new_int64(st->owner));
	json_object_object_add(o, "own_pidns", json_object_new_boolean(st->own_pidns));
	json_object_object_add(o, "has_poststart", json_object_new_boolean(st->has_poststart));
	json_object_object_add(o, "has_poststop", json_object_new_boolean(st->has_poststop));
	if (st->creating)
		json_object_object_add(o, "creating", json_object_new_boolean(true));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_object_get(st->annotations));
	json_object_object_add(o, "cgroup", cgroup_to_json(st->cgroup));
	if (st->rdt.name)
		json_object_object_add(o, "intel_rdt", rdt_to_json(&st->rdt));
	char *text =
		xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

int state_write(int dirfd, const struct hull_state *st, hull_err *err)
{
	_cleanup_free_ char *text = state_format(st);
	return fs_write_file_atomic(dirfd, STATE_FILE, text, strlen(text), 0600, err);
}

/* A path hull wrote itself: absolute, no empty, "." or ".." component, no trailing slash. */
static bool clean_absolute_path(const char *p)
{
	if (p[0] != '/')
		return false;
	if (strcmp(p, "/") == 0)
		return true;
	for (const char *c = p; *c == '/';) {
		const char *next = c + 1;
		size_t l = strcspn(next, "/");
		if (l == 0 || (l == 1 && next[0] == '.') || (l == 2 && next[0] == '.' && next[1] == '.'))
			return false;
		c = next + l;
	}
	return true;
}

static int parse_path(struct ctx *c, json_object *o, const char *key, char **out)
{
	if (sj_get_string(c, o, key, "", true, out) < 0)
		return -1;
	if (!clean_absolute_path(*out))
		return sj_bad(c, key, "must be a clean absolute path");
	return 0;
}

/* "2006-01-02T15:04:05.999999999Z" as state_now_rfc3339 writes it */
static int parse_created(struct ctx *c, json_object *o, char **out)
{
	if (sj_get_string(c, o, "created", "", true, out) < 0)
		return -1;
	size_t l = strlen(*out);
	if (l < 20 || l > 30 || strspn(*out, "0123456789-:T.Z") != l || (*out)[l - 1] != 'Z')
		return sj_bad(c, "created", "must be an RFC 3339 time in UTC");
	return 0;
}

static int parse_annotations(struct ctx *c, json_object *o, json_object **out)
{
	int ret = 0;
	json_object *a = sj_get_object(c, o, "annotations", "", &ret);
	if (ret < 0 || a == NULL)
		return ret;
	json_object_object_foreach(a, key, val)
	{
		if (json_object_get_type(val) != json_type_string || sj_has_nul(val)) {
			_cleanup_free_ char *p = sj_join("annotations", key);
			return sj_bad(c, p, "must be a string without NUL");
		}
	}
	*out = json_object_get(a);
	return 0;
}

/* A systemd unit or slice name as hull makes them: [A-Za-z0-9:_.\-@] ending in `suffix`. */
static int parse_unit(struct ctx *c, json_object *o, const char *key, const char *suffix, char **out)
{
	if (sj_get_string(c, o, key, "cgroup", false, out) < 0)
		return -1;
	const char *u = *out;
	if (u == NULL)
		return 0;
	size_t l = strlen(u), sl = strlen(suffix);
	_cleanup_free_ char *p = sj_join("cgroup", key);
	if (l <= sl || l > STATE_UNIT_MAX || strcmp(u + l - sl, suffix) != 0 ||
	    strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_.-\\@") != l)
		return sj_bad(c, p, "must be a systemd %s name", suffix + 1);
	return 0;
}

/* cgroup.dirs[i]: a clean path below CGROUP_ROOT; one hull made must lie below a hierarchy's mount point. */
static int check_cgroup_dir(struct ctx *c, const char *d, bool made, size_t i)
{
	_cleanup_free_ char *p = sj_idx("cgroup.dirs", i);
	size_t rl = strlen(STATE_CGROUP_ROOT);
	bool v2 = cgroup_layout() == CGROUP_LAYOUT_V2;
	if (!clean_absolute_path(d) || strncmp(d, STATE_CGROUP_ROOT "/", rl + 1) != 0)
		return sj_bad(c, p, "must be a clean path below " STATE_CGROUP_ROOT);
	/* components below the cgroup mount: v2 "NAME", v1 "CONTROLLER/NAME" */
	size_t depth = 0;
	for (const char *s = d + rl; *s; s++)
		depth += *s == '/';
	if (made && depth <= (v2 ? 0 : 1))
		return sj_bad(c, p, "is a hierarchy's root, which hull never creates");
	return 0;
}

static int parse_cgroup(struct ctx *c, json_object *o, struct hull_cgroup **out)
{
	int ret = 0;
	json_object *cgo = sj_get_object(c, o, "cgroup", "", &ret);
	if (ret < 0)
		return -1;
	if (cgo == NULL)
		return sj_bad(c, "cgroup", "is required");
	size_t n = 0, n_made = 0;
	json_object *dirs = sj_get_array(c, cgo, "dirs", "cgroup", &n, &ret);
	if (ret < 0)
		return -1;
	json_object *made = sj_get_array(c, cgo, "made", "cgroup", &n_made, &ret);
	if (ret < 0)
		return -1;
	if (n > STATE_CGROUP_DIRS_MAX)
		return sj_bad(c, "cgroup.dirs", "has more than %d directories", STATE_CGROUP_DIRS_MAX);
	/* no "made" at all: an older hull's state, which owns nothing */
	if (made && n_made != n)
		return sj_bad(c, "cgroup.made", "must have one entry per directory");
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(dirs, i);
		json_object *m = made ? json_object_array_get_idx(made, i) : NULL;
		_cleanup_free_ char *dp = sj_idx("cgroup.dirs", i), *mp = sj_idx("cgroup.made", i);
		if (sj_want_type(c, d, json_type_string, dp, "a string") < 0 || d == NULL)
			return d == NULL ? sj_bad(c, dp, "must be a string") : -1;
		if (sj_has_nul(d))
			return sj_bad(c, dp, "must not contain a NUL character");
		if (made && (m == NULL || json_object_get_type(m) != json_type_boolean))
			return sj_bad(c, mp, "must be a boolean");
		if (check_cgroup_dir(c, json_object_get_string(d), m && json_object_get_boolean(m), i) < 0)
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(json_object_get_string(d), json_object_get_string(json_object_array_get_idx(dirs, k))) == 0)
				return sj_bad(c, dp, "is listed twice");
	}
	_cleanup_free_ char *unit = NULL, *slice = NULL;
	if (parse_unit(c, cgo, "systemd_unit", ".scope", &unit) < 0 || parse_unit(c, cgo, "systemd_slice", ".slice", &slice) < 0)
		return -1;
	if ((unit == NULL) != (slice == NULL))
		return sj_bad(c, "cgroup", "systemd_unit and systemd_slice go together");
	/* everything checked: cgroup_from_json keeps exactly what it was given */
	*out = cgroup_from_json(cgo);
	return 0;
}

int state_parse(const char *text, size_t len, const char *name, struct hull_state *st, hull_err *err)
{
	memset(st, 0, sizeof(*st));
	struct ctx c = { name, err };
	json_object *o = sj_parse_document(text, len, name, err);
	if (o == NULL)
		return -1;
	int64_t pid = 0, owner = 0;
	bool has_pid = false, has_owner = false;
	int ret = -1;
	if (sj_get_string(&c, o, "id", "", true, &st->id) < 0)
		goto out;
	hull_err id_err = NULL;
	if (state_check_id(st->id, &id_err) < 0) {
		sj_bad(&c, "id", "%s", id_err->msg);
		hull_err_free(&id_err);
		goto out;
	}
	/* a create still at work (or killed) records what it made so far: no init yet is pid 0 */
	if (sj_get_bool(&c, o, "creating", "", &st->creating) < 0)
		goto out;
	/* The init is hull's child or grandchild: never pid 1 in hull's pid namespace. */
	if (sj_get_int(&c, o, "pid", "", st->creating ? 0 : 2, STATE_PID_MAX, &has_pid, &pid) < 0)
		goto out;
	if (pid == 1) {
		sj_bad(&c, "pid", "must be at least 2");
		goto out;
	}
	if (!has_pid) {
		sj_bad(&c, "pid", "is required");
		goto out;
	}
	st->pid = (pid_t)pid;
	if (sj_field(o, "start_time") == NULL) {
		sj_bad(&c, "start_time", "is required");
		goto out;
	}
	if (sj_get_u64(&c, o, "start_time", "", &st->start_time) < 0)
		goto out;
	if (parse_path(&c, o, "bundle", &st->bundle) < 0 || parse_path(&c, o, "rootfs", &st->rootfs) < 0 ||
	    parse_created(&c, o, &st->created) < 0)
		goto out;
	/* (uid_t)-1 is "no user" to the kernel, never an owner */
	if (sj_get_int(&c, o, "owner", "", 0, (int64_t)UINT32_MAX - 1, &has_owner, &owner) < 0)
		goto out;
	if (!has_owner) {
		sj_bad(&c, "owner", "is required");
		goto out;
	}
	st->owner = (uid_t)owner;
	if (sj_get_bool(&c, o, "own_pidns", "", &st->own_pidns) < 0 ||
	    sj_get_bool(&c, o, "has_poststart", "", &st->has_poststart) < 0 ||
	    sj_get_bool(&c, o, "has_poststop", "", &st->has_poststop) < 0 || parse_annotations(&c, o, &st->annotations) < 0 ||
	    parse_cgroup(&c, o, &st->cgroup) < 0 || parse_rdt(&c, o, &st->rdt) < 0)
		goto out;
	ret = 0;
out:
	json_object_put(o);
	if (ret < 0)
		state_clear(st);
	return ret;
}

int state_read_file(int dirfd, const char *file, char **text, size_t *len, hull_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ELOOP)
		return hull_fail_code(err, EBADMSG, "%s: a symbolic link, which hull never writes", file);
	if (fd < 0)
		return hull_fail_sys(err, "%s", file);
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		return hull_fail_sys(err, "%s", file);
	if (!S_ISREG(sb.st_mode))
		return hull_fail_code(err, EBADMSG, "%s: not a regular file", file);
	if (sb.st_size > STATE_SIZE_MAX)
		return hull_fail_code(err, EBADMSG, "%s: %lld bytes, larger than any state hull writes (%d)", file,
				      (long long)sb.st_size, STATE_SIZE_MAX);
	_cleanup_free_ char *buf = xmalloc((size_t)sb.st_size + 2); /* bounded by STATE_SIZE_MAX above */
	size_t n = 0;
	/* one byte more than fstat said, to see a file that grew since */
	while (n < (size_t)sb.st_size + 1) {
		ssize_t r = read(fd, buf + n, (size_t)sb.st_size + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return hull_fail_sys(err, "%s", file);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > (size_t)sb.st_size)
		return hull_fail_code(err, EBADMSG, "%s: changed while being read", file);
	buf[n] = '\0';
	*text = take_ptr(buf);
	*len = n;
	return 0;
}

int state_read(int dirfd, const char *id, struct hull_state *st, hull_err *err)
{
	memset(st, 0, sizeof(*st));
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	hull_err rerr = NULL;
	if (state_read_file(dirfd, STATE_FILE, &text, &len, &rerr) < 0) {
		if (rerr->errnum != ENOENT) {
			int code = rerr->errnum;
			hull_fail_code(err, code, "container %s: %s", id, rerr->msg);
			hull_err_free(&rerr);
			return -1;
		}
		hull_err_free(&rerr);
		st->id = xstrdup(id);
		st->bundle = xstrdup("");
		st->rootfs = xstrdup("");
		st->created = xstrdup("");
		st->cgroup = cgroup_from_json(NULL);
		return 0;
	}
	_cleanup_free_ char *name = xasprintf("container %s: " STATE_FILE, id);
	if (state_parse(text, len, name, st, err) < 0 ||
	    (strcmp(st->id, id) != 0 && sj_bad(&(struct ctx){ name, err }, "id", "names another container") < 0)) {
		state_clear(st);
		(*err)->errnum = EBADMSG;  /* damaged or tampered with: delete --force may still remove it */
		return -1;
	}
	return 0;
}

void state_clear(struct hull_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	json_object_put(st->annotations);
	cgroup_free(st->cgroup);
	rdt_group_clear(&st->rdt);
	memset(st, 0, sizeof(*st));
}

uint64_t state_proc_start_time(pid_t pid, bool *zombie)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (zombie)
		*zombie = false;
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');  /* comm may contain spaces and parentheses */
	if (p == NULL || p[1] == '\0')
		return 0;
	p += 2;
	char state = *p;
	if (zombie)
		*zombie = state == 'Z' || state == 'X';
	/* fields after comm start at 3 (state); start time is field 22 */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

/* The init is put in the container's cgroup before state.json names it: a process outside it is not the
 * container's, whatever pid and start time the file gives (it may have been damaged or tampered with). */
static bool init_in_cgroup(const struct hull_state *st)
{
	if (st->cgroup == NULL || st->cgroup->n == 0)
		return true;  /* no cgroup (rootless without delegation): the start time is all there is */
	return cgroup_has_pid(st->cgroup, st->pid);
}

enum hull_status state_status(int dirfd, const struct hull_state *st)
{
	if (st->pid <= 0)
		return STATUS_CREATING;
	bool zombie = false;
	uint64_t start = state_proc_start_time(st->pid, &zombie);
	if (start == 0 || start != st->start_time || zombie)
		return STATUS_STOPPED;
	if (st->creating)  /* the init may not be in its cgroup yet */
		return STATUS_CREATING;
	if (!init_in_cgroup(st))
		return STATUS_STOPPED;
	if (faccessat(dirfd, STATE_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	if (st->cgroup && cgroup_is_frozen(st->cgroup))
		return STATUS_PAUSED;
	return STATUS_RUNNING;
}

char *state_now_rfc3339(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char date[64], nanos[16];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(nanos, sizeof(nanos), "%09ld", ts.tv_nsec);
	size_t l = strlen(nanos);
	while (l > 0 && nanos[l - 1] == '0')
		nanos[--l] = '\0';
	return xasprintf("%s%s%sZ", date, l ? "." : "", nanos);
}

json_object *state_to_json(const struct hull_state *st, enum hull_status status, bool runc_extras)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(HULL_OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid", json_object_new_int(status == STATUS_STOPPED ? 0 : st->pid));
	json_object_object_add(o, "status", json_object_new_string(hull_status_names[status]));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	if (runc_extras) {
		json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
		json_object_object_add(o, "created", json_object_new_string(st->created));
	}
	if (st->annotations && json_object_object_length(st->annotations) > 0)
		json_object_object_add(o, "annotations", json_object_get(st->annotations));
	return o;
}
