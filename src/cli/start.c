/* start.c - `hull start`: let a created container's process run.
 * Must never start a container that is not in the created state. */
#include "cli/cli.h"
#include "container.h"

int cmd_start(struct cli_globals *g, int argc, char **argv)
{
	const struct cli_command *cmd = cli_command_get("start");
	int ind = cli_parse(cmd, argc, argv, "", NULL, cli_no_flags, NULL);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	hull_err err = NULL;
	if (hull_start(g->root, argv[ind], &err) < 0)
		return cli_fail(&err);
	return 0;
}
