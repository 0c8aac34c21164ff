/* test_cgroup.c - the pure logic of the cgroup writers: the device rule list (config rules, then runc's defaults)
 * and the v2 weight conversions. Must never touch a cgroup: nothing here writes a file. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "cgroup/devices_bpf.h"
#include "cgroup/resources.h"
#include "spec.h"

/* The device rules of a linux.resources document, as the parser reads them. */
static void rules_of(const char *single_quoted, struct hull_resources *r)
{
	json_object *o = unit_json_object(single_quoted);
	hull_err err = NULL;
	if (resources_parse(o, "config.json", "linux.resources", RES_RUNC_1_1, r, &err) < 0)
		fail_msg("refused: %s", err->msg);
	json_object_put(o);
}

static void rule_equal(const struct device_rule *r, bool allow, char type, int64_t major, int64_t minor, const char *acc)
{
	assert_int_equal(r->allow, allow);
	assert_int_equal(r->type, type);
	assert_int_equal(r->major, major);
	assert_int_equal(r->minor, minor);
	assert_string_equal(r->access, acc);
}

/* runc 1.1.5's specconv: the config's rules, then AllowedDevices in its order */
static void device_rules_are_runcs(void **state)
{
	(void)state;
	struct hull_resources res;
	rules_of("{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':1,'minor':11,'access':'r'}]}", &res);
	struct device_rule *r = NULL;
	size_t n = 0;
	cgroup_device_rules(res.devices, res.n_devices, NULL, 0, &r, &n);
	assert_int_equal(n, 2 + 11);
	rule_equal(&r[0], false, 'a', -1, -1, "rwm");
	rule_equal(&r[1], true, 'c', 1, 11, "r");
	rule_equal(&r[2], true, 'c', -1, -1, "m");
	rule_equal(&r[3], true, 'b', -1, -1, "m");
	rule_equal(&r[4], true, 'c', 1, 3, "rwm");
	rule_equal(&r[5], true, 'c', 1, 8, "rwm");
	rule_equal(&r[6], true, 'c', 1, 7, "rwm");
	rule_equal(&r[7], true, 'c', 5, 0, "rwm");
	rule_equal(&r[8], true, 'c', 1, 5, "rwm");
	rule_equal(&r[9], true, 'c', 1, 9, "rwm");
	rule_equal(&r[10], true, 'c', 136, -1, "rwm");
	rule_equal(&r[11], true, 'c', 5, 2, "rwm");
	rule_equal(&r[12], true, 'c', 10, 200, "rwm");
	free(r);
	resources_clear(&res);
}

/* runc's devices.Permissions: letters other than r, w, m are ignored ("rwa" is "rw", written as the kernel
 * takes it), and a rule left with none adds or removes nothing */
static void device_access_keeps_only_rwm(void **state)
{
	(void)state;
	struct hull_resources res;
	rules_of("{'devices':[{'allow':false,'access':'rwm'},{'allow':false,'type':'c','major':1,'minor':11,'access':'rwa'},"
		 "{'allow':true,'type':'c','major':1,'minor':12,'access':'mxr'},"
		 "{'allow':true,'type':'c','major':1,'minor':13,'access':'a'}]}",
		 &res);
	struct device_rule *r = NULL;
	size_t n = 0;
	cgroup_device_rules(res.devices, res.n_devices, NULL, 0, &r, &n);
	assert_int_equal(n, 3 + 11);
	rule_equal(&r[0], false, 'a', -1, -1, "rwm");
	rule_equal(&r[1], false, 'c', 1, 11, "rw");
	rule_equal(&r[2], true, 'c', 1, 12, "rm");
	rule_equal(&r[3], true, 'c', -1, -1, "m");
	free(r);
	resources_clear(&res);
}

/* a linux.devices node gets no rule; one that replaces a default node takes that default's rule away */
static void linux_devices_add_no_rule(void **state)
{
	(void)state;
	struct hull_resources res;
	rules_of("{'devices':[{'allow':false,'access':'rwm'}]}", &res);
	const struct hull_device devs[] = {
		{ .path = "/dev/kmsg", .type = 'c', .major = 1, .minor = 11 },
		{ .path = "/dev/null", .type = 'c', .major = 1, .minor = 3 },
	};
	struct device_rule *r = NULL;
	size_t n = 0;
	cgroup_device_rules(res.devices, res.n_devices, devs, 2, &r, &n);
	assert_int_equal(n, 1 + 10);
	for (size_t i = 0; i < n; i++) {
		if (r[i].type == 'c' && r[i].major == 1 && (r[i].minor == 11 || r[i].minor == 3))
			fail_msg("rule %zu allows c 1:%lld", i, (long long)r[i].minor);
	}
	free(r);
	resources_clear(&res);
}

/* no rules at all: the defaults alone, an allow list */
static void no_rules_still_give_the_defaults(void **state)
{
	(void)state;
	struct device_rule *r = NULL;
	size_t n = 0;
	cgroup_device_rules(NULL, 0, NULL, 0, &r, &n);
	assert_int_equal(n, 11);
	rule_equal(&r[0], true, 'c', -1, -1, "m");
	free(r);
}

/* cpu.shares [2, 262144] onto cpu.weight [1, 10000], blkio.weight [10, 1000] onto io.weight, as runc and crun */
static void weights_convert_as_runc(void **state)
{
	(void)state;
	assert_int_equal(cgroup_shares_to_weight(2), 1);
	assert_int_equal(cgroup_shares_to_weight(1024), 39);
	assert_int_equal(cgroup_shares_to_weight(262144), 10000);
	assert_int_equal(cgroup_shares_to_weight(1 << 20), 10000);
	assert_int_equal(cgroup_blkio_to_io_weight(10), 1);
	assert_int_equal(cgroup_blkio_to_io_weight(500), 4950);
	assert_int_equal(cgroup_blkio_to_io_weight(1000), 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_rules_are_runcs),
		cmocka_unit_test(device_access_keeps_only_rwm),
		cmocka_unit_test(linux_devices_add_no_rule),
		cmocka_unit_test(no_rules_still_give_the_defaults),
		cmocka_unit_test(weights_convert_as_runc),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL) == 0 ? 0 : 1;
}
