/* test_state.c - container ids, state directories, state.json round trips and the status of a container.
 * Must never touch a real --root: every state directory lives in a scratch directory removed afterwards. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"
#include "state.h"

/* A scratch state dir, its fd, and what the test may leave allocated; all released by the teardown. */
static char *tmp;
static int dirfd_ = -1;
static hull_err err;
static struct hull_state st;
static json_object *json;
static pid_t child = -1;

static int make_state_dir(void **state)
{
	(void)state;
	tmp = unit_tmpdir();
	dirfd_ = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dirfd_ < 0 ? -1 : 0;
}

static int remove_state_dir(void **state)
{
	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	state_clear(&st);
	json_object_put(json);
	json = NULL;
	hull_err_free(&err);
	if (dirfd_ >= 0)
		close(dirfd_);
	dirfd_ = -1;
	int r = unit_rmtree(tmp);
	free(tmp);
	tmp = NULL;
	return r;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, make_state_dir, remove_state_dir)

/* ---- ids ---- */

static void plain_ids_are_accepted(void **state)
{
	(void)state;
	assert_int_equal(state_check_id("c1", &err), 0);
	assert_int_equal(state_check_id("a-b_c.d+e", &err), 0);
	assert_int_equal(state_check_id("...", &err), 0);
	assert_int_equal(state_check_id("UPPER9", &err), 0);
	assert_null(err);
}

static void empty_id_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(state_check_id("", &err), -1);
	assert_string_equal(err->msg, "container id cannot be empty");
	hull_err_free(&err);
	assert_int_equal(state_check_id(NULL, &err), -1);
	assert_string_equal(err->msg, "container id cannot be empty");
}

static void dot_and_dot_dot_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(state_check_id(".", &err), -1);
	assert_string_equal(err->msg, "invalid container id \".\"");
	assert_int_equal(state_check_id("..", &err), -1);
	assert_string_equal(err->msg, "invalid container id \"..\"");
}

static void id_with_a_slash_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(state_check_id("../etc", &err), -1);
	assert_string_equal(err->msg, "invalid container id \"../etc\": only letters, digits and _ + - . are allowed");
	assert_int_equal(state_check_id("a/b", &err), -1);
}

static void id_with_space_or_non_ascii_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(state_check_id("a b", &err), -1);
	assert_int_equal(state_check_id("caf\xc3\xa9", &err), -1);
	assert_int_equal(state_check_id("tab\t", &err), -1);
}

static void id_longer_than_1024_is_rejected(void **state)
{
	(void)state;
	char id[1026];
	memset(id, 'a', sizeof(id) - 1);
	id[1024] = '\0';
	assert_int_equal(state_check_id(id, &err), 0);
	id[1024] = 'a';
	id[1025] = '\0';
	assert_int_equal(state_check_id(id, &err), -1);
}

/* ---- state directories ---- */

