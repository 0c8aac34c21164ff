/* ps.c - `hull ps ID [PS_ARGS...]`: the container's processes, through ps(1) as runc does, or as JSON pids.
 * Must never show a process that is not in the container's cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

static int ps_flag(int opt, const char *arg, void *data)
{
	bool *json = data;
	if (opt != 'f')
		return -1;
	if (strcmp(arg, "json") == 0)
		*json = true;
	else if (strcmp(arg, "table") != 0) {
		cli_failf("invalid format option \"%s\": must be table or json", arg);
		return -1;
	}
	return 0;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Run ps with the user's arguments; keep the header and the lines whose PID column is ours. */
static int filter_ps(char **args, int nargs, const pid_t *pids, size_t n)
{
	/* "ps", the user's arguments (or runc's default -ef), NULL */
	char **argv = xcalloc((size_t)nargs + 3, sizeof(char *));
	argv[0] = "ps";
	for (int i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	if (nargs == 0)
		argv[1] = "-ef";
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		free(argv);
		return cli_failf("ps: pipe: %s", hull_errtext(errno));
	}
	pid_t child = fork();
	if (child == 0) {
		dup2(pipefd[1], 1);
		execvp("ps", argv);
		_exit(127);
	}
	free(argv);
	close(pipefd[1]);
	_cleanup_fclose_ FILE *f = fdopen(pipefd[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int pid_col = -1;
	for (bool header = true; getline(&line, &cap, f) > 0; header = false) {
		_cleanup_free_ char *copy = xstrdup(line);
		char *save = NULL;
		int col = 0;
		bool keep = header;
		for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save), col++) {
			if (header && strcmp(t, "PID") == 0)
				pid_col = col;
			else if (!header && col == pid_col)
				keep = has_pid(pids, n, strtol(t, NULL, 10));
		}
		if (keep)
			fputs(line, stdout);
	}
	free(line);
	int status = 0;
	waitpid(child, &status, 0);
	if (pid_col < 0)
		return cli_failf("ps: no PID column in the output of ps");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int cmd_ps(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = { { "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	const struct cli_command *cmd = cli_command_get("ps");
	bool json = false;
	/* stop at the id: what follows belongs to ps(1) */
	int ind = cli_parse(cmd, argc, argv, "+f:", longopts, ps_flag, &json);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (ind >= argc)
		return cli_failf("\"ps\" requires a container id");
	hull_err err = NULL;
	pid_t *pids = NULL;
	size_t n = 0;
	if (hull_pids(g->root, argv[ind], &pids, &n, &err) < 0)
		return cli_fail(&err);
	int ret = 0;
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, json_object_new_int(pids[i]));
		ret = cli_print_json(a, false);
		json_object_put(a);
	} else {
		ret = filter_ps(argv + ind + 1, argc - ind - 1, pids, n);
	}
	free(pids);
	return ret;
}
