/* container.c - the lifecycle of runtime.md: create, start, state, kill, delete, as the parent sees it.
 * Must never leave anything behind after a failed create: no state dir, no process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "container_internal.h"
#include "cgroup/resources.h"
#include "cgroup/oom.h"
#include "cgroup/stats.h"
#include "cgroup/systemd.h"
#include "init.h"
#include "linux/hooks.h"
#include "linux/intelrdt.h"
#include "linux/lsm.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/netdev.h"
#include "linux/sync.h"
#include "linux/terminal.h"
#include "linux/userns.h"
#include "util/unixsock.h"
#include "spec.h"
#include "state.h"
#include "util/cleanup.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"

#define KILL_WAIT_MS 10000

/* systemd socket activation, as runc passes it on: the init is pid 1 of its namespace. */
static void add_listen_env(struct hull_process *p, int n)
{
	size_t len = 0;
	while (p->env && p->env[len])
		len++;
	char **env = p->env = xreallocarray(p->env, len + 3, sizeof(char *));
	env[len] = xasprintf("LISTEN_FDS=%d", n);
	env[len + 1] = xstrdup("LISTEN_PID=1");
	env[len + 2] = NULL;
}

int container_write_pid_file(const char *path, pid_t pid, hull_err *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", pid);
	return fs_write_file_atomic(AT_FDCWD, path, buf, (size_t)n, 0644, err);
}

/* The parent's side of create, from SYNC_GO to SYNC_READY. */
static int drive_init(const struct hull_spec *s, const char *id, pid_t pid, int sync_fd, hull_err *err)
{
	if (userns_write_maps(pid, s, err) < 0 || mounts_send_sources(pid, s, sync_fd, err) < 0)
		return -1;
	if (sync_send(sync_fd, SYNC_GO, pid, NULL, err) < 0)
		return -1;
	if (s->hooks[HOOK_PRESTART].n || s->hooks[HOOK_CREATE_RUNTIME].n) {
		if (sync_expect(sync_fd, SYNC_HOOKS, NULL, err) < 0)
			return -1;
		/* prestart (deprecated) sees "created", as crun and the runtime-tools suite have it; createRuntime
		 * runs while the container is still being created */
		_cleanup_free_ char *pre = hooks_state_json(s, id, "created", pid);
		_cleanup_free_ char *state = hooks_state_json(s, id, "creating", pid);
		if (hooks_run(s, HOOK_PRESTART, pre, err) < 0 || hooks_run(s, HOOK_CREATE_RUNTIME, state, err) < 0)
			return -1;
		if (sync_send(sync_fd, SYNC_HOOKS_DONE, 0, NULL, err) < 0)
			return -1;
	}
	/* runc's words around whatever the init reports; engines show them to users */
	if (sync_expect(sync_fd, SYNC_READY, NULL, err) < 0)
		return hull_err_prefix(err, "unable to start container process");
	return 0;
}

/* `creating`: a record of what create has made so far (its cgroup, then its init), so that a create
 * killed half-way leaves a container that `delete` can remove whole; the final one is saved with the
 * config. */
