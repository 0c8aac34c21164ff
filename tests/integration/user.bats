#!/usr/bin/env bats
# process.user: uid, gid, umask, additionalGids.

load helpers

@test "uid and gid are the process ids" {
	update_config '.process.user = {"uid": 1000, "gid": 1001}'
	set_cmd sh -c 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "$(echo "${lines[2]}" | awk '{print $2, $3, $4, $5}')" = "1000 1000 1000 1000" ]
	[ "$(echo "${lines[3]}" | awk '{print $2, $3, $4, $5}')" = "1001 1001 1001 1001" ]
}

@test "additionalGids are the supplementary groups" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20, 30]}'
	set_cmd id -G
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "10 20 30 1000 " ]
}

@test "without additionalGids there are no supplementary groups beyond gid" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sh -c 'grep Groups: /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	groups=$(echo "$output" | sed 's/^Groups:[[:space:]]*//' | tr -s ' ' | sed 's/ $//')
	[ -z "$groups" ] || [ "$groups" = 1000 ]
}

@test "the runtime's supplementary groups do not leak to root in the container" {
	set_cmd sh -c 'grep Groups: /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	groups=$(echo "$output" | sed 's/^Groups:[[:space:]]*//' | tr -s ' ' | sed 's/ $//')
	[ -z "$groups" ] || [ "$groups" = 0 ]
}

@test "umask is the process umask" {
	update_config '.process.user.umask = 63'
	set_cmd sh -c umask
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 0077 ]
}

@test "the default umask is 0022" {
	set_cmd sh -c umask
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 0022 ]
}

@test "files created by a non-root user belong to it" {
	bind_out
	update_config '.process.user = {"uid": 1234, "gid": 4321}'
	set_cmd touch /out/made
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%u %g' "$OUT/made")" = "1234 4321" ]
}
