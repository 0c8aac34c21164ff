#!/usr/bin/env bats
# start ID: runs the user process of a created container.

load helpers

@test "start runs the process of a created container" {
	bind_out
	set_cmd sh -c 'echo "$$" > /out/pid; exec sleep 1000'
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/pid"
	# The process runs as the container's pid 1, in the init process created by create.
	[ "$(cat "$OUT/pid")" = 1 ]
	[ "$(status_of "$CTR")" = running ]
	pid=$(pid_of "$CTR")
	pid_alive "$pid"
	grep -q sleep "/proc/$pid/cmdline"
}

@test "start on a running container fails and leaves it running" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	pid=$(pid_of "$CTR")
	run hull start "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	[ "$(status_of "$CTR")" = running ]
	[ "$(pid_of "$CTR")" = "$pid" ]
}

@test "start on a stopped container fails" {
	set_cmd true
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	run hull start "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	[ "$(status_of "$CTR")" = stopped ]
}

@test "start of an unknown container fails" {
	run hull start nosuchcontainer
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "start without an id fails" {
	run hull start
	[ "$status" -ne 0 ]
}

@test "start --help describes the command" {
	run hull start --help
	[ "$status" -eq 0 ]
	[[ "$output" == *start* ]]
}
