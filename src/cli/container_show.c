/* container_show.c - the `hull container` verbs that only look: ls (Docker's table, podman's JSON), inspect, logs,
 * top, stats. Must never change a container: what looks dead is shown as such, repairs are the engine's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/container_verbs.h"
#include "cli/container_show.h"
#include "cli/table.h"
#include "container.h"
#include "monitor/log.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define STATS_SAMPLE_MS 200

static time_t parse_rfc3339(const char *s)
{
	struct tm tm = { 0 };
	if (s == NULL || *s == '\0' || strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

/* go-units' HumanDuration, which Docker's STATUS and CREATED columns use */
static const char *human_duration(time_t secs, char *buf, size_t size)
{
	if (secs < 1)
		return "Less than a second";
	if (secs == 1)
		return "1 second";
	if (secs < 60)
		snprintf(buf, size, "%ld seconds", (long)secs);
	else if (secs / 60 == 1)
		return "About a minute";
	else if (secs < 3600)
		snprintf(buf, size, "%ld minutes", (long)secs / 60);
	else if ((secs + 1800) / 3600 == 1)
		return "About an hour";
	else if (secs < 48 * 3600)
		snprintf(buf, size, "%ld hours", (long)(secs + 1800) / 3600);
	else if (secs < 7 * 24 * 3600 * 2)
		snprintf(buf, size, "%ld days", (long)secs / (24 * 3600));
	else if (secs < 30 * 24 * 3600 * 3)
		snprintf(buf, size, "%ld weeks", (long)secs / (7 * 24 * 3600));
	else if (secs < 365 * 24 * 3600 * 2)
		snprintf(buf, size, "%ld months", (long)secs / (30 * 24 * 3600));
	else
		snprintf(buf, size, "%ld years", (long)secs / (365 * 24 * 3600));
	return buf;
}

/* The state to show: a "running" one whose monitor and init are both gone exited (code unknown). */
static enum ctr_state shown_state(struct engine *e, struct ctr *c)
{
	if (c->status.state == CTR_RUNNING && !ctr_owned(c) && !ctr_init_alive(e, c))
		return CTR_EXITED;
	return c->status.state;
}

static void status_text(struct engine *e, struct ctr *c, char *buf, size_t size)
{
	char d[64];
	time_t now = time(NULL);
	switch (shown_state(e, c)) {
	case CTR_RUNNING:
		snprintf(buf, size, "Up %s", human_duration(now - parse_rfc3339(c->status.started), d, sizeof(d)));
		break;
	case CTR_EXITED:
		snprintf(buf, size, "Exited (%d) %s ago", c->status.exit_code,
			 human_duration(now - parse_rfc3339(c->status.finished), d, sizeof(d)));
		break;
	case CTR_REMOVING:
		snprintf(buf, size, "Removal In Progress");
		break;
	default:
		snprintf(buf, size, "Created");
	}
}

static char *command_text(char **argv, bool trunc)
{
	size_t len = 0;
	for (char **a = argv; a && *a; a++)
		len += strlen(*a) + 1;
	char *s = xcalloc(len + 1, 1);
	for (char **a = argv; a && *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	if (trunc && strlen(s) > 20)
		strcpy(s + 19, "…");
	return s;
}

static json_object *ports_json(const struct ctr_record *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->n_ports; i++) {
		json_object *p = json_object_new_object();
		json_object_object_add(p, "host_ip", json_object_new_string(r->ports[i].host_ip));
		json_object_object_add(p, "host_port", json_object_new_int(r->ports[i].host_port));
		json_object_object_add(p, "container_port", json_object_new_int(r->ports[i].container_port));
		json_object_object_add(p, "protocol", json_object_new_string(r->ports[i].proto));
		json_object_array_add(a, p);
	}
	return a;
}

