#!/usr/bin/env bats
# The annotation "hull.init": "true" (Docker's --init): hull's reaper is pid 1 of the container and the process
# its child; orphans are reaped, signals forwarded, the process's status is the container's.

load helpers

setup() {
	setup_hull
	requires_hull "hull.init is hull's own annotation"
}

init_on() {
	update_config '.annotations["hull.init"] = "true"'
}

@test "with hull.init, pid 1 is hull-init and the process is its child" {
	init_on
	set_cmd sh -c 'echo pid=$$ ppid=$PPID comm1=$(cat /proc/1/comm)'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[[ "$output" =~ ^pid=([0-9]+)\ ppid=1\ comm1=hull-init$ ]] || fail "$output"
	[ "${BASH_REMATCH[1]}" != 1 ] || fail "the process is pid 1: $output"
}

@test "with hull.init, pid 1's command line is hull-init, not the host's hull command" {
	init_on
	set_cmd sh -c 'tr "\0" " " </proc/1/cmdline'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[[ "$output" =~ ^hull-init\ *$ ]] || fail "pid 1's command line: $output"
}

@test "without hull.init the process is pid 1 as before" {
	set_cmd sh -c 'echo pid=$$ ppid=$PPID'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$output" = "pid=1 ppid=0" ] || fail "$output"
}

@test "hull.init other than true or false is refused" {
	update_config '.annotations["hull.init"] = "yes"'
	set_cmd true
	run hull run "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *'annotations.hull.init: must be "true" or "false"'* ]] || fail "$output"
	assert_nothing_left "$CTR"
}

# The subshell's sleep is orphaned at once and reparented to pid 1, which must wait for it: busybox sh (the
# process) does not wait for what it did not start. Its /proc entry stays (state Z) until someone reaps it.
@test "hull.init reaps an orphan that dies" {
	init_on
	set_cmd sh -c 'o=$( (sleep 0.3 >/dev/null & echo $!) )
		echo parent=$(cut -d" " -f4 /proc/$o/stat)
		sleep 1.5
		if [ -e /proc/$o ]; then echo left=$(cut -d" " -f3 /proc/$o/stat); else echo reaped; fi
		grep -l "^[0-9]* ([^)]*) Z" /proc/[0-9]*/stat || echo no-zombies'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "${lines[0]}" = parent=1 ] || fail "the orphan was not the init's: $output"
	[ "${lines[1]}" = reaped ] || fail "the orphan was not reaped: $output"
	[ "${lines[2]}" = no-zombies ] || fail "$output"
}

# runc's default config has a pid namespace: without it the reaper is not pid 1 and claims the orphans as a
# child subreaper, or the host's init would.
@test "hull.init without a pid namespace is the orphans' subreaper" {
	init_on
	del_ns pid
	set_cmd sh -c 'o=$( (sleep 0.3 >/dev/null & echo $!) )
		echo init=$PPID parent=$(cut -d" " -f4 /proc/$o/stat)
		sleep 1
		[ -e /proc/$o ] && echo left || echo reaped'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[[ "${lines[0]}" =~ ^init=([0-9]+)\ parent=([0-9]+) ]] || fail "$output"
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || fail "the orphan went elsewhere: $output"
	[ "${lines[1]}" = reaped ] || fail "$output"
}

@test "hull.init: hull kill TERM reaches the process, whose status is the container's" {
	init_on
	bind_out
	set_cmd sh -c 'trap "exit 3" TERM; echo ready > /out/ready; while :; do sleep 0.1; done'
	hull_bg run "$CTR"
	wait_for_file "$OUT/ready"
	pid=$(pid_of "$CTR")
	[ "$(cat "/proc/$pid/comm")" = hull-init ] || fail "the state's pid is not the init: $(cat "/proc/$pid/comm")"
	hull kill "$CTR" TERM
	bg_wait "$BG_PID"
	[ "$status" -eq 3 ] || fail "status $status: $output"
}

# The reaper keeps the process's credentials: as a non-root user of a user namespace it may still signal its child.
@test "hull.init in a user namespace as a non-root user forwards hull kill to the process" {
	init_on
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .process.user = {"uid": 1000, "gid": 1000}'
	mkdir "$BUNDLE/rootfs/out" # the root of the user namespace does not own the rootfs: it cannot make /out
	bind_out
	set_cmd sh -c 'trap "exit 4" USR1; echo "$(id -u) $(cat /proc/1/comm)" > /out/ready; while :; do sleep 0.1; done'
	hull_bg run "$CTR"
	wait_for_file "$OUT/ready"
	[ "$(cat "$OUT/ready")" = "1000 hull-init" ] || fail "$(cat "$OUT/ready")"
	pid=$(pid_of "$CTR")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 101000 ] || fail "the reaper's uid: $(grep Uid: "/proc/$pid/status")"
	hull kill "$CTR" USR1
	bg_wait "$BG_PID"
	[ "$status" -eq 4 ] || fail "status $status: $output"
}

