/* checkpoint.c - `checkpoint` and `restore` through the criu binary, with the options runc gives criu.
 * Must never cost the other commands anything, nor leave a failed restore behind (state dir, cgroup, mount). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "container_internal.h"
#include "cgroup/resources.h"
#include "linux/mounts.h"
#include "spec.h"
#include "state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CRIU_DUMP_LOG "dump.log"
#define CRIU_RESTORE_LOG "restore.log"
#define CRIU_PIDFILE "criu.pid"
/* where the init's stdio pointed at dump time (runc's file and format): restore reconnects the pipes */
#define CRIU_DESCRIPTORS "descriptors.json"
#define CRIU_STDIO_FDS 3
/* the key of a network namespace joined by path: left out of the images, handed back on restore */
#define CRIU_EXT_NETNS "extRootNetNS"
#define CGROUP_V2_MOUNT "/sys/fs/cgroup"
#define CRIU_EXIT_EXEC_FAILED 127

static const char *const cgroup_modes[] = { "soft", "full", "strict", "ignore", NULL };

struct argv_list {
	char **v;
	size_t n;
};

static void arg_add(struct argv_list *a, char *owned)
{
	a->v = xreallocarray(a->v, a->n + 2, sizeof(char *));
	a->v[a->n++] = owned;
	a->v[a->n] = NULL;
}

#define arg_addf(a, ...) arg_add((a), xasprintf(__VA_ARGS__))

static void args_free(struct argv_list *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* criu as runc finds it: the first executable `criu` in PATH. */
/* What criu's images do not carry and hull does not redo on restore: refused in one line, never half done. */
static int checkpoint_unsupported_fields(const struct hull_spec *s, const char *what, hull_err *err)
{
	if (s->n_net_devices)
		return hull_fail(err, "%s: linux.netDevices: not supported by hull's checkpoint and restore", what);
	if (s->intel_rdt)
		return hull_fail(err, "%s: linux.intelRdt: not supported by hull's checkpoint and restore", what);
	return 0;
}

static char *criu_find(const char *what, hull_err *err)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *dirs = xstrdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *bin = xasprintf("%s/criu", *d ? d : ".");
		if (access(bin, X_OK) == 0)
			return bin;
		free(bin);
	}
	hull_fail(err, "%s: criu not found in PATH (install Debian's criu)", what);
	return NULL;
}

/* criu's reason for failing, from its log: the first error line without criu's source location. Failing
 * to probe the kernel (kerndat: a criu older than the kernel) is named as such. */
static int criu_fail(const char *what, const char *work, const char *log, int status, hull_err *err)
{
	_cleanup_free_ char *file = xasprintf("%s/%s", work, log), *line = NULL, *reason = NULL, *version = NULL;
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	bool kernel = false;
	size_t cap = 0;
	ssize_t len;
	while (f && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		const char *v = strstr(line, "Version: "), *e = strstr(line, "Error (");
		if (version == NULL && v)
			version = xstrndup(v + strlen("Version: "), strcspn(v + strlen("Version: "), " "));
		if (e && strstr(e, "kerndat"))
			kernel = true;
		if (e && strstr(e, "Could not initialize kernel features detection"))
			kernel = true;
		const char *msg = e ? strstr(e, "): ") : NULL;
		if (reason == NULL && msg)
			reason = xstrdup(msg + strlen("): "));
	}
	if (kernel) {
		struct utsname u;
		uname(&u);
		return hull_fail(err, "%s: criu %s cannot run on this kernel (%s): %s", what, version ? version : "(unknown version)",
				 u.release, reason ? reason : "its kernel feature probe failed");
	}
	if (reason)
		return hull_fail(err, "%s: criu failed: %s (see %s)", what, reason, file);
	if (WIFSIGNALED(status))
		return hull_fail(err, "%s: criu killed by signal %d (see %s)", what, WTERMSIG(status), file);
	return hull_fail(err, "%s: criu exited with status %d (see %s)", what, WEXITSTATUS(status), file);
}

