#!/usr/bin/env bats
# kill ID [SIGNAL]: names with and without SIG, numbers, --all, unknown signals.

load helpers

# A container whose init logs the signals it catches to /out/signals.
signal_logger() {
	bind_out
	set_cmd sh -c 'for s in HUP INT USR1 USR2 TERM; do trap "echo $s >> /out/signals" $s; done
		echo ready > /out/ready
		while :; do sleep 0.1; done'
	run_d "$CTR"
	wait_for_file "$OUT/ready"
}

# wait_signal NAME: until /out/signals has NAME as its last line
wait_signal() {
	local i
	for i in $(seq "$(tries 100)"); do
		[ "$(tail -n 1 "$OUT/signals" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "the container did not catch $1 (got: $(cat "$OUT/signals" 2>/dev/null))"
}

@test "kill sends SIGTERM to init by default" {
	signal_logger
	run hull kill "$CTR"
	[ "$status" -eq 0 ]
	wait_signal TERM
}

@test "kill sends the named signal to init" {
	signal_logger
	run hull kill "$CTR" USR1
	[ "$status" -eq 0 ]
	wait_signal USR1
}

@test "kill accepts the signal name with the SIG prefix" {
	signal_logger
	run hull kill "$CTR" SIGUSR2
	[ "$status" -eq 0 ]
	wait_signal USR2
}

@test "kill accepts the signal number" {
	signal_logger
	run hull kill "$CTR" 1
	[ "$status" -eq 0 ]
	wait_signal HUP
	run hull kill "$CTR" 10
	[ "$status" -eq 0 ]
	wait_signal USR1
}

@test "kill KILL, SIGKILL and 9 stop the container" {
	set_cmd sleep 1000
	for sig in KILL SIGKILL 9; do
		run_d "$CTR"
		pid=$(pid_of "$CTR")
		run hull kill "$CTR" "$sig"
		[ "$status" -eq 0 ]
		wait_for_status "$CTR" stopped
		wait_gone "$pid"
		run hull delete "$CTR"
		[ "$status" -eq 0 ]
	done
}

@test "kill of a created container stops it" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	wait_gone "$pid"
}

@test "kill with an unknown signal fails and leaves the container running" {
	set_cmd sleep 1000
	run_d "$CTR"
	for sig in FOO SIGFOO 0x9 99 -1; do
		run hull kill "$CTR" "$sig"
		[ "$status" -ne 0 ] || fail "kill $sig succeeded"
		[ -n "$output" ]
	done
	[ "$(status_of "$CTR")" = running ]
}

@test "kill of an unknown container fails" {
	run hull kill nosuchcontainer KILL
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "kill of a stopped container fails" {
	set_cmd true
	run hull run --keep "$CTR"
	[ "$status" -eq 0 ]
	run hull kill "$CTR" KILL
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "kill without an id fails" {
	run hull kill
	[ "$status" -ne 0 ]
}

@test "kill --all signals every process of the container" {
	# Without a pid namespace the children do not die with init, so only
	# --all can reach them.
	del_ns pid
	bind_out
	set_cmd sh -c 'sleep 1000 & echo $! > /out/child; exec sleep 1000'
	run_d "$CTR"
	wait_for_file "$OUT/child"
	child=$(cat "$OUT/child")
	pid=$(pid_of "$CTR")
	pid_alive "$child"
	run hull kill --all "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_gone "$child"
	wait_gone "$pid"
	wait_for_status "$CTR" stopped
}

@test "kill -a is --all" {
	del_ns pid
	bind_out
	set_cmd sh -c 'sleep 1000 & echo $! > /out/child; exec sleep 1000'
	run_d "$CTR"
	wait_for_file "$OUT/child"
	child=$(cat "$OUT/child")
	run hull kill -a "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_gone "$child"
}

@test "kill without --all leaves the other processes alone" {
	del_ns pid
	bind_out
	set_cmd sh -c 'trap "echo TERM >> /out/signals; exit 0" TERM; sleep 1000 & echo $! > /out/child; while :; do sleep 0.1; done'
	run_d "$CTR"
	wait_for_file "$OUT/child"
	child=$(cat "$OUT/child")
	run hull kill "$CTR" TERM
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/signals"
	pid_alive "$child"
}

@test "kill with signal 0 checks the container, and kill --all of a stopped container succeeds" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull kill "$CTR" 0
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(status_of "$CTR")" = running ]
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	# runc's own kill.bats: kill -a after the container stopped
	run hull kill -a "$CTR" 0
	[ "$status" -eq 0 ] || fail "$output"
	run hull kill "$CTR" 0
	[ "$status" -ne 0 ]
	[[ "$output" == *"container not running"* ]] || fail "$output"
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
}
