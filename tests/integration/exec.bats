#!/usr/bin/env bats
# exec: one more process in a running container, its namespaces and cgroup, flags, exit codes, errors.

load helpers

@test "exec runs in the init's namespaces and cgroup" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull exec "$CTR" sh -c 'for n in pid net mnt ipc uts; do readlink /proc/self/ns/$n; done; grep pids /proc/self/cgroup'
	[ "$status" -eq 0 ]
	i=0
	for n in pid net mnt ipc uts; do
		[ "${lines[$i]}" = "$(readlink "/proc/$pid/ns/$n")" ]
		i=$((i + 1))
	done
	[ "${lines[5]}" = "$(grep pids "/proc/$pid/cgroup")" ]
}

# as run.bats checks for the init: a foreground exec blocks what it forwards, and hull ignores SIGPIPE
@test "exec starts the process with no blocked signal and no ignored signal of hull's" {
	set_cmd sleep 1000
	run_d "$CTR"
	# the baseline goes through timeout(1) as the hull helper's command does: timeout's handlers reset
	# the SIGINT and SIGQUIT that a shell's background job ignores
	host_ign=$(timeout 10 grep -E '^SigIgn:' /proc/self/status)
	run hull exec "$CTR" grep -E '^Sig(Blk|Ign):' /proc/self/status
	[ "$status" -eq 0 ] || fail "exec: $output"
	[ "${lines[0]}" = "SigBlk:	0000000000000000" ] || fail "blocked in the foreground: $output"
	[ "${lines[1]}" = "$host_ign" ] || fail "ignored: $output, host: $host_ign"
}

@test "exec returns the process's exit code" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec "$CTR" sh -c 'exit 7'
	[ "$status" -eq 7 ]
}

@test "exec --user, --env, --cwd and --no-new-privs apply to the new process" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec --user 1000:1001 --env FOO=bar --cwd /tmp --no-new-privs "$CTR" sh -c 'id -u; id -g; echo $FOO; pwd; grep NoNewPrivs /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "${lines[2]}" = bar ]
	[ "${lines[3]}" = /tmp ]
	[[ "${lines[4]}" == *1 ]]
}

@test "exec --user keeps the config's gid and groups unless given, as runc's exec" {
	update_config '.process.user.gid = 7 | .process.user.additionalGids = [20, 30]'
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec --user 1000 "$CTR" sh -c 'id -u; id -g; id -G'
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = 1000 ] && [ "${lines[1]}" = 7 ] || fail "$output"
	[ "${lines[2]}" = "7 20 30" ] || fail "the config's groups went: $output"
	run hull exec --user 1000:9 "$CTR" id -G
	[ "$output" = "9 20 30" ] || fail "$output"
}

@test "exec --cap never adds to the inheritable set" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec --cap CAP_SYS_ADMIN "$CTR" sh -c 'grep -E "CapInh|CapEff" /proc/self/status'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *0000000000000000 ]]
	# CAP_SYS_ADMIN is bit 21
	eff=$(echo "${lines[1]}" | awk '{print $2}')
	[ $(( (0x$eff >> 21) & 1 )) -eq 1 ]
}

@test "exec into a stopped or unknown container fails clearly" {
	set_cmd true
	run hull run --keep "$CTR"
	run hull exec "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"* || "$output" == *"stopped container"* ]] || fail "$output"
	run hull exec nosuch_"$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	hull delete "$CTR"
}

@test "exec into a paused container needs --ignore-paused" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull pause "$CTR"
	[ "$status" -eq 0 ]
	run hull exec "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *paused* ]]
	run hull resume "$CTR"
}

@test "exec -d returns at once and writes --pid-file" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec -d --pid-file "$TESTDIR/exec.pid" "$CTR" sleep 999
	[ "$status" -eq 0 ]
	p=$(cat "$TESTDIR/exec.pid")
	grep -q "sleep 999" "/proc/$p/cmdline" || [ "$(tr '\0' ' ' < "/proc/$p/cmdline")" = "sleep 999 " ]
}

@test "exec --additional-gids and -g add groups, repeatable or comma-separated" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec -g 501 -g 502 "$CTR" sh -c 'id -G'
	[ "$status" -eq 0 ]
	for g in 501 502; do
		[[ " $output " == *" $g "* ]] || fail "gid $g missing: $output"
	done
	run hull exec --additional-gids 505 "$CTR" sh -c 'id -G'
	[[ " $output " == *" 505 "* ]] || fail "$output"
	if is_hull; then
		run hull exec -g 503,504 "$CTR" sh -c 'id -G'
		[[ "$output" == *" 503 504"* ]] || fail "$output"
	fi
	run hull exec -g notanumber "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *additional-gids* ]] || fail "$output"
}

