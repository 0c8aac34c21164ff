/* events.c - `hull events ID`: runc's stats and OOM events as JSON lines, once (--stats) or every --interval.
 * Must never outlive the container: the stream ends when it stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "container.h"

#define DEFAULT_INTERVAL_S 5
#define POLL_MS 100

struct events_flags {
	bool stats_once;
	int interval_ms;
};

static int events_flag(int opt, const char *arg, void *data)
{
	struct events_flags *f = data;
	if (opt == 's') {
		f->stats_once = true;
		return 0;
	}
	if (opt == 'i') {
		/* runc takes a Go duration: 5s, 500ms, 1m */
		char *end = NULL;
		double v = strtod(arg, &end);
		double scale = 1000;
		if (end && strcmp(end, "ms") == 0)
			scale = 1;
		else if (end && strcmp(end, "m") == 0)
			scale = 60000;
		else if (end && *end && strcmp(end, "s") != 0)
			v = -1;
		if (end == arg || v <= 0) {
			cli_failf("invalid --interval \"%s\"", arg);
			return -1;
		}
		f->interval_ms = (int)(v * scale);
		return 0;
	}
	return -1;
}

static void emit(const char *type, const char *id, json_object *data)
{
	json_object *e = json_object_new_object();
	json_object_object_add(e, "type", json_object_new_string(type));
	json_object_object_add(e, "id", json_object_new_string(id));
	json_object_object_add(e, "data", data ? data : json_object_new_object());
	cli_print_json(e, false);
	json_object_put(e);
}

int cmd_events(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("events");
	struct events_flags f = { .interval_ms = DEFAULT_INTERVAL_S * 1000 };
	int ind = cli_parse(cmd, argc, argv, "", longopts, events_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		return 1;
	const char *id = argv[ind];
	hull_err err = NULL;
	json_object *data = NULL;
	uint64_t ooms = 0, last_ooms;
	bool running = false;
	if (hull_stats(g->root, id, &data, &ooms, &running, &err) < 0)
		return cli_fail(&err);
	if (f.stats_once) {
		emit("stats", id, data);
		return 0;
	}
	last_ooms = ooms;
	emit("stats", id, data);
	struct timespec step = { 0, POLL_MS * 1000000L };
	for (int waited = 0;; waited += POLL_MS) {
		nanosleep(&step, NULL);
		data = NULL;
		if (hull_stats(g->root, id, &data, &ooms, &running, &err) < 0) {
			hull_err_free(&err);
			return 0; /* stopped or deleted: the stream ends */
		}
		if (ooms > last_ooms)
			emit("oom", id, NULL);
		last_ooms = ooms;
		if (waited >= f.interval_ms) {
			emit("stats", id, data);
			waited = 0;
		} else {
			json_object_put(data);
		}
	}
}