static int wait_child(pid_t pid)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* An absolute path: criu changes into its work dir before it opens anything. */
static char *absolute(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char cwd[4096];
	return xasprintf("%s/%s", getcwd(cwd, sizeof(cwd)) ? cwd : ".", path);
}

static int make_dir(const char *path, const char *what, hull_err *err)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return hull_fail_sys(err, "%s: create %s", what, path);
	return 0;
}

static bool is_cgroup_mount(const struct hull_mount *m)
{
	return m->type && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0);
}

/* A bind mount's source on the host (a relative one is the bundle's). */
static char *bind_source(const struct hull_spec *s, const struct hull_mount *m)
{
	return m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", s->bundle, m->source);
}

/* What criu must not dump but find again on restore: each bind mount (keyed by its destination; on restore
 * mapped to its source), each masked file (a bind of /dev/null), a network namespace joined by path; on
 * cgroup v2 the container's cgroup mount (restore_child_run maps it to the new cgroup). */
static void add_externals(struct argv_list *a, const struct hull_spec *s, pid_t init, bool restore)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct hull_mount *m = &s->mounts[i];
		if (!mount_is_bind(m) || m->source == NULL)
			continue;
		_cleanup_free_ char *source = bind_source(s, m);
		arg_add(a, xstrdup("--external"));
		arg_addf(a, "mnt[%s]:%s", m->destination, restore ? source : m->destination);
	}
	for (size_t i = 0; !restore && cgroup_layout() == CGROUP_LAYOUT_V2 && i < s->n_mounts; i++)
		if (is_cgroup_mount(&s->mounts[i])) {
			arg_add(a, xstrdup("--external"));
			arg_addf(a, "mnt[%s]:%s", s->mounts[i].destination, s->mounts[i].destination);
		}
	for (size_t i = 0; s->masked_paths && s->masked_paths[i]; i++) {
		struct stat st;
		/* as the init sees it (/proc is not mounted in the rootfs directory); on restore, as the host has it */
		_cleanup_free_ char *path = restore ? xstrdup(s->masked_paths[i]) : xasprintf("/proc/%d/root%s", init, s->masked_paths[i]);
		if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
			continue; /* a missing path is not masked; a directory gets a tmpfs, which criu dumps */
		arg_add(a, xstrdup("--external"));
		arg_addf(a, "mnt[%s]:%s", s->masked_paths[i], restore ? "/dev/null" : s->masked_paths[i]);
	}
}

static void add_common(struct argv_list *a, const struct hull_checkpoint_opts *o, const char *images, const char *work,
		       const char *log)
{
	arg_add(a, xstrdup("--images-dir"));
	arg_add(a, xstrdup(images));
	arg_add(a, xstrdup("--work-dir"));
	arg_add(a, xstrdup(work));
	arg_add(a, xstrdup("-v4"));
	arg_add(a, xstrdup("-o"));
	arg_add(a, xstrdup(log));
	arg_addf(a, "--manage-cgroups=%s", o->manage_cgroups_mode ? o->manage_cgroups_mode : "soft");
	if (o->tcp_established)
		arg_add(a, xstrdup("--tcp-established"));
	if (o->ext_unix_sk)
		arg_add(a, xstrdup("--ext-unix-sk"));
	if (o->shell_job)
		arg_add(a, xstrdup("--shell-job"));
	if (o->file_locks)
		arg_add(a, xstrdup("--file-locks"));
	if (o->empty_netns) {
		arg_add(a, xstrdup("--empty-ns"));
		arg_add(a, xstrdup("net"));
	}
}

static int check_opts(const struct hull_checkpoint_opts *o, const char *what, hull_err *err)
{
	if (o->manage_cgroups_mode) {
		bool known = false;
		for (const char *const *m = cgroup_modes; *m; m++)
			known = known || strcmp(*m, o->manage_cgroups_mode) == 0;
		if (!known)
			return hull_fail(err, "%s: invalid --manage-cgroups-mode \"%s\": soft, full, strict or ignore", what,
					 o->manage_cgroups_mode);
	}
	if (o->parent_path && o->parent_path[0] == '/')
		return hull_fail(err, "%s: --parent-path must be relative to --image-path: %s", what, o->parent_path);
	return 0;
}

