/* container_run.c - `hull container run|create [flags] IMAGE [COMMAND [ARG...]]`: Docker's and podman's flags, the
 * image pulled when missing, the container made, then (run) started under its monitor and, in the foreground,
 * attached until it exits. Must never read a flag after IMAGE: what follows belongs to the command. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/container_verbs.h"
#include "engine/runspec.h"
#include "image/image.h"
#include "monitor/attach.h"
#include "monitor/monitor.h"
#include "util/cleanup.h"
#include "util/signals.h"
#include "util/xalloc.h"

/* engine flags count up from 5000; runspec's are handed over by name */
enum { R_DETACH = 'd', R_INTERACTIVE = 'i', R_TTY = 't', R_PUBLISH = 'p', R_ENV = 'e', R_WORKDIR = 'w',
       R_USER = 'u', R_VOLUME = 'v', R_MEMORY = 'm', R_LABEL = 'l', R_HOSTNAME = 4999,
       R_NAME = 5000, R_RM, R_NETWORK, R_RESTART, R_LOG_OPT, R_RUNTIME, R_STOP_TIMEOUT, R_SIG_PROXY, R_PULL,
       R_SPEC /* + index into spec_flags */ };

/* flags that runspec_flag takes, by their long name */
static const char *const spec_flags[] = { "entrypoint", "mount",  "tmpfs", "read-only", "cap-add",  "cap-drop",
					  "security-opt", "privileged", "device", "cpus", "pids-limit", "init",
					  "uidmap", "gidmap", "stop-signal", "env-file" };
#define N_SPEC_FLAGS (sizeof(spec_flags) / sizeof(spec_flags[0]))
static const bool spec_flag_bool[N_SPEC_FLAGS] = { [3] = true, [7] = true, [11] = true };

struct run_flags {
	struct run_spec spec;
	struct ctr_record rec;
	const char *name;
	bool detach, sig_proxy, set_stop_signal;
	const char *network;
	hull_err err;
};

static int restart_parse(const char *s, struct ctr_record *r)
{
	static const char *const names[] = { "no", "on-failure", "always", "unless-stopped" };
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0) {
			r->restart = (enum restart_policy)i;
			if (colon && (i != RESTART_ON_FAILURE || cli_parse_int("--restart", colon + 1, 0, 1 << 30, &r->restart_max) < 0))
				return -1;
			return 0;
		}
	return -1;
}

static int log_opt_parse(const char *s, struct ctr_record *r)
{
	if (strncmp(s, "max-size=", 9) == 0)
		return runspec_parse_bytes(s + 9, &r->log_max_size);
	if (strncmp(s, "max-file=", 9) == 0)
		return cli_parse_int("--log-opt max-file", s + 9, 1, 1000, &r->log_max_files);
	return -1;
}

/* --runtime NAME|PATH: the absolute path of an executable (a name is looked for in $PATH, as podman does) */
static char *runtime_path(const char *arg)
{
	if (strchr(arg, '/'))
		return arg[0] == '/' && access(arg, X_OK) == 0 ? xstrdup(arg) : NULL;
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", dir, arg);
		if (dir[0] == '/' && access(full, X_OK) == 0)
			return full;
		free(full);
	}
	return NULL;
}

