/* kill.c - `hull kill ID [SIGNAL]`: signal the container's init (or, with --all, every process).
 * Must never signal a process that is not the container's (pid reuse is checked in libhull). */
#include <signal.h>

#include "cli/cli.h"
#include "container.h"
#include "util/signals.h"

static int kill_flag(int opt, const char *arg, void *data)
{
	(void)arg;
	if (opt == 'a') {
		*(bool *)data = true;
		return 0;
	}
	return -1;
}

int cmd_kill(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = { { "all", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	const struct cli_command *cmd = cli_command_get("kill");
	bool all = false;
	int ind = cli_parse(cmd, argc, argv, "a", longopts, kill_flag, &all);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 2) < 0)
		return 1;
	int sig = SIGTERM;
	if (argc - ind == 2 && (sig = signal_parse(argv[ind + 1])) < 0)
		return cli_failf("unknown signal \"%s\"", argv[ind + 1]);
	hull_err err = NULL;
	if (hull_kill(g->root, argv[ind], sig, all, &err) < 0)
		return cli_fail(&err);
	return 0;
}
