/* pause.c - `hull pause ID` and `hull resume ID`: freeze and thaw every process of a container.
 * Must never pause a container that is not running. */
#include "cli/cli.h"
#include "container.h"

static int pause_or_resume(struct cli_globals *g, int argc, char **argv, const char *name, bool pause)
{
	const struct cli_command *cmd = cli_command_get(name);
	int ind = cli_parse(cmd, argc, argv, "", NULL, cli_no_flags, NULL);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	hull_err err = NULL;
	if (hull_pause(g->root, argv[ind], pause, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int cmd_pause(struct cli_globals *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, "pause", true);
}

int cmd_resume(struct cli_globals *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, "resume", false);
}
