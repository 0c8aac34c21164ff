#!/usr/bin/env bats
# The user namespace, with uidMappings and gidMappings.

load helpers

setup() {
	setup_hull
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
}

@test "the uid and gid mappings are seen in /proc/self/uid_map and gid_map" {
	set_cmd sh -c 'cat /proc/self/uid_map; echo --; cat /proc/self/gid_map'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | awk '{print $1, $2, $3}')" = "0 100000 65536" ]
	[ "${lines[1]}" = -- ]
	[ "$(echo "${lines[2]}" | awk '{print $1, $2, $3}')" = "0 200000 65536" ]
}

@test "the user namespace is new and the process is root inside it" {
	set_cmd sh -c 'readlink /proc/self/ns/user; id -u; id -g'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(host_ns user)" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
}

@test "the container process runs as the mapped host ids" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "100000 100000 100000 100000" ]
	[ "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "200000 200000 200000 200000" ]
}

@test "a process uid inside the namespace maps to host uid plus offset" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 101000 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 201000 ]
}

@test "host root's files are unmapped (overflow ids) inside the namespace" {
	set_cmd stat -c '%u %g' /bin/busybox
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "65534 65534" ]
}

@test "a user namespace without uid mappings is rejected and leaves nothing" {
	update_config 'del(.linux.uidMappings) | del(.linux.gidMappings)'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}
