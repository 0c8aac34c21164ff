#!/usr/bin/env bats
# ps: the container's processes, at any status, as runc lists them.

load helpers

@test "ps of a stopped container prints the header only and succeeds, as runc's" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	run hull ps "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${#lines[@]}" -eq 1 ] || fail "$output"
	[[ "${lines[0]}" == *PID* ]] || fail "$output"
	run hull ps --format json "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	echo "$output" | jq -e 'length == 0'
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
}

@test "ps of an unknown container fails with runc's words" {
	run hull ps "nosuch_$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]] || fail "$output"
}