@test "hull.init: the process's exit code and its killing signal become the container's status" {
	init_on
	set_cmd sh -c 'exit 7'
	run hull run "$CTR"
	[ "$status" -eq 7 ] || fail "status $status: $output"
	hull delete "$CTR" 2>/dev/null || true
	set_cmd sh -c 'kill -KILL $$'
	run hull run "$CTR"
	[ "$status" -eq 137 ] || fail "status $status: $output"
	hull delete "$CTR" 2>/dev/null || true
	# without a trap, TERM forwarded by the init kills the process (pid 1 would have ignored it)
	bind_out
	set_cmd sh -c 'echo ready > /out/ready; while :; do sleep 0.1; done'
	hull_bg run "$CTR"
	wait_for_file "$OUT/ready"
	hull kill "$CTR" TERM
	bg_wait "$BG_PID"
	[ "$status" -eq 143 ] || fail "status $status: $output"
}

@test "hull.init: the process starts with no blocked signal" {
	init_on
	set_cmd grep -E '^SigBlk:' /proc/self/status
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$output" = "SigBlk:	0000000000000000" ] || fail "$output"
}

@test "hull.init: exec joins the container beside the init and its child" {
	init_on
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec "$CTR" sh -c 'cat /proc/1/comm; cat /proc/2/comm'
	[ "$status" -eq 0 ] || fail "exec: $output"
	[ "${lines[0]}" = hull-init ] || fail "$output"
	[ "${lines[1]}" = sleep ] || fail "$output"
}

# The pty is the init's controlling terminal (the init leads the session); the process must lead a group of
# its own that is the terminal's foreground group: in the init's group, a ^C would reach it twice (from the
# terminal and forwarded by the init); in a background group, reading the terminal would stop it (SIGTTIN).
@test "hull.init with a terminal: the process is the terminal's foreground group and reads it" {
	init_on
	update_config '.process.terminal = true'
	set_cmd sh -c 'set -- $(cut -d" " -f5,8 /proc/$$/stat); echo pid=$$ pgrp=$1 tpgid=$2 tty=$(tty); read line; echo got=$line; exit 6'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console" -i 'hello\n'
	run hull run --console-socket "$TESTDIR/console.sock" "$CTR"
	[ "$status" -eq 6 ] || fail "status $status: $output"
	tty_wait "$TESTDIR/console"
	out=$(tr -d '\r' <"$TESTDIR/console")
	[[ "$out" =~ pid=([0-9]+)\ pgrp=([0-9]+)\ tpgid=([0-9]+)\ tty=/dev/pts/0 ]] || fail "$out"
	# a group of its own (^C must not reach the init, which would forward it a second time), in the foreground
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || fail "not the leader of its own group: $out"
	[ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[3]}" ] || fail "not the foreground group: $out"
	[[ "$out" == *"got=hello"* ]] || fail "input did not arrive: $out"
}

# CVE-2019-5736: the reaper never execs, so /proc/1/exe is the host's hull binary for the container's life. The
# container (root without CAP_SYS_PTRACE, as Docker's default) must not open it; hull runs from a copy here, so a
# breach would damage only the copy.
@test "hull.init: the container cannot open the reaper's binary through /proc/1/exe" {
	# as security.bats: a sanitized build has no (static) sectool and takes build/'s
	local sectool=${SECTOOL:-$(dirname "$HULL")/tests/helpers/sectool}
	[ -x "$sectool" ] || sectool=$REPO_ROOT/build/tests/helpers/sectool
	[ -x "$sectool" ] || fail "no sectool at $sectool (ninja -C build)"
	cp "$sectool" "$BUNDLE/rootfs/bin/sectool"
	mkdir "$TESTDIR/rt"
	cp "$HULL" "$TESTDIR/rt/hull"
	local sum dev ino
	sum=$(sha256sum <"$TESTDIR/rt/hull")
	read -r dev ino < <(stat -L -c '%d %i' "$TESTDIR/rt/hull")
	init_on
	set_cmd /bin/sectool steal-exe 1 "$dev" "$ino" 1
	HULL=$TESTDIR/rt/hull run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[[ "$output" == "open /proc/1/exe: Permission denied"* ]] || fail "the container reached the reaper's exe: $output"
	[ "$(sha256sum <"$TESTDIR/rt/hull")" = "$sum" ] || fail "the runtime's binary was modified"
}
