/* list.c - `hull list`: every container under --root, as runc's table or JSON.
 * Must never change a container. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "container.h"

#define COL_MIN 12
#define COL_PAD 3

struct list_flags {
	bool json, quiet;
};

static int list_flag(int opt, const char *arg, void *data)
{
	struct list_flags *f = data;
	if (opt == 'q') {
		f->quiet = true;
		return 0;
	}
	if (opt == 'f') {
		if (strcmp(arg, "json") == 0)
			f->json = true;
		else if (strcmp(arg, "table") == 0)
			f->json = false;
		else {
			cli_failf("invalid format option \"%s\": must be table or json", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

static const char *field(json_object *o, const char *key, char *buf, size_t n)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return "";
	snprintf(buf, n, "%s", json_object_get_string(v));
	return buf;
}

/* runc's tabwriter: each column as wide as its widest cell plus 3, at least 12. */
static void print_table(json_object *list)
{
	static const char *const heads[] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
	static const char *const keys[] = { "id", "pid", "status", "bundle", "created", "owner" };
	enum { NCOL = 6 };
	struct cli_table t;
	cli_table_init(&t, heads, NCOL);
	char buf[NCOL][4096];
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *row[NCOL];
		for (int c = 0; c < NCOL; c++)
			row[c] = field(json_object_array_get_idx(list, i), keys[c], buf[c], sizeof(buf[c]));
		cli_table_row(&t, row);
	}
	cli_table_print(&t, COL_MIN, COL_PAD);
}

int cmd_list(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("list");
	struct list_flags f = { 0 };
	int ind = cli_parse(cmd, argc, argv, "f:q", longopts, list_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 0, 0) < 0)
		return 1;
	hull_err err = NULL;
	json_object *list = NULL;
	if (hull_list(g->root, &list, &err) < 0) {
		json_object_put(list);
		return cli_fail(&err);
	}
	if (f.quiet) {
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *id;
			json_object_object_get_ex(json_object_array_get_idx(list, i), "id", &id);
			printf("%s\n", json_object_get_string(id));
		}
	} else if (f.json) {
		cli_print_json(list, false);
	} else {
		print_table(list);
	}
	json_object_put(list);
	return 0;
}