static int run_flag(int opt, const char *arg, void *data)
{
	struct run_flags *f = data;
	struct run_spec *sp = &f->spec;
	switch (opt) {
	case R_DETACH:
		f->detach = true;
		return 0;
	case R_INTERACTIVE:
		f->rec.interactive = true;
		return runspec_flag(sp, "interactive", NULL, &f->err);
	case R_TTY:
		f->rec.tty = true;
		return runspec_flag(sp, "tty", NULL, &f->err);
	case R_ENV:
		return runspec_flag(sp, "env", arg, &f->err);
	case R_WORKDIR:
		return runspec_flag(sp, "workdir", arg, &f->err);
	case R_USER:
		return runspec_flag(sp, "user", arg, &f->err);
	case R_VOLUME:
		return runspec_flag(sp, "volume", arg, &f->err);
	case R_MEMORY:
		return runspec_flag(sp, "memory", arg, &f->err);
	case R_HOSTNAME:
		return runspec_flag(sp, "hostname", arg, &f->err);
	case R_LABEL:
		return runspec_flag(sp, "label", arg, &f->err);
	case R_NAME:
		f->name = arg;
		return 0;
	case R_RM:
		f->rec.auto_remove = true;
		return 0;
	case R_NETWORK:
		f->network = arg;
		return 0;
	case R_PUBLISH: {
		struct port_map pm;
		if (port_map_parse(arg, &pm, &f->err) < 0)
			return -1;
		f->rec.ports = xreallocarray(f->rec.ports, f->rec.n_ports + 1, sizeof(pm));
		f->rec.ports[f->rec.n_ports++] = pm;
		return 0;
	}
	case R_RESTART:
		if (restart_parse(arg, &f->rec) < 0)
			return hull_fail_code(&f->err, EINVAL, "invalid restart policy \"%s\": want no, on-failure[:N], always or unless-stopped", arg);
		return 0;
	case R_LOG_OPT:
		if (log_opt_parse(arg, &f->rec) < 0)
			return hull_fail_code(&f->err, EINVAL, "invalid --log-opt \"%s\": want max-size=SIZE or max-file=N", arg);
		return 0;
	case R_RUNTIME:
		free(f->rec.runtime);
		f->rec.runtime = runtime_path(arg);
		if (f->rec.runtime == NULL)
			return hull_fail_code(&f->err, ENOENT, "--runtime %s: no such executable (a path, or a name in $PATH)", arg);
		return 0;
	case R_STOP_TIMEOUT:
		return cli_parse_int("--stop-timeout", arg, 0, 1 << 30, &f->rec.stop_timeout);
	case R_SIG_PROXY:
		return cli_parse_bool("--sig-proxy", arg, &f->sig_proxy);
	case R_PULL:
		return 0;
	default:
		if (opt >= R_SPEC && opt < R_SPEC + (int)N_SPEC_FLAGS) {
			const char *name = spec_flags[opt - R_SPEC];
			if (strcmp(name, "stop-signal") == 0) {
				int sig = signal_parse(arg);
				if (sig <= 0)
					return hull_fail_code(&f->err, EINVAL, "invalid signal: %s", arg);
				f->rec.stop_signal = sig;
				f->set_stop_signal = true;
			}
			return runspec_flag(sp, name, arg, &f->err);
		}
		return -1;
	}
}

static int parse(struct cli_globals *g, const char *verb, int argc, char **argv, struct run_flags *f)
{
	(void)g;
	struct option longs[64] = {
		{ "detach", no_argument, NULL, R_DETACH },	    { "interactive", no_argument, NULL, R_INTERACTIVE },
		{ "tty", no_argument, NULL, R_TTY },		    { "publish", required_argument, NULL, R_PUBLISH },
		{ "env", required_argument, NULL, R_ENV },	    { "workdir", required_argument, NULL, R_WORKDIR },
		{ "user", required_argument, NULL, R_USER },	    { "volume", required_argument, NULL, R_VOLUME },
		{ "memory", required_argument, NULL, R_MEMORY },    { "hostname", required_argument, NULL, R_HOSTNAME },
		{ "label", required_argument, NULL, R_LABEL },	    { "name", required_argument, NULL, R_NAME },
		{ "rm", no_argument, NULL, R_RM },		    { "network", required_argument, NULL, R_NETWORK },
		{ "net", required_argument, NULL, R_NETWORK },	    { "restart", required_argument, NULL, R_RESTART },
		{ "log-opt", required_argument, NULL, R_LOG_OPT },  { "runtime", required_argument, NULL, R_RUNTIME },
		{ "stop-timeout", required_argument, NULL, R_STOP_TIMEOUT },
		{ "sig-proxy", optional_argument, NULL, R_SIG_PROXY }, { "pull", required_argument, NULL, R_PULL },
	};
	size_t n = 0;
	while (longs[n].name)
		n++;
	for (size_t i = 0; i < N_SPEC_FLAGS; i++)
		longs[n++] = (struct option){ spec_flags[i], spec_flag_bool[i] ? no_argument : required_argument, NULL,
					      R_SPEC + (int)i };
	longs[n] = (struct option){ 0 };
	int ind = container_verb_parse(verb, argc, argv, "+ditp:e:w:u:v:m:l:", longs, run_flag, f, 1, -1, &f->err);
	if (ind < 0)
		return ind;
	f->rec.image = xstrdup(argv[ind]);
	if (ind + 1 < argc) {
		f->spec.command = xcalloc((size_t)(argc - ind), sizeof(char *));
		for (int i = ind + 1; i < argc; i++)
			f->spec.command[i - ind - 1] = xstrdup(argv[i]);
	}
	return ind;
}