int container_save_state(int dirfd, const struct hull_spec *s, const char *id, pid_t pid, struct hull_cgroup *cg,
			 const struct hull_rdt_group *rdt, bool creating, hull_err *err)
{
	struct hull_state st = {
		.id = (char *)id,
		.pid = pid,
		.start_time = pid > 0 ? state_proc_start_time(pid, NULL) : 0,
		.creating = creating,
		.bundle = s->bundle,
		.rootfs = s->root_path,
		.created = state_now_rfc3339(),
		.owner = geteuid(),
		.own_pidns = s->ns[NS_PID].enabled && s->ns[NS_PID].path == NULL,
		.has_poststart = s->hooks[HOOK_POSTSTART].n > 0,
		.has_poststop = s->hooks[HOOK_POSTSTOP].n > 0,
		.annotations = s->annotations,
		.cgroup = cg,
	};
	if (rdt)
		st.rdt = *rdt;
	int ret = 0;
	/* Later steps (hooks, exec) need the config as it was at create time. */
	if (!creating) {
		const char *text = json_object_to_json_string_ext(s->json, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		ret = fs_write_file_atomic(dirfd, STATE_CONFIG, text, strlen(text), 0600, err);
	}
	if (ret == 0)
		ret = state_write(dirfd, &st, err);
	free(st.created);
	return ret < 0 ? hull_err_prefix(err, "save state of container %s", id) : 0;
}

static int open_netns_of(pid_t pid, hull_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? hull_fail_sys(err, "linux.netDevices: open %s", path) : fd;
}

/* linux.netDevices back into our network namespace from the one of `pid` (which the caller knows is the
 * init), or from the namespace the config joined by path. Failures are warnings: the container goes anyway. */
static void netdevs_return(const struct hull_spec *s, pid_t pid)
{
	if (s->n_net_devices == 0 || (pid <= 0 && s->ns[NS_NET].path == NULL))
		return;
	hull_err e = NULL;
	_cleanup_close_ int fd = pid > 0 ? open_netns_of(pid, &e) : open(s->ns[NS_NET].path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && e == NULL)
		hull_fail_sys(&e, "linux.netDevices: open %s", s->ns[NS_NET].path);
	if (fd >= 0)
		netdev_move_out(s, s->n_net_devices, fd, &e);
	if (e)
		hull_warn("%s", e->msg);
	hull_err_free(&e);
}

int hull_create(const struct hull_create_opts *o, struct hull_created *out, hull_err *err)
{
	struct hull_spec *s = NULL;
	if (state_check_id(o->id, err) < 0)
		return -1;
	if (spec_load(o->bundle ? o->bundle : ".", &s, err) < 0)
		return -1;
	int ret = -1;
	pid_t pid = -1;
	int pidfd = -1;
	bool made_dir = false, keep_cgroup = false;
	_cleanup_close_ int dirfd = -1, fifo = -1, console = -1, pidsock = -1;
	int sv[2] = { -1, -1 };
	struct hull_cgroup *cg = NULL;
	struct seccomp_program prog = { 0 };
	struct hull_rdt_group rdt = { 0 };
	/* the container's network namespace, held until create ends: an init that fails does not take the
	 * interfaces moved into it with it */
	_cleanup_close_ int netns = -1;
	bool moved_netdevs = false;

	if (s->process == NULL) {
		hull_fail(err, "config.json: process: is required to create a container");
		goto out;
	}
	if (s->process->terminal && o->console_socket == NULL && o->console_fd < 0) {
		hull_fail(err, "process.terminal is true: --console-socket is required");
		goto out;
	}
	if (lsm_check_mount_label(s->mount_label, err) < 0)
		goto out;
	if (!s->process->terminal && (o->console_socket || (o->console_fd >= 0 && !o->console_if_terminal))) {
		hull_fail(err, "--console-socket given but process.terminal is false");
		goto out;
	}
	/* a missing interface is refused before anything is made */
	if (netdev_check_present(s, err) < 0)
		goto out;
	if (!s->ns[NS_MNT].enabled && s->n_mounts)
		hull_warn("config.json: mounts: ignored, the container shares the host's mount namespace and hull does not mount on the host");
	dirfd = state_dir_create(o->root, o->id, err);
	if (dirfd < 0)
		goto out;
	made_dir = true;
	fault_point("create.state_dir");
	if (state_lock(dirfd, o->id, err) < 0) {
		/* a racing delete removed it before we locked it: root/ID is no longer ours to remove */
		if ((*err)->errnum == ENOENT) {
			made_dir = false;
			hull_err_free(err);
			hull_fail(err, "container %s was deleted while it was being created", o->id);
		}
		goto out;
	}
	/* a delete and another create raced us between mkdir and open: we opened that create's
	 * directory, and it got there first */
	if (faccessat(dirfd, STATE_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		made_dir = false;
		hull_fail_code(err, EEXIST, "container with given ID already exists");
		goto out;
	}
	/* what cgroup_create is about to make, recorded first: a create killed inside it leaves nothing
	 * delete cannot find */
	struct hull_cgroup *plan = NULL;
	if (!o->systemd_cgroup && (cgroup_plan(s->cgroups_path, o->id, &plan, err) < 0 ||
				   container_save_state(dirfd, s, o->id, 0, plan, &rdt, true, err) < 0)) {
		cgroup_free(plan);
		goto out;
	}
	fault_point("create.cgroup_plan");
	int r = o->systemd_cgroup ? cgroup_create_systemd(s->cgroups_path, o->id, &cg, err)
				  : cgroup_create(s->cgroups_path, o->id, o->rootless, &cg, err);
	/* saved again only when it made something else than the plan said (a directory that appeared in
	 * between, a hierarchy refused): the record must never own what hull did not make */
	bool same = r == 0 && plan && cgroup_same(plan, cg);
	cgroup_free(plan);
	if (r < 0 || (!same && container_save_state(dirfd, s, o->id, 0, cg, &rdt, true, err) < 0))
		goto out;
	fault_point("create.cgroup");
	/* a process put into a frozen cgroup stops at once: create would hang; runc refuses, in its words */
	if (cgroup_is_frozen(cg)) {
		hull_fail(err, "container's cgroup unexpectedly frozen");
		keep_cgroup = true; /* someone else's, frozen on purpose: not ours to remove */
		goto out;
	}
	bool devices = !cgroup_rootless(o->rootless); /* cgroup_apply_resources */
	/* rootless with no delegated cgroup, as runc: an empty linux.resources (podman's) is no reason to fail */
	if (s->has_resources && cg->n == 0 && cg->systemd_unit == NULL &&
	    (!cgroup_rootless(o->rootless) || resources_any_limit(&s->resources, false))) {
		hull_fail(err, "linux.resources: cannot be applied without access to the cgroup tree");
		goto out;
	}
	/* the systemd driver has no directory before the scope exists: its resources follow cgroup_enter */
	if (cg->systemd_unit == NULL && cgroup_apply_resources(cg, &s->resources, s->devices, s->n_devices, devices, err) < 0)
		goto out;
	fault_point("create.resources");
	if (mkfifoat(dirfd, STATE_FIFO, 0600) < 0) {
		hull_fail_sys(err, "mkfifo %s/%s/%s", o->root, o->id, STATE_FIFO);
		goto out;
	}
	fifo = openat(dirfd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0) {
		hull_fail_sys(err, "open %s", STATE_FIFO);
		goto out;
	}
	if (o->listen_fds > 0)
		add_listen_env(s->process, o->listen_fds);
	if (o->console_fd >= 0 && s->process->terminal)
		console = fcntl(o->console_fd, F_DUPFD_CLOEXEC, 3);
	else if (o->console_socket && (console = unix_connect(o->console_socket, "--console-socket", err)) < 0)
		goto out;
	if (o->pidfd_socket && (pidsock = unix_connect(o->pidfd_socket, "--pidfd-socket", err)) < 0)
		goto out;
	if (sync_pair(sv, err) < 0)
		goto out;
	/* compiled (or found in the cache) here, so the init only has to load it */
	if (s->seccomp && seccomp_compile_cached(s->seccomp, o->root, &prog, err) < 0)
		goto out;

	int cgfd = cgroup_v2_fd(cg);
	pid = ns_spawn_init(s, sv[0], sv[1], cgfd, &pidfd, err);
	if (cgfd >= 0 && pid != 0)
		close(cgfd);
	if (pid == 0) {
		struct init_ctx ctx = {
			.spec = s, .id = o->id, .state_dirfd = dirfd, .sync_fd = sv[1], .fifo_fd = fifo, .console_fd = console,
			.no_pivot = o->no_pivot, .no_new_keyring = o->no_new_keyring,
			.preserve_fds = o->listen_fds + o->preserve_fds, .seccomp = s->seccomp ? &prog : NULL,
		};
		init_run(&ctx);
	}
	close(sv[1]);
	sv[1] = -1;
	if (pid < 0)
		goto out;
	hull_debug("container %s: init is pid %d", o->id, pid);
	if (container_save_state(dirfd, s, o->id, pid, cg, &rdt, true, err) < 0)
		goto out;
	fault_point("create.spawn");
	/* before SYNC_GO: the init runs nothing of the container's outside its cgroup (on v2 it was born
	 * there; this places it in each v1 hierarchy) */
	if (cgfd < 0 && cgroup_enter(cg, pid, &s->resources, err) < 0)
		goto out;
	if (cg->systemd_unit && cgroup_apply_resources(cg, &s->resources, s->devices, s->n_devices, devices, err) < 0)
		goto out;
	fault_point("create.cgroup_enter");
	/* recorded at once: a create killed from here on leaves delete the group to remove */
	if (s->intel_rdt && (rdt_join(s->intel_rdt, o->id, pid, &rdt, err) < 0 || container_save_state(dirfd, s, o->id, pid, cg, &rdt, true, err) < 0))
		goto out;
	if (s->n_net_devices && (netns = open_netns_of(pid, err)) < 0)
		goto out;
	if (netdev_move_in(s, netns, err) < 0)
		goto out;
	moved_netdevs = true;
	if (drive_init(s, o->id, pid, sv[0], err) < 0)
		goto out;
	fault_point("create.init_ready");
	hull_debug("container %s: created", o->id);
	if (container_save_state(dirfd, s, o->id, pid, cg, &rdt, false, err) < 0)
		goto out;
	fault_point("create.state");
	if (o->pid_file && container_write_pid_file(o->pid_file, pid, err) < 0)
		goto out;
	fault_point("create.pid_file");
	if (pidsock >= 0 && container_send_pidfd(pidsock, pid, pidfd, "standard", err) < 0)
		goto out;
	out->pid = pid;
	out->pidfd = pidfd;
	out->terminal = s->process->terminal;
	pidfd = -1;
	ret = 0;
out:
	/* before the namespace goes: with it, virtual interfaces would go too */
	if (ret < 0 && moved_netdevs) {
		hull_err e = NULL;
		if (netdev_move_out(s, s->n_net_devices, netns, &e) < 0)
			hull_warn("%s", e->msg);
		hull_err_free(&e);
	}
	if (ret < 0 && pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (ret < 0 && !keep_cgroup)
		cgroup_destroy(cg, NULL);
	if (ret < 0)
		rdt_remove(&rdt, o->id, NULL);
	rdt_group_clear(&rdt);
	cgroup_free(cg);
	/* fds first: a create out of them (EMFILE) must still be able to remove what it made */
	if (pidfd >= 0)
		close(pidfd);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (fifo >= 0)
		close(fifo);
	fifo = -1;
	if (console >= 0)
		close(console);
	console = -1;
	/* under the lock, so that no other create's directory is removed in its place */
	if (ret < 0 && made_dir)
		state_dir_remove_locked(dirfd, o->root, o->id);
	/* The init shares our open file description of the state dir until it execs: drop the lock
	 * explicitly, closing our fd alone would not release it. */
	if (dirfd >= 0)
		flock(dirfd, LOCK_UN);
	seccomp_program_free(&prog);
	spec_free(s);
	return ret;
}

/* Open, lock and read a container's state. */
int container_load(const char *root, const char *id, bool lock, int *dirfd, struct hull_state *st, enum hull_status *status,
		hull_err *err)
{
	int fd = state_dir_open(root, id, err);
	if (fd < 0)
		return -1;
	if ((lock && state_lock(fd, id, err) < 0) || state_read(fd, id, st, err) < 0) {
		close(fd);
		return -1;
	}
	*status = state_status(fd, st);
	*dirfd = fd;
	return 0;
}

int container_send_pidfd(int sock, pid_t pid, int pidfd, const char *kind, hull_err *err)
{
	_cleanup_close_ int own = pidfd < 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0 && own < 0)
		return hull_fail_sys(err, "--pidfd-socket: pidfd_open %d", pid);
	if (unix_send_fd(sock, pidfd < 0 ? own : pidfd, kind, err) < 0)
		return hull_err_prefix(err, "--pidfd-socket");
	return 0;
}

int container_load_saved_spec(int dirfd, const struct hull_state *st, struct hull_spec **s, hull_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (state_read_file(dirfd, STATE_CONFIG, &text, &len, err) < 0)
		return hull_err_prefix(err, "container %s", st->id);
	return spec_parse(text, len, "saved config.json", st->bundle, s, err);
}

static void run_hooks_warn(int dirfd, const struct hull_state *st, enum hull_hook_kind kind, const char *status, pid_t pid)
{
	hull_err err = NULL;
	struct hull_spec *s = NULL;
	if (container_load_saved_spec(dirfd, st, &s, &err) == 0) {
		_cleanup_free_ char *state = hooks_state_json(s, st->id, status, pid);
		hooks_run_warn(s, kind, state);
	}
	if (err)
		hull_warn("%s", err->msg);
	hull_err_free(&err);
	spec_free(s);
}

static void kill_and_wait(const struct hull_state *st);

/* runtime-spec 1.3: a failing poststart hook is an error, and the container is stopped (runc always did so);
 * before 1.3 it is a warning and the lifecycle goes on, as the spec of the config's version says. */
static int run_poststart(int dirfd, const struct hull_state *st, hull_err *err)
{
	struct hull_spec *s = NULL;
	if (container_load_saved_spec(dirfd, st, &s, err) < 0) {
		hull_warn("%s", (*err)->msg);
		hull_err_free(err);
		return 0;
	}
	_cleanup_free_ char *state = hooks_state_json(s, st->id, "running", st->pid);
	int ret = 0;
	if (!s->spec_1_3)
		hooks_run_warn(s, HOOK_POSTSTART, state);
	else if (hooks_run(s, HOOK_POSTSTART, state, err) < 0) {
		kill_and_wait(st);
		ret = hull_err_prefix(err, "container %s stopped", st->id);
	}
	spec_free(s);
	return ret;
}

int hull_start(const char *root, const char *id, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(root, id, true, &dirfd, &st, &status, err) < 0)
		return -1;
	int ret = -1;
	_cleanup_close_ int fifo = -1;
	if (status != STATUS_CREATED) {
		if (status == STATUS_STOPPED)
			hull_fail(err, "cannot start a container that has stopped");
		else
			hull_fail(err, "cannot start a container in the %s state", hull_status_names[status]);
		goto out;
	}
	fifo = openat(dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0) {
		hull_fail_sys(err, "container %s: open %s", id, STATE_FIFO);
		goto out;
	}
	fault_point("start.fifo_open");
	/* Removed before the byte is written, so that the fifo's presence (what `state` reads as "created") is
	 * never stale: killed after this, our end closes unwritten and the init ends (stopped); killed after
	 * the write, the container runs. */
	unlinkat(dirfd, STATE_FIFO, 0);
	fault_point("start.fifo_removed");
	if (write(fifo, "0", 1) != 1) {
		hull_fail_sys(err, "container %s: signal the init to start", id);
		goto out;
	}
	fault_point("start.signalled");
	hull_debug("container %s: started", id);
	/* The init holds the read side until execve closes it: POLLERR means the process runs (or died). */
	struct pollfd pfd = { .fd = fifo, .events = 0 };
	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	ret = st.has_poststart ? run_poststart(dirfd, &st, err) : 0;
out:
	state_clear(&st);
	return ret;
}

int hull_state(const char *root, const char *id, json_object **out, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(root, id, false, &dirfd, &st, &status, err) < 0)
		return -1;
	*out = state_to_json(&st, status, true);
	json_object_object_add(*out, "owner", json_object_new_string(""));
	state_clear(&st);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hull_list(const char *root, json_object **out, hull_err *err)
{
	*out = json_object_new_array();
	_cleanup_closedir_ DIR *d = opendir(root);
	if (d == NULL)
		return errno == ENOENT ? 0 : hull_fail_sys(err, "open %s", root);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		names = xreallocarray(names, n + 1, sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof(char *), cmp_names);
	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int dirfd = -1;
		struct hull_state st;
		enum hull_status status;
		hull_err e = NULL;
		if (container_load(root, names[i], false, &dirfd, &st, &status, &e) < 0) {
			/* as runc: one line for what cannot be loaded, and the others are still listed */
			if (e->errnum != ENOENT)
				hull_warn("%s", e->msg);
			hull_err_free(&e);
			free(names[i]);
			continue;
		}
		json_object *o = state_to_json(&st, status, true);
		struct passwd *pw = getpwuid(st.owner);
		char uidbuf[32];
		snprintf(uidbuf, sizeof(uidbuf), "#%u", st.owner);
		json_object_object_add(o, "owner", json_object_new_string(pw ? pw->pw_name : uidbuf));
		json_object_array_add(*out, o);
		state_clear(&st);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* A pidfd for the init, only if it is still the process we started (pid reuse). */
static int open_init(const struct hull_state *st, hull_err *err)
{
	int pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (pidfd < 0)
		return hull_fail(err, "container not running");
	bool zombie = false;
	if (state_proc_start_time(st->pid, &zombie) != st->start_time) {
		close(pidfd);
		return hull_fail(err, "container not running");
	}
	fcntl(pidfd, F_SETFD, FD_CLOEXEC);
	return pidfd;
}

/* Every process in the init's pid namespace (the init's own namespace only). */
static void signal_pidns(pid_t init, int sig)
{
	char path[64];
	struct stat ns;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	if (stat(path, &ns) < 0)
		return;
	_cleanup_closedir_ DIR *d = opendir("/proc");
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid <= 0 || pid == init)
			continue;
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
		if (stat(path, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev)
			kill(pid, sig);
	}
}

int hull_kill(const char *root, const char *id, int sig, bool all, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(root, id, false, &dirfd, &st, &status, err) < 0)
		return -1;
	int ret = -1;
	_cleanup_close_ int pidfd = -1;
	/* runc: --all of a stopped container signals what is left in its cgroup, and is no error */
	if (status == STATUS_STOPPED && all) {
		if (cgroup_owned(st.cgroup))
			cgroup_signal_all(st.cgroup, sig);
		ret = 0;
		goto out;
	}
	if (status == STATUS_STOPPED || status == STATUS_CREATING) {
		hull_fail(err, "container not running");
		goto out;
	}
	pidfd = open_init(&st, err);
	if (pidfd < 0)
		goto out;
	if (all && cgroup_owned(st.cgroup))
		cgroup_signal_all(st.cgroup, sig);
	else if (all && st.own_pidns)
		signal_pidns(st.pid, sig);
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
		hull_fail_sys(err, "kill container %s", id);
		goto out;
	}
	ret = 0;
