#!/usr/bin/env bats
# The time namespace and linux.timeOffsets (runtime-spec 1.2).

load helpers

BOOT_OFFSET=31536000  # one year
MONO_OFFSET=86400     # one day

setup() {
	setup_hull
	requires_feature "the time namespace (runtime-spec 1.2)"
	[ -e /proc/self/ns/time ] || skip "the kernel has no time namespaces"
	add_ns time
	update_config --argjson b "$BOOT_OFFSET" --argjson m "$MONO_OFFSET" \
		'.linux.timeOffsets = {"boottime": {"secs": $b, "nanosecs": 0}, "monotonic": {"secs": $m, "nanosecs": 0}}'
}

@test "the time namespace is new" {
	set_cmd readlink /proc/self/ns/time
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == time:* ]]
	[ "$output" != "$(host_ns time)" ]
}

@test "timeOffsets are the namespace's offsets" {
	set_cmd cat /proc/self/timens_offsets
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '$1 == "boottime" {print $2, $3}')" = "$BOOT_OFFSET 0" ]
	[ "$(echo "$output" | awk '$1 == "monotonic" {print $2, $3}')" = "$MONO_OFFSET 0" ]
}

@test "the boottime offset shows in /proc/uptime" {
	set_cmd cat /proc/uptime
	before=$(awk '{printf "%d", $1}' /proc/uptime)
	run hull run "$CTR"
	after=$(awk '{printf "%d", $1}' /proc/uptime)
	[ "$status" -eq 0 ]
	inside=$(echo "$output" | awk '{printf "%d", $1}')
	[ "$inside" -ge $((before + BOOT_OFFSET)) ]
	[ "$inside" -le $((after + BOOT_OFFSET + 1)) ]
}

@test "without timeOffsets the new time namespace has zero offsets" {
	update_config 'del(.linux.timeOffsets)'
	set_cmd cat /proc/self/timens_offsets
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2, $3}' | sort -u)" = "0 0" ]
}

# In a user namespace the init's /proc/self belongs to the host's root once it became the namespace's
# root (it is non-dumpable): the offsets are written before that.
@test "timeOffsets are applied in a user namespace" {
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	set_cmd cat /proc/self/timens_offsets
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$(echo "$output" | awk '$1 == "boottime" {print $2, $3}')" = "$BOOT_OFFSET 0" ]
	[ "$(echo "$output" | awk '$1 == "monotonic" {print $2, $3}')" = "$MONO_OFFSET 0" ]
}
