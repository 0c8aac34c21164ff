/* login.c - `hull login` (credentials checked against the registry, then stored in auth.json) and `hull logout`,
 * with podman's flags, words and exit code 125. Must never print a password, nor store credentials the registry
 * has not accepted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "image/auth.h"
#include "image/registry.h"
#include "image/registry_internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

/* podman's exit code for an error of its own (podman(1): 125, "the error is with Podman itself") */
#define LOGIN_EXIT_FAILURE 125
/* A password read from stdin longer than this is not a password */
#define SECRET_MAX 8192

enum { L_AUTHFILE = 1000, L_TLS, L_CERTS, L_PASSWORD_STDIN };

struct login_flags {
	const char *user, *pass, *authfile, *certs_dir;
	bool tls_verify, password_stdin, all;
};

static int login_flag(int opt, const char *arg, void *data)
{
	struct login_flags *f = data;
	switch (opt) {
	case 'u': f->user = arg; return 0;
	case 'p': f->pass = arg; return 0;
	case 'a': f->all = true; return 0;
	case L_AUTHFILE: f->authfile = arg; return 0;
	case L_CERTS: f->certs_dir = arg; return 0;
	case L_PASSWORD_STDIN: f->password_stdin = true; return 0;
	case L_TLS: return cli_parse_bool("--tls-verify", arg, &f->tls_verify);
	}
	return -1;
}

/* One line from stdin without its newline (allocated), the terminal's echo off when `secret` */
static char *read_line(const char *prompt, bool secret)
{
	struct termios saved, quiet;
	bool restore = false;
	fputs(prompt, stdout);
	fflush(stdout);
	if (secret && tcgetattr(STDIN_FILENO, &saved) == 0) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fputc('\n', stdout);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/* All of stdin, trailing newlines dropped (podman's --password-stdin) */
static char *read_stdin_secret(void)
{
	char *buf = xmalloc(SECRET_MAX + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(STDIN_FILENO, buf + n, SECRET_MAX - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == SECRET_MAX)
			break;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

static void wipe(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
}

static int login_fail(hull_err *err)
{
	cli_fail(err);
	return LOGIN_EXIT_FAILURE;
}

int cmd_login(struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	static const struct option longopts[] = {
		{ "username", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "password-stdin", no_argument, NULL, L_PASSWORD_STDIN },
		{ "authfile", required_argument, NULL, L_AUTHFILE },
		{ "tls-verify", optional_argument, NULL, L_TLS },
		{ "cert-dir", required_argument, NULL, L_CERTS },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("login");
	struct login_flags f = { .tls_verify = true };
	int ind = cli_parse(cmd, argc, argv, "u:p:", longopts, login_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : LOGIN_EXIT_FAILURE;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return LOGIN_EXIT_FAILURE;
	if (f.pass && f.password_stdin) {
		cli_failf("--password and --password-stdin are mutually exclusive");
		return LOGIN_EXIT_FAILURE;
	}
	if (f.password_stdin && f.user == NULL) {
		cli_failf("--password-stdin needs --username");
		return LOGIN_EXIT_FAILURE;
	}
	_cleanup_free_ char *host = auth_key_host(argv[ind]);
	bool tty = isatty(STDIN_FILENO);
	_cleanup_free_ char *user = f.user ? xstrdup(f.user) : NULL, *pass = NULL;
	if (user == NULL && tty)
		user = read_line("Username: ", false);
	if (f.password_stdin)
		pass = read_stdin_secret();
	else if (f.pass)
		pass = xstrdup(f.pass);
	else if (tty)
		pass = read_line("Password: ", true);
	if (user == NULL || *user == '\0' || pass == NULL || *pass == '\0') {
		wipe(pass);
		cli_failf("logging into \"%s\": a username and a password are needed (--username, --password or "
			  "--password-stdin)", host);
		return LOGIN_EXIT_FAILURE;
	}
	_cleanup_free_ char *creds = xasprintf("%s:%s", user, pass);
	struct registry_opts o = { .tls_verify = f.tls_verify, .certs_dir = f.certs_dir, .creds = creds };
	_cleanup_err_ hull_err err = NULL;
	_cleanup_registry_ struct registry *r = NULL;
	int ret = 0;
	if (registry_open(&r, host, &o, &err) < 0 || registry_check_auth(r, &err) < 0)
		ret = hull_err_prefix(&err, "logging into \"%s\"", host);
	else if (auth_store(host, f.authfile, user, pass, &err) < 0)
		ret = -1;
	wipe(creds);
	wipe(pass);
	if (ret < 0)
		return login_fail(&err);
	printf("Login Succeeded!\n");
	return 0;
}

int cmd_logout(struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	static const struct option longopts[] = {
		{ "authfile", required_argument, NULL, L_AUTHFILE },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("logout");
	struct login_flags f = { 0 };
	int ind = cli_parse(cmd, argc, argv, "a", longopts, login_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : LOGIN_EXIT_FAILURE;
	if (cli_want_args(cmd, argc, ind, f.all ? 0 : 1, f.all ? 0 : 1) < 0)
		return LOGIN_EXIT_FAILURE;
	_cleanup_free_ char *host = f.all ? NULL : auth_key_host(argv[ind]);
	_cleanup_err_ hull_err err = NULL;
	int r = auth_remove(host, f.authfile, f.all, &err);
	if (r < 0)
		return login_fail(&err);
	if (f.all) {
		printf("Removed login credentials for all registries\n");
		return 0;
	}
	if (r == 1) {
		cli_failf("not logged into %s", host);
		return LOGIN_EXIT_FAILURE;
	}
	printf("Removed login credentials for %s\n", host);
	return 0;
}
