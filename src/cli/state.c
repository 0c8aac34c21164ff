/* state.c - `hull state`: print the state JSON of one container, as runc does.
 * Must never change the container. */
#include "cli/cli.h"
#include "container.h"

int cmd_state(struct cli_globals *g, int argc, char **argv)
{
	const struct cli_command *cmd = cli_command_get("state");
	int ind = cli_parse(cmd, argc, argv, "", NULL, cli_no_flags, NULL);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	hull_err err = NULL;
	json_object *o = NULL;
	if (hull_state(g->root, argv[ind], &o, &err) < 0)
		return cli_fail(&err);
	int ret = cli_print_json(o, true);
	json_object_put(o);
	return ret;
}
