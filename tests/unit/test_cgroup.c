/* test_cgroup.c - the pure logic of linux.resources: which values are "not set" (as runc 1.1.5 reads them),
 * the device rule list, and the update validator. Must never touch a cgroup: nothing here writes a file. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "cgroup/devices_bpf.h"
#include "cgroup/resources.h"
#include "spec.h"

static json_object *parse(const char *single_quoted)
{
	char *text = unit_json(single_quoted);
	json_object *o = json_tokener_parse(text);
	free(text);
	assert_non_null(o);
	return o;
}

static json_object *at(json_object *o, const char *section, const char *key)
{
	json_object *s = NULL, *v = NULL;
	if (!json_object_object_get_ex(o, section, &s) || !json_object_object_get_ex(s, key, &v))
		return NULL;
	return v;
}

/* Docker 20.10 sends every one of these for a plain `docker run`. */
static void docker_zeros_are_not_set(void **state)
{
	(void)state;
	json_object *in = parse("{'blockIO':{'weight':0,'leafWeight':0},'cpu':{'shares':0,'quota':0,'period':0,"
				"'realtimeRuntime':0,'realtimePeriod':0,'cpus':'','mems':''},'memory':{'limit':0,"
				"'reservation':0,'swap':0,'kernel':0,'kernelTCP':0,'disableOOMKiller':false},"
				"'pids':{'limit':0},'network':{'classID':0}}");
	json_object *eff = cgroup_resources_effective(in);
	static const char *const gone[][2] = {
		{ "blockIO", "weight" }, { "blockIO", "leafWeight" }, { "cpu", "shares" },
		{ "cpu", "quota" },	 { "cpu", "period" },	      { "cpu", "realtimeRuntime" },
		{ "cpu", "realtimePeriod" }, { "cpu", "cpus" },	      { "cpu", "mems" },
		{ "memory", "limit" },	 { "memory", "reservation" }, { "memory", "swap" },
		{ "memory", "kernel" },	 { "memory", "kernelTCP" },   { "memory", "disableOOMKiller" },
		{ "pids", "limit" },	 { "network", "classID" },
	};
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		if (at(eff, gone[i][0], gone[i][1]) != NULL)
			fail_msg("%s.%s = 0 should be \"not set\"", gone[i][0], gone[i][1]);
	}
	/* the input is left as it was */
	assert_non_null(at(in, "cpu", "shares"));
	json_object_put(eff);
	json_object_put(in);
}

static void set_values_stay(void **state)
{
	(void)state;
	json_object *in = parse("{'blockIO':{'weight':500},'cpu':{'shares':512,'quota':-1,'period':100000,'cpus':'0'},"
				"'memory':{'limit':-1,'swap':-1,'disableOOMKiller':true},'pids':{'limit':-1},"
				"'hugepageLimits':[{'pageSize':'2MB','limit':0}]}");
	json_object *eff = cgroup_resources_effective(in);
	assert_int_equal(json_object_get_int(at(eff, "blockIO", "weight")), 500);
	assert_int_equal(json_object_get_int(at(eff, "cpu", "shares")), 512);
	assert_int_equal(json_object_get_int(at(eff, "cpu", "quota")), -1);
	assert_string_equal(json_object_get_string(at(eff, "cpu", "cpus")), "0");
	assert_int_equal(json_object_get_int(at(eff, "memory", "limit")), -1);
	assert_true(json_object_get_boolean(at(eff, "memory", "disableOOMKiller")));
	assert_int_equal(json_object_get_int(at(eff, "pids", "limit")), -1);
	/* a hugetlb limit of 0 is a limit */
	json_object *h = NULL;
	assert_true(json_object_object_get_ex(eff, "hugepageLimits", &h));
	assert_int_equal(json_object_array_length(h), 1);
	json_object_put(eff);
	json_object_put(in);
}

/* swappiness: absent or -1 = not set, 0 is a value (the kernel's "swap as little as possible") */
static void swappiness_zero_is_a_value(void **state)
{
	(void)state;
	json_object *in = parse("{'memory':{'swappiness':0}}");
	json_object *eff = cgroup_resources_effective(in);
	assert_non_null(at(eff, "memory", "swappiness"));
	assert_int_equal(json_object_get_int(at(eff, "memory", "swappiness")), 0);
	json_object_put(eff);
	json_object_put(in);
	in = parse("{'memory':{'swappiness':-1}}");
	eff = cgroup_resources_effective(in);
	assert_null(at(eff, "memory", "swappiness"));
	json_object_put(eff);
	json_object_put(in);
}

static void weight_device_zero_weights_are_not_set(void **state)
{
	(void)state;
	json_object *in = parse("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':0,'leafWeight':300}]}}");
	json_object *eff = cgroup_resources_effective(in);
	json_object *wd = at(eff, "blockIO", "weightDevice");
	assert_non_null(wd);
	json_object *e = json_object_array_get_idx(wd, 0), *v = NULL;
	assert_false(json_object_object_get_ex(e, "weight", &v));
	assert_true(json_object_object_get_ex(e, "leafWeight", &v));
	json_object_put(eff);
	json_object_put(in);
}

