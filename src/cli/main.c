/* main.c - hull's entry point: global flags (runc's), logging, dispatch to one file per command.
 * Must never do a command's work itself. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cgroup/cgroup.h"
#include "config.h"
#include "linux/userns.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CREATE_FLAGS                                                                                             \
	"   --bundle, -b value       path to the root of the bundle directory (default: current directory)\n"      \
	"   --console-socket value   path to an AF_UNIX socket which will receive the pty master\n"                \
	"   --pid-file value         file to write the process id to\n"                                            \
	"   --no-pivot               do not use pivot_root to jail the process inside the rootfs\n"                 \
	"   --no-new-keyring         do not create a new session keyring for the container\n"                       \
	"   --preserve-fds value     pass N additional file descriptors to the container (default: 0)\n"        \
	"   --pidfd-socket value     path to an AF_UNIX socket which will receive a pidfd of the init\n"

const struct cli_command cli_commands[] = {
	{ "create", cmd_create, "create a container",
	  "Usage: hull create [command options] <container-id>\n\nCreate a container from a bundle; the process waits for `hull start`.\n\nOptions:\n" CREATE_FLAGS },
	{ "start", cmd_start, "executes the user defined process in a created container",
	  "Usage: hull start <container-id>\n" },
	{ "run", cmd_run, "create and run a container",
	  "Usage: hull run [command options] <container-id>\n\nOptions:\n" CREATE_FLAGS
	  "   --detach, -d             detach from the container's process\n"
	  "   --keep                   do not delete the container after it exits\n" },
	{ "exec", cmd_exec, "execute new process inside the container",
	  "Usage: hull exec [command options] <container-id> <command> [command options]  ||  -p process.json <container-id>\n\nOptions:\n"
	  "   --process value, -p value   path to a process.json (runtime-spec process object)\n"
	  "   --cwd value                 current working directory in the container\n"
	  "   --env value, -e value       set environment variables (repeatable)\n"
	  "   --user value, -u value      UID (format: <uid>[:<gid>])\n"
	  "   --detach, -d                detach from the container's process\n"
	  "   --pid-file value            file to write the process id to\n"
	  "   --pidfd-socket value        path to an AF_UNIX socket which will receive a pidfd of the process\n"
	  "   --no-new-privs              set the no new privileges value for the process\n"
	  "   --cap value, -c value       add a capability (repeatable; never inheritable)\n"
	  "   --preserve-fds value        pass N additional file descriptors to the process\n"
	  "   --ignore-paused             allow exec in a paused container\n"
	  "   --tty, -t                   allocate a pseudo-TTY\n"
	  "   --console-socket value      path to an AF_UNIX socket which will receive the pty master\n"
	  "   --additional-gids value, -g value  additional gids (repeatable, or a comma-separated list)\n"
	  "   --process-label value       set the SELinux label for the process\n"
	  "   --apparmor value            set the AppArmor profile for the process\n"
	  "   --cgroup value              run in a sub-cgroup of the container: [<controller>[,...]:]<path> (repeatable)\n" },
	{ "state", cmd_state, "output the state of a container", "Usage: hull state <container-id>\n" },
	{ "list", cmd_list, "lists containers started by hull with the given root",
	  "Usage: hull list [command options]\n\nOptions:\n"
	  "   --format value, -f value  select one of: table or json (default: \"table\")\n"
	  "   --quiet, -q               display only container IDs\n" },
	{ "kill", cmd_kill, "kill sends the specified signal (default: SIGTERM) to the container's init process",
	  "Usage: hull kill [command options] <container-id> [signal]\n\nOptions:\n"
	  "   --all, -a   send the signal to all processes inside the container\n" },
	{ "delete", cmd_delete, "delete any resources held by the container",
	  "Usage: hull delete [command options] <container-id>\n\nOptions:\n"
	  "   --force, -f   forcibly delete the container if it is still running (uses SIGKILL)\n" },
	{ "spec", cmd_spec, "create a new specification file",
	  "Usage: hull spec [command options]\n\nOptions:\n"
	  "   --bundle value, -b value  path to the root of the bundle directory\n"
	  "   --rootless                generate a configuration for a rootless container\n" },
	{ "features", cmd_features, "show the enabled features", "Usage: hull features\n" },
	{ "pause", cmd_pause, "suspend all processes inside the container", "Usage: hull pause <container-id>\n" },
	{ "resume", cmd_resume, "resume all processes that have been previously paused", "Usage: hull resume <container-id>\n" },
	{ "ps", cmd_ps, "ps displays the processes running inside a container",
	  "Usage: hull ps [command options] <container-id> [ps options]\n\nOptions:\n"
	  "   --format value, -f value  select one of: table or json (default: \"table\")\n" },
	{ "events", cmd_events, "display container events such as OOM notifications and cpu, memory and pids usage",
	  "Usage: hull events [command options] <container-id>\n\nOptions:\n"
	  "   --stats            display the container's stats then exit\n"
	  "   --interval value   set the stats collection interval (default: 5s)\n" },
	{ "update", cmd_update, "update container resource constraints",
	  "Usage: hull update [command options] <container-id>\n\nOptions:\n"
	  "   --resources value, -r value  path to a file with a linux.resources object, or - for stdin\n"
	  "   --memory value               memory limit (in bytes, or with k/m/g suffix)\n"
	  "   --memory-swap value          total memory usage (memory + swap); -1 for unlimited\n"
	  "   --memory-reservation value   memory reservation or soft limit\n"
	  "   --kernel-memory value        kernel memory limit (v1)\n"
	  "   --kernel-memory-tcp value    kernel memory limit for tcp buffers (v1)\n"
	  "   --cpu-shares value           CPU shares (relative weight)\n"
	  "   --cpu-quota value            CPU CFS quota in microseconds\n"
	  "   --cpu-period value           CPU CFS period in microseconds\n"
	  "   --cpu-rt-period value        CPU realtime period in microseconds\n"
	  "   --cpu-rt-runtime value       CPU realtime runtime in microseconds\n"
	  "   --cpu-idle value             1: the cgroup's CPU weight is the lowest (SCHED_IDLE), 0: normal\n"
	  "   --cpuset-cpus value          CPUs to use (0-3, 0,1)\n"
	  "   --cpuset-mems value          memory nodes to use (0-3, 0,1)\n"
	  "   --pids-limit value           maximum number of pids; -1 for unlimited (0 is a limit of 0 for a\n"
	  "                                runtime-spec 1.3 config, no change for an older one)\n"
	  "   --blkio-weight value         block IO weight, 10 to 1000\n"
	  "   --l3-cache-schema value      the L3 line of the container's Intel RDT schemata (linux.intelRdt)\n"
	  "   --mem-bw-schema value        the MB line of the container's Intel RDT schemata (linux.intelRdt)\n" },
	{ "checkpoint", cmd_checkpoint, "checkpoint a running container",
	  "Usage: hull checkpoint [command options] <container-id>\n\nDump the container's processes with criu (which must be in PATH).\n\nOptions:\n"
	  "   --image-path value           path for saving criu image files (default: ./checkpoint)\n"
	  "   --work-path value            path for saving work files and logs (default: the image path)\n"
	  "   --parent-path value          path for previous criu image files in pre-dump, relative to the image path\n"
	  "   --leave-running              leave the process running after checkpointing\n"
	  "   --tcp-established            allow open tcp connections\n"
	  "   --ext-unix-sk                allow external unix sockets\n"
	  "   --shell-job                  allow shell jobs\n"
	  "   --file-locks                 handle file locks, for safety\n"
	  "   --pre-dump                   dump the container's memory information only, leave the container running\n"
	  "   --manage-cgroups-mode value  cgroups mode: soft (default), full, strict or ignore\n"
	  "   --auto-dedup                 enable auto deduplication of memory images\n"
	  "   --empty-ns value             create a namespace, but don't restore its properties (only network)\n"
	  "   --lazy-pages, --page-server value, --status-fd value   runc's: not supported\n" },
	{ "restore", cmd_restore, "restore a container from a previous checkpoint",
	  "Usage: hull restore [command options] <container-id>\n\nRestore a container from a bundle and criu's images (criu must be in PATH).\n\nOptions:\n"
	  "   --bundle value, -b value     path to the root of the bundle directory\n"
	  "   --image-path value           path to criu image files for restoring (default: ./checkpoint)\n"
	  "   --work-path value            path for saving work files and logs (default: the image path)\n"
	  "   --detach, -d                 detach from the container's process\n"
	  "   --pid-file value             file to write the process id to\n"
	  "   --console-socket value       path to an AF_UNIX socket which will receive the pty master\n"
	  "   --tcp-established            allow open tcp connections\n"
	  "   --ext-unix-sk                allow external unix sockets\n"
	  "   --shell-job                  allow shell jobs\n"
	  "   --file-locks                 handle file locks, for safety\n"
	  "   --manage-cgroups-mode value  cgroups mode: soft (default), full, strict or ignore\n"
	  "   --no-subreaper               accepted for runc compatibility\n"
	  "   --no-pivot                   accepted for runc compatibility\n"
	  "   --lsm-profile value          LSM profile of the restored processes (type:label)\n"
	  "   --lsm-mount-context value    LSM mount context of the restored mounts\n"
	  "   --auto-dedup                 enable auto deduplication of memory images\n"
	  "   --empty-ns value             create a namespace, but don't restore its properties (only network)\n"
	  "   --lazy-pages                 runc's: not supported\n" },
	{ "container", cmd_container, "run and manage containers made from images: run, ps, logs, exec, stop, rm",
	  "Usage: hull container [--storage DIR] COMMAND [command options] [arguments...]\n\nSee `hull container --help` for its commands.\n" },
	{ "image", cmd_image, "manage images: pull, ls, inspect, rm, prune, tag, bundle",
	  "Usage: hull image [--storage DIR] COMMAND [command options] [arguments...]\n\nSee `hull image --help` for its commands.\n" },
	{ "login", cmd_login, "log in to a container registry",
	  "Usage: hull login [command options] <registry>\n\nCheck the credentials with the registry, then store them in auth.json (podman's format and\n"
	  "default file: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json). Errors exit with 125, as podman's.\n\nOptions:\n"
	  "   --username value, -u value   username (asked for on a terminal when missing)\n"
	  "   --password value, -p value   password (asked for on a terminal when missing)\n"
	  "   --password-stdin             read the password from stdin\n"
	  "   --authfile value             path of the auth.json to write\n"
	  "   --tls-verify=false           allow plain http and unverified https to the registry\n"
	  "   --cert-dir value             CA files (*.crt) and client certificate (*.cert, *.key) for the registry\n" },
	{ "logout", cmd_logout, "log out of a container registry",
	  "Usage: hull logout [command options] <registry>\n\nRemove the registry's credentials from auth.json.\n\nOptions:\n"
	  "   --authfile value   path of the auth.json to change\n"
	  "   --all, -a          remove the credentials of every registry\n" },
	{ NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_command_get(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	abort();
}

static struct cli_globals globals;
static FILE *log_file;

/* msg as logrus's text format quotes it (Go's strconv.Quote): a tool reading runc's text log
 * un-quotes `msg="..."`, so a '"' in the message must not end it. */
