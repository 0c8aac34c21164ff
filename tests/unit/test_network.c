/* test_network.c - unit tests of the engine's network parsers: -p as Docker writes it, hull's conflist (the default
 * one and hand-written ones, refused with the reason), and the address read back from a CNI result.
 * Must never make a namespace, run a plugin or touch anything but the scratch directories it makes. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/network.h"
#include "engine/network_cni.h"
#include "util/xalloc.h"

static void assert_port(const char *in, const char *ip, unsigned host, unsigned ctr, const char *proto)
{
	struct port_map m;
	hull_err err = NULL;
	if (port_map_parse(in, &m, &err) < 0)
		fail_msg("%s: %s", in, err->msg);
	assert_string_equal(m.host_ip, ip);
	assert_int_equal(m.host_port, host);
	assert_int_equal(m.container_port, ctr);
	assert_string_equal(m.proto, proto);
}

static void assert_bad_port(const char *in, const char *words)
{
	struct port_map m;
	hull_err err = NULL;
	assert_int_equal(port_map_parse(in, &m, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", in, err->msg, words);
	assert_int_equal(err->errnum, EINVAL);
	hull_err_free(&err);
}

static void port_maps_are_parsed_as_docker_writes_them(void **state)
{
	(void)state;
	assert_port("8080:80", "", 8080, 80, "tcp");
	assert_port("53:53/udp", "", 53, 53, "udp");
	assert_port("1:65535/tcp", "", 1, 65535, "tcp");
	assert_port("127.0.0.1:8080:80", "127.0.0.1", 8080, 80, "tcp");
	assert_port("[::1]:8080:80/udp", "::1", 8080, 80, "udp");
	assert_port("[fe80::1:2]:1:2", "fe80::1:2", 1, 2, "tcp");
}

static void bad_port_maps_are_refused_with_the_reason(void **state)
{
	(void)state;
	assert_bad_port("80", "a host port is needed");
	assert_bad_port("", "HOSTPORT:CONTAINERPORT is needed");
	assert_bad_port("8080:80/sctp", "invalid protocol \"sctp\"");
	assert_bad_port("8080:80/", "invalid protocol");
	assert_bad_port("0:80", "not between 1 and 65535");
	assert_bad_port("8080:65536", "not between 1 and 65535");
	assert_bad_port("8080:99999999", "invalid port");
	assert_bad_port("8080:", "invalid port");
	assert_bad_port(":80", "invalid port");
	assert_bad_port("80-90:80-90", "invalid port");
	assert_bad_port("+80:80", "invalid port");
	assert_bad_port("1.2.3:8080:80", "invalid host address \"1.2.3\"");
	assert_bad_port("::1:8080:80", "in brackets");
	assert_bad_port("[::1]8080:80", "[ADDRESS]:HOSTPORT:CONTAINERPORT");
	assert_bad_port("[::1:8080:80", "[ADDRESS]:HOSTPORT:CONTAINERPORT");
	assert_bad_port("[::1]:1.2.3.4:8080:80", "too many ':'");
	assert_bad_port("1.2.3.4::80", "invalid port");
}

static void assert_setup_refused(enum net_mode mode, const char *a, const char *b, const char *words)
{
	struct port_map ports[2];
	hull_err err = NULL;
	assert_int_equal(port_map_parse(a, &ports[0], &err), 0);
	assert_int_equal(port_map_parse(b, &ports[1], &err), 0);
	char *dir = unit_tmpdir();
	struct net_opts o = { .mode = mode, .state_dir = dir, .id = "c1", .ports = ports, .n_ports = 2 };
	struct net_result r;
	assert_int_equal(network_setup(&o, &r, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("-p %s -p %s: \"%s\" lacks \"%s\"", a, b, err->msg, words);
	hull_err_free(&err);
	/* refused before anything was made */
	char *netns = xasprintf("%s/netns", dir);
	assert_int_equal(access(netns, F_OK), -1);
	free(netns);
	assert_int_equal(unit_rmtree(dir), 0);
	free(dir);
}

static void a_host_port_published_twice_is_refused_before_anything_is_made(void **state)
{
	(void)state;
	assert_setup_refused(NET_BRIDGE, "8080:80", "8080:81", "host port 8080/tcp is published twice");
	assert_setup_refused(NET_BRIDGE, "127.0.0.1:8080:80", "8080:81", "host port 8080/tcp is published twice");
	assert_setup_refused(NET_BRIDGE, "1.2.3.4:53:53/udp", "1.2.3.4:53:54/udp",
			     "host port 53/udp is published twice");
	assert_setup_refused(NET_NONE, "8080:80", "8080:80", "host port 8080/tcp is published twice");
}

static void default_conflist_parses_into_bridge_portmap_firewall(void **state)
{
	(void)state;
	char *text = cni_conflist_default("/var/lib/hull \"x\"/network");
	struct cni_conflist l;
	hull_err err = NULL;
	if (cni_conflist_parse(text, "default", &l, &err) < 0)
		fail_msg("%s", err->msg);
	assert_string_equal(l.version, "1.0.0");
	assert_string_equal(l.name, "hull");
	assert_int_equal(l.n_plugins, 3);
	assert_string_equal(l.plugins[0].type, "bridge");
	assert_false(l.plugins[0].port_mappings);
	assert_string_equal(l.plugins[1].type, "portmap");
	assert_true(l.plugins[1].port_mappings);
	assert_string_equal(l.plugins[2].type, "firewall");
	json_object *ipam = json_object_object_get(l.plugins[0].conf, "ipam");
	/* the state directory arrives whole, quotes and all: host-local keeps nothing in /var/lib/cni */
	assert_string_equal(json_object_get_string(json_object_object_get(ipam, "dataDir")),
			    "/var/lib/hull \"x\"/network/ipam");
	assert_string_equal(json_object_get_string(json_object_object_get(l.plugins[0].conf, "bridge")), "hull0");
	json_object *range = json_object_array_get_idx(
		json_object_array_get_idx(json_object_object_get(ipam, "ranges"), 0), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(range, "subnet")), "10.89.0.0/24");
	cni_conflist_clear(&l);
	free(text);
}