out:
	state_clear(&st);
	return ret;
}

static void kill_and_wait(const struct hull_state *st)
{
	hull_err e = NULL;
	int pidfd = open_init(st, &e);
	hull_err_free(&e);
	if (pidfd < 0)
		return;
	if (cgroup_owned(st->cgroup))
		cgroup_signal_all(st->cgroup, SIGKILL);
	else if (st->own_pidns)
		signal_pidns(st->pid, SIGKILL);
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	/* frozen processes cannot act on SIGKILL until thawed */
	if (cgroup_is_frozen(st->cgroup))
		cgroup_freeze(st->cgroup, false, NULL);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	while (poll(&pfd, 1, KILL_WAIT_MS) < 0 && errno == EINTR)
		;
	close(pidfd);
}

/* delete --force of a container whose state.json is damaged: nothing it names can be trusted, so only
 * the state directory (which hull made) goes; processes and cgroups are left alone, and a warning says so. */
static int delete_damaged(const char *root, const char *id, hull_err *err)
{
	hull_warn("%s; removing its state directory only, nothing it names is signalled or removed", (*err)->msg);
	hull_err_free(err);
	_cleanup_close_ int dirfd = state_dir_open(root, id, err);
	if (dirfd < 0 || state_lock(dirfd, id, err) < 0)
		return -1;
	int r = state_dir_remove(root, id);
	if (r < 0)
		return hull_fail_errno(err, -r, "remove state of container %s", id);
	return 0;
}