static void write_quoted(FILE *f, const char *msg)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c == '\t')
			fputs("\\t", f);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\x%02x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

static void write_log_line(FILE *f, bool json, const char *level, const char *msg)
{
	char ts[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "level", json_object_new_string(level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(ts));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_OUT_FLAGS));
		json_object_put(o);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=", ts, level);
		write_quoted(f, msg);
		fputc('\n', f);
	}
	fflush(f);
}

static void log_sink(const char *level, const char *msg)
{
	if (strcmp(level, "debug") != 0 || globals.debug)
		fprintf(stderr, "hull: %s%s%s\n", strcmp(level, "error") == 0 ? "" : level,
			strcmp(level, "error") == 0 ? "" : ": ", msg);
	if (log_file)
		write_log_line(log_file, globals.log_json, level, msg);
}

int cli_fail(hull_err *err)
{
	log_sink("error", err && *err ? (*err)->msg : "unknown error");
	hull_err_free(err);
	return 1;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	log_sink("error", msg);
	free(msg);
	return 1;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
	      cli_opt_handler handle, void *data)
{
	/* every command takes --help/-h; build the combined tables */
	size_t nlong = 0;
	while (longopts && longopts[nlong].name)
		nlong++;
	_cleanup_free_ struct option *all = xcalloc(nlong + 2, sizeof(struct option));
	if (nlong)
		memcpy(all, longopts, nlong * sizeof(struct option));
	all[nlong] = (struct option){ "help", no_argument, NULL, 'h' };
	/* a leading '+' (stop at the first argument) must stay first */
	bool stop = shortopts && shortopts[0] == '+';
	_cleanup_free_ char *shorts = xasprintf("%s:%sh", stop ? "+" : "", shortopts ? shortopts + stop : "");
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long_only(argc, argv, shorts, all, NULL)) != -1) {
		if (opt == 'h') {
			cli_print_help(cmd, stdout);
			return -2;
		}
		if (opt == '?') {
			cli_failf("%s: flag provided but not defined: %s", cmd->name, argv[optind - 1]);
			return -1;
		}
		if (opt == ':') {
			cli_failf("%s: flag needs an argument: %s", cmd->name, argv[optind - 1]);
			return -1;
		}
		if (handle(opt, optarg, data) < 0)
			return -1;
	}
	return optind;
}

