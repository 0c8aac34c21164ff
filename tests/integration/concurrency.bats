#!/usr/bin/env bats
# concurrency.bats - many hulls at once: 50 parallel creates of distinct ids, and create, start, delete,
# kill, exec and update racing on one id. No deadlock, no corrupt state, each command succeeds or fails cleanly.

# wide hang guards, scaled for sanitizer builds (HULL_TIME_SCALE=5); loops are bounded by count, not time
SCALE=${HULL_TIME_SCALE:-1}
BATS_TEST_TIMEOUT=$((120 * SCALE))
HULL_CMD_TIMEOUT=$((30 * SCALE))

load helpers
load leftovers

setup() {
	setup_hull
	set_cmd sleep 1000
}

# bg_hull NAME ARGS...: the runtime in the background; exit code in $TESTDIR/NAME.rc, stderr in NAME.err.
bg_hull() {
	local name=$1
	shift
	(
		rc=0
		env "$TAG" timeout --verbose -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@" \
			</dev/null >>"$TESTDIR/ctr.stdout" 2>"$TESTDIR/$name.err" 3>&- || rc=$?
		echo "$rc" >"$TESTDIR/$name.rc"
	) 3>&- &
	BG_PIDS+=("$!")
}

# clean_outcome FILE.rc: the command succeeded, or failed (exit 1) with one line "hull: ..." and no crash.
clean_outcome() {
	local base=${1%.rc} rc
	rc=$(cat "$1")
	[ "$rc" = 0 ] && return 0
	# an exec whose process the racing delete --force (or kill) killed exits 128+9 in silence, as runc's does
	# (a hang is no such case: timeout --verbose says so on stderr)
	[[ "$rc" = 137 && "${base##*/}" == exec.* && ! -s "$base.err" ]] && return 0
	# exec fails with 255, as runc's does
	[ "$rc" = 1 ] || [[ "$rc" = 255 && "${base##*/}" == exec.* ]] ||
		fail "${base##*/}: exit $rc (crash, hang or signal): $(cat "$base.err")"
	[ "$(wc -l <"$base.err")" = 1 ] && grep -q '^hull: ..*' "$base.err" ||
		fail "${base##*/}: not one clear line: $(cat "$base.err")"
	! grep -qE 'Sanitizer|runtime error' "$base.err" || fail "${base##*/}: sanitizer report: $(cat "$base.err")"
}

@test "50 parallel creates of distinct ids all succeed, list shows 50, all delete cleanly" {
	local i p
	for i in $(seq 50); do
		bg_hull "create.$i" create "${CTR}_$i"
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" || true
	done
	for i in $(seq 50); do
		[ "$(cat "$TESTDIR/create.$i.rc")" = 0 ] || fail "create ${CTR}_$i: exit $(cat "$TESTDIR/create.$i.rc"): $(cat "$TESTDIR/create.$i.err")"
	done
	run hull list --format json
	[ "$status" -eq 0 ]
	[ "$(jq 'length' <<<"$output")" = 50 ] || fail "list shows $(jq length <<<"$output"), not 50"
	[ "$(jq '[.[] | select(.status == "created")] | length' <<<"$output")" = 50 ] || fail "not all created: $output"
	BG_PIDS=()
	for i in $(seq 50); do
		bg_hull "delete.$i" delete --force "${CTR}_$i"
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" || true
	done
	for i in $(seq 50); do
		[ "$(cat "$TESTDIR/delete.$i.rc")" = 0 ] || fail "delete ${CTR}_$i: $(cat "$TESTDIR/delete.$i.err")"
	done
	run hull list -q
	[ "$status" -eq 0 ] && [ -z "$output" ] || fail "list after deleting all: $output"
	no_leftovers
}

# racer NAME N CMD...: N times the command on the shared id, each outcome kept as NAME.K.{rc,err}.
racer() {
	local name=$1 n=$2 k rc
	shift 2
	for k in $(seq "$n"); do
		rc=0
		env "$TAG" timeout --verbose -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@" \
			</dev/null >>"$TESTDIR/ctr.stdout" 2>"$TESTDIR/race/$name.$k.err" 3>&- || rc=$?
		echo "$rc" >"$TESTDIR/race/$name.$k.rc"
	done
}

