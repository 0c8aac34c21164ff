#!/usr/bin/env bats
# delete ID: removes stopped and created containers; --force for running ones.

load helpers

@test "delete removes a stopped container" {
	set_cmd true
	run hull run --keep "$CTR"
	[ "$status" -eq 0 ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
	[ -z "$(tagged_pids)" ]
}

@test "delete removes a created container and its init" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	wait_gone "$pid"
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
}

@test "delete of a running container fails without --force" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull delete "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	[ "$(status_of "$CTR")" = running ]
	pid_alive "$pid"
}

@test "delete --force kills and removes a running container" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	wait_gone "$pid"
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
	[ -z "$(tagged_pids)" ]
}

@test "delete -f is --force" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull delete -f "$CTR"
	[ "$status" -eq 0 ]
	wait_gone "$pid"
	[ ! -e "$ROOT/$CTR" ]
}

@test "delete --force kills every process of a container without a pid namespace" {
	del_ns pid
	bind_out
	set_cmd sh -c 'sleep 1000 & echo $! > /out/child; exec sleep 1000'
	run_d "$CTR"
	wait_for_file "$OUT/child"
	child=$(cat "$OUT/child")
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	wait_gone "$child"
}

@test "delete of an unknown container fails" {
	run hull delete nosuchcontainer
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "delete --force of an unknown container succeeds" {
	run hull delete --force nosuchcontainer
	[ "$status" -eq 0 ]
}

@test "delete without an id fails" {
	run hull delete
	[ "$status" -ne 0 ]
}

@test "delete leaves other containers alone" {
	set_cmd sleep 1000
	run_d "$CTR"
	run_d "$CTR2"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR2")" = running ]
	pid_alive "$(pid_of "$CTR2")"
}
