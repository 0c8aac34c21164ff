#!/usr/bin/env bats
# The same bundle through hull, runc and crun: the same state and list keys,
# the same status values, the same exit codes.
#
# runc (/usr/sbin/runc) is the reference for hull's formats: hull must match
# it exactly.  crun is a second opinion: it must agree on the status values
# and exit codes, except where crun 1.8 is known to differ (listed below);
# its state has an extra "systemd-scope" key and its list JSON fewer keys,
# so for crun only the keys the runtime-spec requires are checked.
#
# crun refuses this machine's hybrid cgroups and is run through tests/lib/crun-hybrid.sh.
# crun 1.8.1 also refuses ociVersion 1.2.0 ("unknown version specified"), so
# the shared bundle says 1.0.2, which all three accept.

load helpers

RUNTIMES="hull runc crun"
# scenario names where crun 1.8.1 is known to differ from runc
CRUN_KNOWN_DIFFS="kill-unknown-signal"  # crun exits 0 and sends nothing

setup() {
	setup_hull
	[ -x "$RUNC_BIN" ] || skip "no runc at $RUNC_BIN"
	command -v crun >/dev/null || skip "no crun installed"
	command -v unshare >/dev/null || skip "no unshare"
	update_config '.ociVersion = "1.0.2"'
}

teardown() {
	local rt id
	for rt in hull runc crun; do
		for id in $(rt_bin "$rt" --root "$TESTDIR/root-$rt" list -q 2>/dev/null); do
			timeout 20 "$(rt_path "$rt")" --root "$TESTDIR/root-$rt" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
		done
	done
	teardown_hull
}

rt_path() {
	case $1 in
	hull) echo "$HULL" ;;
	runc) echo "$RUNC_BIN" ;;
	crun) echo "$CRUN_WRAPPER" ;;
	esac
}

rt_bin() {
	local p
	p=$(rt_path "$1")
	shift
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$p" "$@" 3>&-
}

# rt NAME ARGS...: run a runtime with its own root; the container's stdio go
# to files.  Sets status and output (stdout + stderr).
rt() {
	local name=$1
	shift
	status=0
	rt_bin "$name" --root "$TESTDIR/root-$name" "$@" \
		</dev/null >"$TESTDIR/$name.out" 2>"$TESTDIR/$name.err" || status=$?
	output=$(cat "$TESTDIR/$name.out" "$TESTDIR/$name.err")
	echo "# $name $* => $status: $output" >>"$TESTDIR/transcript"
}

# id NAME: the container id each runtime uses (cgroups are named after ids,
# host-wide, so the runtimes must not share one).
id() { echo "${CTR}_$1"; }

rt_state() { rt "$1" state "$(id "$1")"; cat "$TESTDIR/$1.out"; }

rt_wait_status() {
	local i s
	for i in $(seq "$(tries 100)"); do
		s=$(rt_bin "$1" --root "$TESTDIR/root-$1" state "$(id "$1")" 2>/dev/null | jq -r .status)
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	fail "$1: container is '$s', not '$2'"
}

REQUIRED_KEYS='["bundle","id","ociVersion","pid","status"]'

# compare_states STEP: the states in $TESTDIR/state.NAME.json
compare_states() {
	local step=$1 r h c
	r=$(jq -c keys "$TESTDIR/state.runc.json")
	h=$(jq -c keys "$TESTDIR/state.hull.json")
	[ "$h" = "$r" ] || fail "$step: hull's state keys $h differ from runc's $r"
	jq -e --argjson req "$REQUIRED_KEYS" 'keys as $k | $req - $k == []' "$TESTDIR/state.crun.json" >/dev/null ||
		fail "$step: crun's state lacks required keys"
	for rtn in hull crun; do
		[ "$(jq -r .status "$TESTDIR/state.$rtn.json")" = "$(jq -r .status "$TESTDIR/state.runc.json")" ] ||
			fail "$step: $rtn's status $(jq -r .status "$TESTDIR/state.$rtn.json") differs from runc's"
	done
}

save_states() {
	local n
	for n in $RUNTIMES; do
		rt "$n" state "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n state failed: $output"
		cp "$TESTDIR/$n.out" "$TESTDIR/state.$n.json"
	done
}

# same_codes SCENARIO: compare the exit codes in CODES[hull|runc|crun]
declare -gA CODES
same_codes() {
	echo "# $1: hull=${CODES[hull]} runc=${CODES[runc]} crun=${CODES[crun]}" >&3
	[ "${CODES[hull]}" = "${CODES[runc]}" ] || fail "$1: hull exited ${CODES[hull]}, runc ${CODES[runc]}"
	if [[ " $CRUN_KNOWN_DIFFS " == *" $1 "* ]]; then
		return 0
	fi
	[ "${CODES[crun]}" = "${CODES[runc]}" ] || fail "$1: crun exited ${CODES[crun]}, runc ${CODES[runc]}"
}