static void assert_bad_conflist(const char *single_quoted, const char *words)
{
	char *text = unit_json(single_quoted);
	struct cni_conflist l;
	hull_err err = NULL;
	assert_int_equal(cni_conflist_parse(text, "x.conflist", &l, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", text, err->msg, words);
	assert_non_null(strstr(err->msg, "x.conflist"));
	assert_null(l.root);
	hull_err_free(&err);
	free(text);
}

static void bad_conflists_are_refused_with_the_reason(void **state)
{
	(void)state;
	assert_bad_conflist("{", "x.conflist");
	assert_bad_conflist("[]", "must be a JSON object");
	assert_bad_conflist("{'name': 'n', 'plugins': [{'type': 'bridge'}]}", "\"cniVersion\" must be a string");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'plugins': [{'type': 'bridge'}]}", "\"name\" must be a string");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': '../n', 'plugins': [{'type': 'bridge'}]}",
			    "not a network's name");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n'}", "\"plugins\" must be an array");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': []}", "1 to 16 plugins");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': [3]}", "plugins[0] must be an object");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': [{'type': 'bridge'}, {}]}",
			    "plugins[1]: \"type\" must be a string");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': [{'type': '/bin/sh'}]}",
			    "not a plugin's name");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': [{'type': '..'}]}", "not a plugin's name");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': [{'type': 'p', 'capabilities': 1}]}",
			    "\"capabilities\" must be an object");
	assert_bad_conflist("{'cniVersion': '1.0.0', 'name': 'n', 'plugins': "
			    "[{'type': 'p', 'capabilities': {'portMappings': 'yes'}}]}",
			    "capabilities.portMappings must be a boolean");
	assert_bad_conflist("{'cniVersion': '1.0.0.0.0.0.0.0.0', 'name': 'n', 'plugins': [{'type': 'p'}]}",
			    "\"cniVersion\" is too long");
}

static void conflist_is_written_on_first_use_and_read_after(void **state)
{
	(void)state;
	char *dir = unit_tmpdir();
	char *sub = xasprintf("%s/network", dir);
	struct cni_conflist l;
	hull_err err = NULL;
	if (cni_conflist_load(sub, &l, &err) < 0)
		fail_msg("%s", err->msg);
	assert_int_equal(l.n_plugins, 3);
	cni_conflist_clear(&l);
	/* an edited list is the one read, not replaced */
	char *mine = unit_json("{'cniVersion': '0.4.0', 'name': 'mine', 'plugins': [{'type': 'bridge'}]}");
	unit_write(sub, "hull.conflist", mine);
	free(mine);
	if (cni_conflist_load(sub, &l, &err) < 0)
		fail_msg("%s", err->msg);
	assert_string_equal(l.name, "mine");
	assert_string_equal(l.version, "0.4.0");
	assert_int_equal(l.n_plugins, 1);
	cni_conflist_clear(&l);
	unit_write(sub, "hull.conflist", "{\"cniVersion\":1}");
	assert_int_equal(cni_conflist_load(sub, &l, &err), -1);
	assert_non_null(strstr(err->msg, "/network/hull.conflist: \"cniVersion\" must be a string"));
	hull_err_free(&err);
	assert_int_equal(unit_rmtree(dir), 0);
	free(sub);
	free(dir);
}

static void assert_address(const char *single_quoted, const char *ip, const char *gw)
{
	json_object *r = unit_json_object(single_quoted);
	char got_ip[64], got_gw[64];
	cni_result_address(r, got_ip, sizeof(got_ip), got_gw, sizeof(got_gw));
	assert_string_equal(got_ip, ip);
	assert_string_equal(got_gw, gw);
	json_object_put(r);
}

static void result_address_is_the_first_ipv4_one(void **state)
{
	(void)state;
	assert_address("{'ips': [{'interface': 2, 'address': '10.89.0.2/24', 'gateway': '10.89.0.1'}]}", "10.89.0.2",
		       "10.89.0.1");
	assert_address("{'ips': [{'address': 'fd00::2/64', 'gateway': 'fd00::1'}, {'address': '10.0.0.5/8'}]}",
		       "10.0.0.5", "");
	assert_address("{'ips': [{'address': 'fd00::2/64', 'gateway': 'fd00::1'}]}", "fd00::2", "fd00::1");
	assert_address("{'ips': [{'address': 3}]}", "", "");
	assert_address("{'ips': 'x'}", "", "");
	assert_address("{}", "", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(port_maps_are_parsed_as_docker_writes_them),
		cmocka_unit_test(bad_port_maps_are_refused_with_the_reason),
		cmocka_unit_test(a_host_port_published_twice_is_refused_before_anything_is_made),
		cmocka_unit_test(default_conflist_parses_into_bridge_portmap_firewall),
		cmocka_unit_test(bad_conflists_are_refused_with_the_reason),
		cmocka_unit_test(conflist_is_written_on_first_use_and_read_after),
		cmocka_unit_test(result_address_is_the_first_ipv4_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