/* The cgroup criu freezes the tree with (v2: the container's; v1: its freezer), or NULL. */
static const char *freeze_cgroup(const struct hull_cgroup *cg)
{
	if (cg->n == 0)
		return NULL;
	if (cgroup_layout() == CGROUP_LAYOUT_V2)
		return cg->dirs[0];
	for (size_t i = 0; i < cg->n; i++)
		if (strstr(cg->dirs[i], "/freezer/"))
			return cg->dirs[i];
	return NULL;
}

/* runc's descriptors.json: where the init's fds 0-2 point, as /proc/PID/fd links read them. */
static int save_descriptors(pid_t pid, const char *images, hull_err *err)
{
	json_object *arr = json_object_new_array();
	for (int fd = 0; fd < CRIU_STDIO_FDS; fd++) {
		char link[64], target[4096];
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		json_object_array_add(arr, json_object_new_string(target));
	}
	const char *text = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	_cleanup_close_ int dirfd = open(images, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r = dirfd < 0 ? hull_fail_sys(err, "open %s", images)
			  : fs_write_file_atomic(dirfd, CRIU_DESCRIPTORS, text, strlen(text), 0600, err);
	json_object_put(arr);
	return r;
}

static int run_criu(const char *criu, char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		execv(criu, argv);
		_exit(CRIU_EXIT_EXEC_FAILED);
	}
	return pid < 0 ? -1 : wait_child(pid);
}

int hull_checkpoint(const struct hull_checkpoint_opts *o, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	_cleanup_free_ char *what = xasprintf("checkpoint %s", o->id);
	if (check_opts(o, what, err) < 0 || container_load(o->root, o->id, true, &dirfd, &st, &status, err) < 0)
		return -1;
	struct hull_spec *s = NULL;
	struct argv_list a = { 0 };
	_cleanup_free_ char *criu = NULL, *images = absolute(o->image_path), *work = absolute(o->work_path ? o->work_path : o->image_path);
	int ret = -1;
	if (status != STATUS_RUNNING && status != STATUS_PAUSED) {
		hull_fail(err, "%s: container is %s, not running", what, hull_status_names[status]);
		goto out;
	}
	if ((criu = criu_find("checkpoint", err)) == NULL || container_load_saved_spec(dirfd, &st, &s, err) < 0)
		goto out;
	if (s->process && s->process->terminal) {
		hull_fail(err, "%s: a container with a terminal cannot be checkpointed by hull", what);
		goto out;
	}
	if (checkpoint_unsupported_fields(s, what, err) < 0)
		goto out;
	if (make_dir(images, what, err) < 0 || make_dir(work, what, err) < 0)
		goto out;
	if (!o->pre_dump && save_descriptors(st.pid, images, err) < 0)
		goto out;
	arg_add(&a, xstrdup("criu"));
	arg_add(&a, xstrdup(o->pre_dump ? "pre-dump" : "dump"));
	arg_add(&a, xstrdup("--tree"));
	arg_addf(&a, "%d", st.pid);
	arg_add(&a, xstrdup("--root"));
	arg_add(&a, xstrdup(s->root_path));
	add_common(&a, o, images, work, CRIU_DUMP_LOG);
	if (o->pre_dump || o->parent_path)
		arg_add(&a, xstrdup("--track-mem"));
	if (o->parent_path) {
		arg_add(&a, xstrdup("--prev-images-dir"));
		arg_add(&a, xstrdup(o->parent_path));
	}
	if (o->leave_running && !o->pre_dump)
		arg_add(&a, xstrdup("--leave-running"));
	if (o->auto_dedup)
		arg_add(&a, xstrdup("--auto-dedup"));
	const char *freezer = freeze_cgroup(st.cgroup);
	if (freezer) {
		arg_add(&a, xstrdup("--freeze-cgroup"));
		arg_add(&a, xstrdup(freezer));
	}
	add_externals(&a, s, st.pid, false);
	if (s->ns[NS_NET].enabled && s->ns[NS_NET].path) {
		struct stat ns;
		if (stat(s->ns[NS_NET].path, &ns) < 0) {
			hull_fail_sys(err, "%s: stat network namespace %s", what, s->ns[NS_NET].path);
			goto out;
		}
		arg_add(&a, xstrdup("--external"));
		arg_addf(&a, "net[%lu]:%s", (unsigned long)ns.st_ino, CRIU_EXT_NETNS);
	}
	hull_debug("container %s: %s %s", o->id, criu, a.v[1]);
	int rc = run_criu(criu, a.v);
	if (rc != 0) {
		criu_fail(what, work, CRIU_DUMP_LOG, rc, err);
		goto out;
	}
	ret = 0;
out:
	args_free(&a);
	spec_free(s);
	state_clear(&st);
	/* runc's: a container dumped without --leave-running is gone (criu killed its processes) */
	if (ret == 0 && !o->leave_running && !o->pre_dump) {
		flock(dirfd, LOCK_UN);
		return hull_delete(o->root, o->id, true, err);
	}
	return ret;
}

