/* exec.c - `hull exec [flags] ID CMD...` or `hull exec --process FILE ID`: one more process in a container.
 * Must never read flags after the command: everything after ID belongs to the process. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"
#include "util/xalloc.h"

/* short flags are their own letter; long-only flags count up from 4000 */
enum { E_PROCESS = 'p', E_ENV = 'e', E_USER = 'u', E_DETACH = 'd', E_TTY = 't', E_GIDS = 'g', E_CAP = 'c',
       E_CWD = 4000, E_PID_FILE, E_NNP, E_PRESERVE, E_IGNORE_PAUSED, E_CONSOLE, E_LABEL, E_APPARMOR, E_CGROUP,
       E_PIDFD_SOCKET };

struct exec_flags {
	struct hull_exec_opts o;
	bool detach;
	size_t n_env, n_caps, n_cgroups;
};

/* -g 10 -g 20, or -g 10,20 */
static int push_gids(struct exec_flags *f, const char *arg)
{
	for (const char *c = arg; *c;) {
		char *end = NULL;
		errno = 0;
		unsigned long g = strtoul(c, &end, 10);
		if (end == c || errno || g > 0xfffffffeUL || (*end && *end != ',')) {
			cli_failf("--additional-gids \"%s\": expected a list of numeric gids", arg);
			return -1;
		}
		gid_t *ng = xrealloc(f->o.additional_gids, (f->o.n_additional_gids + 1) * sizeof(gid_t));
		f->o.additional_gids = ng;
		ng[f->o.n_additional_gids++] = (gid_t)g;
		c = *end ? end + 1 : end;
	}
	return 0;
}

static int push(char ***v, size_t *n, const char *s)
{
	char **nv = xrealloc(*v, (*n + 2) * sizeof(char *));
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
	case E_PIDFD_SOCKET:
		f->o.pidfd_socket = arg;
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
		f->o.tty = true;
		return 0;
	case E_CONSOLE:
		f->o.console_socket = arg;
		return 0;
	case E_GIDS:
		return push_gids(f, arg);
	case E_LABEL:
		f->o.process_label = arg;
		return 0;
	case E_APPARMOR:
		f->o.apparmor = arg;
		return 0;
	case E_CGROUP:
		return push(&f->o.cgroups, &f->n_cgroups, arg);
	}
	return -1;
}

int cmd_exec(struct cli_globals *g, int argc, char **argv)
{
	return cli_exec(g, argc, argv, false, NULL);
}

int cli_exec(struct cli_globals *g, int argc, char **argv, bool user_groups_only, int *start_errno)
{
	static const struct option longopts[] = {
		{ "process", required_argument, NULL, E_PROCESS },
		{ "cwd", required_argument, NULL, E_CWD },
		{ "env", required_argument, NULL, E_ENV },
		{ "user", required_argument, NULL, E_USER },
		{ "detach", no_argument, NULL, E_DETACH },
		{ "pid-file", required_argument, NULL, E_PID_FILE },
		{ "pidfd-socket", required_argument, NULL, E_PIDFD_SOCKET },
		{ "no-new-privs", no_argument, NULL, E_NNP },
		{ "cap", required_argument, NULL, E_CAP },
		{ "preserve-fds", required_argument, NULL, E_PRESERVE },
		{ "ignore-paused", no_argument, NULL, E_IGNORE_PAUSED },
		{ "tty", no_argument, NULL, E_TTY },
		{ "console-socket", required_argument, NULL, E_CONSOLE },
		{ "additional-gids", required_argument, NULL, E_GIDS },
		{ "process-label", required_argument, NULL, E_LABEL },
		{ "apparmor", required_argument, NULL, E_APPARMOR },
		{ "cgroup", required_argument, NULL, E_CGROUP },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("exec");
	struct exec_flags f = { .o = { .root = g->root, .console_fd = -1, .user_groups_only = user_groups_only } };
	int code = 1, console[2] = { -1, -1 };
	int ind = cli_parse(cmd, argc, argv, "+p:e:u:dtg:c:", longopts, exec_flag, &f);
	if (ind < 0) {
		code = ind == -2 ? 0 : 1;
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
	/* In the foreground without --console-socket, hull is the console if the process wants a terminal. */
	if (!f.detach && f.o.console_socket == NULL) {
		if (cli_console_pair(console) < 0)
			goto out;
		f.o.console_fd = console[1];
	}
	hull_err err = NULL;
	pid_t pid = -1;
	int pidfd = -1, master = -1;
	bool terminal = false;
	int r = hull_exec(&f.o, &pid, &pidfd, &terminal, &err);
	if (console[1] >= 0)
		close(console[1]);
	if (r < 0) {
		/* runc's words ("exec failed: " before every error) and exit code, which engines know */
		if (start_errno)
			*start_errno = err ? err->errnum : 0;
		hull_err_prefix(&err, "exec failed");
		cli_fail(&err);
		code = 255;
		goto out;
	}
	if (terminal && console[0] >= 0 && (master = cli_tty_begin(console[0])) < 0) {
		kill(pid, SIGKILL);
		cli_wait_forwarding(pidfd, &forwarded, -1);
		close(pidfd);
		goto out;
	}
	code = f.detach ? 0 : cli_wait_forwarding(pidfd, &forwarded, master);
	close(pidfd);
out:
	if (console[0] >= 0)
		close(console[0]);
	free(f.o.env);
	free(f.o.caps);
	free(f.o.cgroups);
	free(f.o.additional_gids);
	return code;
}
