/* run.c - `hull run`: create and start, then (in the foreground) forward signals, wait, and delete.
 * Must never exit before the container's process in the foreground, nor swallow a forwarded signal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/create_opts.h"
#include "util/log.h"

int cmd_run(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		CREATE_LONGOPTS,
		{ "detach", no_argument, NULL, CF_DETACH },
		{ "keep", no_argument, NULL, CF_KEEP },
		{ "no-subreaper", no_argument, NULL, CF_NO_SUBREAPER },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("run");
	struct create_flags f;
	create_flags_init(&f, g);
	int ind = cli_parse(cmd, argc, argv, "b:d", longopts, create_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	f.opts.id = argv[ind];

	/* Block what we forward before the init exists, so no signal falls between create and the loop;
	 * the init unblocks everything right before execve. */
	sigset_t forwarded;
	cli_forwarded_signals(&forwarded);
	if (!f.detach)
		sigprocmask(SIG_BLOCK, &forwarded, NULL);

	/* In the foreground without --console-socket, hull is the console if the config wants a terminal. */
	int console[2] = { -1, -1 };
	if (!f.detach && f.opts.console_socket == NULL) {
		if (cli_console_pair(console) < 0)
			return 1;
		f.opts.console_fd = console[1];
		f.opts.console_if_terminal = true;
	}
	hull_err err = NULL;
	struct hull_created c;
	int r = hull_create(&f.opts, &c, &err);
	if (console[1] >= 0)
		close(console[1]);
	if (r < 0)
		return cli_fail(&err);
	/* the master is in the socket already; raw mode before the process can print */
	int master = -1;
	if (c.terminal && console[0] >= 0 && (master = cli_tty_begin(console[0])) < 0) {
		hull_delete(g->root, f.opts.id, true, &err);
		hull_err_free(&err);
		return 1;
	}
	if (console[0] >= 0)
		close(console[0]);
	if (hull_start(g->root, f.opts.id, &err) < 0) {
		if (master >= 0)
			cli_tty_end(master);
		hull_err derr = NULL;
		hull_delete(g->root, f.opts.id, true, &derr);
		hull_err_free(&derr);
		return cli_fail(&err);
	}
	if (f.detach) {
		if (c.pidfd >= 0)
			close(c.pidfd);
		return 0;
	}
	int code = cli_wait_forwarding(c.pidfd, &forwarded, master);
	close(c.pidfd);
	if (!f.keep && hull_delete(g->root, f.opts.id, true, &err) < 0)
		hull_warn("%s", err->msg), hull_err_free(&err);
	return code;
}
