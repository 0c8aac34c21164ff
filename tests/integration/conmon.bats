#!/usr/bin/env bats
# conmon 2.1.6 run by hand driving the runtime: create with and without --console-socket, exec --process -d with and without --tty.
# conmon is the engine here; the runtime under test only gets the calls conmon makes, as under podman or CRI-O.

load helpers

CONMON=${CONMON:-/usr/bin/conmon}

setup() {
	setup_hull
	[ -x "$CONMON" ] || fail "conmon is not installed (apt-get install conmon)"
	CM=$TESTDIR/conmon
	mkdir -p "$CM/exits" "$CM/sockets"
}

# conmon leaves by itself once its container or exec'd process has exited: delete the containers
# first, give conmon a moment, and only then kill what is left, so that a failed assertion leaves
# nothing behind either
teardown() {
	local f p id
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -d "${CM:-}" ]; then
		for f in "$CM"/*.sync "$CM"/*.log "$CM"/*.stderr; do
			[ -s "$f" ] && { echo "# $f:"; head -c 2000 "$f"; } >&2
		done
	fi
	for id in $(ls "$ROOT" 2>/dev/null); do
		timeout 20 "$HULL" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
	done
	for f in "${CM:-/nonexistent}"/*.conmon.pid; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		wait_gone "$p" 30 2>/dev/null || kill -9 "$p" 2>/dev/null
	done
	teardown_hull
}

# conmon_ NAME CONMON-ARGS...: run conmon for the runtime under test (with this test's --root).
# conmon daemonizes at once; like podman, the test learns from the sync pipe (here a file,
# $CM/NAME.sync, one JSON object a line) when the runtime's create or exec is done: {"data": PID}
# on success, {"data": -1, "message": RUNTIME-STDERR} on failure; the runtime's failure fails the
# test unless CONMON_EXPECT=failure.  Its pid is in $CM/NAME.conmon.pid, the process's output in
# the k8s-file log $CM/NAME.log, and the console socket, made in TMPDIR, in $CM.
conmon_() {
	local name=$1
	shift
	echo "\$ conmon $*" >>"$TESTDIR/transcript"
	env "$TAG" TMPDIR="$CM" _OCI_SYNCPIPE=5 "$CONMON" --api-version 1 -r "$HULL" --runtime-arg "--root=$ROOT" \
		--conmon-pidfile "$CM/$name.conmon.pid" -l "k8s-file:$CM/$name.log" "$@" \
		</dev/null >"$CM/$name.stderr" 2>&1 5>"$CM/$name.sync" 3>&- ||
		fail "conmon $* failed: $(cat "$CM/$name.stderr")"
	wait_for_file "$CM/$name.sync" || return 1
	[ "${CONMON_EXPECT:-}" = failure ] && return 0
	local data
	data=$(sync_data "$name" 1)
	[ "$data" -gt 0 ] || fail "conmon $name reports $(cat "$CM/$name.sync")"
}

# sync_data NAME LINE: the data field of a line of conmon's sync file.
sync_data() {
	sed -n "${2}p" "$CM/$1.sync" | jq -r .data
}

# conmon_create [-t]: conmon creates $CTR from $BUNDLE (-t: with a terminal, so through
# create --console-socket); the container is left created, for the test to start.
conmon_create() {
	conmon_ "$CTR" -c "$CTR" -u "$CTR" -n "$CTR" -b "$BUNDLE" -p "$CM/$CTR.pid" \
		--exit-dir "$CM/exits" --socket-dir-path "$CM/sockets" "$@"
}

# conmon_exec NAME PROCESS-JSON [-t]: conmon runs one more process in $CTR through exec --process
# --detach (and --tty --console-socket with -t), as podman exec does; its exit code lands in
# $CM/NAME.exits/$CTR (conmon names exit files after the container).
conmon_exec() {
	local name=$1 spec=$2
	shift 2
	echo "$spec" >"$CM/$name.json"
	mkdir -p "$CM/$name.exits"
	conmon_ "$name" -c "$CTR" -u "$name" -e --exec-process-spec "$CM/$name.json" -p "$CM/$name.pid" \
		--exit-dir "$CM/$name.exits" "$@"
}

# process_json ARG...: the process of config.json with these args (terminal false).
process_json() {
	local args
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -s -c .)
	jq -c --argjson a "$args" '.process | .args = $a | .terminal = false' "$BUNDLE/config.json"
}

# log_lines NAME STREAM: the lines the process wrote to STREAM, from conmon's k8s-file log
# ("TIMESTAMP STREAM F|P TEXT", P for a partial line that the next one continues; a terminal's
# carriage returns removed).
log_lines() {
	awk -v s="$2" '$2 == s {
		t = $0
		for (i = 0; i < 3; i++) sub(/^[^ ]* ?/, "", t)
		if ($3 == "P") printf "%s", t; else print t
	}' "$CM/$1.log" | tr -d '\r'
}

# wait_conmon_gone NAME: conmon has written its exit file and left.
wait_conmon_gone() {
	wait_gone "$(cat "$CM/$1.conmon.pid")" || fail "conmon $1 is still running"
}

# A shell snippet printing the controlling terminal's number (field 7 of /proc/PID/stat), 0 for none.
CTTY='set -- $(cat /proc/$$/stat); echo ctty-$7'

@test "conmon -t creates a terminal container through create --console-socket and logs its output" {
	update_config '.process.terminal = true'
	# the size conmon sets on the pty master after create must reach the container's tty
	set_cmd sh -c "echo tty-is-\$(tty); test -t 0 && echo stdin-is-tty; $CTTY
		i=0; while ! s=\$(stty size 2>/dev/null) && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
		echo size-is-\$s; exit 3"
	conmon_create -t
	[ "$(status_of "$CTR")" = created ]
	pid=$(cat "$CM/$CTR.pid")
	[ "$(sync_data "$CTR" 1)" = "$pid" ]
	[ "$(pid_of "$CTR")" = "$pid" ]
	# conmon's control fifo: "1 ROWS COLS" resizes the terminal
	timeout 10 sh -c "echo '1 40 100' >'$BUNDLE/ctl'"
	hull start "$CTR"
	wait_for_file "$CM/exits/$CTR"
	[ "$(cat "$CM/exits/$CTR")" = 3 ]
	wait_conmon_gone "$CTR"
	run log_lines "$CTR" stdout
	[[ "${lines[0]}" =~ ^tty-is-/dev/pts/[0-9]+$ ]] || fail "tty: $output"
	[ "${lines[1]}" = stdin-is-tty ]
	[ "${lines[2]}" != ctty-0 ] && [[ "${lines[2]}" =~ ^ctty-[0-9]+$ ]] || fail "no controlling terminal: $output"
	[ "${lines[3]}" = "size-is-40 100" ]
	wait_for_status "$CTR" stopped
	hull delete "$CTR"
	assert_nothing_left "$CTR"
}

@test "conmon without -t gives the container pipes and logs stdout and stderr apart" {
	set_cmd sh -c 'echo out-line; echo err-line >&2; test -t 0 || echo stdin-is-not-tty; test -t 1 || echo stdout-is-not-tty; exit 3'
	conmon_create
	[ "$(sync_data "$CTR" 1)" = "$(cat "$CM/$CTR.pid")" ]
	hull start "$CTR"
	wait_for_file "$CM/exits/$CTR"
	[ "$(cat "$CM/exits/$CTR")" = 3 ]
	wait_conmon_gone "$CTR"
	run log_lines "$CTR" stdout
	[ "$output" = "out-line
stdin-is-not-tty
stdout-is-not-tty" ]
	run log_lines "$CTR" stderr
	[ "$output" = err-line ]
	hull delete "$CTR"
	assert_nothing_left "$CTR"
}

@test "conmon reports a failing create with the runtime's error" {
	set_cmd /nonexistent
	update_config '.process.terminal = true'
	CONMON_EXPECT=failure conmon_create -t
	[ "$(sync_data "$CTR" 1)" = -1 ]
	# podman maps this wording to exit code 127 ("command not found")
	msg=$(sed -n 1p "$CM/$CTR.sync" | jq -r .message)
	[[ "$msg" == */nonexistent* ]] || fail "message: $msg"
	echo "$msg" | grep -qiE 'no such file or directory|executable file not found in' || fail "message: $msg"
	wait_conmon_gone "$CTR"
	# the runtime cleaned up after itself: no state, no process (conmon never writes an exit file here)
	[ ! -e "$CM/exits/$CTR" ]
	assert_nothing_left "$CTR"
}

