#!/usr/bin/env bats
# process: args, env, cwd, noNewPrivileges, oomScoreAdj.

load helpers

@test "args reach the process unchanged" {
	set_cmd printf '%s\n' "two words" '$HOME' '*' "" "quote'd" 'back\slash'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ] || [ "${#lines[@]}" -eq 6 ]
	[ "${lines[0]}" = "two words" ]
	[ "${lines[1]}" = '$HOME' ]
	[ "${lines[2]}" = '*' ]
	[ "$output" = "$(printf '%s\n' "two words" '$HOME' '*' "" "quote'd" 'back\slash')" ]
}

@test "args[0] is looked up in the PATH of process.env" {
	update_config '.process.env = ["PATH=/usr/sbin:/bin"]'
	set_cmd busybox echo found
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = found ]
}

@test "env is the process environment" {
	update_config '.process.env += ["FOO=bar", "WITH_SPACE=a b", "EMPTY="]'
	set_cmd env
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "FOO=bar"
	echo "$output" | grep -qx "WITH_SPACE=a b"
	echo "$output" | grep -qx "EMPTY="
	echo "$output" | grep -qx "TERM=xterm"
	echo "$output" | grep -qx "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

@test "the runtime's own environment does not leak into the process" {
	set_cmd env
	run env HULL_LEAK_CHECK=leaked "$HULL" --root "$ROOT" run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *HULL_LEAK_CHECK* ]]
	[[ "$output" != *_LIBCONTAINER* ]]
}

@test "signals the runtime's caller ignores are at their default in the process and in exec, as runc's" {
	# a shim, or a CI job under nohup, may ignore SIGHUP: the container must not inherit that
	local ign='trap "" HUP INT TERM USR1 USR2 ALRM WINCH PIPE' want got
	set_cmd grep SigIgn /proc/self/status
	want=$(cd "$BUNDLE" && bash -c "$ign; exec runc --root $TESTDIR/runc-root run ${CTR}_runc" </dev/null)
	[ "$want" = "$(printf 'SigIgn:\t0000000000000000')" ] || fail "runc (the reference): $want"
	got=$(bash -c "$ign; exec $HULL --root $ROOT run $CTR" </dev/null) || fail "run failed: $got"
	[ "$got" = "$want" ] || fail "run: the process ignores what its caller did: $got"
	set_cmd sleep 1000
	run_d "$CTR"
	got=$(bash -c "$ign; exec $HULL --root $ROOT exec $CTR grep SigIgn /proc/self/status" </dev/null) ||
		fail "exec failed: $got"
	[ "$got" = "$want" ] || fail "exec: the process ignores what its caller did: $got"
}

@test "HOME is set from /etc/passwd when env lacks it" {
	set_cmd sh -c 'echo "home=$HOME"'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = home=/root ]
}

@test "HOME from env wins over /etc/passwd" {
	update_config '.process.env += ["HOME=/tmp"]'
	set_cmd sh -c 'echo "home=$HOME"'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = home=/tmp ]
}

@test "cwd is the process working directory" {
	update_config '.process.cwd = "/etc"'
	set_cmd pwd
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = /etc ]
}

@test "a missing cwd is created" {
	update_config '.process.cwd = "/work/dir"'
	set_cmd pwd
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = /work/dir ]
}

@test "noNewPrivileges true sets NoNewPrivs" {
	set_cmd grep NoNewPrivs /proc/self/status
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2}')" = 1 ]
}

@test "noNewPrivileges false leaves NoNewPrivs unset" {
	update_config '.process.noNewPrivileges = false'
	set_cmd grep NoNewPrivs /proc/self/status
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2}')" = 0 ]
}

@test "oomScoreAdj sets /proc/self/oom_score_adj" {
	update_config '.process.oomScoreAdj = 500'
	set_cmd cat /proc/self/oom_score_adj
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
	update_config '.process.oomScoreAdj = 1000'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 1000 ]
}

@test "without oomScoreAdj the process keeps the runtime's score" {
	update_config 'del(.process.oomScoreAdj)'
	set_cmd cat /proc/self/oom_score_adj
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /proc/self/oom_score_adj)" ]
}

@test "the process is the container's init with the init's pid from state" {
	bind_out
	set_cmd sh -c 'echo $$ > /out/pid; exec sleep 1000'
	run_d "$CTR"
	wait_for_file "$OUT/pid"
	pid=$(pid_of "$CTR")
	[ "$(cat "$OUT/pid")" = 1 ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 1000 " ]
}
