#!/usr/bin/env bats
# cgroup ownership: a linux.cgroupsPath naming a cgroup that already exists (and holds processes hull never
# started) is used, but a failed create or a delete never kills those processes nor removes the cgroup.

load helpers

# A v1 pids hierarchy (this VM: hybrid) or the v2 tree: where the victims live.
cg_mount() {
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo /sys/fs/cgroup
	else
		echo /sys/fs/cgroup/pids
	fi
}

# victim NAME: a cgroup NAME (below the hierarchy root) holding a sleep that is not the test's: its pid in VICTIM_PID.
victim() {
	VICTIM_DIR=$(cg_mount)/$1
	mkdir -p "$VICTIM_DIR"
	VICTIMS+=("$VICTIM_DIR")
	sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	VICTIM_PID=$!
	VICTIM_PIDS+=("$VICTIM_PID")
	echo "$VICTIM_PID" >"$VICTIM_DIR/cgroup.procs"
}

# A create that fails after the cgroup was made: process.cwd is a file (the init's chdir fails).
fail_late() {
	touch "$BUNDLE/rootfs/afile"
	update_config '.process.cwd = "/afile"'
}

# run_in_victim: a running `sleep` container whose cgroupsPath is a pre-existing cgroup with a victim; its init in INIT.
run_in_victim() {
	victim "hull_victim_$CTR"
	update_config --arg p "/hull_victim_$CTR" '.linux.cgroupsPath = $p'
	set_cmd sleep 1000
	run_d "$CTR"
	INIT=$(pid_of "$CTR")
	grep -qx "$INIT" "$VICTIM_DIR/cgroup.procs" || fail "the container is not in $VICTIM_DIR"
}

# victim_untouched WHO: the victim lives, still in its cgroup.
victim_untouched() {
	pid_alive "$VICTIM_PID" || fail "$1 killed a process hull never started"
	[ -d "$VICTIM_DIR" ] || fail "$1 removed the pre-existing cgroup $VICTIM_DIR"
	grep -qx "$VICTIM_PID" "$VICTIM_DIR/cgroup.procs" || fail "$1 moved the victim out of $VICTIM_DIR"
}

runc_() { timeout -k 5 "$HULL_CMD_TIMEOUT" "$RUNC_BIN" --root "$TESTDIR/runc-state" "$@" </dev/null 3>&-; }

setup() {
	setup_hull
	VICTIMS=()
	VICTIM_PIDS=()
}

teardown() {
	local id p d
	for id in $(ls "$TESTDIR/runc-state" 2>/dev/null); do
		"$RUNC_BIN" --root "$TESTDIR/runc-state" delete --force "$id" >/dev/null 2>&1
	done
	for p in "${VICTIM_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for ((p = ${#VICTIMS[@]} - 1; p >= 0; p--)); do
		d=${VICTIMS[p]}
		find "$d" -depth -mindepth 1 -type d -exec rmdir {} \; 2>/dev/null
		rmdir "$d" 2>/dev/null
		# a runtime may have made the same name in other hierarchies
		find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "${d##*/}" -exec rmdir {} \; 2>/dev/null || true
	done
	teardown_hull
}

@test "a failed create leaves a pre-existing cgroup and its processes alone, as runc" {
	victim "hull_victim_$CTR"
	update_config --arg p "/hull_victim_$CTR" '.linux.cgroupsPath = $p'
	fail_late
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ] || fail "create succeeded: $output"
	sleep 0.2
	victim_untouched "a failed create"
	# hull's own directories of this cgroupsPath (the other hierarchies) are gone, as runc removes them
	[ -z "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "hull_victim_$CTR" ! -path "$VICTIM_DIR")" ] ||
		fail "hull left the directories it made: $(find /sys/fs/cgroup -maxdepth 2 -name "hull_victim_$CTR")"

	[ -x "$RUNC_BIN" ] || fail "no runc at $RUNC_BIN to compare with"
	is_hull || return 0
	run runc_ create --bundle "$BUNDLE" "${CTR}_runc"
	[ "$status" -ne 0 ] || fail "runc create succeeded"
	victim_untouched "runc's failed create (the reference changed)"
}

@test "kill --all and delete of a container in a pre-existing cgroup signal only the container, keep the cgroup" {
	run_in_victim
	run hull kill --all "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_gone "$INIT"
	victim_untouched "kill --all"
	run hull delete "$CTR"
	[ "$status" -eq 0 ] || fail "delete failed: $output"
	victim_untouched "delete"
}

@test "delete --force of a running container in a pre-existing cgroup leaves its other processes" {
	run_in_victim
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete failed: $output"
	wait_gone "$INIT"
	victim_untouched "delete --force"
}

# On v1 the create fails in both runtimes (the root's devices.deny refuses "a"); the failure must leave
# the hierarchy as it was.
@test "cgroupsPath \"/\" is the hierarchy root: a failed create touches none of it" {
	requires_hull # runc 1.1.5 rmdirs every empty cgroup below the root on this failure (its RemovePath walk)
	victim "hull_victim_$CTR"
	mkdir "$VICTIM_DIR/empty_child"
	update_config '.linux.cgroupsPath = "/"'
	fail_late
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ] || fail "create succeeded: $output"
	sleep 0.2
	pid_alive "$VICTIM_PID" || fail "a failed create with cgroupsPath / killed a process in the hierarchy"
	[ -d "$VICTIM_DIR/empty_child" ] || fail "a failed create with cgroupsPath / removed an empty cgroup below the root"
}

@test "\"..\" in cgroupsPath is refused before any cgroup is made (runc cleans it below the root)" {
	requires_hull # runc 1.1.5 cleans "/../x" to "/x" and "../x" to "x" below its own cgroup
	for p in "/../../hull_abs_$CTR" "../../../hull_rel_$CTR" "/a/../.."; do
		update_config --arg p "$p" '.linux.cgroupsPath = $p'
		run hull_detached create "$CTR"
		[ "$status" -ne 0 ] || fail "create with cgroupsPath $p succeeded"
		[[ "$output" == *'linux.cgroupsPath: must not contain ".."'* ]] || fail "unclear refusal: $output"
	done
	[ -z "$(find /sys /sys/fs /sys/fs/cgroup -mindepth 1 -maxdepth 3 -name "hull_*_$CTR" 2>/dev/null)" ] ||
		fail "a cgroup was made for a refused path"
}

@test "a state file of an older hull (no cgroup.made) owns no cgroup: delete leaves it, kills only the init" {
	victim "hull_old_$CTR" # no victim of its own: the cgroup hull makes, then forgets it made
	kill -9 "$VICTIM_PID"
	wait "$VICTIM_PID" 2>/dev/null || true
	rmdir "$VICTIM_DIR"
	update_config --arg p "/hull_old_$CTR" '.linux.cgroupsPath = $p'
	set_cmd sleep 1000
	run_d "$CTR"
	init=$(pid_of "$CTR")
	jq -e '.cgroup.made | all' "$ROOT/$CTR/state.json" >/dev/null || fail "hull did not record the cgroup it made"
	jq 'del(.cgroup.made)' "$ROOT/$CTR/state.json" >"$TESTDIR/state.json"
	cp "$TESTDIR/state.json" "$ROOT/$CTR/state.json"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "delete failed: $output"
	wait_gone "$init"
	[ -d "$VICTIM_DIR" ] || fail "delete removed a cgroup the state file does not say hull made"
}