/* linux.netDevices of the saved config, back to us before the init (and with it a new network namespace)
 * is gone; a namespace joined by path outlives the container and is asked after it too. */
static void netdevs_release(int dirfd, const struct hull_state *st, enum hull_status status)
{
	struct hull_spec *s = NULL;
	hull_err e = NULL;
	/* a create that never finished saved no config: its init (if any) dies with its namespace */
	if (st->creating || container_load_saved_spec(dirfd, st, &s, &e) < 0) {
		hull_err_free(&e);
		return;
	}
	pid_t pid = 0;
	if (s->n_net_devices && status != STATUS_STOPPED && st->pid > 0) {
		int pidfd = open_init(st, &e);
		hull_err_free(&e);
		if (pidfd >= 0) {
			pid = st->pid;
			close(pidfd);
		}
	}
	if (pid > 0 || s->ns[NS_NET].path)
		netdevs_return(s, pid);
	spec_free(s);
}

int hull_delete(const char *root, const char *id, bool force, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(root, id, true, &dirfd, &st, &status, err) < 0)
		return force && (*err)->errnum == EBADMSG ? delete_damaged(root, id, err) : -1;
	int ret = -1;
	if ((status == STATUS_RUNNING || status == STATUS_PAUSED) && !force) {
		hull_fail(err, "cannot delete container %s that is not stopped: %s", id, hull_status_names[status]);
		goto out;
	}
	fault_point("delete.locked");
	netdevs_release(dirfd, &st, status);
	/* a create killed after it spawned the init left it "creating": it goes too */
	if (status != STATUS_STOPPED && st.pid > 0)
		kill_and_wait(&st);
	fault_point("delete.killed");
	/* whatever the init left behind in its cgroup goes with it */
	if (cgroup_destroy(st.cgroup, err) < 0)
		goto out;
	fault_point("delete.cgroup");
	hull_err rdt_err = NULL;
	if (rdt_remove(&st.rdt, id, &rdt_err) < 0)
		hull_warn("%s", rdt_err->msg);
	hull_err_free(&rdt_err);
	if (st.has_poststop)
		run_hooks_warn(dirfd, &st, HOOK_POSTSTOP, "stopped", 0);
	hull_debug("container %s: removing its state", id);
	int r = state_dir_remove_locked(dirfd, root, id);
	if (r < 0) {
		hull_fail_errno(err, -r, "remove state of container %s", id);
		goto out;
	}
	ret = 0;