@test "conmon --exec runs a process through exec --process --detach and returns its exit code" {
	set_cmd sleep 1000
	conmon_create
	hull start "$CTR"
	wait_for_status "$CTR" running
	init=$(pid_of "$CTR")
	conmon_exec exec1 "$(process_json sh -c 'echo exec-out; echo exec-err >&2; test -t 0 || echo stdin-is-not-tty; readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; tr "\0" " " </proc/1/cmdline; echo; exit 5')"
	pid=$(cat "$CM/exec1.pid")
	[ "$(sync_data exec1 1)" = "$pid" ]
	[ "$pid" != "$init" ]
	wait_for_file "$CM/exec1.exits/$CTR"
	[ "$(cat "$CM/exec1.exits/$CTR")" = 5 ]
	wait_conmon_gone exec1
	# conmon reports the exit code on its sync pipe too, after the pid
	[ "$(sync_data exec1 2)" = 5 ]
	run log_lines exec1 stdout
	[ "${lines[0]}" = exec-out ]
	[ "${lines[1]}" = stdin-is-not-tty ]
	[ "${lines[2]}" = "$(readlink "/proc/$init/ns/pid")" ]
	[ "${lines[3]}" = "$(readlink "/proc/$init/ns/mnt")" ]
	[ "${lines[4]}" = "sleep 1000 " ]
	run log_lines exec1 stderr
	[ "$output" = exec-err ]
	# the container goes on; conmon reports how it was killed
	[ "$(status_of "$CTR")" = running ]
	hull kill "$CTR" KILL
	wait_for_file "$CM/exits/$CTR"
	[ "$(cat "$CM/exits/$CTR")" = 137 ]
	wait_conmon_gone "$CTR"
	hull delete "$CTR"
	assert_nothing_left "$CTR"
}