@test "exec: nothing but stdio reaches the process; --preserve-fds N passes fds 3..3+N-1" {
	set_cmd sleep 1000
	run_d "$CTR"
	echo three >"$TESTDIR/f3"
	echo four >"$TESTDIR/f4"
	# ls opens the fd directory itself: that one is 3 when nothing leaked
	run hull exec "$CTR" ls /proc/self/fd
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2 3" ] || fail "fds: $output"
	run bash -c "exec 3<'$TESTDIR/f3' 4<'$TESTDIR/f4' 5<'$TESTDIR/f4'; env '$TAG' '$HULL' --root '$ROOT' exec --preserve-fds 2 '$CTR' sh -c 'cat <&3; cat <&4; ls /proc/self/fd'"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = three ]
	[ "${lines[1]}" = four ]
	# fd 5 was not preserved; ls's own directory fd takes it
	[ "$(echo ${lines[@]:2})" = "0 1 2 3 4 5" ] || fail "fds: ${lines[*]}"
}

@test "exec'd processes see the init's /proc/self/ns/* and are non-dumpable only until they exec" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull exec "$CTR" sh -c 'for n in cgroup ipc mnt net pid uts; do echo $n $(readlink /proc/self/ns/$n); done; grep -E "^(State|Uid)" /proc/self/status'
	[ "$status" -eq 0 ]
	for n in cgroup ipc mnt net pid uts; do
		[[ "$output" == *"$n $(readlink "/proc/$pid/ns/$n")"* ]] || fail "$n differs: $output"
	done
	# after execve the kernel resets dumpable: a debugger in the container may attach again
	hull exec -d --pid-file "$TESTDIR/e.pid" "$CTR" sleep 999
	e=$(cat "$TESTDIR/e.pid")
	[ -r "/proc/$e/environ" ]
	[ "$(stat -c %u "/proc/$e")" = 0 ]
}

@test "exec --apparmor and --process-label fail clearly where the host has no such LSM" {
	set_cmd sleep 1000
	run_d "$CTR"
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
		run hull exec --apparmor unconfined "$CTR" true
		[ "$status" -ne 0 ]
		! is_hull || [[ "$output" == *"AppArmor is not enabled"* ]] || fail "$output"
	fi
	if [ ! -e /sys/fs/selinux/enforce ]; then
		run hull exec --process-label system_u:system_r:container_t:s0 "$CTR" true
		[ "$status" -ne 0 ]
		! is_hull || [[ "$output" == *"SELinux is not enabled"* ]] || fail "$output"
	fi
	# no process of the failed execs is left in the container
	run hull ps --format json "$CTR"
	[ "$(echo "$output" | jq length)" = 1 ]
}

@test "exec --process ignores the flags that edit a process, as runc does" {
	set_cmd sleep 1000
	run_d "$CTR"
	cat >"$TESTDIR/p.json" <<'J'
{"terminal": false, "user": {"uid": 0, "gid": 0}, "cwd": "/", "env": ["PATH=/bin"], "args": ["sh", "-c", "grep CapEff /proc/self/status; test -t 0 || echo no-tty"]}
J
	run hull exec --process "$TESTDIR/p.json" --cap CAP_SYS_ADMIN "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	eff=$(echo "${lines[0]}" | awk '{print $2}')
	[ $(( (0x$eff >> 21) & 1 )) -eq 0 ] || fail "--cap applied to --process: $output"
	[ "${lines[1]}" = no-tty ]
	# a file without capabilities gets the container's, as under runc
	[ "${lines[0]}" = "$(grep CapEff "/proc/$(pid_of "$CTR")/status")" ] || fail "$output"
}

# process.json's env is larger than a pipe, a socket buffer and the 128 KiB of one exec argument, in
# 3000 strings: it reaches the process whole.
@test "exec -p delivers an environment larger than 128 KiB whole" {
	set_cmd sleep 100
	run_d "$CTR"
	python3 -c 'import json, sys
json.dump({"args": ["sh", "-c", "env | grep -c ^V; echo $V2999"], "cwd": "/",
	"env": ["PATH=/bin:/sbin"] + ["V%d=%s" % (i, "y" * 100) for i in range(3000)]}, open(sys.argv[1], "w"))' "$TESTDIR/p.json"
	run hull exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -eq 0 ] || fail "exec: $output"
	[ "${lines[0]}" = 3000 ]
	[ "${lines[1]}" = "$(printf 'y%.0s' $(seq 100))" ]
}

# One env string longer than the kernel takes (MAX_ARG_STRLEN, 128 KiB): refused with execve's words.
@test "exec -p refuses an env string beyond the kernel's limit clearly" {
	set_cmd sleep 100
	run_d "$CTR"
	python3 -c 'import json, sys
json.dump({"args": ["sh", "-c", "echo ran"], "cwd": "/", "env": ["PATH=/bin:/sbin", "BIG=" + "x" * 200000]},
	open(sys.argv[1], "w"))' "$TESTDIR/p.json"
	run hull exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" != *ran* ]]
	is_hull || return 0
	[[ "$output" == *"argument list too long"* ]] || fail "error: $output"
}