out:
	state_clear(&st);
	return ret;
}

int hull_pause(const char *root, const char *id, bool pause, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	if (container_load(root, id, true, &dirfd, &st, &status, err) < 0)
		return -1;
	int ret = -1;
	if (pause && status != STATUS_RUNNING)
		hull_fail(err, "container not running");
	else if (!pause && status != STATUS_PAUSED)
		hull_fail(err, "container not paused");
	else
		ret = cgroup_freeze(st.cgroup, pause, err);
	state_clear(&st);
	return ret;
}

/* load() for commands that need the container's processes to exist (created, running or paused). */
int container_load_live(const char *root, const char *id, bool lock, int *dirfd, struct hull_state *st, hull_err *err)
{
	enum hull_status status;
	if (container_load(root, id, lock, dirfd, st, &status, err) < 0)
		return -1;
	if (status == STATUS_STOPPED || status == STATUS_CREATING) {
		hull_fail(err, "container not running");
		state_clear(st);
		return -1;
	}
	return 0;
}

/* pid and its descendants, breadth first, from each task's /proc/PID/task/TID/children (best effort: a
 * process that is gone meanwhile is left out). */
static void pids_from_init(pid_t init, pid_t **pids, size_t *n)
{
	size_t cap = 16;
	*pids = xcalloc(cap, sizeof(pid_t));
	(*pids)[(*n)++] = init;
	for (size_t i = 0; i < *n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", (*pids)[i]);
		_cleanup_closedir_ DIR *tasks = opendir(path);
		struct dirent *t;
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			_cleanup_free_ char *file = xasprintf("%s/%s/children", path, t->d_name), *text = NULL;
			if (fs_read_file(AT_FDCWD, file, &text, NULL, NULL) < 0)
				continue;
			for (char *p = text, *end; *p; p = end) {
				long child = strtol(p, &end, 10);
				if (end == p)
					break;
				if (*n == cap)
					*pids = xreallocarray(*pids, cap *= 2, sizeof(pid_t));
				(*pids)[(*n)++] = (pid_t)child;
			}
		}
	}
}

