#!/usr/bin/env bats
# A damaged or tampered state.json (the state directory is only a directory on disk): state, kill, delete and
# list refuse it in one line naming the file and field, or act safely; nothing hull did not make is signalled
# or removed, and delete --force still takes the container's state away.

load helpers

# run_sleeper: a running container; its init in INIT, its state file in STATE, hull's cgroups in CGDIRS.
run_sleeper() {
	set_cmd sleep 1000
	run_d "$CTR"
	INIT=$(pid_of "$CTR")
	STATE=$ROOT/$CTR/state.json
	mapfile -t CGDIRS < <(jq -r '.cgroup.dirs[]' "$STATE")
	cp "$STATE" "$TESTDIR/state.good"
	pid_alive "$INIT" || fail "no init"
}

# tamper JQ-FILTER [ARGS...]: rewrite the state file of $CTR through jq.
tamper() {
	jq -c "$@" "$STATE" >"$STATE.new" && mv "$STATE.new" "$STATE"
}

# start_time PID: /proc/PID/stat field 22 (comm may hold spaces: count from the last ')').
start_time() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}'
}

# one_line_error WHAT...: the last command failed with exactly one line, holding each WHAT.
one_line_error() {
	[ "$status" -ne 0 ] || fail "succeeded: $output"
	[ "${#lines[@]}" -eq 1 ] || fail "not one line: $output"
	local w
	for w in "$@"; do
		[[ "$output" == *"$w"* ]] || fail "the error does not say '$w': $output"
	done
}

setup() {
	requires_hull # hull's own state format
	setup_hull
	INIT=
	CGDIRS=()
	VICTIM=
}