static void null_resources_give_an_empty_object(void **state)
{
	(void)state;
	json_object *eff = cgroup_resources_effective(NULL);
	assert_non_null(eff);
	assert_int_equal(json_object_object_length(eff), 0);
	json_object_put(eff);
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
	json_object *rules = parse("[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':1,'minor':11,'access':'r'}]");
	struct device_rule *r = NULL;
	size_t n = 0;
	assert_int_equal(cgroup_device_rules(rules, NULL, &r, &n), 0);
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
	json_object_put(rules);
}

/* runc's devices.Permissions: letters other than r, w, m are ignored ("rwa" is "rw", written as the kernel
 * takes it), and a rule left with none adds or removes nothing */
static void device_access_keeps_only_rwm(void **state)
{
	(void)state;
	json_object *rules = parse("[{'allow':false,'access':'rwm'},{'allow':false,'type':'c','major':1,'minor':11,'access':'rwa'},"
				   "{'allow':true,'type':'c','major':1,'minor':12,'access':'mxr'},"
				   "{'allow':true,'type':'c','major':1,'minor':13,'access':'a'}]");
	struct device_rule *r = NULL;
	size_t n = 0;
	assert_int_equal(cgroup_device_rules(rules, NULL, &r, &n), 0);
	assert_int_equal(n, 3 + 11);
	rule_equal(&r[0], false, 'a', -1, -1, "rwm");
	rule_equal(&r[1], false, 'c', 1, 11, "rw");
	rule_equal(&r[2], true, 'c', 1, 12, "rm");
	rule_equal(&r[3], true, 'c', -1, -1, "m");
	free(r);
	json_object_put(rules);
}

/* a linux.devices node gets no rule; one that replaces a default node takes that default's rule away */
static void linux_devices_add_no_rule(void **state)
{
	(void)state;
	json_object *rules = parse("[{'allow':false,'access':'rwm'}]");
	json_object *devs = parse("[{'path':'/dev/kmsg','type':'c','major':1,'minor':11},"
				  "{'path':'/dev/null','type':'c','major':1,'minor':3}]");
	struct device_rule *r = NULL;
	size_t n = 0;
	assert_int_equal(cgroup_device_rules(rules, devs, &r, &n), 0);
	assert_int_equal(n, 1 + 10);
	for (size_t i = 0; i < n; i++) {
		if (r[i].type == 'c' && r[i].major == 1 && (r[i].minor == 11 || r[i].minor == 3))
			fail_msg("rule %zu allows c 1:%lld", i, (long long)r[i].minor);
	}
	free(r);
	json_object_put(devs);
	json_object_put(rules);
}

/* no rules at all: the defaults alone, an allow list */
static void no_rules_still_give_the_defaults(void **state)
{
	(void)state;
	struct device_rule *r = NULL;
	size_t n = 0;
	assert_int_equal(cgroup_device_rules(NULL, NULL, &r, &n), 0);
	assert_int_equal(n, 11);
	rule_equal(&r[0], true, 'c', -1, -1, "m");
	free(r);
}

static void expect_refused(const char *res, const char *msg_part)
{
	json_object *o = parse(res);
	hull_err err = NULL;
	assert_int_equal(spec_check_resources(o, "update", "resources", &err), -1);
	assert_non_null(err);
	if (strstr(err->msg, msg_part) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err->msg, msg_part);
	hull_err_free(&err);
	json_object_put(o);
}

static void update_input_is_checked_like_the_config(void **state)
{
	(void)state;
	expect_refused("{'pids':{'limit':'abc'}}", "update: resources.pids.limit: must be an integer");
	expect_refused("{'cpu':{'shares':-5}}", "resources.cpu.shares: must not be negative");
	expect_refused("{'memory':{'swappiness':101}}", "resources.memory.swappiness");
	expect_refused("{'cpu':{'cpus':7}}", "resources.cpu.cpus: must be a string");
	expect_refused("{'hugepageLimits':[{'limit':1}]}", "resources.hugepageLimits[0].pageSize: is required");
	expect_refused("{'devices':[{'allow':true}]}", "resources.devices[0].access: must not be empty");
	expect_refused("{'unified':{'pids.max':5}}", "resources.unified.pids.max: must be a string");
	json_object *ok = parse("{'pids':{'limit':0},'cpu':{'shares':0,'period':0,'quota':0},'memory':{'swappiness':-1}}");
	hull_err err = NULL;
	assert_int_equal(spec_check_resources(ok, "update", "resources", &err), 0);
	json_object_put(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docker_zeros_are_not_set),
		cmocka_unit_test(set_values_stay),
		cmocka_unit_test(swappiness_zero_is_a_value),
		cmocka_unit_test(weight_device_zero_weights_are_not_set),
		cmocka_unit_test(null_resources_give_an_empty_object),
		cmocka_unit_test(device_rules_are_runcs),
		cmocka_unit_test(device_access_keeps_only_rwm),
		cmocka_unit_test(linux_devices_add_no_rule),
		cmocka_unit_test(no_rules_still_give_the_defaults),
		cmocka_unit_test(update_input_is_checked_like_the_config),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL) == 0 ? 0 : 1;
}