int hull_pids(const char *root, const char *id, pid_t **pids, size_t *n, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	enum hull_status status;
	*pids = NULL;
	*n = 0;
	if (container_load(root, id, false, &dirfd, &st, &status, err) < 0)
		return -1;
	int ret = 0;
	/* any status, as runc: a stopped container lists what is left in its cgroup (usually nothing); rootless
	 * with no cgroup, the init and what descends from it */
	if (st.cgroup->n == 0 && st.cgroup->systemd_unit == NULL) {
		if (status != STATUS_STOPPED && st.pid > 0)
			pids_from_init(st.pid, pids, n);
	} else if (cgroup_pids(st.cgroup, pids, n) < 0)
		ret = hull_fail(err, "container %s: cannot read its cgroup", id);
	state_clear(&st);
	return ret;
}

int hull_update(const char *root, const char *id, json_object *resources, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	if (container_load_live(root, id, true, &dirfd, &st, err) < 0)
		return -1;
	/* the meaning of a pids.limit of 0 is the container's config's (runtime-spec 1.3 changed it) */
	struct hull_spec *s = NULL;
	if (container_load_saved_spec(dirfd, &st, &s, err) < 0) {
		state_clear(&st);
		return -1;
	}
	struct hull_resources r;
	int ret = resources_parse(resources, "update", "resources", s->spec_1_3 ? RES_SPEC_1_3 : RES_RUNC_1_1, &r, err);
	spec_free(s);
	fault_point("update.locked");
	if (ret == 0 && st.cgroup->n == 0)
		ret = hull_fail(err, "container %s has no cgroup to update", id);
	else if (ret == 0)
		ret = cgroup_update_resources(st.cgroup, &r, err);
	resources_clear(&r);
	state_clear(&st);
	return ret;
}

