#!/usr/bin/env bats
# process.rlimits

load helpers

limit_of() { # NAME-in-/proc/self/limits: "soft hard" from $output
	echo "$output" | awk -v n="$1" 'index($0, n) == 1 {print $(NF - 2), $(NF - 1)}'
}

@test "the default config's RLIMIT_NOFILE of 1024 applies" {
	set_cmd sh -c 'ulimit -n; cat /proc/self/limits'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1024 ]
	[ "$(limit_of "Max open files")" = "1024 1024" ]
}

@test "soft and hard limits are set separately" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 4096}]'
	set_cmd cat /proc/self/limits
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(limit_of "Max open files")" = "2048 4096" ]
}

@test "several rlimits are applied" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 512},
		{"type": "RLIMIT_NPROC", "soft": 300, "hard": 400},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
		{"type": "RLIMIT_STACK", "soft": 4194304, "hard": 8388608}]'
	set_cmd cat /proc/self/limits
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(limit_of "Max open files")" = "512 512" ]
	[ "$(limit_of "Max processes")" = "300 400" ]
	[ "$(limit_of "Max core file size")" = "0 0" ]
	[ "$(limit_of "Max stack size")" = "4194304 8388608" ]
}

@test "rlimits apply to a non-root process" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200}]'
	set_cmd sh -c 'ulimit -n'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 100 ]
}

@test "an unknown rlimit type fails create and leaves nothing" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOSUCH", "soft": 1, "hard": 1}]'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}