static void ports_text(const struct ctr_record *r, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_ports; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s:%u->%u/%s", i ? ", " : "",
			 *r->ports[i].host_ip ? r->ports[i].host_ip : "0.0.0.0", r->ports[i].host_port,
			 r->ports[i].container_port, r->ports[i].proto);
	}
}

/* --- ls --- */

struct ls_flags {
	bool all, quiet, json, no_trunc;
	hull_err err;
};

enum { L_ALL = 'a', L_QUIET = 'q', L_FORMAT = 5300, L_NO_TRUNC };

static int ls_flag(int opt, const char *arg, void *data)
{
	struct ls_flags *f = data;
	switch (opt) {
	case L_ALL:
		f->all = true;
		return 0;
	case L_QUIET:
		f->quiet = true;
		return 0;
	case L_NO_TRUNC:
		f->no_trunc = true;
		return 0;
	case L_FORMAT:
		if (strcmp(arg, "json") == 0 || strcmp(arg, "table") == 0) {
			f->json = strcmp(arg, "json") == 0;
			return 0;
		}
		return hull_fail_code(&f->err, EINVAL, "--format \"%s\": want table or json", arg);
	}
	return -1;
}

static json_object *ls_entry(struct engine *e, struct ctr *c)
{
	char status[128];
	status_text(e, c, status, sizeof(status));
	enum ctr_state st = shown_state(e, c);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "Id", json_object_new_string(c->rec.id));
	json_object *names = json_object_new_array();
	json_object_array_add(names, json_object_new_string(c->rec.name));
	json_object_object_add(o, "Names", names);
	json_object_object_add(o, "Image", json_object_new_string(c->rec.image));
	json_object_object_add(o, "ImageID", json_object_new_string(c->rec.image_id));
	json_object_object_add(o, "Command", sj_new_strv((const char *const *)c->rec.command));
	json_object_object_add(o, "Created", json_object_new_int64(parse_rfc3339(c->rec.created)));
	json_object_object_add(o, "CreatedAt", json_object_new_string(c->rec.created));
	json_object_object_add(o, "State", json_object_new_string(ctr_state_names[st]));
	json_object_object_add(o, "Status", json_object_new_string(status));
	json_object_object_add(o, "ExitCode", json_object_new_int(st == CTR_EXITED ? c->status.exit_code : 0));
	json_object_object_add(o, "Exited", json_object_new_boolean(st == CTR_EXITED));
	json_object_object_add(o, "Pid", json_object_new_int(st == CTR_RUNNING ? c->status.pid : 0));
	json_object_object_add(o, "Ports", ports_json(&c->rec));
	json_object_object_add(o, "StartedAt", json_object_new_int64(parse_rfc3339(c->status.started)));
	json_object_object_add(o, "ExitedAt", json_object_new_int64(parse_rfc3339(c->status.finished)));
	json_object_object_add(o, "AutoRemove", json_object_new_boolean(c->rec.auto_remove));
	return o;
}

