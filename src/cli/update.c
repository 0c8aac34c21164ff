/* update.c - `hull update ID`: change a live container's resources, from a linux.resources JSON or runc's flags.
 * Must never guess a unit: sizes are bytes, with an optional k/m/g/t suffix (1024-based), as runc reads them. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

enum { U_RESOURCES = 'r', U_MEMORY = 3000, U_SWAP, U_RESERVATION, U_KMEM, U_KMEM_TCP, U_SHARES, U_QUOTA, U_PERIOD,
       U_RT_PERIOD, U_RT_RUNTIME, U_CPUS, U_MEMS, U_PIDS, U_BLKIO, U_L3, U_MBA, U_IDLE };

/* Each flag: where it lands in linux.resources, and how its value is read. */
static const struct {
	int opt;
	const char *section, *key;
	enum { V_BYTES, V_INT, V_STRING } kind;
} flag_table[] = {
	{ U_MEMORY, "memory", "limit", V_BYTES },	   { U_SWAP, "memory", "swap", V_BYTES },
	{ U_RESERVATION, "memory", "reservation", V_BYTES }, { U_KMEM, "memory", "kernel", V_BYTES },
	{ U_KMEM_TCP, "memory", "kernelTCP", V_BYTES },   { U_SHARES, "cpu", "shares", V_INT },
	{ U_QUOTA, "cpu", "quota", V_INT },		   { U_PERIOD, "cpu", "period", V_INT },
	{ U_RT_PERIOD, "cpu", "realtimePeriod", V_INT },  { U_RT_RUNTIME, "cpu", "realtimeRuntime", V_INT },
	{ U_CPUS, "cpu", "cpus", V_STRING },		   { U_MEMS, "cpu", "mems", V_STRING },
	{ U_PIDS, "pids", "limit", V_INT },		   { U_BLKIO, "blockIO", "weight", V_INT },
	{ U_IDLE, "cpu", "idle", V_INT },
};

struct update_flags {
	json_object *resources;  /* built from the flags */
	const char *file;
	const char *l3_cache_schema, *mem_bw_schema;  /* linux.intelRdt lines, NULL when not given */
};

static int parse_bytes(const char *s, int64_t *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	int64_t mult = 1;
	if (*end) {
		static const char units[] = "kmgt";
		const char *u = strchr(units, (char)(*end | 0x20));
		if (u == NULL || (end[1] && strcasecmp(end + 1, "b") != 0 && strcasecmp(end + 1, "ib") != 0))
			return -1;
		for (const char *p = units; p <= u; p++)
			mult *= 1024;
	}
	*out = v < 0 ? -1 : (int64_t)v * mult;
	return 0;
}

static int update_flag(int opt, const char *arg, void *data)
{
	struct update_flags *f = data;
	if (opt == U_RESOURCES) {
		f->file = arg;
		return 0;
	}
	if (opt == U_L3 || opt == U_MBA) {
		*(opt == U_L3 ? &f->l3_cache_schema : &f->mem_bw_schema) = arg;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(flag_table); i++) {
		if (flag_table[i].opt != opt)
			continue;
		json_object *section = NULL;
		if (!json_object_object_get_ex(f->resources, flag_table[i].section, &section)) {
			section = json_object_new_object();
			json_object_object_add(f->resources, flag_table[i].section, section);
		}
		json_object *v = NULL;
		int64_t n = 0;
		char *end = NULL;
		if (flag_table[i].kind == V_STRING) {
			v = json_object_new_string(arg);
		} else if (flag_table[i].kind == V_BYTES && parse_bytes(arg, &n) == 0) {
			v = json_object_new_int64(n);
		} else if (flag_table[i].kind == V_INT && (n = strtoll(arg, &end, 10), end != arg && *end == '\0')) {
			v = json_object_new_int64(n);
		}
		if (v == NULL) {
			cli_failf("update: invalid value \"%s\" for --%s.%s", arg, flag_table[i].section, flag_table[i].key);
			return -1;
		}
		json_object_object_add(section, flag_table[i].key, v);
		return 0;
	}
	return -1;
}

