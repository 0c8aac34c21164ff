/* create_opts.h - the flags `create` and `run` share, parsed in one place.
 * Must never start a container: it only fills struct hull_create_opts. */
#ifndef HULL_CLI_CREATE_OPTS_H
#define HULL_CLI_CREATE_OPTS_H

#include "cli/cli.h"
#include "container.h"

struct create_flags {
	struct hull_create_opts opts;
	bool detach, keep;
};

enum { CF_BUNDLE = 'b', CF_DETACH = 'd', CF_CONSOLE = 2000, CF_PID_FILE, CF_NO_PIVOT, CF_NO_KEYRING, CF_PRESERVE_FDS,
       CF_KEEP, CF_NO_SUBREAPER, CF_PIDFD_SOCKET };

#define CREATE_LONGOPTS                                                       \
	{ "bundle", required_argument, NULL, CF_BUNDLE },                     \
	{ "console-socket", required_argument, NULL, CF_CONSOLE },            \
	{ "pid-file", required_argument, NULL, CF_PID_FILE },                 \
	{ "no-pivot", no_argument, NULL, CF_NO_PIVOT },                       \
	{ "no-new-keyring", no_argument, NULL, CF_NO_KEYRING },               \
	{ "preserve-fds", required_argument, NULL, CF_PRESERVE_FDS },         \
	{ "pidfd-socket", required_argument, NULL, CF_PIDFD_SOCKET }

int create_flag(int opt, const char *arg, void *data);
void create_flags_init(struct create_flags *f, const struct cli_globals *g);

#endif
