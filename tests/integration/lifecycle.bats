#!/usr/bin/env bats
# The lifecycle: created -> running -> stopped, and concurrent commands.

load helpers

@test "status goes created, running, stopped, then the container is gone" {
	bind_out
	set_cmd sh -c 'while [ ! -e /out/go ]; do sleep 0.1; done'
	create_ctr "$CTR"
	[ "$(status_of "$CTR")" = created ]
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR")" = running ]
	touch "$OUT/go"
	wait_for_status "$CTR" stopped
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
}

@test "state is stopped after init is killed from the host" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	kill -9 "$pid"
	wait_gone "$pid"
	wait_for_status "$CTR" stopped
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$CTR" ]
}

@test "state is stopped after the init of a created container is killed from the host" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	kill -9 "$pid"
	wait_gone "$pid"
	wait_for_status "$CTR" stopped
	run hull start "$CTR"
	[ "$status" -ne 0 ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
}

@test "a recycled pid is not mistaken for the container's init" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	kill -9 "$pid"
	wait_gone "$pid"
	# Whatever runs with that pid now, the container stays stopped.
	wait_for_status "$CTR" stopped
	run hull kill "$CTR" KILL
	[ "$status" -ne 0 ]
}

@test "concurrent starts of one container: exactly one succeeds" {
	bind_out
	set_cmd sh -c 'echo x >> /out/started; exec sleep 1000'
	create_ctr "$CTR"
	pids=()
	for i in 1 2 3 4 5 6; do
		hull_bg start "$CTR"
		pids+=("$BG_PID")
	done
	ok=0
	for p in "${pids[@]}"; do
		bg_wait "$p"
		[ "$status" -eq 0 ] && ok=$((ok + 1))
		[ "$status" -ne 124 ] || fail "a start hung"
	done
	[ "$ok" -eq 1 ]
	wait_for_file "$OUT/started"
	[ "$(status_of "$CTR")" = running ]
	sleep 0.2
	[ "$(wc -l <"$OUT/started")" -eq 1 ]
}

@test "two concurrent creates of the same id: exactly one succeeds" {
	set_cmd sleep 1000
	for attempt in 1 2 3; do
		hull_bg create "$CTR"
		a=$BG_PID
		hull_bg create "$CTR"
		b=$BG_PID
		bg_wait "$a"
		sa=$status
		bg_wait "$b"
		sb=$status
		[ "$sa" -ne 124 ] && [ "$sb" -ne 124 ] || fail "a create hung"
		if [ "$sa" -eq 0 ]; then
			[ "$sb" -ne 0 ] || fail "both creates succeeded"
		else
			[ "$sb" -eq 0 ] || fail "both creates failed: $output"
		fi
		[ "$(status_of "$CTR")" = created ]
		pid=$(pid_of "$CTR")
		pid_alive "$pid"
		run hull delete --force "$CTR"
		[ "$status" -eq 0 ]
		wait_gone "$pid"
		# The loser left nothing behind either.
		assert_nothing_left "$CTR"
	done
}

@test "concurrent kill, state and delete --force on one container end with it gone" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	pids=()
	for cmd in "state $CTR" "kill $CTR KILL" "delete --force $CTR" "state $CTR" "delete --force $CTR" "kill $CTR KILL" "list"; do
		# shellcheck disable=SC2086
		hull_bg $cmd
		pids+=("$BG_PID")
	done
	for p in "${pids[@]}"; do
		bg_wait "$p"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "a command ended with $status: $output"
		if [ "$status" -eq 0 ] && [ -n "$output" ] && [[ "$output" == "{"* ]]; then
			echo "$output" | jq -e . >/dev/null || fail "state printed broken JSON: $output"
		fi
	done
	wait_gone "$pid"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	assert_nothing_left "$CTR"
}

@test "concurrent creates of different ids all succeed" {
	set_cmd sleep 1000
	pids=()
	for i in 1 2 3 4; do
		hull_bg create "${CTR}_$i"
		pids+=("$BG_PID")
	done
	for p in "${pids[@]}"; do
		bg_wait "$p"
		[ "$status" -eq 0 ] || fail "create failed: $output"
	done
	run hull list -q
	[ "${#lines[@]}" -eq 4 ]
	for i in 1 2 3 4; do
		[ "$(status_of "${CTR}_$i")" = created ]
	done
}
