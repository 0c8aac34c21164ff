/* cli.h - what every command file shares: the global flags, error reporting, the command table.
 * Must never hold container logic: commands parse flags, call libhull, print. */
#ifndef HULL_CLI_H
#define HULL_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "util/error.h"

struct cli_globals {
	const char *root;
	const char *log_path;
	bool log_json;
	bool debug;
	bool systemd_cgroup;
	int rootless; /* enum hull_rootless */
	const char *storage; /* --storage: the image store (NULL: store_default_root) */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli_globals *g, int argc, char **argv);
	const char *summary;
	/* the help text: "Usage: hull NAME ARGS\n", an optional description, then "\nOptions:\n" and the
	 * flags, one a line; cli_print_help lays it out as runc's help */
	const char *usage;
};

extern const struct cli_command cli_commands[];
const struct cli_command *cli_command_get(const char *name);
/* COMMAND --help, `hull help COMMAND`: NAME:, USAGE:, the description, OPTIONS: (urfave/cli's layout) */
void cli_print_help(const struct cli_command *c, FILE *f);

/* Print and log one error line; returns the exit code (1). Frees err. */
int cli_fail(hull_err *err);
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a command's flags with getopt_long; handles --help. Returns optind, or -1 after an error
 * (already reported) or -2 after --help (exit 0). */
typedef int (*cli_opt_handler)(int opt, const char *arg, void *data);
int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
	      cli_opt_handler handle, void *data);
/* The handler of commands without flags of their own. */
int cli_no_flags(int opt, const char *arg, void *data);
/* Exactly `n` positional args left after flags, else an error naming the command. */
int cli_want_args(const struct cli_command *cmd, int argc, int optind, int min, int max);
/* Foreground run/exec: the signals relayed to the container process (block them before it exists), and
 * the relay itself until the process exits; returns its status, 128+N after signal N. */
void cli_forwarded_signals(sigset_t *set);
/* master >= 0: hull is the console (cli_tty_begin) and relays it too; the relay ends with cli_tty_end. */
int cli_wait_forwarding(int pidfd, const sigset_t *forwarded, int master);
/* tty.c: a socketpair to receive the pty master on; receive it, put our terminal in raw mode and copy
 * our window size (returns the master, or -1 after an error); resize; copy; type ^D at the end of our
 * stdin; drain, close, restore. */
int cli_console_pair(int fds[2]);
int cli_tty_begin(int sock);
void cli_tty_resize(int master);
bool cli_tty_copy(int from, int to);
void cli_tty_eof(int master);
void cli_tty_end(int master);
int cli_print_json(json_object *o, bool pretty);
int cli_parse_int(const char *flag, const char *s, int min, int max, int *out);
/* A flag with an optional boolean (--tls-verify, --tls-verify=false): NULL or "true" is true, "false" false; -1 after
 * an error (reported) on anything else. */
int cli_parse_bool(const char *flag, const char *arg, bool *out);

int cmd_create(struct cli_globals *g, int argc, char **argv);
int cmd_start(struct cli_globals *g, int argc, char **argv);
int cmd_run(struct cli_globals *g, int argc, char **argv);
int cmd_state(struct cli_globals *g, int argc, char **argv);
int cmd_list(struct cli_globals *g, int argc, char **argv);
int cmd_kill(struct cli_globals *g, int argc, char **argv);
int cmd_delete(struct cli_globals *g, int argc, char **argv);
int cmd_spec(struct cli_globals *g, int argc, char **argv);
int cmd_features(struct cli_globals *g, int argc, char **argv);
int cmd_pause(struct cli_globals *g, int argc, char **argv);
int cmd_resume(struct cli_globals *g, int argc, char **argv);
int cmd_ps(struct cli_globals *g, int argc, char **argv);
int cmd_update(struct cli_globals *g, int argc, char **argv);
int cmd_events(struct cli_globals *g, int argc, char **argv);
int cmd_exec(struct cli_globals *g, int argc, char **argv);
/* cmd_exec that also says, when the process could not be started (exit 255), the errno of its failure (execve's
 * ENOENT, EACCES, ...; 0 for another failure) in *start_errno: engines map it to 127 and 126. user_groups_only: a
 * --user drops the config's groups (the engine's exec -u; runc's exec keeps them). */
int cli_exec(struct cli_globals *g, int argc, char **argv, bool user_groups_only, int *start_errno);
int cmd_image(struct cli_globals *g, int argc, char **argv);
int cmd_container(struct cli_globals *g, int argc, char **argv);
int cmd_checkpoint(struct cli_globals *g, int argc, char **argv);
int cmd_restore(struct cli_globals *g, int argc, char **argv);
int cmd_login(struct cli_globals *g, int argc, char **argv);
int cmd_logout(struct cli_globals *g, int argc, char **argv);

#define JSON_OUT_FLAGS (JSON_C_TO_STRING_NOSLASHESCAPE)

#endif