int cli_no_flags(int opt, const char *arg, void *data)
{
	(void)opt, (void)arg, (void)data;
	return -1;
}

int cli_want_args(const struct cli_command *cmd, int argc, int optind, int min, int max)
{
	int n = argc - optind;
	if (n < min || n > max) {
		if (min == max)
			cli_failf("\"%s\" requires exactly %d argument(s)", cmd->name, min);
		else
			cli_failf("\"%s\" requires %d to %d arguments", cmd->name, min, max);
		return -1;
	}
	return 0;
}

int cli_print_json(json_object *o, bool pretty)
{
	int flags = JSON_OUT_FLAGS | (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
	printf("%s\n", json_object_to_json_string_ext(o, flags));
	return fflush(stdout) == 0 ? 0 : 1;
}

int cli_parse_bool(const char *flag, const char *arg, bool *out)
{
	if (arg == NULL || strcmp(arg, "true") == 0)
		*out = true;
	else if (strcmp(arg, "false") == 0)
		*out = false;
	else
		return cli_failf("invalid value \"%s\" for flag %s: true or false", arg, flag), -1;
	return 0;
}

int cli_parse_int(const char *flag, const char *s, int min, int max, int *out)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		cli_failf("invalid value \"%s\" for flag %s", s, flag);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* What this build has, as crun's --version lists it: systemd's cgroup driver (sd-bus, loaded when used),
 * AppArmor exec profiles, capabilities, seccomp (libseccomp), eBPF device filters, checkpoint/restore
 * (through the criu binary), idmapped mounts, JSON through json-c. tests/integration/version.bats holds
 * each to what `features` and a container show. */
#define BUILD_FEATURES "+SYSTEMD +APPARMOR +CAP +SECCOMP +EBPF +CRIU +IDMAP +JSONC"

/* runc's help is urfave/cli's layout (NAME:, then "   runc COMMAND - summary"), which people and scripts
 * read; hull prints its own text in it. */
static void usage(FILE *f)
{
	fprintf(f, "NAME:\n   hull - an OCI container runtime\n\n"
		   "USAGE:\n   hull [global options] command [command options] [arguments...]\n\n"
		   "VERSION:\n   %s\ncommit: %s\nspec: %s\n\nCOMMANDS:\n",
		HULL_VERSION, HULL_COMMIT, HULL_OCI_VERSION);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "   %-10s %s\n", c->name, c->summary);
	fprintf(f, "   %-10s %s\n", "help, h", "shows a list of commands or help for one command");
	fprintf(f, "\nGLOBAL OPTIONS:\n"
		   "   --root value        root directory for storage of container state (default: /run/hull)\n"
		   "   --log value         log file (default: stderr only)\n"
		   "   --log-format value  text or json (default: text)\n"
		   "   --debug             enable debug output\n"
		   "   --systemd-cgroup    place containers in transient systemd scopes (cgroup v2)\n"
		   "   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")\n"
		   "   --storage value     the image store of `hull image` (default: /var/lib/hull)\n"
		   "   --version, -v       print the version\n"
		   "   --help, -h          show help\n");
}

