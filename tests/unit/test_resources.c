/* test_resources.c - the one parser of linux.resources: types, ranges and names refused with the field named,
 * runc 1.1.5's "zero means not set", device rules. Must never touch a cgroup: nothing here writes a file. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "cgroup/resources_model.h"

static void parse_ok(const char *res, struct hull_resources *r)
{
	json_object *o = unit_json_object(res);
	hull_err err = NULL;
	if (resources_parse(o, "config.json", "linux.resources", RES_RUNC_1_1, r, &err) < 0)
		fail_msg("%s refused: %s", res, err->msg);
	json_object_put(o);
}

static void expect_refused(const char *res, const char *msg)
{
	json_object *o = unit_json_object(res);
	hull_err err = NULL;
	struct hull_resources r;
	assert_int_equal(resources_parse(o, "update", "resources", RES_RUNC_1_1, &r, &err), -1);
	assert_non_null(err);
	if (strcmp(err->msg, msg) != 0)
		fail_msg("%s: error \"%s\", expected \"%s\"", res, err->msg, msg);
	hull_err_free(&err);
	json_object_put(o);
	/* nothing left to free after a refusal */
	assert_null(r.unified);
	assert_null(r.devices);
	assert_null(r.cpu.cpus);
}

static void wrong_types_and_ranges_are_refused_naming_the_field(void **state)
{
	(void)state;
	expect_refused("{'pids':{'limit':'abc'}}", "update: resources.pids.limit: must be an integer");
	expect_refused("{'pids':{'limit':3.5}}", "update: resources.pids.limit: must be an integer");
	expect_refused("{'pids':{'limit':true}}", "update: resources.pids.limit: must be an integer");
	expect_refused("{'pids':'x'}", "update: resources.pids: must be an object");
	expect_refused("{'pids':[20]}", "update: resources.pids: must be an object");
	expect_refused("{'cpu':{'shares':-5}}", "update: resources.cpu.shares: must not be negative");
	expect_refused("{'cpu':{'period':-1}}", "update: resources.cpu.period: must not be negative");
	expect_refused("{'cpu':{'burst':-1}}", "update: resources.cpu.burst: must not be negative");
	expect_refused("{'cpu':{'cpus':7}}", "update: resources.cpu.cpus: must be a string");
	expect_refused("{'memory':{'swappiness':101}}", "update: resources.memory.swappiness: 101 is out of range [-1, 100]");
	expect_refused("{'memory':{'swappiness':-2}}", "update: resources.memory.swappiness: -2 is out of range [-1, 100]");
	expect_refused("{'memory':{'limit':18446744073709551615}}",
		       "update: resources.memory.limit: 18446744073709551615 is out of range [-9223372036854775808, "
		       "9223372036854775807]");
	expect_refused("{'memory':{'disableOOMKiller':1}}", "update: resources.memory.disableOOMKiller: must be a boolean");
	expect_refused("{'memory':{'checkBeforeUpdate':'yes'}}", "update: resources.memory.checkBeforeUpdate: must be a boolean");
	expect_refused("{'blockIO':{'weight':70000}}", "update: resources.blockIO.weight: 70000 is out of range [0, 65535]");
	expect_refused("{'blockIO':{'leafWeight':-1}}", "update: resources.blockIO.leafWeight: -1 is out of range [0, 65535]");
	expect_refused("{'network':{'classID':4294967296}}",
		       "update: resources.network.classID: 4294967296 is out of range [0, 4294967295]");
	expect_refused("{'blockIO':{'weightDevice':[{'major':'8'}]}}", "update: resources.blockIO.weightDevice[0].major: must be an integer");
	expect_refused("{'blockIO':{'throttleReadBpsDevice':[5]}}", "update: resources.blockIO.throttleReadBpsDevice[0]: must be an object");
	expect_refused("{'blockIO':{'throttleWriteIOPSDevice':{}}}", "update: resources.blockIO.throttleWriteIOPSDevice: must be an array");
	expect_refused("{'hugepageLimits':[{'limit':1}]}", "update: resources.hugepageLimits[0].pageSize: is required");
	expect_refused("{'network':{'priorities':[{'priority':1}]}}", "update: resources.network.priorities[0].name: is required");
	expect_refused("{'unified':{'pids.max':5}}", "update: resources.unified.pids.max: must be a string");
	expect_refused("{'unified':[]}", "update: resources.unified: must be an object");
	expect_refused("{'rdma':{'mlx5_0':{'hcaHandles':-1}}}", "update: resources.rdma.mlx5_0.hcaHandles: -1 is out of range [0, 4294967295]");
	expect_refused("{'rdma':{'mlx5_0':3}}", "update: resources.rdma.mlx5_0: must be an object");
	expect_refused("{'devices':[{'allow':true}]}", "update: resources.devices[0].access: must not be empty");
	expect_refused("{'devices':[{'allow':'yes','access':'r'}]}", "update: resources.devices[0].allow: must be a boolean");
	expect_refused("{'devices':[{'allow':false,'type':'x','access':'r'}]}",
		       "update: resources.devices[0].type: unknown device type \"x\" (a, b or c)");
	expect_refused("{'devices':[{'allow':true,'type':'c','major':-2,'access':'r'}]}",
		       "update: resources.devices[0].major: -2 is out of range [-1, 4294967295]");
	/* the first error in the document's field order is the one reported */
	expect_refused("{'pids':{'limit':'abc'},'memory':{'limit':'x'}}", "update: resources.memory.limit: must be an integer");
	hull_err err = NULL;
	struct hull_resources r;
	assert_int_equal(resources_parse(NULL, "update", "resources", RES_RUNC_1_1, &r, &err), -1);
	assert_string_equal(err->msg, "update: resources: must be an object");
	hull_err_free(&err);
}