# what lies under the host's cgroup2 mount at /sys/fs/cgroup/unified on a hybrid host, in the directory it hides
hidden_unified() {
	unshare -m sh -c 'mount --make-rprivate / && umount /sys/fs/cgroup/unified && ls -A /sys/fs/cgroup/unified'
}

@test "the crun wrapper runs a container on this host" {
	set_cmd echo hello from crun
	rt crun run "$(id crun)"
	[ "$status" -eq 0 ]
	[ "$output" = "hello from crun" ]
	rt crun list -q
	[ -z "$output" ]
	# crun writes ID/cgroup.procs for the unified line of /proc/self/cgroup wherever the wrapper left it room
	if mountpoint -q /sys/fs/cgroup/unified && ! [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		! hidden_unified | grep -qxF "$(id crun)" || fail "crun left $(id crun) on the host, hidden under /sys/fs/cgroup/unified"
	fi
}

@test "state has the same keys and status values through the lifecycle" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" create "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n create failed: $output"
	done
	save_states
	compare_states created
	[ "$(jq -r .status "$TESTDIR/state.hull.json")" = created ]
	for n in $RUNTIMES; do
		rt "$n" start "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n start failed: $output"
	done
	save_states
	compare_states running
	for n in $RUNTIMES; do
		rt "$n" kill "$(id "$n")" KILL
		[ "$status" -eq 0 ] || fail "$n kill failed: $output"
		rt_wait_status "$n" stopped
	done
	save_states
	compare_states stopped
	# a stopped container has pid 0 in runc's state
	[ "$(jq -r .pid "$TESTDIR/state.hull.json")" = "$(jq -r .pid "$TESTDIR/state.runc.json")" ]
}

@test "list --format json has the same keys and status values" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" create "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n create failed: $output"
		rt "$n" run -d "$(id "$n")_b"
		[ "$status" -eq 0 ] || fail "$n run -d failed: $output"
		rt "$n" list --format json
		[ "$status" -eq 0 ]
		cp "$TESTDIR/$n.out" "$TESTDIR/list.$n.json"
	done
	r=$(jq -c '[.[] | keys] | unique' "$TESTDIR/list.runc.json")
	h=$(jq -c '[.[] | keys] | unique' "$TESTDIR/list.hull.json")
	[ "$h" = "$r" ] || fail "hull's list keys $h differ from runc's $r"
	jq -e 'all(.[]; has("id") and has("pid") and has("status") and has("bundle"))' "$TESTDIR/list.crun.json"
	for n in $RUNTIMES; do
		[ "$(jq -r '[.[] | .status] | sort | join(" ")' "$TESTDIR/list.$n.json")" = "created running" ] ||
			fail "$n lists $(jq -r '[.[] | .status] | sort | join(" ")' "$TESTDIR/list.$n.json")"
	done
}

@test "run gives the same exit codes" {
	for code in 0 3 127; do
		set_cmd sh -c "exit $code"
		for n in $RUNTIMES; do
			rt "$n" run "$(id "$n")"
			CODES[$n]=$status
		done
		same_codes "run-exit-$code"
		[ "${CODES[hull]}" = "$code" ]
	done
}

@test "a run killed by a signal gives the same exit code" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		(rt "$n" run "$(id "$n")"; echo "$status" >"$TESTDIR/$n.bgrc") 3>&- &
		rt_wait_status "$n" running
		rt "$n" kill "$(id "$n")" KILL
		[ "$status" -eq 0 ]
		wait $! || true
		CODES[$n]=$(cat "$TESTDIR/$n.bgrc")
	done
	same_codes run-killed
	[ "${CODES[hull]}" = 137 ]
}

@test "kill gives the same exit codes" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" run -d "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n run -d failed: $output"
	done
	for n in $RUNTIMES; do rt "$n" kill "$(id "$n")" NOPE; CODES[$n]=$status; done
	same_codes kill-unknown-signal
	for n in $RUNTIMES; do rt "$n" kill "no-such-id-$n" KILL; CODES[$n]=$status; done
	same_codes kill-unknown-id
	for n in $RUNTIMES; do rt "$n" kill "$(id "$n")" KILL; CODES[$n]=$status; done
	same_codes kill-running
	for n in $RUNTIMES; do rt_wait_status "$n" stopped; done
	for n in $RUNTIMES; do rt "$n" kill "$(id "$n")" KILL; CODES[$n]=$status; done
	same_codes kill-stopped
}

@test "delete gives the same exit codes" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" run -d "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n run -d failed: $output"
	done
	for n in $RUNTIMES; do rt "$n" delete "$(id "$n")"; CODES[$n]=$status; done
	same_codes delete-running
	for n in $RUNTIMES; do rt "$n" delete --force "$(id "$n")"; CODES[$n]=$status; done
	same_codes delete-force-running
	for n in $RUNTIMES; do rt "$n" delete "$(id "$n")"; CODES[$n]=$status; done
	same_codes delete-unknown
	for n in $RUNTIMES; do rt "$n" delete --force "$(id "$n")"; CODES[$n]=$status; done
	same_codes delete-force-unknown
	set_cmd true
	for n in $RUNTIMES; do
		rt "$n" run -d "$(id "$n")"
		rt_wait_status "$n" stopped
		rt "$n" delete "$(id "$n")"
		CODES[$n]=$status
	done
	same_codes delete-stopped
}