#define USAGE_LINE "Usage: "
#define USAGE_OPTIONS "Options:\n"

void cli_print_help(const struct cli_command *c, FILE *f)
{
	const char *u = c->usage;
	if (strncmp(u, USAGE_LINE, strlen(USAGE_LINE)) == 0)
		u += strlen(USAGE_LINE);
	const char *eol = strchrnul(u, '\n');
	fprintf(f, "NAME:\n   hull %s - %s\n\nUSAGE:\n   %.*s\n", c->name, c->summary, (int)(eol - u), u);
	/* the description: what lies between the usage line and "Options:", printed as it is (as urfave does) */
	const char *desc = *eol ? eol + 1 : eol, *opts = strstr(desc, USAGE_OPTIONS);
	const char *desc_end = opts ? opts : desc + strlen(desc);
	while (desc < desc_end && *desc == '\n')
		desc++;
	while (desc_end > desc && desc_end[-1] == '\n')
		desc_end--;
	if (desc_end > desc)
		fprintf(f, "\n%.*s\n", (int)(desc_end - desc), desc);
	if (opts)
		fprintf(f, "\nOPTIONS:\n%s", opts + strlen(USAGE_OPTIONS));
}

/* runc's (urfave's) answer for a command it does not have, with urfave's exit code 3 */
static int no_help_topic(const char *name)
{
	cli_failf("No help topic for '%s'", name);
	return 3;
}