static void state_dir_is_created_once(void **state)
{
	(void)state;
	char root[PATH_MAX];
	snprintf(root, sizeof(root), "%s/run/hull", tmp);
	int fd = state_dir_create(root, "c1", &err);
	assert_null(err);
	assert_true(fd >= 0);
	struct stat sb;
	int r = fstat(fd, &sb);
	close(fd);
	assert_int_equal(r, 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(state_dir_create(root, "c1", &err), -1);
	assert_string_equal(err->msg, "container with given ID already exists");
	assert_int_equal(err->errnum, EEXIST);
}

static void state_dir_with_invalid_id_is_not_created(void **state)
{
	(void)state;
	char root[PATH_MAX], escaped[PATH_MAX + 8];
	snprintf(root, sizeof(root), "%s/root", tmp);
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(state_dir_create(root, "../escaped", &err), -1);
	snprintf(escaped, sizeof(escaped), "%s/escaped", tmp);
	assert_int_equal(access(escaped, F_OK), -1);
}

static void opening_a_missing_container_is_enoent(void **state)
{
	(void)state;
	assert_int_equal(state_dir_open(tmp, "nope", &err), -1);
	assert_string_equal(err->msg, "container does not exist");
	assert_int_equal(err->errnum, ENOENT);
}

static void created_state_dir_opens_locks_and_is_removed(void **state)
{
	(void)state;
	int fd = state_dir_create(tmp, "c2", &err);
	assert_true(fd >= 0);
	close(fd);
	fd = state_dir_open(tmp, "c2", &err);
	assert_true(fd >= 0);
	int locked = state_lock(fd, "c2", &err);
	unit_write(tmp, "c2/state.json", "{}");
	close(fd);
	assert_int_equal(locked, 0);
	assert_int_equal(state_dir_remove(tmp, "c2"), 0);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/c2", tmp);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/* ---- state.json ---- */

static void state_round_trips_through_state_json(void **state)
{
	(void)state;
	json_object *ann = json_object_new_object();
	json_object_object_add(ann, "org.example", json_object_new_string("v"));
	struct hull_state in = {
		.id = "c1", .pid = 4242, .start_time = 1ULL << 40, .bundle = "/b", .rootfs = "/b/rootfs",
		.created = "2024-01-02T03:04:05.123456789Z", .owner = 1000, .own_pidns = true, .has_poststart = true,
		.has_poststop = false, .annotations = ann,
	};
	int w = state_write(dirfd_, &in, &err);
	json_object_put(ann);
	assert_null(err);
	assert_int_equal(w, 0);
	assert_int_equal(state_read(dirfd_, "c1", &st, &err), 0);
	assert_string_equal(st.id, "c1");
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.start_time, 1ULL << 40);
	assert_string_equal(st.bundle, "/b");
	assert_string_equal(st.rootfs, "/b/rootfs");
	assert_string_equal(st.created, "2024-01-02T03:04:05.123456789Z");
	assert_int_equal(st.owner, 1000);
	assert_true(st.own_pidns);
	assert_true(st.has_poststart);
	assert_false(st.has_poststop);
	assert_non_null(st.annotations);
	json_object *v = NULL;
	assert_true(json_object_object_get_ex(st.annotations, "org.example", &v));
	assert_string_equal(json_object_get_string(v), "v");
}

static void state_json_is_private_and_leaves_no_temporary(void **state)
{
	(void)state;
	struct hull_state in = { .id = "c1", .pid = 1, .bundle = "/b", .rootfs = "/r", .created = "x" };
	assert_int_equal(state_write(dirfd_, &in, &err), 0);
	struct stat sb;
	assert_int_equal(fstatat(dirfd_, STATE_FILE, &sb, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* the only entry is state.json */
	int fd = openat(dirfd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fdopendir(fd);
	assert_non_null(d);
	int entries = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (de->d_name[0] != '.')
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);
}

static void missing_state_json_reads_as_creating(void **state)
{
	(void)state;
	assert_int_equal(state_read(dirfd_, "c1", &st, &err), 0);
	assert_string_equal(st.id, "c1");
	assert_int_equal(st.pid, 0);
	assert_string_equal(st.bundle, "");
	assert_int_equal(state_status(dirfd_, &st), STATUS_CREATING);
}

static void corrupt_state_json_is_an_error(void **state)
{
	(void)state;
	unit_write(tmp, STATE_FILE, "{\"id\": ");
	assert_int_equal(state_read(dirfd_, "c1", &st, &err), -1);
	assert_string_equal(err->msg, "container c1: state.json: invalid JSON at line 1: unexpected end of file");
	assert_int_equal(err->errnum, EBADMSG);  /* damaged: delete --force may still forget the container */
	hull_err_free(&err);
	state_clear(&st);
	unit_write(tmp, STATE_FILE, "[1, 2]");
	assert_int_equal(state_read(dirfd_, "c1", &st, &err), -1);
	assert_string_equal(err->msg, "container c1: state.json: the document must be a JSON object");
	assert_int_equal(err->errnum, EBADMSG);
}

/* Each field as hull writes it, or a one-line error naming it. */
static void state_json_fields_are_validated(void **state)
{
	(void)state;
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{}", "s: id: is required" },
		{ "{\"id\":\"a/b\"}", "s: id: invalid container id \"a/b\": only letters, digits and _ + - . are allowed" },
		{ "{\"id\":\"c1\",\"pid\":\"7\"}", "s: pid: must be an integer" },
		{ "{\"id\":\"c1\",\"pid\":0}", "s: pid: 0 is out of range [2, 4194304]" },
		{ "{\"id\":\"c1\",\"pid\":7,\"start_time\":1,\"bundle\":\"/b/../c\"}", "s: bundle: must be a clean absolute path" },
		{ "{\"id\":\"c1\",\"pid\":7,\"start_time\":1,\"bundle\":\"/b\",\"rootfs\":\"/r\",\"created\":\"x\"}",
		  "s: created: must be an RFC 3339 time in UTC" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(state_parse(cases[i].json, strlen(cases[i].json), "s", &st, &err), -1);
		assert_string_equal(err->msg, cases[i].msg);
		assert_null(st.id);
		hull_err_free(&err);
	}
	const char *good = "{\"id\":\"c1\",\"pid\":7,\"start_time\":1,\"bundle\":\"/b\",\"rootfs\":\"/r\","
			   "\"created\":\"2024-01-02T03:04:05Z\",\"owner\":0,\"cgroup\":{\"dirs\":[\"/sys/fs/cgroup/pids/c1\"],"
			   "\"made\":[true]}}";
	assert_int_equal(state_parse(good, strlen(good), "s", &st, &err), 0);
	assert_int_equal(st.cgroup->n, 1);
	assert_true(st.cgroup->made[0]);
}

/* The resctrl group delete may remove: one group name below resctrl's root, as create recorded it. */
static void intel_rdt_group_round_trips_and_is_validated(void **state)
{
	(void)state;
	struct hull_state in = { .id = "c1", .pid = 7, .start_time = 1, .bundle = "/b", .rootfs = "/r",
				 .created = "2024-01-02T03:04:05Z", .rdt = { .name = "gold", .owned = false, .monitoring = true } };
	assert_int_equal(state_write(dirfd_, &in, &err), 0);
	assert_int_equal(state_read(dirfd_, "c1", &st, &err), 0);
	assert_string_equal(st.rdt.name, "gold");
	assert_false(st.rdt.owned);
	assert_true(st.rdt.monitoring);
	state_clear(&st);
	static const char *const bad[] = { "../x", "a/b", "info", "", "." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *json = NULL;
		assert_true(asprintf(&json, "{\"id\":\"c1\",\"pid\":7,\"start_time\":1,\"bundle\":\"/b\",\"rootfs\":\"/r\","
					"\"created\":\"2024-01-02T03:04:05Z\",\"owner\":0,\"cgroup\":{\"dirs\":[],\"made\":[]},\"intel_rdt\":{\"group\":\"%s\",\"owned\":true}}",
				 bad[i]) > 0);
		int r = state_parse(json, strlen(json), "s", &st, &err);
		free(json);
		assert_int_equal(r, -1);
		assert_string_equal(err->msg, "s: intel_rdt.group: not a resctrl group name");
		hull_err_free(&err);
	}
}

/* ---- status ---- */

/* A state naming this very test process, with its real start time. */
static void state_of_self(void)
{
	st.pid = getpid();
	bool zombie = true;
	st.start_time = state_proc_start_time(st.pid, &zombie);
	assert_true(st.start_time > 0);
	assert_false(zombie);
}

static void live_init_without_exec_fifo_is_running(void **state)
{
	(void)state;
	state_of_self();
	assert_int_equal(state_status(dirfd_, &st), STATUS_RUNNING);
}

static void live_init_with_exec_fifo_is_created(void **state)
{
	(void)state;
	state_of_self();
	assert_int_equal(mkfifoat(dirfd_, STATE_FIFO, 0600), 0);
	assert_int_equal(state_status(dirfd_, &st), STATUS_CREATED);
}

static void pid_with_another_start_time_is_stopped(void **state)
{
	(void)state;
	state_of_self();
	st.start_time += 1;
	assert_int_equal(state_status(dirfd_, &st), STATUS_STOPPED);
}

static void dead_pid_is_stopped(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	st.pid = pid;
	st.start_time = 12345;
	assert_int_equal(state_proc_start_time(pid, NULL), 0);
	assert_int_equal(state_status(dirfd_, &st), STATUS_STOPPED);
}

static void zombie_init_is_stopped(void **state)
{
	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* wait until it has exited but leave it unreaped */
	siginfo_t info;
	assert_int_equal(waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT), 0);
	bool zombie = false;
	st.pid = child;
	st.start_time = state_proc_start_time(child, &zombie);
	assert_true(st.start_time > 0);
	assert_true(zombie);
	assert_int_equal(state_status(dirfd_, &st), STATUS_STOPPED);
}

static void pid_zero_is_creating(void **state)
{
	(void)state;
	st.pid = 0;
	st.start_time = 1;
	assert_int_equal(state_status(dirfd_, &st), STATUS_CREATING);
}

/* comm is free text: ") " inside it must not shift the fields that follow. */
static void start_time_survives_parentheses_in_the_process_name(void **state)
{
	(void)state;
	char old[17] = { 0 };
	assert_int_equal(prctl(PR_GET_NAME, old, 0, 0, 0), 0);
	uint64_t before = state_proc_start_time(getpid(), NULL);
	assert_int_equal(prctl(PR_SET_NAME, "a) b (c) d e f", 0, 0, 0), 0);
	uint64_t during = state_proc_start_time(getpid(), NULL);
	prctl(PR_SET_NAME, old, 0, 0, 0);
	assert_true(before > 0);
	assert_int_equal(during, before);
}

static void status_names_match_the_spec(void **state)
{
	(void)state;
	assert_string_equal(hull_status_names[STATUS_CREATING], "creating");
	assert_string_equal(hull_status_names[STATUS_CREATED], "created");
	assert_string_equal(hull_status_names[STATUS_RUNNING], "running");
	assert_string_equal(hull_status_names[STATUS_STOPPED], "stopped");
	assert_string_equal(hull_status_names[STATUS_PAUSED], "paused");
}

/* ---- time and the state object ---- */

static void now_is_rfc3339_utc_with_trimmed_nanoseconds(void **state)
{
	(void)state;
	regex_t re;
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,8}[1-9])?Z$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	/* time(2) reads the coarse clock, up to a tick behind the one state_now_rfc3339 reads */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t before = ts.tv_sec;
	char *now = state_now_rfc3339();
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t after = ts.tv_sec;
	char copy[64] = { 0 };
	if (now)
		snprintf(copy, sizeof(copy), "%s", now);
	free(now);
	int match = regexec(&re, copy, 0, NULL, 0);
	regfree(&re);
	if (match != 0) {
		print_error("\"%s\" is not RFC 3339 UTC with trimmed nanoseconds\n", copy);
		fail();
	}
	struct tm tm = { 0 };
	assert_non_null(strptime(copy, "%Y-%m-%dT%H:%M:%S", &tm));
	time_t t = timegm(&tm);
	assert_in_range(t, before, after);
}

