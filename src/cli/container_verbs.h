/* container_verbs.h - what the `hull container` verbs share: flag parsing with each verb's help, podman's exit codes, the
 * verbs themselves. Must never hold engine logic: verbs parse, call the engine and the monitor, print. */
#ifndef HULL_CLI_CONTAINER_VERBS_H
#define HULL_CLI_CONTAINER_VERBS_H

#include "cli/cli.h"
#include "engine/engine.h"

/* podman's exit codes: 125 the engine failed, 126 the command cannot be run, 127 it was not found */
#define EXIT_ENGINE 125
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

/* Report and free err: EXIT_ENGINE. */
int container_fail(hull_err *err);
int container_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error of starting the container's process: 127 when it was not found, 126 when it cannot be run, else 125. */
int container_exec_fail(hull_err *err);
/* A verb's flags with its help ("container VERB") and argument count (max -1: any): the index of the first
 * argument, -2 after --help, -1 after an error (in *err, or reported). */
int container_verb_parse(const char *verb, int argc, char **argv, const char *shorts, const struct option *longs,
			 cli_opt_handler handle, void *data, int min, int max, hull_err *err);

int container_run_cmd(struct cli_globals *g, int argc, char **argv);
int container_create_cmd(struct cli_globals *g, int argc, char **argv);

#endif
