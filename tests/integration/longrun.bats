#!/usr/bin/env bats
# longrun.bats - N create/start/exec/delete cycles (HULL_LONGRUN_CYCLES: 100 in CI, 30 under ASan, 2000 by
# hand) leave no growth: mounts, cgroup directories, state directories, processes, the init's fds, hull's RSS.

SCALE=${HULL_TIME_SCALE:-1}
CYCLES=${HULL_LONGRUN_CYCLES:-100}
# a hang guard only: a cycle takes well under a second on a loaded machine
BATS_TEST_TIMEOUT=$(((60 + CYCLES) * SCALE))
HULL_CMD_TIMEOUT=$((30 * SCALE))

load helpers

MAXRSS=$REPO_ROOT/tests/lib/maxrss
# cycles at each end whose hull commands have their peak RSS measured (a python wrapper costs time)
RSS_SAMPLE=10

setup() {
	setup_hull
	set_cmd sleep 1000
}

# h ARGS...: the runtime, bounded, its stderr kept; with RSS set, its peak RSS appended to $RSS.
h() {
	local pre=()
	[ -n "${RSS:-}" ] && pre=("$MAXRSS" "$RSS")
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "${pre[@]}" "$HULL" --root "$ROOT" "$@" \
		</dev/null >>"$TESTDIR/ctr.stdout" 2>>"$TESTDIR/longrun.err" 3>&-
}

# snapshot: one line of counts of what the cycles could leak.
snapshot() {
	local mounts ours cg state procs
	mounts=$(wc -l </proc/self/mountinfo)
	ours=$(grep -cF "$TESTDIR" /proc/self/mountinfo)
	cg=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$CTR*" 2>/dev/null | wc -l)
	state=$(find "$ROOT" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
	procs=$(tagged_pids | wc -l)
	echo "mounts=$mounts mounts_of_test=$ours cgroup_dirs=$cg state_dirs=$state processes=$procs host_files=$(cut -f1 /proc/sys/fs/file-nr)"
}

# per_controller: cgroup directories of this test under each controller (all must be 0 between cycles).
per_controller() {
	local c
	for c in /sys/fs/cgroup/*/; do
		printf '%s=%s ' "$(basename "$c")" "$(find "$c" -mindepth 1 -maxdepth 5 -type d -name "$CTR*" 2>/dev/null | wc -l)"
	done
}

# stat_of FILE: "max=... median=..." of a column of numbers.
stat_of() {
	sort -n "$1" | awk '{v[NR] = $1} END {printf "n=%d min=%d median=%d max=%d", NR, v[1], v[int((NR + 1) / 2)], v[NR]}'
}

@test "create, start, exec and delete cycles leave no growth in mounts, cgroups, state, processes, fds or hull's RSS" {
	requires_hull "measures hull's own invocations"
	[ -x "$MAXRSS" ] || fail "no $MAXRSS"
	local before after i pid fds t0 t1
	# one cycle first: caches (the bundle's pages, a first cgroup of each kind) are not growth
	h create "$CTR" && h start "$CTR" && h delete --force "$CTR" || fail "warm-up cycle: $(cat "$TESTDIR/longrun.err")"
	before=$(snapshot)
	t0=$(date +%s)
	: >"$TESTDIR/fds"
	for i in $(seq "$CYCLES"); do
		RSS=
		((i <= RSS_SAMPLE)) && RSS=$TESTDIR/rss.first
		((i > CYCLES - RSS_SAMPLE)) && RSS=$TESTDIR/rss.last
		h create --pid-file "$TESTDIR/pid" "$CTR" || fail "cycle $i: create: $(tail -3 "$TESTDIR/longrun.err")"
		# the init (hull, until start) holds only what it must: a leaked fd of create shows here
		pid=$(<"$TESTDIR/pid")
		fds=("/proc/$pid/fd/"*)
		echo "${#fds[@]}" >>"$TESTDIR/fds"
		h start "$CTR" || fail "cycle $i: start: $(tail -3 "$TESTDIR/longrun.err")"
		h exec "$CTR" true || fail "cycle $i: exec: $(tail -3 "$TESTDIR/longrun.err")"
		h delete --force "$CTR" || fail "cycle $i: delete: $(tail -3 "$TESTDIR/longrun.err")"
		[ ! -e "$ROOT/$CTR" ] || fail "cycle $i: state directory left"
	done
	t1=$(date +%s)
	RSS=
	# the last cycle's processes may take a moment to be reaped
	for i in $(seq 50); do
		[ -z "$(tagged_pids)" ] && break
		sleep 0.1
	done
	after=$(snapshot)
	{
		echo "# $CYCLES cycles in $((t1 - t0)) s"
		echo "# before: $before"
		echo "# after:  $after"
		echo "# cgroup dirs of the test per controller after: $(per_controller)"
		echo "# init's open fds after create: $(stat_of "$TESTDIR/fds")"
		echo "# hull peak RSS (KiB), first $RSS_SAMPLE cycles: $(stat_of "$TESTDIR/rss.first")"
		echo "# hull peak RSS (KiB), last $RSS_SAMPLE cycles:  $(stat_of "$TESTDIR/rss.last")"
	} | tee -a "${HULL_LONGRUN_REPORT:-/dev/null}" >&3

	[ ! -s "$TESTDIR/longrun.err" ] || fail "hull printed: $(sort "$TESTDIR/longrun.err" | uniq -c | head -5)"
	# what only this test makes must be back to zero
	local k
	for k in mounts_of_test cgroup_dirs state_dirs processes; do
		[[ " $after " == *" $k=0 "* ]] || fail "$k grew: before $before, after $after"
	done
	# the init's fds: the same in every cycle
	[ "$(sort -u "$TESTDIR/fds" | wc -l)" = 1 ] || fail "init's open fds vary across cycles: $(sort -n "$TESTDIR/fds" | uniq -c)"
	# hull's peak RSS in the last cycles is that of the first ones (each is a new process: growth would
	# mean something it reads grows with the cycles), within a page-cache-sized margin
	local first last
	first=$(sort -n "$TESTDIR/rss.first" | tail -1)
	last=$(sort -n "$TESTDIR/rss.last" | tail -1)
	[ "$last" -le $((first + first / 10 + 256)) ] || fail "hull's peak RSS grew from $first KiB to $last KiB"
}