static size_t key_count(json_object *o)
{
	return (size_t)json_object_object_length(o);
}

static const char *key_string(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return "(absent)";
	return json_object_get_string(v);
}

static int64_t key_int(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -12345;
	return json_object_get_int64(v);
}

static const struct hull_state sample = {
	.id = "c1", .pid = 77, .start_time = 5, .bundle = "/b", .rootfs = "/b/rootfs", .created = "2024-01-01T00:00:00Z",
};

static void state_object_has_the_spec_keys(void **state)
{
	(void)state;
	json = state_to_json(&sample, STATUS_RUNNING, false);
	assert_int_equal(key_count(json), 5);
	assert_string_equal(key_string(json, "ociVersion"), HULL_OCI_VERSION);
	assert_string_equal(key_string(json, "id"), "c1");
	assert_int_equal(key_int(json, "pid"), 77);
	assert_string_equal(key_string(json, "status"), "running");
	assert_string_equal(key_string(json, "bundle"), "/b");
}

static void runc_extras_add_rootfs_and_created(void **state)
{
	(void)state;
	json = state_to_json(&sample, STATUS_CREATED, true);
	assert_int_equal(key_count(json), 7);
	assert_string_equal(key_string(json, "status"), "created");
	assert_string_equal(key_string(json, "rootfs"), "/b/rootfs");
	assert_string_equal(key_string(json, "created"), "2024-01-01T00:00:00Z");
}

