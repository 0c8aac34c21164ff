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
	[[ "$output" == *"not running"* ]]
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