@test "start and state give the same exit codes" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do rt "$n" state "no-such-id-$n"; CODES[$n]=$status; done
	same_codes state-unknown
	for n in $RUNTIMES; do rt "$n" start "no-such-id-$n"; CODES[$n]=$status; done
	same_codes start-unknown
	for n in $RUNTIMES; do
		rt "$n" create "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n create failed: $output"
	done
	for n in $RUNTIMES; do rt "$n" start "$(id "$n")"; CODES[$n]=$status; done
	same_codes start-created
	for n in $RUNTIMES; do rt "$n" start "$(id "$n")"; CODES[$n]=$status; done
	same_codes start-running
}

# A process that answers USR1, HUP and INT and exits 42 on TERM, announcing itself first.
SIGNAL_SCRIPT='for s in USR1 HUP INT; do trap "echo got-$s" $s; done; trap "echo got-TERM; exit 42" TERM; echo ready; while :; do sleep 0.1; done'

# signal_round NAME ARGS...: run the runtime in the foreground with ARGS (run or exec), send it USR1,
# HUP, INT and TERM one at a time as a person or an engine would, each once the last was answered;
# CODES[NAME] gets its exit code, $TESTDIR/NAME.signals the process's answers.
signal_round() {
	local n=$1 i tpid rpid s
	shift
	(rt "$n" "$@"; echo "$status" >"$TESTDIR/$n.bgrc") 3>&- &
	local bg=$!
	for i in $(seq "$(tries 100)"); do grep -q ready "$TESTDIR/$n.out" 2>/dev/null && break; sleep 0.1; done
	grep -q ready "$TESTDIR/$n.out" || fail "$n: the process did not start: $(cat "$TESTDIR/$n.err")"
	# the runtime is the child of rt_bin's timeout
	tpid=$(pgrep -f "^timeout .* --root $TESTDIR/root-$n ($1)" | head -1)
	rpid=$(pgrep -P "$tpid" | head -1)
	[ -n "$rpid" ] || fail "$n: no runtime process"
	for s in USR1 HUP INT TERM; do
		kill -s "$s" "$rpid"
		for i in $(seq "$(tries 100)"); do grep -q "got-$s" "$TESTDIR/$n.out" && break; sleep 0.05; done
	done
	wait "$bg" || true
	CODES[$n]=$(cat "$TESTDIR/$n.bgrc")
	grep got- "$TESTDIR/$n.out" >"$TESTDIR/$n.signals" || true
}

# same_signal_answers SCENARIO: every runtime exited 42 and its process answered every signal, in order
same_signal_answers() {
	same_codes "$1"
	[ "${CODES[hull]}" = 42 ]
	for n in $RUNTIMES; do
		[ "$(echo $(cat "$TESTDIR/$n.signals"))" = "got-USR1 got-HUP got-INT got-TERM" ] ||
			fail "$n answered: $(cat "$TESTDIR/$n.signals")"
	done
}

@test "a foreground run forwards USR1, HUP, INT and TERM to the process like runc" {
	set_cmd sh -c "$SIGNAL_SCRIPT"
	for n in $RUNTIMES; do
		signal_round "$n" run "$(id "$n")"
	done
	same_signal_answers run-signals
}

@test "a foreground exec forwards USR1, HUP, INT and TERM to its process like runc" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" run -d "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n run -d: $output"
		signal_round "$n" exec "$(id "$n")" sh -c "$SIGNAL_SCRIPT"
		rt "$n" delete -f "$(id "$n")"
	done
	same_signal_answers exec-signals
}

@test "exec gives the same exit codes, 128+N for a process killed by signal N" {
	set_cmd sleep 1000
	for n in $RUNTIMES; do
		rt "$n" run -d "$(id "$n")"
		[ "$status" -eq 0 ] || fail "$n run -d: $output"
	done
	for scenario in 'exit 0' 'exit 3' 'kill -KILL $$' 'kill -TERM $$' '/nonexistent'; do
		for n in $RUNTIMES; do
			rt "$n" exec "$(id "$n")" sh -c "$scenario"
			CODES[$n]=$status
		done
		same_codes "exec: $scenario"
	done
	[ "${CODES[hull]}" = 127 ]
	# the runtime's own failure to exec: runc's 255
	for n in $RUNTIMES; do
		rt "$n" exec "$(id "$n")" /nonexistent
		CODES[$n]=$status
	done
	same_codes "exec-missing-binary"
	[ "${CODES[hull]}" = 255 ]
}