static void stopped_container_reports_pid_zero(void **state)
{
	(void)state;
	json = state_to_json(&sample, STATUS_STOPPED, false);
	assert_int_equal(key_int(json, "pid"), 0);
	assert_string_equal(key_string(json, "status"), "stopped");
}

static void annotations_appear_only_when_not_empty(void **state)
{
	(void)state;
	struct hull_state s = sample;
	s.annotations = json_object_new_object();
	json = state_to_json(&s, STATUS_RUNNING, false);
	assert_int_equal(key_count(json), 5);
	json_object_put(json);
	json_object_object_add(s.annotations, "k", json_object_new_string("v"));
	json = state_to_json(&s, STATUS_RUNNING, false);
	json_object_put(s.annotations);  /* the state object holds its own reference */
	assert_int_equal(key_count(json), 6);
	json_object *a = NULL;
	assert_true(json_object_object_get_ex(json, "annotations", &a));
	assert_string_equal(key_string(a, "k"), "v");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(plain_ids_are_accepted),
		TEST(empty_id_is_rejected),
		TEST(dot_and_dot_dot_are_rejected),
		TEST(id_with_a_slash_is_rejected),
		TEST(id_with_space_or_non_ascii_is_rejected),
		TEST(id_longer_than_1024_is_rejected),
		TEST(state_dir_is_created_once),
		TEST(state_dir_with_invalid_id_is_not_created),
		TEST(opening_a_missing_container_is_enoent),
		TEST(created_state_dir_opens_locks_and_is_removed),
		TEST(state_round_trips_through_state_json),
		TEST(state_json_is_private_and_leaves_no_temporary),
		TEST(missing_state_json_reads_as_creating),
		TEST(corrupt_state_json_is_an_error),
		TEST(state_json_fields_are_validated),
		TEST(intel_rdt_group_round_trips_and_is_validated),
		TEST(live_init_without_exec_fifo_is_running),
		TEST(live_init_with_exec_fifo_is_created),
		TEST(pid_with_another_start_time_is_stopped),
		TEST(dead_pid_is_stopped),
		TEST(zombie_init_is_stopped),
		TEST(pid_zero_is_creating),
		TEST(start_time_survives_parentheses_in_the_process_name),
		TEST(status_names_match_the_spec),
		TEST(now_is_rfc3339_utc_with_trimmed_nanoseconds),
		TEST(state_object_has_the_spec_keys),
		TEST(runc_extras_add_rootfs_and_created),
		TEST(stopped_container_reports_pid_zero),
		TEST(annotations_appear_only_when_not_empty),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("state", tests, NULL, NULL) == 0 ? 0 : 1;
}