/* What the criu restore child needs besides its argv. */
struct restore_child {
	const char *criu;
	const struct hull_spec *spec;
	struct argv_list *args;
	int go;         /* read end: GO_BYTE and criu's --cgroup-root once the child is in the container's cgroup */
	int keep_fds[1 + CRIU_STDIO_FDS];  /* handed to criu (--inherit-fd), -1 for none */
};

#define GO_BYTE 'G'
#define GO_MAX 4096

/* In a mount namespace of its own (gone with criu): the rootfs made a mount point, as criu's --root
 * wants it, without a mount on the host. The cgroup root comes from the parent: a systemd scope has its
 * directory only once it holds this child. */
static void restore_child_run(const struct restore_child *c)
{
	char buf[GO_MAX + 1];
	size_t len = 0;
	ssize_t n;
	while (len < GO_MAX && (n = read(c->go, buf + len, GO_MAX - len)) != 0) {
		if (n < 0 && errno != EINTR)
			_exit(CRIU_EXIT_EXEC_FAILED);
		len += n > 0 ? (size_t)n : 0;
	}
	buf[len] = '\0';
	if (len == 0 || buf[0] != GO_BYTE)
		_exit(CRIU_EXIT_EXEC_FAILED);
	if (buf[1]) {
		arg_add(c->args, xstrdup("--cgroup-root"));
		arg_add(c->args, xstrdup(buf + 1));
		for (size_t i = 0; i < c->spec->n_mounts; i++)
			if (is_cgroup_mount(&c->spec->mounts[i])) {
				arg_add(c->args, xstrdup("--external"));
				arg_addf(c->args, "mnt[%s]:%s%s", c->spec->mounts[i].destination, CGROUP_V2_MOUNT, buf + 1);
			}
	}
	const char *rootfs = c->spec->root_path;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
		fprintf(stderr, "hull: restore: mount %s for criu: %s\n", rootfs, strerror(errno));
		_exit(CRIU_EXIT_EXEC_FAILED);
	}
	for (size_t i = 0; i < ARRAY_SIZE(c->keep_fds); i++)
		if (c->keep_fds[i] >= 0)
			fcntl(c->keep_fds[i], F_SETFD, 0);
	execv(c->criu, c->args->v);
	_exit(CRIU_EXIT_EXEC_FAILED);
}

/* --inherit-fd for each pipe the init had as stdio: criu reconnects it to ours. */
static int add_stdio(struct argv_list *a, const char *images, hull_err *err)
{
	_cleanup_close_ int dirfd = open(images, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (dirfd < 0)
		return hull_fail_sys(err, "open %s", images);
	if (fs_read_file_max(dirfd, CRIU_DESCRIPTORS, 1 << 16, &text, &len, err) < 0)
		return hull_err_prefix(err, "%s", images);
	json_object *arr = json_tokener_parse(text);
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return hull_fail(err, "%s/%s: not a JSON array of strings", images, CRIU_DESCRIPTORS);
	}
	for (size_t i = 0; i < json_object_array_length(arr) && i < CRIU_STDIO_FDS; i++) {
		const char *d = json_object_get_string(json_object_array_get_idx(arr, i));
		if (d && strncmp(d, "pipe:", strlen("pipe:")) == 0) {
			arg_add(a, xstrdup("--inherit-fd"));
			arg_addf(a, "fd[%zu]:%s", i, d);
		}
	}
	json_object_put(arr);
	return 0;
}

