#!/usr/bin/env bats
# faults.bats - hull killed -9 at every fault point of create, start, exec, delete and update (issue 10 §3):
# state and list stay truthful, delete --force removes everything, nothing is left. Needs a hull built with
# -Dfault_injection=true (tests/run.sh builds so): without it these tests fail, they never skip.

# wide hang guards, scaled for sanitizer builds (HULL_TIME_SCALE=5)
BATS_TEST_TIMEOUT=$((120 * ${HULL_TIME_SCALE:-1}))

load helpers
load leftovers

SRC_DIR=$REPO_ROOT/src

# Every fault point in the source, e.g. create.cgroup, one a line.
fault_points() {
	grep -rhoE 'fault_point\("[a-z_]+\.[a-z_]+"\)' "$SRC_DIR" | sed -E 's/fault_point\("(.*)"\)/\1/' | sort -u
}

points_of() { fault_points | grep "^$1\."; }

# check_after_kill ID POINT: hull died at POINT; state and list tell the truth, delete --force cleans up.
check_after_kill() {
	local id=$1 point=$2 i
	run hull state "$id"
	if [ "$status" -eq 0 ]; then
		local s
		s=$(jq -r .status <<<"$output") || fail "$point: state of $id does not parse: $output"
		case "$s" in creating | created | running | stopped | paused) ;; *) fail "$point: state says '$s'" ;; esac
	else
		[ "$status" -lt 128 ] || fail "$point: state crashed ($status): $output"
		[[ "$output" == *"does not exist"* ]] || fail "$point: state of $id fails with no clear reason: $output"
	fi
	run hull list --format json
	[ "$status" -eq 0 ] || fail "$point: list failed ($status): $output"
	jq -e 'type == "array"' <<<"$output" >/dev/null || fail "$point: list output does not parse: $output"

	run hull delete --force "$id"
	if [ "$status" -ne 0 ]; then
		[ "$status" -lt 124 ] || fail "$point: delete --force crashed or hung ($status): $output"
		[[ "$output" == *"does not exist"* ]] || fail "$point: delete --force $id failed: $output"
	fi
	run hull state "$id"
	[[ "$status" -ne 0 && "$output" == *"does not exist"* ]] || fail "$point: $id still exists after delete --force: $output"
	no_leftovers "$point"
}

# killed_at POINT CMD...: run the runtime command with HULL_FAULT=POINT; it must die by SIGKILL.
killed_at() {
	local point=$1
	shift
	export HULL_FAULT=$point
	run hull_detached "$@"
	unset HULL_FAULT
	[ "$status" -eq 137 ] || fail "HULL_FAULT=$point hull $*: exit $status, not killed by SIGKILL (a hull built without -Dfault_injection=true?): $output"
}

running_ctr() {
	create_ctr "$1"
	run hull start "$1"
	[ "$status" -eq 0 ] || fail "start $1: $output"
}

setup() {
	setup_hull
	set_cmd sleep 1000
}

@test "the runtime under test is a fault-injection build: HULL_FAULT=1 kills hull at its first point" {
	requires_hull "fault points are hull's own"
	killed_at 1 create "$CTR"
	check_after_kill "$CTR" 1
}

@test "every fault point belongs to create, start, exec, delete, update or pull, and each has some" {
	local all
	all=$(fault_points)
	[ "$(echo "$all" | wc -l)" -ge 15 ] || fail "too few fault points found in $SRC_DIR: $all"
	# pull's points are killed at in tests/images/pull-faults.bats, container's in tests/engine/faults.bats
	! echo "$all" | grep -vE '^(create|start|exec|delete|update|pull|container)\.' || fail "a fault point of no tested command"
	local c
	for c in create start exec delete update pull container; do
		[ -n "$(points_of $c)" ] || fail "no fault point in $c"
	done
}

@test "create killed -9 at every step: state truthful, delete --force leaves nothing" {
	requires_hull "fault points are hull's own"
	local p
	for p in $(points_of create); do
		killed_at "$p" create --pid-file "$TESTDIR/pid" "$CTR"
		check_after_kill "$CTR" "$p"
	done
}

# init_truth PID: what the init really is once it settled: gone (stopped), running the container's
# sleep (running), or still waiting in hull to be started (created)
init_truth() {
	local i cmd
	for i in $(seq "$(tries 20)"); do
		cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || { echo stopped; return; }
		[ "$cmd" = "sleep 1000 " ] && { echo running; return; }
		sleep 0.1
	done
	echo created
}

@test "start killed -9 at every step: state truthful, delete --force leaves nothing" {
	requires_hull "fault points are hull's own"
	local p pid want
	for p in $(points_of start); do
		create_ctr "$CTR"
		pid=$(pid_of "$CTR")
		killed_at "$p" start "$CTR"
		want=$(init_truth "$pid")
		[ "$(status_of "$CTR")" = "$want" ] || fail "$p: state says '$(status_of "$CTR")', the init is $want"
		if [ "$want" = created ]; then
			run hull start "$CTR"
			[ "$status" -eq 0 ] || fail "$p: a second start failed: $output"
			[ "$(status_of "$CTR")" = running ] || fail "$p: not running after a second start"
		fi
		check_after_kill "$CTR" "$p"
	done
}

@test "exec killed -9 at every step: the container stays running, delete --force leaves nothing" {
	requires_hull "fault points are hull's own"
	local p
	for p in $(points_of exec); do
		running_ctr "$CTR"
		killed_at "$p" exec "$CTR" sleep 999
		[ "$(status_of "$CTR")" = running ] || fail "$p: container not running after a killed exec"
		check_after_kill "$CTR" "$p"
	done
}

@test "delete killed -9 at every step: delete --force again leaves nothing" {
	requires_hull "fault points are hull's own"
	local p
	for p in $(points_of delete); do
		running_ctr "$CTR"
		killed_at "$p" delete --force "$CTR"
		check_after_kill "$CTR" "$p"
	done
}

@test "update killed -9 at every step: the container stays running, delete --force leaves nothing" {
	requires_hull "fault points are hull's own"
	local p
	for p in $(points_of update); do
		running_ctr "$CTR"
		killed_at "$p" update --pids-limit 50 "$CTR"
		[ "$(status_of "$CTR")" = running ] || fail "$p: container not running after a killed update"
		check_after_kill "$CTR" "$p"
	done
}