int hull_update_rdt(const char *root, const char *id, const char *l3_cache_schema, const char *mem_bw_schema, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	if (container_load_live(root, id, true, &dirfd, &st, err) < 0)
		return -1;
	const char *lines[] = { l3_cache_schema, mem_bw_schema };
	int ret;
	if (st.rdt.name == NULL)
		ret = hull_fail(err, "container %s has no linux.intelRdt: its resctrl schemata cannot be updated", id);
	else if ((l3_cache_schema && strchr(l3_cache_schema, '\n')) || (mem_bw_schema && strchr(mem_bw_schema, '\n')))
		ret = hull_fail(err, "update: a schema must be a single line");
	else
		ret = rdt_write_schemata(&st.rdt, lines, ARRAY_SIZE(lines), err);
	state_clear(&st);
	return ret;
}

int hull_oom_eventfd(const char *root, const char *id, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	if (container_load_live(root, id, false, &dirfd, &st, err) < 0)
		return -1;
	int fd = cgroup_oom_eventfd(st.cgroup, err);
	state_clear(&st);
	return fd;
}

int hull_stats(const char *root, const char *id, json_object **out, uint64_t *oom_kills, bool *running, hull_err *err)
{
	_cleanup_close_ int dirfd = -1;
	struct hull_state st;
	*running = false;
	if (container_load_live(root, id, false, &dirfd, &st, err) < 0)
		return -1;
	*running = true;
	int ret = 0;
	if (cgroup_stats(st.cgroup, out, err) < 0)
		ret = -1;
	else
		*oom_kills = cgroup_oom_kills(st.cgroup);
	state_clear(&st);
	return ret;
}
