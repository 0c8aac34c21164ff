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
#include "state.h"
#include "util/cleanup.h"
#include "util/fs.h"

const char *const hull_status_names[] = { "creating", "created", "running", "stopped", "paused" };

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
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", root, id) < 0)
		return hull_fail_errno(err, ENOMEM, "%s", id);
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
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", root, id) < 0)
		return -ENOMEM;
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

int state_write(int dirfd, const struct hull_state *st, hull_err *err)
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
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = fs_write_file_atomic(dirfd, STATE_FILE, text, strlen(text), 0600, err);
	json_object_put(o);
	return ret;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static int64_t jint(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

int state_read(int dirfd, const char *id, struct hull_state *st, hull_err *err)
{
	memset(st, 0, sizeof(*st));
	_cleanup_free_ char *text = NULL;
	hull_err rerr = NULL;
	if (fs_read_file(dirfd, STATE_FILE, &text, NULL, &rerr) < 0) {
		int e = rerr->errnum;
		hull_err_free(&rerr);
		if (e != ENOENT)
			return hull_fail_errno(err, e, "read state of container %s", id);
		st->id = strdup(id);
		st->bundle = strdup("");
		st->rootfs = strdup("");
		st->created = strdup("");
		st->cgroup = cgroup_from_json(NULL);
		return 0;
	}
	json_object *o = json_tokener_parse(text);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return hull_fail(err, "state of container %s is corrupt", id);
	}
	st->id = strdup(jstr(o, "id"));
	st->pid = (pid_t)jint(o, "pid");
	json_object *v;
	if (json_object_object_get_ex(o, "start_time", &v))
		st->start_time = json_object_get_uint64(v);
	st->bundle = strdup(jstr(o, "bundle"));
	st->rootfs = strdup(jstr(o, "rootfs"));
	st->created = strdup(jstr(o, "created"));
	st->owner = (uid_t)jint(o, "owner");
	st->own_pidns = json_object_object_get_ex(o, "own_pidns", &v) && json_object_get_boolean(v);
	st->has_poststart = json_object_object_get_ex(o, "has_poststart", &v) && json_object_get_boolean(v);
	st->has_poststop = json_object_object_get_ex(o, "has_poststop", &v) && json_object_get_boolean(v);
	st->creating = json_object_object_get_ex(o, "creating", &v) && json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "annotations", &v))
		st->annotations = json_object_get(v);
	st->cgroup = cgroup_from_json(json_object_object_get_ex(o, "cgroup", &v) ? v : NULL);
	json_object_put(o);
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

enum hull_status state_status(int dirfd, const struct hull_state *st)
{
	if (st->pid <= 0)
		return STATUS_CREATING;
	bool zombie = false;
	uint64_t start = state_proc_start_time(st->pid, &zombie);
	if (start == 0 || start != st->start_time || zombie)
		return STATUS_STOPPED;
	if (st->creating)
		return STATUS_CREATING;
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
	char *out = NULL;
	if (asprintf(&out, "%s%s%sZ", date, l ? "." : "", nanos) < 0)
		return NULL;
	return out;
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