/* The container's cgroup below the v2 mount, as criu's --cgroup-root takes it ("" for none: v1 keeps the
 * tree where criu, in the container's cgroups, forks it). */
static const char *cgroup_root(const struct hull_cgroup *cg)
{
	if (cg->n == 0 || cgroup_layout() != CGROUP_LAYOUT_V2 || strncmp(cg->dirs[0], CGROUP_V2_MOUNT "/", strlen(CGROUP_V2_MOUNT "/")))
		return "";
	return cg->dirs[0] + strlen(CGROUP_V2_MOUNT);
}

static int read_restored_pid(int dirfd, pid_t *pid, hull_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (fs_read_file_max(dirfd, CRIU_PIDFILE, 64, &text, NULL, err) < 0)
		return hull_err_prefix(err, "criu's pid file");
	unlinkat(dirfd, CRIU_PIDFILE, 0);
	char *end = NULL;
	long v = strtol(text, &end, 10);
	if (v <= 0 || (*end && *end != '\n'))
		return hull_fail(err, "criu's pid file: not a pid: %s", text);
	*pid = (pid_t)v;
	return 0;
}

int hull_restore(const struct hull_checkpoint_opts *o, struct hull_created *out, hull_err *err)
{
	_cleanup_free_ char *what = xasprintf("restore %s", o->id);
	if (state_check_id(o->id, err) < 0 || check_opts(o, what, err) < 0)
		return -1;
	_cleanup_free_ char *criu = criu_find("restore", err);
	if (criu == NULL)
		return -1;
	struct hull_spec *s = NULL;
	if (spec_load(o->bundle ? o->bundle : ".", &s, err) < 0)
		return -1;
	_cleanup_free_ char *images = absolute(o->image_path), *work = absolute(o->work_path ? o->work_path : o->image_path);
	_cleanup_free_ char *pidfile = NULL, *go_msg = NULL;
	struct argv_list a = { 0 };
	struct hull_cgroup *cg = NULL;
	_cleanup_close_ int dirfd = -1, netns = -1;
	int go[2] = { -1, -1 };
	pid_t child = -1, pid = -1;
	bool made_dir = false;
	int ret = -1;
	if (s->process && s->process->terminal) {
		hull_fail(err, "%s: a container with a terminal cannot be restored by hull", what);
		goto out;
	}
	if (checkpoint_unsupported_fields(s, what, err) < 0)
		goto out;
	if (make_dir(work, what, err) < 0)
		goto out;
	arg_add(&a, xstrdup("criu"));
	arg_add(&a, xstrdup("restore"));
	arg_add(&a, xstrdup("--root"));
	arg_add(&a, xstrdup(s->root_path));
	add_common(&a, o, images, work, CRIU_RESTORE_LOG);
	/* criu exits once the tree runs; the tree is our child (CLONE_PARENT), as a created init is */
	arg_add(&a, xstrdup("--restore-detached"));
	arg_add(&a, xstrdup("--restore-sibling"));
	/* criu 3.17's mount-v2 copies a restored bind's sharing from its external source, which the kernel
	 * allows only from a mount's root: podman's binds are files (/etc/hosts ...) and /dev/null is one */
	arg_add(&a, xstrdup("--mntns-compat-mode"));
	if (o->lsm_profile) {
		arg_add(&a, xstrdup("--lsm-profile"));
		arg_add(&a, xstrdup(o->lsm_profile));
	}
	if (o->lsm_mount_context) {
		arg_add(&a, xstrdup("--lsm-mount-context"));
		arg_add(&a, xstrdup(o->lsm_mount_context));
	}
	if (add_stdio(&a, images, err) < 0)
		goto out;
	add_externals(&a, s, 0, true);
	if (s->ns[NS_NET].enabled && s->ns[NS_NET].path) {
		netns = open(s->ns[NS_NET].path, O_RDONLY | O_CLOEXEC);
		if (netns < 0) {
			hull_fail_sys(err, "%s: open network namespace %s", what, s->ns[NS_NET].path);
			goto out;
		}
		arg_add(&a, xstrdup("--inherit-fd"));
		arg_addf(&a, "fd[%d]:%s", netns, CRIU_EXT_NETNS);
	}
	/* the record first, as create keeps it: a restore killed half-way leaves what delete removes */
	dirfd = state_dir_create(o->root, o->id, err);
	if (dirfd < 0)
		goto out;
	made_dir = true;
	if (state_lock(dirfd, o->id, err) < 0) {
		made_dir = (*err)->errnum != ENOENT;
		goto out;
	}
	if ((o->systemd_cgroup ? cgroup_create_systemd(s->cgroups_path, o->id, &cg, err)
			       : cgroup_create(s->cgroups_path, o->id, o->rootless, &cg, err)) < 0)
		goto out;
	if (container_save_state(dirfd, s, o->id, 0, cg, NULL, true, err) < 0)
		goto out;
	bool devices = !cgroup_rootless(o->rootless);
	if (cg->systemd_unit == NULL && cgroup_apply_resources(cg, &s->resources, s->devices, s->n_devices, devices, err) < 0)
		goto out;
	pidfile = xasprintf("%s/%s/%s", o->root, o->id, CRIU_PIDFILE);
	arg_add(&a, xstrdup("--pidfile"));
	arg_add(&a, absolute(pidfile));
	if (pipe2(go, O_CLOEXEC) < 0) {
		hull_fail_sys(err, "%s: pipe", what);
		goto out;
	}
	child = fork();
	if (child == 0) {
		close(go[1]);
		struct restore_child c = { .criu = criu, .spec = s, .args = &a, .go = go[0],
					   .keep_fds = { netns, 0, 1, 2 } };
		restore_child_run(&c);
	}
	close(go[0]);
	go[0] = -1;
	if (child < 0) {
		hull_fail_sys(err, "%s: fork", what);
		goto out;
	}
	/* criu in the container's cgroup: the tree it forks is born there */
	if (cgroup_enter(cg, child, &s->resources, err) < 0)
		goto out;
	if (cg->systemd_unit && cgroup_apply_resources(cg, &s->resources, s->devices, s->n_devices, devices, err) < 0)
		goto out;
	hull_debug("container %s: %s restore", o->id, criu);
	go_msg = xasprintf("%c%s", GO_BYTE, cgroup_root(cg));
	if (write(go[1], go_msg, strlen(go_msg)) != (ssize_t)strlen(go_msg)) {
		hull_fail_sys(err, "%s: start criu", what);
		goto out;
	}
	close(go[1]);
	go[1] = -1;
	int rc = wait_child(child);
	child = -1;
	if (rc != 0) {
		criu_fail(what, work, CRIU_RESTORE_LOG, rc, err);
		goto out;
	}
	if (read_restored_pid(dirfd, &pid, err) < 0 || container_save_state(dirfd, s, o->id, pid, cg, NULL, false, err) < 0)
		goto out;
	if (o->pid_file && container_write_pid_file(o->pid_file, pid, err) < 0)
		goto out;
	out->pid = pid;
	out->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	out->terminal = false;
	if (out->pidfd >= 0)
		fcntl(out->pidfd, F_SETFD, FD_CLOEXEC);
	ret = 0;
out:
	if (ret < 0 && child > 0) {
		kill(child, SIGKILL);
		wait_child(child);
	}
	if (ret < 0 && pid > 0) {
		kill(pid, SIGKILL);
		wait_child(pid);
	}
	if (ret < 0 && cg)
		cgroup_destroy(cg, NULL);
	cgroup_free(cg);
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
	if (ret < 0 && made_dir)
		state_dir_remove_locked(dirfd, o->root, o->id);
	args_free(&a);
	spec_free(s);
	return ret;
}
