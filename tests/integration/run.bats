#!/usr/bin/env bats
# run ID: create + start; --detach/-d, --keep; exit codes of a foreground run.

load helpers

@test "run returns the exit code of the process" {
	set_cmd sh -c 'exit 7'
	run hull run "$CTR"
	[ "$status" -eq 7 ]
	set_cmd true
	run hull run "$CTR2"
	[ "$status" -eq 0 ]
}

@test "run passes stdout and stderr of the process through" {
	set_cmd sh -c 'echo to-stdout; echo to-stderr >&2'
	hull run "$CTR" >"$TESTDIR/o" 2>"$TESTDIR/e"
	[ "$(cat "$TESTDIR/o")" = to-stdout ]
	grep -qx to-stderr "$TESTDIR/e"
}

@test "run passes stdin to the process" {
	set_cmd sh -c 'read line; echo "got $line"'
	run hull run "$CTR" <<<"hello there"
	[ "$status" -eq 0 ]
	[ "$output" = "got hello there" ]
}

# hull blocks the signals it forwards and ignores SIGPIPE itself: the process must get neither. Ignored
# signals are inherited through execve, so the process's must equal those of one this shell starts.
@test "run starts the process with no blocked signal and no ignored signal of hull's" {
	set_cmd grep -E '^Sig(Blk|Ign):' /proc/self/status
	# the baseline goes through timeout(1) as the hull helper's command does: timeout's handlers reset
	# the SIGINT and SIGQUIT that a shell's background job ignores
	host_ign=$(timeout 10 grep -E '^SigIgn:' /proc/self/status)
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "${lines[0]}" = "SigBlk:	0000000000000000" ] || fail "blocked in the foreground: $output"
	[ "${lines[1]}" = "$host_ign" ] || fail "ignored: $output, host: $host_ign"
}

@test "run returns 128+N when the process is killed by signal N" {
	set_cmd sleep 1000
	hull_bg run "$CTR"
	wait_for_status "$CTR" running
	pid=$(pid_of "$CTR")
	kill -9 "$pid"
	bg_wait "$BG_PID"
	[ "$status" -eq 137 ]
}

@test "run returns 143 when the process dies of SIGTERM" {
	# Without a pid namespace the shell is not an init, so SIGTERM kills it.
	del_ns pid
	set_cmd sh -c 'kill -TERM $$; sleep 5'
	run hull run "$CTR"
	[ "$status" -eq 143 ]
}

@test "run returns 128+N for a container killed with kill" {
	set_cmd sleep 1000
	hull_bg run "$CTR"
	wait_for_status "$CTR" running
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	bg_wait "$BG_PID"
	[ "$status" -eq 137 ]
}

@test "run deletes the container after the process exits" {
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
	run hull list -q
	[ -z "$output" ]
}

@test "run deletes the container also when the process fails" {
	set_cmd sh -c 'exit 3'
	run hull run "$CTR"
	[ "$status" -eq 3 ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
}

@test "run --keep keeps the stopped container" {
	set_cmd sh -c 'exit 4'
	run hull run --keep "$CTR"
	[ "$status" -eq 4 ]
	[ "$(status_of "$CTR")" = stopped ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
}

@test "run --detach returns with the container running" {
	set_cmd sleep 1000
	run_d "$CTR"
	[ "$(status_of "$CTR")" = running ]
	pid_alive "$(pid_of "$CTR")"
}

@test "run -d returns with the container running" {
	set_cmd sleep 1000
	run hull_detached run -d "$CTR"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR")" = running ]
}

@test "run --detach keeps the container after its process exits" {
	bind_out
	set_cmd sh -c 'echo done > /out/done'
	run_d "$CTR"
	wait_for_file "$OUT/done"
	wait_for_status "$CTR" stopped
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
}

@test "run --detach writes --pid-file" {
	set_cmd sleep 1000
	run_d --pid-file "$TESTDIR/pid" "$CTR"
	[ "$(cat "$TESTDIR/pid")" = "$(pid_of "$CTR")" ]
}

@test "run of a missing command fails and leaves nothing behind" {
	set_cmd /no/such/command
	run hull run "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "run --help describes --detach and --keep" {
	run hull run --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--detach* ]]
	[[ "$output" == *--keep* ]]
}

@test "run passes systemd's LISTEN_FDS sockets on as fds 3.. with LISTEN_FDS and LISTEN_PID=1" {
	set_cmd sh -c 'echo fds=$LISTEN_FDS pid=$LISTEN_PID; cat <&3; cat <&4; ls /proc/self/fd'
	echo a >"$TESTDIR/a"
	echo b >"$TESTDIR/b"
	# as systemd hands them over: LISTEN_PID names the runtime's own pid
	run bash -c "exec 3<'$TESTDIR/a' 4<'$TESTDIR/b'; export LISTEN_FDS=2 LISTEN_PID=\$\$; exec env '$TAG' '$HULL' --root '$ROOT' run '$CTR'"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "fds=2 pid=1" ]
	[ "${lines[1]}" = a ]
	[ "${lines[2]}" = b ]
	[ "$(echo ${lines[@]:3})" = "0 1 2 3 4 5" ] || fail "${lines[*]}"
}