# A damaged state makes delete --force forget the container without acting on it: the good state is put
# back first (a runtime that trusted a tampered one would signal what it names), and what is left is cleaned.
teardown() {
	[ -z "$VICTIM" ] || { kill -9 "$VICTIM" 2>/dev/null; wait "$VICTIM" 2>/dev/null; }
	if [ -n "$INIT" ]; then
		if [ -d "$ROOT/$CTR" ]; then
			rm -f "$ROOT/$CTR/state.json"
			cp "$TESTDIR/state.good" "$ROOT/$CTR/state.json"
			timeout 20 "$HULL" --root "$ROOT" delete --force "$CTR" </dev/null >/dev/null 2>&1 3>&-
		fi
		kill -9 "$INIT" 2>/dev/null
		wait_gone "$INIT" 50 || true
		local i
		for ((i = ${#CGDIRS[@]} - 1; i >= 0; i--)); do
			rmdir "${CGDIRS[i]}" 2>/dev/null
		done
	fi
	teardown_hull
}

@test "a truncated state.json: state, kill and delete refuse it in one line naming the file, list warns and goes on" {
	run_sleeper
	truncate -s 40 "$STATE"
	run hull state "$CTR"
	one_line_error "$CTR" state.json "invalid JSON"
	run hull kill "$CTR" KILL
	one_line_error state.json
	pid_alive "$INIT" || fail "kill of a damaged state signalled the init"
	run hull delete "$CTR"
	one_line_error state.json
	[ -d "$ROOT/$CTR" ] || fail "delete without --force removed the state"
	run hull list
	[ "$status" -eq 0 ] || fail "list failed: $output"
	[ "$(grep -c "$CTR" <<<"$output")" -eq 1 ] || fail "list does not warn about $CTR in one line: $output"
	[[ "$output" == *"warning"*state.json* ]] || fail "list does not say what is wrong: $output"
}

@test "delete --force of a container whose state.json is damaged removes its state and signals nothing" {
	run_sleeper
	truncate -s 40 "$STATE"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete --force failed: $output"
	[ ! -e "$ROOT/$CTR" ] || fail "the state directory is still there"
	[[ "$output" == *state.json* ]] || fail "no warning about the damaged state: $output"
	pid_alive "$INIT" || fail "delete --force acted on a state it cannot trust"
	# the id is free again
	run hull state "$CTR"
	[[ "$output" == *"does not exist"* ]] || fail "$output"
}

@test "a state.json with a pid of the wrong type is refused, naming the field" {
	run_sleeper
	tamper '.pid |= tostring'
	run hull state "$CTR"
	one_line_error state.json "pid: must be an integer"
	run hull kill "$CTR" KILL
	one_line_error state.json pid
	pid_alive "$INIT" || fail "kill signalled the init of a damaged state"
}

@test "a state.json with a negative pid is refused, naming the field" {
	run_sleeper
	tamper '.pid = -1'
	run hull state "$CTR"
	one_line_error state.json "pid: -1 is out of range"
}

@test "a state.json naming pid 1 (with its start time) is refused and pid 1 is never signalled" {
	run_sleeper
	tamper --argjson st "$(start_time 1)" '.pid = 1 | .start_time = $st'
	run hull state "$CTR"
	one_line_error state.json "pid: 1 is out of range"
	# SIGCONT: harmless to pid 1 even on a runtime that does send it
	run hull kill "$CTR" CONT
	one_line_error state.json pid
}

@test "a state.json naming an unrelated process with its start time never signals it" {
	run_sleeper
	sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	VICTIM=$!
	tamper --argjson p "$VICTIM" --argjson st "$(start_time "$VICTIM")" '.pid = $p | .start_time = $st'
	run hull state "$CTR"
	[ "$status" -eq 0 ] || fail "state failed: $output"
	[ "$(jq -r .status <<<"$output")" = stopped ] || fail "a process outside the container's cgroup is its init: $output"
	run hull kill "$CTR" KILL
	[ "$status" -ne 0 ] || fail "kill succeeded"
	sleep 0.2
	pid_alive "$VICTIM" || fail "kill signalled a process hull never started"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete --force failed: $output"
	pid_alive "$VICTIM" || fail "delete --force signalled a process hull never started"
	# the real container went with its cgroup
	wait_gone "$INIT"
	[ ! -e "$ROOT/$CTR" ] || fail "the state directory is still there"
}

@test "a state.json copied from another container is refused: kill never reaches the other's init" {
	run_sleeper
	local other_init=$INIT other_state=$STATE
	set_cmd sleep 1000
	run_d "$CTR2"
	local init2 dirs2
	init2=$(pid_of "$CTR2")
	mapfile -t dirs2 < <(jq -r '.cgroup.dirs[]' "$ROOT/$CTR2/state.json")
	cp "$other_state" "$ROOT/$CTR2/state.json"
	run hull kill "$CTR2" KILL
	one_line_error "$CTR2" state.json "id: names another container"
	sleep 0.2
	pid_alive "$other_init" || fail "kill $CTR2 killed the init of $CTR"
	# delete --force forgets $CTR2 without acting on the state it cannot trust; its init and cgroups are ours to clean
	run hull delete --force "$CTR2"
	[ "$status" -eq 0 ] || fail "delete --force failed: $output"
	[ ! -e "$ROOT/$CTR2" ] || fail "delete --force left the state of $CTR2"
	pid_alive "$other_init" || fail "delete --force $CTR2 killed the init of $CTR"
	kill -9 "$init2"
	wait_gone "$init2"
	local i
	for ((i = ${#dirs2[@]} - 1; i >= 0; i--)); do
		rmdir "${dirs2[i]}"
	done
}

@test "a state.json that is a symbolic link is refused" {
	run_sleeper
	mv "$STATE" "$STATE.real"
	ln -s state.json.real "$STATE"
	run hull state "$CTR"
	one_line_error state.json "symbolic link"
	rm "$STATE"
	mv "$STATE.real" "$STATE"
}

@test "a cgroup directory outside /sys/fs/cgroup is refused, and delete --force removes nothing there" {
	run_sleeper
	mkdir "$TESTDIR/not-a-cgroup"
	touch "$TESTDIR/not-a-cgroup/keep"
	tamper --arg d "$TESTDIR/not-a-cgroup" '.cgroup.dirs[0] = $d'
	run hull state "$CTR"
	one_line_error state.json "cgroup.dirs[0]: must be a clean path below /sys/fs/cgroup"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete --force failed: $output"
	[ -f "$TESTDIR/not-a-cgroup/keep" ] || fail "delete --force removed a directory hull never made"
	[ ! -e "$ROOT/$CTR" ] || fail "the state directory is still there"
}

@test "a cgroup hierarchy's root claimed as made by hull is refused before anything is signalled" {
	run_sleeper
	local top
	top=/sys/fs/cgroup/$(cut -d/ -f5 <<<"${CGDIRS[0]}")
	[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && top=/sys/fs/cgroup
	tamper --arg d "$top" '.cgroup.dirs[0] = $d | .cgroup.made[0] = true'
	# never go on to kill --all or delete --force if this is accepted: they would signal the whole hierarchy
	run hull state "$CTR"
	if [ "$status" -eq 0 ]; then
		cp "$TESTDIR/state.good" "$STATE"
		fail "the state was accepted: $output"
	fi
	one_line_error state.json "cgroup.dirs[0]: is a hierarchy's root"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete --force failed: $output"
	[ ! -e "$ROOT/$CTR" ] || fail "the state directory is still there"
	pid_alive "$INIT" || fail "delete --force acted on a state it cannot trust"
}

@test "a huge state.json is refused without being read" {
	run_sleeper
	truncate -s 100M "$STATE"
	run timeout 10 "$HULL" --root "$ROOT" state "$CTR"
	one_line_error state.json "larger than any state hull writes"
}
