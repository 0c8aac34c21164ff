/* container_show.h - the `hull container` verbs that only look (container_show.c).
 * Must never declare a verb that changes a container. */
#ifndef HULL_CLI_CONTAINER_SHOW_H
#define HULL_CLI_CONTAINER_SHOW_H

#include "cli/cli.h"

int container_ls(struct cli_globals *g, int argc, char **argv);
int container_inspect(struct cli_globals *g, int argc, char **argv);
int container_logs(struct cli_globals *g, int argc, char **argv);
int container_top(struct cli_globals *g, int argc, char **argv);
int container_stats(struct cli_globals *g, int argc, char **argv);

#endif