@test "conmon --exec -t gives the process a new terminal through exec --tty --console-socket" {
	update_config '.process.terminal = true'
	set_cmd sleep 1000
	conmon_create -t
	hull start "$CTR"
	wait_for_status "$CTR" running
	spec=$(process_json sh -c "echo tty-is-\$(tty); test -t 0 && echo stdin-is-tty; $CTTY; echo init-tty-is-\$(readlink /proc/1/fd/0); exit 6" | jq -c '.terminal = true')
	conmon_exec exec1 "$spec" -t
	wait_for_file "$CM/exec1.exits/$CTR"
	[ "$(cat "$CM/exec1.exits/$CTR")" = 6 ]
	wait_conmon_gone exec1
	run log_lines exec1 stdout
	[[ "${lines[0]}" =~ ^tty-is-(/dev/pts/[0-9]+)$ ]] || fail "tty: $output"
	tty=${BASH_REMATCH[1]}
	[ "${lines[1]}" = stdin-is-tty ]
	[ "${lines[2]}" != ctty-0 ] && [[ "${lines[2]}" =~ ^ctty-[0-9]+$ ]] || fail "no controlling terminal: $output"
	# a pty of its own in the container's devpts, not the init's
	[[ "${lines[3]}" =~ ^init-tty-is-/dev/pts/[0-9]+$ ]] || fail "init's tty: $output"
	[ "${lines[3]}" != "init-tty-is-$tty" ]
	hull kill "$CTR" KILL
	wait_for_file "$CM/exits/$CTR"
	wait_conmon_gone "$CTR"
	hull delete "$CTR"
	assert_nothing_left "$CTR"
}

@test "conmon --exec of a missing command reports the runtime's error" {
	set_cmd sleep 1000
	conmon_create
	hull start "$CTR"
	wait_for_status "$CTR" running
	CONMON_EXPECT=failure conmon_exec exec1 "$(process_json /nonexistent)"
	wait_conmon_gone exec1
	[ "$(sync_data exec1 1)" = -1 ]
	msg=$(sed -n 1p "$CM/exec1.sync" | jq -r .message)
	[[ "$msg" == */nonexistent* ]] || fail "message: $msg"
	echo "$msg" | grep -qiE 'no such file or directory|executable file not found in' || fail "message: $msg"
	[ "$(status_of "$CTR")" = running ]
	hull kill "$CTR" KILL
	wait_for_file "$CM/exits/$CTR"
	wait_conmon_gone "$CTR"
	hull delete "$CTR"
	assert_nothing_left "$CTR"
}