# state_watch N: N times `state`: it either parses with a known status or the container does not exist.
state_watch() {
	local k rc out
	for k in $(seq "$1"); do
		rc=0
		out=$(env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" state "$CTR" 2>&1 3>&-) || rc=$?
		if [ "$rc" = 0 ]; then
			jq -e '.status | IN("creating", "created", "running", "stopped", "paused")' <<<"$out" >/dev/null ||
				echo "state $k: $out" >>"$TESTDIR/race/corrupt"
		elif [[ "$out" != "hull: container does not exist" ]]; then
			echo "state $k: exit $rc: $out" >>"$TESTDIR/race/corrupt"
		fi
	done
}

@test "create, start, delete, kill, exec and update racing on one id: no deadlock, no corrupt state, clean outcomes" {
	local n=25 p f
	mkdir "$TESTDIR/race"
	racer create "$n" create "$CTR" 3>&- &
	BG_PIDS+=("$!")
	racer start "$n" start "$CTR" 3>&- &
	BG_PIDS+=("$!")
	racer delete "$n" delete --force "$CTR" 3>&- &
	BG_PIDS+=("$!")
	racer kill "$n" kill "$CTR" KILL 3>&- &
	BG_PIDS+=("$!")
	racer exec "$n" exec "$CTR" true 3>&- &
	BG_PIDS+=("$!")
	racer update "$n" update --pids-limit 100 "$CTR" 3>&- &
	BG_PIDS+=("$!")
	state_watch $((2 * n)) 3>&- &
	BG_PIDS+=("$!")
	for p in "${BG_PIDS[@]}"; do
		wait "$p" || true
	done
	[ ! -s "$TESTDIR/race/corrupt" ] || fail "state did not parse: $(head -5 "$TESTDIR/race/corrupt")"
	local total=0 ok=0
	for f in "$TESTDIR"/race/*.rc; do
		total=$((total + 1))
		[ "$(cat "$f")" = 0 ] && ok=$((ok + 1))
		clean_outcome "$f"
	done
	[ "$total" = $((6 * n)) ] || fail "$total outcomes, not $((6 * n))"
	echo "# $ok of $total commands succeeded" >&3
	# whatever the race left, one delete --force removes it all
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || [[ "$output" == *"does not exist"* ]] || fail "final delete: $output"
	no_leftovers
}

@test "a delete that waited for the lock of a directory removed meanwhile leaves the container now at that path alone" {
	requires_hull "hull's state directory and its lock"
	# a state directory as an abandoned create leaves it, locked (as by a delete in progress)
	mkdir -p "$ROOT/$CTR"
	# -o: the lock is flock(1)'s alone, gone when it is killed (its sleep is killed with it)
	flock -o "$ROOT/$CTR" sleep $((20 * SCALE)) 3>&- &
	local holder=$! ino i
	BG_PIDS+=("$holder")
	ino=$(stat -c %i "$ROOT/$CTR")
	for i in $(seq 100); do
		grep -q " FLOCK .* $holder [0-9a-f:]*:$ino " /proc/locks && break
		sleep 0.05
	done
	hull_bg delete --force "$CTR"
	local waiter=$BG_PID
	for i in $(seq 100); do
		grep -q -- "-> FLOCK .*:$ino " /proc/locks && break
		sleep 0.05
	done
	grep -q -- "-> FLOCK .*:$ino " /proc/locks || fail "delete is not waiting for the lock"
	# the holder's work: the directory goes; then a create makes a new container of that id
	rmdir "$ROOT/$CTR"
	create_ctr "$CTR"
	local sleeper
	sleeper=$(cat "/proc/$holder/task/$holder/children")
	kill "$holder" $sleeper
	bg_wait "$waiter"
	# --force: a container that does not exist is no error (runc)
	[ "$status" -eq 0 ] || fail "the waiting delete: exit $status: $output"
	[ "$(status_of "$CTR")" = created ] || fail "the new container is gone: $(hull state "$CTR" 2>&1)"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	no_leftovers
}