/* names that become cgroup file names (hugetlb.<pageSize>.max, unified keys) or a line of rdma.max */
static void names_leaving_the_cgroup_are_refused(void **state)
{
	(void)state;
	expect_refused("{'hugepageLimits':[{'pageSize':'../../x','limit':1}]}",
		       "update: resources.hugepageLimits[0].pageSize: invalid page size \"../../x\"");
	expect_refused("{'unified':{'../cgroup.procs':'1'}}", "update: resources.unified: invalid key \"../cgroup.procs\"");
	expect_refused("{'unified':{'.hidden':'1'}}", "update: resources.unified: invalid key \".hidden\"");
	expect_refused("{'unified':{'':'1'}}", "update: resources.unified: invalid key \"\"");
	expect_refused("{'rdma':{'a b':{}}}", "update: resources.rdma: invalid device name \"a b\"");
}

/* Docker 20.10 sends every one of these for a plain `docker run`. */
static void docker_zeros_are_not_set(void **state)
{
	(void)state;
	struct hull_resources r;
	parse_ok("{'blockIO':{'weight':0,'leafWeight':0},'cpu':{'shares':0,'quota':0,'period':0,"
		 "'realtimeRuntime':0,'realtimePeriod':0,'cpus':'','mems':''},'memory':{'limit':0,"
		 "'reservation':0,'swap':0,'kernel':0,'kernelTCP':0,'disableOOMKiller':false,'swappiness':-1},"
		 "'pids':{'limit':0},'network':{'classID':0}}",
		 &r);
	assert_false(r.block_io.weight.set);
	assert_false(r.block_io.leaf_weight.set);
	assert_false(r.cpu.shares.set);
	assert_false(r.cpu.quota.set);
	assert_false(r.cpu.period.set);
	assert_false(r.cpu.realtime_runtime.set);
	assert_false(r.cpu.realtime_period.set);
	assert_null(r.cpu.cpus);
	assert_null(r.cpu.mems);
	assert_false(r.memory.limit.set);
	assert_false(r.memory.reservation.set);
	assert_false(r.memory.swap.set);
	assert_false(r.memory.disable_oom_killer.set);
	assert_false(r.memory.swappiness.set);
	assert_false(r.pids.limit.set);
	assert_false(r.network.class_id.set);
	/* kept for runc's warning, whatever their value; never written */
	assert_true(r.memory.kernel.set);
	assert_true(r.memory.kernel_tcp.set);
	resources_clear(&r);
}

static void set_values_stay(void **state)
{
	(void)state;
	struct hull_resources r;
	parse_ok("{'blockIO':{'weight':500,'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}]},"
		 "'cpu':{'shares':512,'quota':-1,'period':100000,'cpus':'0','burst':0,'idle':0},"
		 "'memory':{'limit':-1,'swap':-1,'disableOOMKiller':true,'swappiness':0},'pids':{'limit':-1},"
		 "'hugepageLimits':[{'pageSize':'2MB','limit':0}],'network':{'classID':7,'priorities':[{'name':'lo','priority':3}]},"
		 "'rdma':{'mlx5_0':{'hcaHandles':3}},'unified':{'memory.min':'131072'}}",
		 &r);
	assert_true(r.block_io.weight.set);
	assert_int_equal(r.block_io.weight.v, 500);
	assert_int_equal(r.block_io.n_throttle[RES_THROTTLE_READ_BPS], 1);
	assert_int_equal(r.block_io.throttle[RES_THROTTLE_READ_BPS][0].major, 8);
	assert_int_equal(r.block_io.throttle[RES_THROTTLE_READ_BPS][0].rate.v, 1048576);
	assert_int_equal(r.cpu.shares.v, 512);
	assert_true(r.cpu.quota.set);
	assert_int_equal(r.cpu.quota.v, -1);
	assert_string_equal(r.cpu.cpus, "0");
	/* runtime-spec 1.2 fields: 0 is a value */
	assert_true(r.cpu.burst.set);
	assert_true(r.cpu.idle.set);
	assert_true(r.memory.limit.set);
	assert_int_equal(r.memory.limit.v, -1);
	assert_true(r.memory.disable_oom_killer.set && r.memory.disable_oom_killer.v);
	/* swappiness 0 is the kernel's "swap as little as possible" */
	assert_true(r.memory.swappiness.set);
	assert_int_equal(r.memory.swappiness.v, 0);
	assert_true(r.pids.limit.set);
	assert_int_equal(r.pids.limit.v, -1);
	/* a hugetlb limit of 0 is a limit */
	assert_int_equal(r.n_hugepage_limits, 1);
	assert_string_equal(r.hugepage_limits[0].page_size, "2MB");
	assert_int_equal(r.hugepage_limits[0].limit, 0);
	assert_int_equal(r.network.class_id.v, 7);
	assert_string_equal(r.network.priorities[0].name, "lo");
	assert_int_equal(r.n_rdma, 1);
	assert_true(r.rdma[0].hca_handles.set);
	assert_false(r.rdma[0].hca_objects.set);
	assert_int_equal(r.n_unified, 1);
	assert_string_equal(r.unified[0].key, "memory.min");
	assert_string_equal(r.unified[0].value, "131072");
	resources_clear(&r);
	assert_null(r.unified);
}

