/* create.c - `hull create`: set up a container whose process waits for `hull start`.
 * Must never wait for the container: engines wait for this command to exit. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/create_opts.h"

/* LISTEN_FDS fds passed to us by systemd socket activation (LISTEN_PID, when set, must be ours). */
static int listen_fds(void)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	if (fds == NULL || (pid && atol(pid) != getpid()))
		return 0;
	int n = atoi(fds);
	return n > 0 && n < (1 << 20) ? n : 0;
}

void create_flags_init(struct create_flags *f, const struct cli_globals *g)
{
	*f = (struct create_flags){ .opts = { .root = g->root, .bundle = ".", .console_fd = -1,
					      .systemd_cgroup = g->systemd_cgroup, .rootless = (enum hull_rootless)g->rootless,
					      .listen_fds = listen_fds() } };
}

int create_flag(int opt, const char *arg, void *data)
{
	struct create_flags *f = data;
	switch (opt) {
	case CF_BUNDLE:
		f->opts.bundle = arg;
		return 0;
	case CF_CONSOLE:
		f->opts.console_socket = arg;
		return 0;
	case CF_PID_FILE:
		f->opts.pid_file = arg;
		return 0;
	case CF_PIDFD_SOCKET:
		f->opts.pidfd_socket = arg;
		return 0;
	case CF_NO_PIVOT:
		f->opts.no_pivot = true;
		return 0;
	case CF_NO_KEYRING:
		f->opts.no_new_keyring = true;
		return 0;
	case CF_PRESERVE_FDS:
		return cli_parse_int("--preserve-fds", arg, 0, 1 << 20, &f->opts.preserve_fds);
	case CF_DETACH:
		f->detach = true;
		return 0;
	case CF_KEEP:
		f->keep = true;
		return 0;
	case CF_NO_SUBREAPER:
		return 0;
	}
	return -1;
}

int cmd_create(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = { CREATE_LONGOPTS, { NULL, 0, NULL, 0 } };
	const struct cli_command *cmd = cli_command_get("create");
	struct create_flags f;
	create_flags_init(&f, g);
	int ind = cli_parse(cmd, argc, argv, "b:", longopts, create_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	f.opts.id = argv[ind];
	hull_err err = NULL;
	struct hull_created c;
	if (hull_create(&f.opts, &c, &err) < 0)
		return cli_fail(&err);
	if (c.pidfd >= 0)
		close(c.pidfd);
	return 0;
}
