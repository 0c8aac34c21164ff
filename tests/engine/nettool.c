/* nettool.c - drives engine/network.c for network.bats: setup and teardown of a container's network, its /etc files,
 * and a timing loop for the namespace of --network none. Must never be installed, nor run outside a test's own
 * network and mount namespaces (the bridge and its rules are made where it runs).
 *
 *   nettool STATE setup none|host|bridge ID [-p SPEC]...   prints {"netns","ip","gateway","helper"}
 *   nettool STATE teardown none|host|bridge ID [-p SPEC]...
 *   nettool STATE etc none|host|bridge DIR [IP GATEWAY]     writes DIR/hosts, DIR/resolv.conf (hostname h1, name n1)
 *   (NETTOOL_ROOTLESS=1: o.rootless, slirp4netns for the bridge)
 *   nettool STATE bench N                                   N setups and teardowns of none: the median ms of each
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "engine/network.h"
#include "util/xalloc.h"

#define PORTS_MAX 16
#define BENCH_MAX 100000

static const char *const mode_names[] = { [NET_NONE] = "none", [NET_HOST] = "host", [NET_BRIDGE] = "bridge" };

static int fail(hull_err *err)
{
	fprintf(stderr, "nettool: %s\n", (*err)->msg);
	hull_err_free(err);
	return 1;
}

static int mode_parse(const char *s, enum net_mode *out)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum net_mode)i;
			return 0;
		}
	fprintf(stderr, "nettool: unknown mode %s\n", s);
	return -1;
}

static int ports_parse(int argc, char **argv, struct port_map *ports, size_t *n, hull_err *err)
{
	*n = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-p") != 0 || i + 1 >= argc || *n >= PORTS_MAX)
			return hull_fail(err, "usage: -p SPEC (at most %d)", PORTS_MAX);
		if (port_map_parse(argv[++i], &ports[(*n)++], err) < 0)
			return -1;
	}
	return 0;
}

static void print_result(const struct net_result *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "netns", json_object_new_string(r->netns));
	json_object_object_add(o, "ip", json_object_new_string(r->ip));
	json_object_object_add(o, "gateway", json_object_new_string(r->gateway));
	json_object_object_add(o, "helper", json_object_new_int(r->helper));
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of each: a shared machine's load shows in the mean, not in what a run usually costs. */
static int bench(const char *state, int n)
{
	hull_err err = NULL;
	if (n < 1 || n > BENCH_MAX)
		return fprintf(stderr, "nettool: bench 1 to %d\n", BENCH_MAX), 2;
	double *setup = xcalloc((size_t)n, sizeof(double)), *teardown = xcalloc((size_t)n, sizeof(double));
	for (int i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "bench%d", i);
		struct net_opts o = { .mode = NET_NONE, .state_dir = state, .id = id };
		struct net_result r;
		double t0 = now_ms();
		if (network_setup(&o, &r, &err) < 0)
			return fail(&err);
		double t1 = now_ms();
		if (network_teardown(&o, &r, &err) < 0)
			return fail(&err);
		setup[i] = t1 - t0;
		teardown[i] = now_ms() - t1;
	}
	qsort(setup, (size_t)n, sizeof(double), cmp_double);
	qsort(teardown, (size_t)n, sizeof(double), cmp_double);
	printf("{\"setup_ms\":%.3f,\"teardown_ms\":%.3f}\n", setup[n / 2], teardown[n / 2]);
	free(setup);
	free(teardown);
	return 0;
}

int main(int argc, char **argv)
{
	hull_err err = NULL;
	if (argc >= 4 && strcmp(argv[2], "bench") == 0)
		return bench(argv[1], atoi(argv[3]));
	enum net_mode mode;
	if (argc < 5 || mode_parse(argv[3], &mode) < 0) {
		fprintf(stderr, "usage: nettool STATE setup|teardown|etc MODE ID|DIR ...\n");
		return 2;
	}
	struct port_map ports[PORTS_MAX];
	struct net_opts o = { .mode = mode, .state_dir = argv[1], .id = argv[4], .name = "n1", .hostname = "h1",
			      .ports = ports };
	struct net_result r = { 0 };
	o.rootless = getenv("NETTOOL_ROOTLESS") != NULL;
	if (strcmp(argv[2], "etc") == 0) {
		o.id = "etc";
		if (argc == 7) {
			snprintf(r.ip, sizeof(r.ip), "%s", argv[5]);
			snprintf(r.gateway, sizeof(r.gateway), "%s", argv[6]);
		}
		return network_write_etc(&o, &r, argv[4], &err) < 0 ? fail(&err) : 0;
	}
	if (ports_parse(argc - 5, argv + 5, ports, &o.n_ports, &err) < 0)
		return fail(&err);
	if (strcmp(argv[2], "setup") == 0) {
		if (network_setup(&o, &r, &err) < 0)
			return fail(&err);
		print_result(&r);
		return 0;
	}
	if (strcmp(argv[2], "teardown") == 0)
		return network_teardown(&o, NULL, &err) < 0 ? fail(&err) : 0;
	fprintf(stderr, "nettool: unknown verb %s\n", argv[2]);
	return 2;
}