static int net_mode(const char *s, enum net_mode *out, hull_err *err)
{
	static const char *const names[] = { [NET_NONE] = "none", [NET_HOST] = "host", [NET_BRIDGE] = "bridge" };
	if (s == NULL) {
		*out = NET_BRIDGE;
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum net_mode)i;
			return 0;
		}
	return hull_fail_code(err, EINVAL, "unable to find network with name or ID %s: network not found", s);
}

/* The image, pulled from its registry when the store lacks it (as `docker run` does). */
static int open_image(struct engine *e, const char *ref, struct image *img, hull_err *err)
{
	if (image_open(e->store, ref, img, err) == 0)
		return 0;
	if ((*err)->errnum != ENOENT)
		return -1;
	hull_err_free(err);
	struct pull_opts po = { .registry = { .tls_verify = true }, .log = stderr };
	struct digest id;
	if (image_pull(e->store, ref, &po, &id, err) < 0)
		return -1;
	return image_open(e->store, digest_text(&id), img, err);
}

static void flags_clear(struct run_flags *f)
{
	runspec_clear(&f->spec);
	ctr_record_clear(&f->rec);
	hull_err_free(&f->err);
}

/* create's part of both verbs: the container, owned by us */
static int make(struct cli_globals *g, const char *verb, int argc, char **argv, struct engine *e, struct run_flags *f,
		struct ctr *c)
{
	*f = (struct run_flags){ .sig_proxy = true };
	f->rec.stop_signal = SIGTERM;
	f->rec.stop_timeout = 10;
	f->rec.log_max_files = 1;
	int ind = parse(g, verb, argc, argv, f);
	if (ind < 0)
		return ind == -2 ? 0 : f->err ? container_fail(&f->err) : EXIT_ENGINE; /* -3: said already */
	if (net_mode(f->network, &f->rec.net, &f->err) < 0 || engine_open(e, g->storage, &f->err) < 0)
		return container_fail(&f->err);
	_cleanup_image_ struct image img = { 0 };
	if (open_image(e, f->rec.image, &img, &f->err) < 0)
		return container_fail(&f->err);
	memcpy(f->rec.image_id, img.record->id.hex, sizeof(f->rec.image_id));
	if (!f->set_stop_signal && img.config->stop_signal) {
		int sig = signal_parse(img.config->stop_signal);
		if (sig > 0)
			f->rec.stop_signal = sig;
	}
	if (ctr_create(e, f->name, &f->rec, &img, &f->spec, c, &f->err) < 0)
		return container_fail(&f->err);
	return 1;
}

int container_create_cmd(struct cli_globals *g, int argc, char **argv)
{
	struct engine e = { .dirfd = -1 };
	struct run_flags f;
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	int r = make(g, "create", argc, argv, &e, &f, &c);
	if (r == 1) {
		printf("%s\n", c.rec.id);
		r = 0;
	}
	flags_clear(&f);
	ctr_clear(&c);
	engine_close(&e);
	return r;
}

int container_run_cmd(struct cli_globals *g, int argc, char **argv)
{
	struct engine e = { .dirfd = -1 };
	struct run_flags f;
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	int r = make(g, "run", argc, argv, &e, &f, &c);
	if (r != 1)
		goto out;
	int pair[2] = { -1, -1 };
	if (!f.detach && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		r = container_failf("attach: %s", strerror(errno));
		goto out;
	}
	if (monitor_start(&e, &c, pair[1], &f.err) < 0) {
		if (pair[0] >= 0)
			close(pair[0]);
		/* a container that never ran: Docker keeps it (Created); with --rm it goes */
		if (c.rec.auto_remove) {
			hull_err rerr = NULL;
			c.lock = ctr_own(&c, true, &rerr);
			ctr_remove(&e, &c, true, &rerr);
			hull_err_free(&rerr);
		}
		r = container_exec_fail(&f.err);
		goto out;
	}
	if (f.detach) {
		printf("%s\n", c.rec.id);
		r = 0;
		goto out;
	}
	r = attach_relay(pair[0], c.rec.interactive, c.rec.tty, f.sig_proxy, &f.err);
	close(pair[0]);
	if (r < 0)
		r = container_fail(&f.err);
out:
	flags_clear(&f);
	ctr_clear(&c);
	engine_close(&e);
	return r;
}