int container_ls(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "all", no_argument, NULL, L_ALL },
					       { "quiet", no_argument, NULL, L_QUIET },
					       { "format", required_argument, NULL, L_FORMAT },
					       { "no-trunc", no_argument, NULL, L_NO_TRUNC }, { 0 } };
	struct ls_flags f = { 0 };
	hull_err err = NULL;
	int ind = container_verb_parse("ls", argc, argv, "aq", longs, ls_flag, &f, 0, 0, &f.err);
	if (ind < 0)
		return ind == -2 ? 0 : f.err ? container_fail(&f.err) : EXIT_ENGINE;
	struct engine e = { .dirfd = -1 };
	if (engine_open(&e, g->storage, &err) < 0)
		return container_fail(&err);
	struct ctr *v = NULL;
	size_t n = 0;
	if (ctr_list(&e, &v, &n, &err) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	json_object *all = json_object_new_array();
	static const char *const heads[] = { "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES" };
	struct cli_table t;
	cli_table_init(&t, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < n; i++) {
		struct ctr *c = &v[i];
		if (!f.all && shown_state(&e, c) != CTR_RUNNING)
			continue;
		if (f.json) {
			json_object_array_add(all, ls_entry(&e, c));
			continue;
		}
		if (f.quiet) {
			printf("%.*s\n", f.no_trunc ? 64 : CTR_SHORT, c->rec.id);
			continue;
		}
		char status[128], created[64], ports[512], d[64];
		status_text(&e, c, status, sizeof(status));
		snprintf(created, sizeof(created), "%s ago", human_duration(time(NULL) - parse_rfc3339(c->rec.created), d, sizeof(d)));
		ports_text(&c->rec, ports, sizeof(ports));
		_cleanup_free_ char *cmd = command_text(c->rec.command, !f.no_trunc);
		_cleanup_free_ char *quoted = xasprintf("\"%s\"", cmd);
		char id[65];
		snprintf(id, sizeof(id), "%.*s", f.no_trunc ? 64 : CTR_SHORT, c->rec.id);
		const char *row[] = { id, c->rec.image, quoted, created, status, ports, c->rec.name };
		cli_table_row(&t, row);
	}
	/* Docker's: tabwriter with a minimum width of 10 and 3 spaces of padding */
	if (!f.json && !f.quiet)
		cli_table_print(&t, 10, 3);
	cli_table_free(&t);
	if (f.json)
		cli_print_json(all, true);
	json_object_put(all);
	ctr_list_free(v, n);
	engine_close(&e);
	return 0;
}

/* --- inspect --- */

static json_object *path_get(json_object *o, const char *const *keys)
{
	for (; o && *keys; keys++)
		if (!json_object_object_get_ex(o, *keys, &o))
			return NULL;
	return o;
}

/* a field of the runtime config (config.json, kept with the container) as a new object of inspect's; dflt when absent */
static json_object *spec_field(json_object *spec, const char *const *keys, json_object *dflt)
{
	json_object *v = path_get(spec, keys);
	if (!v)
		return dflt;
	json_object_put(dflt);
	return json_object_get(v);
}

/* an annotation of runspec's holding a JSON array of the flag's words as given (hull.cap-add), else [] */
static json_object *annotation_list(json_object *spec, const char *key)
{
	const char *const keys[] = { "annotations", key, NULL };
	const char *text = json_object_get_string(path_get(spec, keys));
	json_object *v = text ? json_tokener_parse(text) : NULL;
	if (json_object_is_type(v, json_type_array))
		return v;
	json_object_put(v);
	return json_object_new_array();
}

/* What Docker's and podman's inspect show of the run flags and the record does not keep: the process, the root and
 * the limits as the runtime config has them */