static void weight_device_zero_weights_are_not_set(void **state)
{
	(void)state;
	struct hull_resources r;
	parse_ok("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':0,'leafWeight':300}]}}", &r);
	assert_int_equal(r.block_io.n_weight_device, 1);
	assert_false(r.block_io.weight_device[0].weight.set);
	assert_true(r.block_io.weight_device[0].leaf_weight.set);
	assert_int_equal(r.block_io.weight_device[0].leaf_weight.v, 300);
	resources_clear(&r);
}

/* runc's JSON decoder: null is absent, unknown fields are ignored */
static void null_and_unknown_fields_are_not_set(void **state)
{
	(void)state;
	struct hull_resources r;
	parse_ok("{'pids':{'limit':null,'bogus':'x'},'notAResource':1,'cpu':{'bogus':[1]},'memory':null}", &r);
	assert_false(r.pids.limit.set);
	resources_clear(&r);
	parse_ok("{}", &r);
	assert_false(r.memory.limit.set);
	assert_int_equal(r.n_devices, 0);
	resources_clear(&r);
}

static void device_rules_are_read_in_order_with_runcs_defaults(void **state)
{
	(void)state;
	struct hull_resources r;
	parse_ok("{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':1,'minor':11,'access':'rwa'},"
		 "{'allow':true,'type':'b','major':8,'access':'mxr'}]}",
		 &r);
	assert_int_equal(r.n_devices, 3);
	assert_false(r.devices[0].allow);
	assert_int_equal(r.devices[0].type, 'a');
	assert_int_equal(r.devices[0].major, -1);
	assert_string_equal(r.devices[0].access, "rwm");
	assert_true(r.devices[1].allow);
	assert_int_equal(r.devices[1].type, 'c');
	assert_int_equal(r.devices[1].minor, 11);
	assert_string_equal(r.devices[1].access, "rw");
	assert_int_equal(r.devices[2].type, 'b');
	assert_int_equal(r.devices[2].minor, -1);
	assert_string_equal(r.devices[2].access, "rm");
	resources_clear(&r);
}

/* rootless without a cgroup: what only reads as "nothing to write" runs, a limit is refused (container.c) */
static void any_limit_is_false_for_empty_and_zero_resources(void **state)
{
	(void)state;
	static const char *const none[] = { "{}", "{'memory':{'limit':0,'kernel':0}}", "{'cpu':{'shares':0}}",
					    "{'devices':[{'allow':false,'access':'rwm'}]}" };
	static const char *const limits[] = { "{'pids':{'limit':10}}", "{'memory':{'limit':1048576}}", "{'cpu':{'cpus':'0'}}",
					      "{'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1}]}}",
					      "{'unified':{'pids.max':'5'}}" };
	struct hull_resources r;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		parse_ok(none[i], &r);
		if (resources_any_limit(&r, false))
			fail_msg("%s reads as a limit", none[i]);
		resources_clear(&r);
	}
	parse_ok("{'devices':[{'allow':false,'access':'rwm'}]}", &r);
	assert_true(resources_any_limit(&r, true));
	resources_clear(&r);
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		parse_ok(limits[i], &r);
		if (!resources_any_limit(&r, false))
			fail_msg("%s does not read as a limit", limits[i]);
		resources_clear(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_types_and_ranges_are_refused_naming_the_field),
		cmocka_unit_test(names_leaving_the_cgroup_are_refused),
		cmocka_unit_test(docker_zeros_are_not_set),
		cmocka_unit_test(set_values_stay),
		cmocka_unit_test(weight_device_zero_weights_are_not_set),
		cmocka_unit_test(null_and_unknown_fields_are_not_set),
		cmocka_unit_test(device_rules_are_read_in_order_with_runcs_defaults),
		cmocka_unit_test(any_limit_is_false_for_empty_and_zero_resources),
	};
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return cmocka_run_group_tests_name("resources", tests, NULL, NULL) == 0 ? 0 : 1;
}