/* `hull help [COMMAND]`, `hull h [COMMAND]` */
static int help_command(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			cli_print_help(c, stdout);
			return 0;
		}
	return no_help_topic(argv[1]);
}

/* Is this a user's hull (as runc decides where its state goes)? Not root, or root of a user namespace a
 * user made (rootless podman runs the runtime there, with XDG_RUNTIME_DIR and USER kept). */
static bool users_hull(void)
{
	if (geteuid() != 0)
		return true;
	const char *user = getenv("USER");
	return getenv("XDG_RUNTIME_DIR") && userns_nested() && (user == NULL || strcmp(user, "root") != 0);
}

/* A user's: $XDG_RUNTIME_DIR/hull whole, never cut to fit a buffer (a cut root is another directory); with
 * no XDG_RUNTIME_DIR (su, runuser), the user's /run/user/UID when it is theirs, as pam_systemd makes it.
 * Lives as long as the process. */
static const char *default_root(void)
{
	static char *buf;
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	uid_t uid = geteuid();
	if (buf || !users_hull())
		return buf ? buf : "/run/hull";
	if (xdg && *xdg) {
		buf = xasprintf("%s/hull", xdg);
		return buf;
	}
	_cleanup_free_ char *run_user = xasprintf("/run/user/%u", uid);
	struct stat st;
	if (stat(run_user, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid)
		return buf = xasprintf("%s/hull", run_user);
	return "/run/hull";
}

enum { G_ROOT = 1000, G_LOG, G_LOG_FORMAT, G_DEBUG, G_SYSTEMD, G_ROOTLESS, G_CRIU, G_STORAGE };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, G_ROOT },
		{ "log", required_argument, NULL, G_LOG },
		{ "log-format", required_argument, NULL, G_LOG_FORMAT },
		{ "debug", no_argument, NULL, G_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, G_SYSTEMD },
		{ "rootless", required_argument, NULL, G_ROOTLESS },
		{ "criu", required_argument, NULL, G_CRIU },
		{ "storage", required_argument, NULL, G_STORAGE },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* a hook or reader that goes away must not kill us mid-operation; the container's init and hooks
	 * restore the default before exec */
	signal(SIGPIPE, SIG_IGN);
	globals.root = default_root();
	hull_log_set_sink(log_sink);
	const char *log_format = "text";
	opterr = 0;
	int opt;
	while ((opt = getopt_long_only(argc, argv, "+:vh", opts, NULL)) != -1) {
		switch (opt) {
		case G_ROOT:
			globals.root = optarg;
			break;
		case G_LOG:
			globals.log_path = optarg;
			break;
		case G_LOG_FORMAT:
			log_format = optarg;
			break;
		case G_DEBUG:
			globals.debug = true;
			hull_log_debug_enabled = 1;
			break;
		case G_SYSTEMD:
			globals.systemd_cgroup = true;
			break;
		case G_ROOTLESS: /* runc's: whether cgroup permission errors are ignored (cgroup.h) */
			if (strcmp(optarg, "true") == 0)
				globals.rootless = HULL_ROOTLESS_TRUE;
			else if (strcmp(optarg, "false") == 0)
				globals.rootless = HULL_ROOTLESS_FALSE;
			else if (strcmp(optarg, "auto") == 0)
				globals.rootless = HULL_ROOTLESS_AUTO;
			else
				return cli_failf("invalid value \"%s\" for flag --rootless: true, false or auto", optarg);
			break;
		case G_CRIU:
			break; /* accepted for runc compatibility */
		case G_STORAGE:
			globals.storage = optarg;
			break;
		case 'v':
			printf("hull version %s\ncommit: %s\nspec: %s\n%s\n", HULL_VERSION, HULL_COMMIT, HULL_OCI_VERSION,
			       BUILD_FEATURES);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return cli_failf("flag needs an argument: %s", argv[optind - 1]);
		default:
			return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
		}
	}
	if (globals.log_path) {
		log_file = fopen(globals.log_path, "ae");
		if (log_file == NULL)
			return cli_failf("open log file %s: %s", globals.log_path, hull_errtext(errno));
	}
	if (strcmp(log_format, "json") == 0)
		globals.log_json = true;
	else if (strcmp(log_format, "text") != 0)
		return cli_failf("invalid log-format \"%s\": must be text or json", log_format);
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	const char *name = argv[optind];
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(&globals, argc - optind, argv + optind);
	if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0)
		return help_command(argc - optind, argv + optind);
	return no_help_topic(name);
}