static void inspect_spec(struct ctr *c, json_object *cfg, json_object *host)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	_cleanup_err_ hull_err err = NULL;
	json_object *spec = NULL;
	if (c->dirfd >= 0 && fs_read_file_max(c->dirfd, "config.json", FS_INPUT_MAX, &text, &len, &err) == 0)
		spec = json_tokener_parse(text);
	static const char *const hostname[] = { "hostname", NULL }, *const env[] = { "process", "env", NULL },
				 *const cwd[] = { "process", "cwd", NULL }, *const user[] = { "annotations", "hull.user", NULL },
				 *const priv[] = { "annotations", "hull.privileged", NULL },
				 *const ro[] = { "root", "readonly", NULL },
				 *const mem[] = { "linux", "resources", "memory", "limit", NULL },
				 *const quota[] = { "linux", "resources", "cpu", "quota", NULL },
				 *const period[] = { "linux", "resources", "cpu", "period", NULL },
				 *const pids[] = { "linux", "resources", "pids", "limit", NULL };
	json_object_object_add(cfg, "Hostname", spec_field(spec, hostname, json_object_new_string("")));
	json_object_object_add(cfg, "Env", spec_field(spec, env, json_object_new_array()));
	json_object_object_add(cfg, "User", spec_field(spec, user, json_object_new_string("")));
	json_object_object_add(cfg, "WorkingDir", spec_field(spec, cwd, json_object_new_string("/")));
	json_object_object_add(host, "Privileged", json_object_new_boolean(path_get(spec, priv) != NULL));
	json_object_object_add(host, "ReadonlyRootfs", json_object_new_boolean(json_object_get_boolean(path_get(spec, ro))));
	json_object_object_add(host, "CapAdd", annotation_list(spec, "hull.cap-add"));
	json_object_object_add(host, "CapDrop", annotation_list(spec, "hull.cap-drop"));
	int64_t q = json_object_get_int64(path_get(spec, quota)), p = json_object_get_int64(path_get(spec, period));
	json_object_object_add(host, "Memory", spec_field(spec, mem, json_object_new_int64(0)));
	json_object_object_add(host, "NanoCpus", json_object_new_int64(q > 0 && p > 0 ? q * 1000000000 / p : 0));
	json_object_object_add(host, "CpuQuota", json_object_new_int64(q > 0 ? q : 0));
	json_object_object_add(host, "CpuPeriod", json_object_new_int64(p > 0 ? p : 0));
	json_object_object_add(host, "PidsLimit", spec_field(spec, pids, json_object_new_int64(0)));
	json_object_put(spec);
}

static json_object *inspect_one(struct engine *e, struct ctr *c)
{
	enum ctr_state st = shown_state(e, c);
	json_object *o = json_object_new_object(), *state = json_object_new_object(), *cfg = json_object_new_object(),
		    *host = json_object_new_object(), *net = json_object_new_object();
	json_object_object_add(o, "Id", json_object_new_string(c->rec.id));
	json_object_object_add(o, "Created", json_object_new_string(c->rec.created));
	json_object_object_add(o, "Path", json_object_new_string(c->rec.command[0] ? c->rec.command[0] : ""));
	json_object_object_add(o, "Args", sj_new_strv((const char *const *)(c->rec.command[0] ? c->rec.command + 1 : c->rec.command)));
	json_object_object_add(state, "Status", json_object_new_string(ctr_state_names[st]));
	json_object_object_add(state, "Running", json_object_new_boolean(st == CTR_RUNNING));
	json_object_object_add(state, "Paused", json_object_new_boolean(false));
	json_object_object_add(state, "Restarting", json_object_new_boolean(false));
	json_object_object_add(state, "OOMKilled", json_object_new_boolean(c->status.oom_killed));
	json_object_object_add(state, "Dead", json_object_new_boolean(false));
	json_object_object_add(state, "Pid", json_object_new_int(st == CTR_RUNNING ? c->status.pid : 0));
	json_object_object_add(state, "ExitCode", json_object_new_int(c->status.exit_code));
	/* Docker's and podman's time for "not yet": Go's zero time, which their clients parse ("" they do not) */
	static const char zero_time[] = "0001-01-01T00:00:00Z";
	json_object_object_add(state, "StartedAt", json_object_new_string(c->status.started[0] ? c->status.started : zero_time));
	json_object_object_add(state, "FinishedAt",
			       json_object_new_string(c->status.finished[0] ? c->status.finished : zero_time));
	json_object_object_add(o, "State", state);
	json_object_object_add(o, "Image", json_object_new_string(c->rec.image_id));
	json_object_object_add(o, "ImageName", json_object_new_string(c->rec.image));
	json_object_object_add(o, "Name", json_object_new_string(c->rec.name));
	json_object_object_add(o, "RestartCount", json_object_new_int(c->status.restarts));
	_cleanup_free_ char *rootfs = xasprintf("%s/rootfs", c->dir), *log = xasprintf("%s/ctr.log", c->dir);
	json_object_object_add(o, "Rootfs", json_object_new_string(rootfs));
	json_object_object_add(o, "LogPath", json_object_new_string(log));
	json_object_object_add(cfg, "Tty", json_object_new_boolean(c->rec.tty));
	json_object_object_add(cfg, "OpenStdin", json_object_new_boolean(c->rec.interactive));
	json_object_object_add(cfg, "Cmd", sj_new_strv((const char *const *)c->rec.command));
	json_object_object_add(cfg, "Image", json_object_new_string(c->rec.image));
	json_object_object_add(cfg, "StopSignal", json_object_new_int(c->rec.stop_signal));
	json_object_object_add(cfg, "StopTimeout", json_object_new_int(c->rec.stop_timeout));
	json_object_object_add(o, "Config", cfg);
	static const char *const restart[] = { "no", "on-failure", "always", "unless-stopped" };
	json_object *rp = json_object_new_object();
	json_object_object_add(rp, "Name", json_object_new_string(restart[c->rec.restart]));
	json_object_object_add(rp, "MaximumRetryCount", json_object_new_int(c->rec.restart_max));
	json_object_object_add(host, "RestartPolicy", rp);
	json_object_object_add(host, "AutoRemove", json_object_new_boolean(c->rec.auto_remove));
	static const char *const modes[] = { "none", "host", "bridge" };
	json_object_object_add(host, "NetworkMode", json_object_new_string(modes[c->rec.net]));
	json_object_object_add(host, "PortBindings", ports_json(&c->rec));
	json_object_object_add(host, "Runtime", json_object_new_string(c->rec.runtime ? c->rec.runtime : "hull"));
	inspect_spec(c, cfg, host);
	json_object_object_add(o, "HostConfig", host);
	json_object_object_add(net, "IPAddress", json_object_new_string(c->status.ip));
	json_object_object_add(net, "SandboxKey", json_object_new_string(c->status.netns));
	json_object_object_add(o, "NetworkSettings", net);
	return o;
}

