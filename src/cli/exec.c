/* exec.c - `hull exec [flags] ID CMD...` or `hull exec --process FILE ID`: one more process in a container.
 * Must never read flags after the command: everything after ID belongs to the process. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"

enum { E_PROCESS = 'p', E_CWD = 4000, E_ENV = 'e', E_USER = 'u', E_DETACH = 'd', E_PID_FILE = 4001, E_NNP, E_CAP,
       E_PRESERVE, E_IGNORE_PAUSED, E_TTY = 't', E_CONSOLE = 4010 };

struct exec_flags {
	struct hull_exec_opts o;
	bool detach, tty;
	size_t n_env, n_caps;
};

static int push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(char *));
	if (nv == NULL)
		return -1;
	*v = nv;
	(*v)[(*n)++] = (char *)s;
	(*v)[*n] = NULL;
	return 0;
}

static int exec_flag(int opt, const char *arg, void *data)
{
	struct exec_flags *f = data;
	switch (opt) {
	case E_PROCESS:
		f->o.process_file = arg;
		return 0;
	case E_CWD:
		f->o.cwd = arg;
		return 0;
	case E_ENV:
		return push(&f->o.env, &f->n_env, arg);
	case E_USER:
		f->o.user = arg;
		return 0;
	case E_DETACH:
		f->detach = true;
		return 0;
	case E_PID_FILE:
		f->o.pid_file = arg;
		return 0;
	case E_NNP:
		f->o.no_new_privs = true;
		return 0;
	case E_CAP:
		return push(&f->o.caps, &f->n_caps, arg);
	case E_PRESERVE:
		return cli_parse_int("--preserve-fds", arg, 0, 1 << 20, &f->o.preserve_fds);
	case E_IGNORE_PAUSED:
		f->o.ignore_paused = true;
		return 0;
	case E_TTY:
	case E_CONSOLE:
		f->tty = true;
		return 0;
	}
	return -1;
}

int cmd_exec(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "process", required_argument, NULL, E_PROCESS },
		{ "cwd", required_argument, NULL, E_CWD },
		{ "env", required_argument, NULL, E_ENV },
		{ "user", required_argument, NULL, E_USER },
		{ "detach", no_argument, NULL, E_DETACH },
		{ "pid-file", required_argument, NULL, E_PID_FILE },
		{ "no-new-privs", no_argument, NULL, E_NNP },
		{ "cap", required_argument, NULL, E_CAP },
		{ "preserve-fds", required_argument, NULL, E_PRESERVE },
		{ "ignore-paused", no_argument, NULL, E_IGNORE_PAUSED },
		{ "tty", no_argument, NULL, E_TTY },
		{ "console-socket", required_argument, NULL, E_CONSOLE },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("exec");
	struct exec_flags f = { .o = { .root = g->root } };
	int code = 1;
	int ind = cli_parse(cmd, argc, argv, "+p:e:u:dt", longopts, exec_flag, &f);
	if (ind < 0) {
		code = ind == -2 ? 0 : 1;
		goto out;
	}
	if (f.tty) {
		code = cli_failf("exec: terminals (--tty, --console-socket) are not supported yet");
		goto out;
	}
	if (ind >= argc) {
		code = cli_failf("\"exec\" requires a container id");
		goto out;
	}
	f.o.id = argv[ind];
	f.o.args = argv + ind + 1;
	if (f.o.process_file == NULL && argc - ind < 2) {
		code = cli_failf("\"exec\" requires a command (or --process)");
		goto out;
	}
	sigset_t forwarded;
	cli_forwarded_signals(&forwarded);
	if (!f.detach)
		sigprocmask(SIG_BLOCK, &forwarded, NULL);
	hull_err err = NULL;
	pid_t pid = -1;
	int pidfd = -1;
	if (hull_exec(&f.o, &pid, &pidfd, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	code = f.detach ? 0 : cli_wait_forwarding(pidfd, &forwarded);
	close(pidfd);
out:
	free(f.o.env);
	free(f.o.caps);
	return code;
}
