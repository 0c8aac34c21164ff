/* delete.c - `hull delete ID`: remove a stopped (or, with --force, any) container.
 * Must never delete a running container without --force. */
#include <errno.h>

#include "cli/cli.h"
#include "container.h"

static int delete_flag(int opt, const char *arg, void *data)
{
	(void)arg;
	if (opt == 'f') {
		*(bool *)data = true;
		return 0;
	}
	return -1;
}

int cmd_delete(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = { { "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	const struct cli_command *cmd = cli_command_get("delete");
	bool force = false;
	int ind = cli_parse(cmd, argc, argv, "f", longopts, delete_flag, &force);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	hull_err err = NULL;
	if (hull_delete(g->root, argv[ind], force, &err) < 0) {
		/* runc: forcing the delete of a container that is already gone succeeds */
		if (force && err->errnum == ENOENT) {
			hull_err_free(&err);
			return 0;
		}
		return cli_fail(&err);
	}
	return 0;
}