int container_inspect(struct cli_globals *g, int argc, char **argv)
{
	hull_err err = NULL;
	int ind = container_verb_parse("inspect", argc, argv, "", NULL, cli_no_flags, NULL, 1, -1, &err);
	if (ind < 0)
		return ind == -2 ? 0 : err ? container_fail(&err) : EXIT_ENGINE;
	struct engine e = { .dirfd = -1 };
	if (engine_open(&e, g->storage, &err) < 0)
		return container_fail(&err);
	json_object *all = json_object_new_array();
	int rc = 0;
	for (int i = ind; i < argc; i++) {
		_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
		if (ctr_find(&e, argv[i], &c, &err) < 0) {
			rc = container_fail(&err);
			continue;
		}
		json_object_array_add(all, inspect_one(&e, &c));
	}
	cli_print_json(all, true);
	json_object_put(all);
	engine_close(&e);
	return rc;
}

/* --- logs --- */

struct logs_flags {
	bool follow, timestamps;
	int tail;
	hull_err err;
};

enum { G_FOLLOW = 'f', G_TIMESTAMPS = 't', G_TAIL = 5400 };

static int logs_flag(int opt, const char *arg, void *data)
{
	struct logs_flags *f = data;
	switch (opt) {
	case G_FOLLOW:
		f->follow = true;
		return 0;
	case G_TIMESTAMPS:
		f->timestamps = true;
		return 0;
	case G_TAIL:
		if (strcmp(arg, "all") == 0) {
			f->tail = -1;
			return 0;
		}
		return cli_parse_int("--tail", arg, 0, 1 << 30, &f->tail);
	}
	return -1;
}

struct follow_ctx {
	struct engine *e;
	struct ctr *c;
};

static bool log_done(void *arg)
{
	struct follow_ctx *fc = arg;
	return !ctr_owned(fc->c);
}