int cmd_update(struct cli_globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "resources", required_argument, NULL, U_RESOURCES },
		{ "memory", required_argument, NULL, U_MEMORY },
		{ "memory-swap", required_argument, NULL, U_SWAP },
		{ "memory-reservation", required_argument, NULL, U_RESERVATION },
		{ "kernel-memory", required_argument, NULL, U_KMEM },
		{ "kernel-memory-tcp", required_argument, NULL, U_KMEM_TCP },
		{ "cpu-share", required_argument, NULL, U_SHARES }, /* runc's name */
		{ "cpu-shares", required_argument, NULL, U_SHARES },
		{ "cpu-quota", required_argument, NULL, U_QUOTA },
		{ "cpu-period", required_argument, NULL, U_PERIOD },
		{ "cpu-rt-period", required_argument, NULL, U_RT_PERIOD },
		{ "cpu-rt-runtime", required_argument, NULL, U_RT_RUNTIME },
		{ "cpu-idle", required_argument, NULL, U_IDLE },
		{ "cpuset-cpus", required_argument, NULL, U_CPUS },
		{ "cpuset-mems", required_argument, NULL, U_MEMS },
		{ "pids-limit", required_argument, NULL, U_PIDS },
		{ "blkio-weight", required_argument, NULL, U_BLKIO },
		{ "l3-cache-schema", required_argument, NULL, U_L3 },
		{ "mem-bw-schema", required_argument, NULL, U_MBA },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("update");
	struct update_flags f = { .resources = json_object_new_object() };
	int ret = 1;
	/* runc (urfave/cli) takes flags after the container id too: move the id behind them. Every flag of
	 * update but --help takes a value, as the next argument unless written --flag=value. */
	_cleanup_free_ char **args = xcalloc((size_t)argc + 1, sizeof(char *));
	_cleanup_free_ char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	int na = 0, npos = 0;
	args[na++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool flag = a[0] == '-' && a[1] != '\0' && strcmp(a, "--") != 0;
		bool takes_value = flag && strchr(a, '=') == NULL && strcmp(a, "-h") != 0 && strcmp(a, "--help") != 0 &&
				   strcmp(a, "-help") != 0 && !(a[1] == 'r' && a[2] != '\0');
		if (!flag) {
			pos[npos++] = argv[i];
			continue;
		}
		args[na++] = argv[i];
		if (takes_value && i + 1 < argc)
			args[na++] = argv[++i];
	}
	for (int i = 0; i < npos; i++)
		args[na++] = pos[i];
	argc = na;
	argv = args;
	int ind = cli_parse(cmd, argc, argv, "r:", longopts, update_flag, &f);
	if (ind < 0) {
		ret = ind == -2 ? 0 : 1;
		goto out;
	}
	if (cli_want_args(cmd, argc, ind, 1, 1) < 0)
		goto out;
	if (f.file) {
		hull_err err = NULL;
		_cleanup_free_ char *text = NULL;
		if (fs_read_file_max(AT_FDCWD, strcmp(f.file, "-") == 0 ? "/dev/stdin" : f.file, FS_INPUT_MAX, &text, NULL, &err) < 0) {
			ret = cli_fail(&err);
			goto out;
		}
		json_object *r = json_tokener_parse(text);
		if (r == NULL || !json_object_is_type(r, json_type_object)) {
			json_object_put(r);
			ret = cli_failf("update: %s: not a JSON object of linux.resources", f.file);
			goto out;
		}
		/* flags given beside the file win, as in runc */
		json_object_object_foreach(f.resources, key, val)
		{
			json_object_object_add(r, key, json_object_get(val));
		}
		json_object_put(f.resources);
		f.resources = r;
	}
	hull_err err = NULL;
	bool rdt = f.l3_cache_schema || f.mem_bw_schema;
	/* resources only when some were given, or nothing at all (runc's update of nothing) */
	if ((f.file || json_object_object_length(f.resources) || !rdt) && hull_update(g->root, argv[ind], f.resources, &err) < 0)
		ret = cli_fail(&err);
	else if (rdt && hull_update_rdt(g->root, argv[ind], f.l3_cache_schema, f.mem_bw_schema, &err) < 0)
		ret = cli_fail(&err);
	else
		ret = 0;
out:
	json_object_put(f.resources);
	return ret;
}
