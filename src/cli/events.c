/* events.c - `hull events ID`: runc's stats and OOM events as JSON lines, once (--stats) or every --interval.
 * Must never outlive the container: the stream ends when it stops. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"
#include "util/cleanup.h"

#define DEFAULT_INTERVAL_S 5
#define POLL_MS 100

struct events_flags {
	bool stats_once;
	int interval_ms;
};

/* runc takes a Go duration: "5s", "500ms", "1m30s", "1h"; milliseconds, or -1 when it is none. */
static double go_duration_ms(const char *arg)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = { { "ns", 1e-6 }, { "us", 1e-3 }, { "\u00b5s", 1e-3 }, { "ms", 1 }, { "s", 1e3 }, { "m", 6e4 }, { "h", 3.6e6 } };
	double total = 0;
	const char *p = arg;
	if (*p == 0)
		return -1;
	while (*p) {
		char *end = NULL;
		double v = strtod(p, &end);
		if (end == p || v < 0)
			return -1;
		size_t best = SIZE_MAX, len = 0;
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			size_t ul = strlen(units[i].unit);
			/* the longest unit that matches: "ms" before "m" */
			if (strncmp(end, units[i].unit, ul) == 0 && ul > len) {
				best = i;
				len = ul;
			}
		}
		if (best == SIZE_MAX)
			return -1;
		total += v * units[best].ms;
		p = end + len;
	}
	return total;
}

static int events_flag(int opt, const char *arg, void *data)
{
	struct events_flags *f = data;
	if (opt == 's') {
		f->stats_once = true;
		return 0;
	}
	if (opt == 'i') {
		double ms = go_duration_ms(arg);
		if (ms <= 0) {
			cli_failf("invalid --interval \"%s\"", arg);
			return -1;
		}
		f->interval_ms = ms < 1 ? 1 : ms > INT32_MAX ? INT32_MAX : (int)ms;
		return 0;
	}
	return -1;
}

static void emit(const char *type, const char *id, json_object *data)
{
	json_object *e = json_object_new_object();
	json_object_object_add(e, "type", json_object_new_string(type));
	json_object_object_add(e, "id", json_object_new_string(id));
	if (data) /* runc's Event.Data is omitempty: an oom event is {"type":"oom","id":ID} */
		json_object_object_add(e, "data", data);
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
	/* v1: the kernel's OOM notification, which also tells an OOM the killer was disabled for;
	 * v2 (or no memory cgroup): the count of kills in memory.events. Registered before the first line, so
	 * a reader that saw it misses no OOM. */
	_cleanup_close_ int oomfd = hull_oom_eventfd(g->root, id, &err);
	if (oomfd < 0)
		hull_err_free(&err);
	emit("stats", id, data);
	struct pollfd pfd = { .fd = oomfd, .events = POLLIN };
	for (int waited = 0;; waited += POLL_MS) {
		if (poll(&pfd, 1, POLL_MS) > 0 && (pfd.revents & POLLIN)) {
			uint64_t n;
			if (read(oomfd, &n, sizeof(n)) == (ssize_t)sizeof(n))
				emit("oom", id, NULL);
		}
		data = NULL;
		if (hull_stats(g->root, id, &data, &ooms, &running, &err) < 0) {
			hull_err_free(&err);
			return 0; /* stopped or deleted: the stream ends */
		}
		if (oomfd < 0 && ooms > last_ooms)
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