int container_logs(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "follow", no_argument, NULL, G_FOLLOW },
					       { "timestamps", no_argument, NULL, G_TIMESTAMPS },
					       { "tail", required_argument, NULL, G_TAIL }, { 0 } };
	struct logs_flags f = { .tail = -1 };
	int ind = container_verb_parse("logs", argc, argv, "ft", longs, logs_flag, &f, 1, 1, &f.err);
	if (ind < 0)
		return ind == -2 ? 0 : f.err ? container_fail(&f.err) : EXIT_ENGINE;
	hull_err err = NULL;
	struct engine e = { .dirfd = -1 };
	if (engine_open(&e, g->storage, &err) < 0)
		return container_fail(&err);
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	int rc = 0;
	if (ctr_find(&e, argv[ind], &c, &err) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	/* the monitor never holds the store: neither may a long follow */
	if (e.store->lockfd >= 0) {
		close(e.store->lockfd);
		e.store->lockfd = -1;
	}
	struct follow_ctx fc = { &e, &c };
	_cleanup_free_ char *path = xasprintf("%s/ctr.log", c.dir);
	struct log_read_opts o = { .tail = f.tail, .follow = f.follow, .timestamps = f.timestamps, .done = log_done,
				   .arg = &fc, .out_fd = STDOUT_FILENO, .err_fd = STDERR_FILENO };
	if (log_read(path, &o, &err) < 0 && err->errnum != ENOENT)
		rc = container_fail(&err);
	hull_err_free(&err);
	engine_close(&e);
	return rc;
}

/* --- top, stats --- */

int container_top(struct cli_globals *g, int argc, char **argv)
{
	hull_err err = NULL;
	int ind = container_verb_parse("top", argc, argv, "+", NULL, cli_no_flags, NULL, 1, -1, &err);
	if (ind < 0)
		return ind == -2 ? 0 : err ? container_fail(&err) : EXIT_ENGINE;
	struct engine e = { .dirfd = -1 };
	if (engine_open(&e, g->storage, &err) < 0)
		return container_fail(&err);
	_cleanup_ctr_ struct ctr c = { .dirfd = -1, .lock = -1 };
	pid_t *pids = NULL;
	size_t n = 0;
	if (ctr_find(&e, argv[ind], &c, &err) < 0 || hull_pids(e.runtime_root, c.rec.id, &pids, &n, &err) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	engine_close(&e);
	/* ps -f over the container's pids, as docker top shows them (ps options after the container replace -f) */
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += 12;
	char *list = xcalloc(len + 1, 1);
	for (size_t i = 0; i < n; i++)
		sprintf(list + strlen(list), "%s%d", i ? "," : "", (int)pids[i]);
	free(pids);
	char **args = xcalloc((size_t)(argc - ind) + 5, sizeof(char *));
	size_t k = 0;
	args[k++] = "ps";
	if (ind + 1 >= argc)
		args[k++] = "-f";
	for (int i = ind + 1; i < argc; i++)
		args[k++] = argv[i];
	args[k++] = "-p";
	args[k++] = n ? list : "0";
	args[k] = NULL;
	fflush(NULL);
	execvp("ps", args);
	return container_failf("top: ps: %s", strerror(errno));
}

/* libhull's stats object: runc's event's "data", wrapped in {"type":"stats","data":...} or not */
static json_object *stats_data(json_object *stats)
{
	json_object *d = NULL;
	return json_object_object_get_ex(stats, "data", &d) ? d : stats;
}

static double cpu_seconds(json_object *stats)
{
	json_object *d = stats_data(stats), *cpu = NULL, *usage = NULL, *total = NULL;
	if (json_object_object_get_ex(d, "cpu", &cpu) &&
	    json_object_object_get_ex(cpu, "usage", &usage) && json_object_object_get_ex(usage, "total", &total))
		return (double)json_object_get_uint64(total) / 1e9;
	return 0;
}

static uint64_t stat_u64(json_object *stats, const char *a, const char *b, const char *c)
{
	json_object *d = stats_data(stats), *x = NULL, *y = NULL, *z = NULL;
	if (json_object_object_get_ex(d, a, &x) &&
	    json_object_object_get_ex(x, b, &y) && (c == NULL ? (z = y) != NULL : json_object_object_get_ex(y, c, &z)))
		return json_object_get_uint64(z);
	return 0;
}

static void human_bytes(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0]))
		v /= 1024, u++;
	snprintf(buf, size, u ? "%.2f%s" : "%.0f%s", v, units[u]);
}

