/* checkpoint.c - `hull checkpoint` and `hull restore`: runc's flags, parsed into hull_checkpoint_opts.
 * Must never run criu itself: libhull does (checkpoint.c there). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"
#include "util/cleanup.h"
#include "util/log.h"

#define DEFAULT_IMAGE_PATH "checkpoint"

enum {
	CK_BUNDLE = 'b', CK_DETACH = 'd', CK_IMAGE = 3000, CK_WORK, CK_PARENT, CK_LEAVE, CK_TCP, CK_UNIX, CK_SHELL,
	CK_LOCKS, CK_PRE_DUMP, CK_CGROUPS, CK_AUTO_DEDUP, CK_PID_FILE, CK_CONSOLE, CK_NO_SUBREAPER, CK_NO_PIVOT,
	CK_LSM_PROFILE, CK_LSM_MOUNT,
	CK_EMPTY_NS, CK_LAZY_PAGES, CK_PAGE_SERVER, CK_STATUS_FD, /* the last three runc's, which hull refuses */
};
static const char *const unsupported[] = { "--lazy-pages", "--page-server", "--status-fd" };

struct checkpoint_flags {
	struct hull_checkpoint_opts o;
	bool detach;
	const char *command;
};

static int checkpoint_flag(int opt, const char *arg, void *data)
{
	struct checkpoint_flags *f = data;
	switch (opt) {
	case CK_IMAGE: f->o.image_path = arg; return 0;
	case CK_WORK: f->o.work_path = arg; return 0;
	case CK_PARENT: f->o.parent_path = arg; return 0;
	case CK_LEAVE: f->o.leave_running = true; return 0;
	case CK_TCP: f->o.tcp_established = true; return 0;
	case CK_UNIX: f->o.ext_unix_sk = true; return 0;
	case CK_SHELL: f->o.shell_job = true; return 0;
	case CK_LOCKS: f->o.file_locks = true; return 0;
	case CK_PRE_DUMP: f->o.pre_dump = true; return 0;
	case CK_CGROUPS: f->o.manage_cgroups_mode = arg; return 0;
	case CK_AUTO_DEDUP: f->o.auto_dedup = true; return 0;
	case CK_BUNDLE: f->o.bundle = arg; return 0;
	case CK_DETACH: f->detach = true; return 0;
	case CK_PID_FILE: f->o.pid_file = arg; return 0;
	case CK_CONSOLE: f->o.console_socket = arg; return 0;
	case CK_LSM_PROFILE: f->o.lsm_profile = arg; return 0;
	case CK_LSM_MOUNT: f->o.lsm_mount_context = arg; return 0;
	case CK_EMPTY_NS: /* runc's criu takes only the network namespace */
		if (strcmp(arg, "network") != 0) {
			cli_failf("%s: --empty-ns %s: only network can be left empty", f->command, arg);
			return -1;
		}
		f->o.empty_netns = true;
		return 0;
	case CK_NO_SUBREAPER: /* the restored tree is hull's child and outlives it, as a created init */
	case CK_NO_PIVOT:     /* criu restores the mount namespace itself */
		return 0;
	}
	if (opt >= CK_LAZY_PAGES && opt < CK_LAZY_PAGES + (int)ARRAY_SIZE(unsupported))
		cli_failf("%s: %s is not supported by hull", f->command, unsupported[opt - CK_LAZY_PAGES]);
	return -1;
}

#define SHARED_LONGOPTS                                                   \
	{ "image-path", required_argument, NULL, CK_IMAGE },              \
	{ "work-path", required_argument, NULL, CK_WORK },                \
	{ "tcp-established", no_argument, NULL, CK_TCP },                 \
	{ "ext-unix-sk", no_argument, NULL, CK_UNIX },                    \
	{ "shell-job", no_argument, NULL, CK_SHELL },                     \
	{ "file-locks", no_argument, NULL, CK_LOCKS },                    \
	{ "manage-cgroups-mode", required_argument, NULL, CK_CGROUPS },   \
	{ "auto-dedup", no_argument, NULL, CK_AUTO_DEDUP },               \
	{ "empty-ns", required_argument, NULL, CK_EMPTY_NS },          \
	{ "lazy-pages", no_argument, NULL, CK_LAZY_PAGES }

/* Flags and the one container id of `command`: 0, or the exit code (0 after --help) in *code. */
static int parse(struct checkpoint_flags *f, const struct cli_globals *g, const char *command, const char *shortopts,
		 const struct option *longopts, int argc, char **argv, int *code)
{
	*f = (struct checkpoint_flags){ .o = { .root = g->root, .image_path = DEFAULT_IMAGE_PATH, .bundle = ".",
					       .systemd_cgroup = g->systemd_cgroup, .rootless = (enum hull_rootless)g->rootless },
					.command = command };
	const struct cli_command *cmd = cli_command_get(command);
	int ind = cli_parse(cmd, argc, argv, shortopts, longopts, checkpoint_flag, f);
	*code = ind == -2 ? 0 : 1;
	if (ind < 0 || cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return -1;
	f->o.id = argv[ind];
	return 0;
}

int cmd_checkpoint(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		SHARED_LONGOPTS,
		{ "parent-path", required_argument, NULL, CK_PARENT },
		{ "leave-running", no_argument, NULL, CK_LEAVE },
		{ "pre-dump", no_argument, NULL, CK_PRE_DUMP },
		{ "page-server", required_argument, NULL, CK_PAGE_SERVER },
		{ "status-fd", required_argument, NULL, CK_STATUS_FD },
		{ NULL, 0, NULL, 0 },
	};
	struct checkpoint_flags f;
	int code;
	if (parse(&f, g, "checkpoint", "", longopts, argc, argv, &code) < 0)
		return code;
	hull_err err = NULL;
	if (hull_checkpoint(&f.o, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int cmd_restore(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		SHARED_LONGOPTS,
		{ "bundle", required_argument, NULL, CK_BUNDLE },
		{ "detach", no_argument, NULL, CK_DETACH },
		{ "pid-file", required_argument, NULL, CK_PID_FILE },
		{ "console-socket", required_argument, NULL, CK_CONSOLE },
		{ "no-subreaper", no_argument, NULL, CK_NO_SUBREAPER },
		{ "no-pivot", no_argument, NULL, CK_NO_PIVOT },
		{ "lsm-profile", required_argument, NULL, CK_LSM_PROFILE },
		{ "lsm-mount-context", required_argument, NULL, CK_LSM_MOUNT },
		{ NULL, 0, NULL, 0 },
	};
	struct checkpoint_flags f;
	int code;
	if (parse(&f, g, "restore", "b:d", longopts, argc, argv, &code) < 0)
		return code;
	/* in the foreground, as run: what we forward is blocked before the process exists */
	sigset_t forwarded;
	cli_forwarded_signals(&forwarded);
	if (!f.detach)
		sigprocmask(SIG_BLOCK, &forwarded, NULL);
	hull_err err = NULL;
	struct hull_created c;
	if (hull_restore(&f.o, &c, &err) < 0)
		return cli_fail(&err);
	if (f.detach) {
		if (c.pidfd >= 0)
			close(c.pidfd);
		return 0;
	}
	code = cli_wait_forwarding(c.pidfd, &forwarded, -1);
	close(c.pidfd);
	if (hull_delete(g->root, f.o.id, true, &err) < 0)
		hull_warn("%s", err->msg), hull_err_free(&err);
	return code;
}