static int stats_flag(int opt, const char *arg, void *data)
{
	(void)arg, (void)data;
	return opt == 's' ? 0 : -1; /* --no-stream: the only way hull shows stats */
}

int container_stats(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longs[] = { { "no-stream", no_argument, NULL, 's' }, { 0 } };
	hull_err err = NULL;
	int ind = container_verb_parse("stats", argc, argv, "", longs, stats_flag, NULL, 0, -1, &err);
	if (ind < 0)
		return ind == -2 ? 0 : err ? container_fail(&err) : EXIT_ENGINE;
	struct engine e = { .dirfd = -1 };
	if (engine_open(&e, g->storage, &err) < 0)
		return container_fail(&err);
	struct ctr *v = NULL;
	size_t n = 0;
	if (ctr_list(&e, &v, &n, &err) < 0) {
		engine_close(&e);
		return container_fail(&err);
	}
	printf("%-15s%-20s%-10s%-25s%-10s%s\n", "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS");
	json_object **first = xcalloc(n ? n : 1, sizeof(json_object *));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool *want = xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		want[i] = ind >= argc;
		for (int k = ind; k < argc; k++)
			if (strcmp(argv[k], v[i].rec.name) == 0 || strncmp(v[i].rec.id, argv[k], strlen(argv[k])) == 0)
				want[i] = true;
		uint64_t oom;
		bool running;
		if (want[i] && hull_stats(e.runtime_root, v[i].rec.id, &first[i], &oom, &running, &err) < 0) {
			hull_err_free(&err);
			want[i] = false;
		}
	}
	struct timespec pause = { 0, STATS_SAMPLE_MS * 1000000L };
	nanosleep(&pause, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (size_t i = 0; i < n; i++) {
		json_object *second = NULL;
		uint64_t oom;
		bool running;
		if (!want[i] || hull_stats(e.runtime_root, v[i].rec.id, &second, &oom, &running, &err) < 0) {
			hull_err_free(&err);
			json_object_put(first[i]);
			continue;
		}
		double cpu = (cpu_seconds(second) - cpu_seconds(first[i])) / wall * 100;
		uint64_t mem = stat_u64(second, "memory", "usage", "usage"), lim = stat_u64(second, "memory", "usage", "limit");
		uint64_t pids = stat_u64(second, "pids", "current", NULL);
		struct sysinfo si;
		if (sysinfo(&si) == 0 && (lim == 0 || lim > (uint64_t)si.totalram * si.mem_unit))
			lim = (uint64_t)si.totalram * si.mem_unit; /* no limit: the host's memory, as Docker shows it */
		char m[32], l[32], ml[80], cpus[16], memp[16];
		human_bytes(mem, m, sizeof(m));
		human_bytes(lim, l, sizeof(l));
		snprintf(ml, sizeof(ml), "%s / %s", m, l);
		snprintf(cpus, sizeof(cpus), "%.2f%%", cpu);
		snprintf(memp, sizeof(memp), "%.2f%%", lim ? (double)mem * 100 / (double)lim : 0.0);
		printf("%-15.*s%-20s%-10s%-25s%-10s%lu\n", CTR_SHORT, v[i].rec.id, v[i].rec.name, cpus, ml, memp,
		       (unsigned long)pids);
		json_object_put(first[i]);
		json_object_put(second);
	}
	free(first);
	free(want);
	ctr_list_free(v, n);
	engine_close(&e);
	return 0;
}
