#!/bin/bash
# run.sh - hull's whole test suite: deps, -Werror builds (plain and ASan+UBSan), unit, integration, mutants,
# conformance (hull beside runc and crun), engines, the engine, images, VM lanes, fuzzing; the ASan lane, the VM lanes
# and the images run in the background beside the plain lanes. Ends with one line "N passed, N failed, N skipped".
# Must never leave containers, mounts or temp dirs behind; a suite that cannot run counts as failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logdir=$(mktemp -d /tmp/hull-tests.XXXXXX)
passed=0
failed=0
skipped=0
lanes=() # one line per lane, repeated at the end: the ASan and VM lanes re-run checks of the plain lanes
# Up to four lanes share the machine's two cores (plain, ASan, the VMs, images or engines): the tests' hang guards
# (BATS_TEST_TIMEOUT and the like, never a verdict) are doubled; the ASan lane widens its own fivefold.
export HULL_TIME_SCALE=2

note() { printf '\n=== %s (at %d s)\n' "$*" "$SECONDS"; }

# count_tap NAME FILE: add a TAP stream's ok / not ok / skip lines to the totals (a skip is no pass).  A
# stream that stopped early fails: each test its plans ("1..N") announced but that never reported counts
# as failed, and a stream with no plan at all is one failure.
count_tap() {
	local ok notok skip planned ran lost=0
	ok=$(grep -cE '^ok ' "$2" || true)
	skip=$(grep -cE '^ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$2" || true)
	notok=$(grep -cE '^not ok ' "$2" || true)
	planned=$(awk -F. '/^1\.\.[0-9]+$/ {n += $3} END {print n + 0}' "$2")
	ran=$((ok + notok))
	ok=$((ok - skip))
	if ! grep -qE '^1\.\.[0-9]+$' "$2"; then
		lost=1
		echo "$1: no TAP plan (the runner did not start or crashed at once)"
	elif [ "$ran" -lt "$planned" ]; then
		lost=$((planned - ran))
		echo "$1: $planned tests announced, $ran reported: the runner stopped early, $lost counted as failed"
	fi
	notok=$((notok + lost))
	echo "$1: $ok passed, $notok failed, $skip skipped"
	lanes+=("$1: $ok passed, $notok failed, $skip skipped")
	passed=$((passed + ok))
	failed=$((failed + notok))
	skipped=$((skipped + skip))
}

# show_failures FILE: each "not ok" line of a TAP stream with up to 12 of its diagnostic lines, so a
# failure can be read from CI's output after the log directory is gone
show_failures() {
	awk '/^not ok /{n=12; print "  " $0; next} /^(ok|not ok) /{n=0} n>0 && /^#/{print "    " $0; n--}' "$1"
}

# suite_failed NAME: a suite that could not run at all is one failure, never silence
suite_failed() {
	echo "$1: could not run"
	lanes+=("$1: could not run (1 failed)")
	failed=$((failed + 1))
}

build() { # build DIR MESON_ARGS...
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir" >"$logdir/build-$(basename "$dir").log" 2>&1
}

# unit_tap BUILD_DIR LABEL: every unit binary into $logdir/unit-LABEL.tap, each one's TAP checked against its own
# plan and exit status (an abort after its last "ok" still fails the lane); what is wrong is printed
unit_tap() {
	local out="$logdir/unit-$2.tap" one="$logdir/unit-one-$2.tap"
	: >"$out"
	local tests rc
	tests=$(meson introspect "$1" --tests 2>/dev/null | jq -r '.[].cmd | join(" ")') || { echo "not ok - unit ($2): no list of unit tests" >>"$out"; return; }
	[ -n "$tests" ] || { echo "not ok - unit ($2): no unit tests built" >>"$out"; return; }
	while read -r cmd; do
		rc=0
		CMOCKA_MESSAGE_OUTPUT=TAP $cmd >"$one" 2>&1 || rc=$?
		# in a subshell: only its lines for a broken binary are shown, the lane's totals are counted later
		(count_tap "  $(basename "${cmd%% *}")" "$one") | grep -v ' 0 failed, ' || true
		if [ "$rc" -ne 0 ] && ! grep -qE '^not ok ' "$one"; then
			echo "  $(basename "${cmd%% *}"): exited $rc with no failing test reported: counted as one failure"
			echo "not ok - $(basename "${cmd%% *}") exited $rc" >>"$one"
		fi
		cat "$one" >>"$out"
	done <<<"$tests"
	rm -f "$one"
}

# count_lane NAME TAP: a lane's totals and failures
count_lane() {
	count_tap "$1" "$2"
	show_failures "$2"
}

# The host's users: the rootless tests add one (useradd, /etc/subuid) and remove it. Two lanes that run beside each
# other must not edit /etc/passwd at once (useradd refuses a locked file, and both could pick one subordinate range):
# a file with "rootless" in its name runs holding this lock.
users_lock=$logdir/host-users.lock

# bats_files OUT HULL FILE...: each file a bats run of its own (the lock above where it applies), their TAP into OUT
bats_files() {
	local out=$1 hull=$2 f
	shift 2
	: >"$out"
	for f in "$@"; do
		case $(basename "$f") in
		*rootless*) HULL="$hull" flock "$users_lock" bats --tap "$f" >>"$out" 2>&1 ;;
		*) HULL="$hull" bats --tap "$f" >>"$out" 2>&1 ;;
		esac
	done
}

# The integration files but hostile.bats, which runs alone before the lanes start: it compares host files, sysctls
# and mounts before and after each hostile config, and another lane's useradd or daemon would change them meanwhile.
integration_files() { find tests/integration -maxdepth 1 -name '*.bats' ! -name hostile.bats | sort; }

# add_summary NAME OUT: print the last "NAME: N passed, N failed" line of OUT and add it to the totals;
# returns 1 when OUT has none.
add_summary() {
	local line
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed$" "$2" | tail -n 1)
	[ -n "$line" ] || return 1
	echo "$line"
	lanes+=("$line")
	local p f
	p=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")
	f=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")
	passed=$((passed + p))
	failed=$((failed + f))
}

# The engines (Docker, containerd's ctr and CRI, the differential config test) drive hull and runc side by
# side; each file starts one private daemon of its own and stops it. Plain build only: a sanitizer build
# under an engine's shim adds minutes and finds nothing the integration lane does not.
run_engines() {
	local out="$logdir/engines.tap"
	HULL="$top/build/hull" bats --tap tests/engines >"$out" 2>&1
	count_tap "engines" "$out"
	show_failures "$out"
	grep -qE '^1\.\.[0-9]+' "$out" || { tail -n 20 "$out"; suite_failed engines; }
}

# The image half (tests/images): a real registry (docker-registry on 127.0.0.1, started and stopped by each file),
# layouts and archives made offline with umoci and skopeo (and a minimal Debian with debootstrap), unpack compared
# with umoci's, hostile layers and manifests, kills during pull. Plain build; it runs in the background from the end
# of the plain integration lane (much of it waits on registries and disks), and is counted after the ASan lane.
start_images() {
	HULL="$top/build/hull" bats --tap tests/images >"$logdir/images.tap" 2>&1 &
	images_pid=$!
	images_start=$SECONDS
}

count_images() {
	wait "$images_pid"
	note "images (registry, layouts, archives, unpack against umoci, hostile input, kills; ran from $images_start s, in the background)"
	count_tap "images" "$logdir/images.tap"
	show_failures "$logdir/images.tap"
}

# The engine (tests/engine: `hull container` beside podman, the CNI bridge in namespaces of the tests' own, rootless
# as a real user, kills at every step; tests/monitor: the log file). Plain build, in the background beside the
# conformance and engines lanes; its rootless file holds the users lock.
start_engine_lane() {
	bats_files "$logdir/engine.tap" "$top/build/hull" $(find tests/engine tests/monitor -maxdepth 1 -name '*.bats' | sort) &
	engine_pid=$!
	engine_start=$SECONDS
}

count_engine_lane() {
	wait "$engine_pid"
	note "engine (hull container beside podman, bridge, rootless, kills; the log file; ran from $engine_start s)"
	count_tap "engine" "$logdir/engine.tap"
	show_failures "$logdir/engine.tap"
}

run_conformance() {
	local out="$logdir/conformance.log"
	if [ ! -x tests/conformance/run.sh ]; then
		suite_failed conformance
		return
	fi
	tests/conformance/run.sh --runtime "$top/build/hull" --compare /usr/sbin/runc,/usr/bin/crun >"$out" 2>&1
	grep -qE '^conformance: [0-9]+ passed, [0-9]+ failed$' "$out" && sed -n '/^check /,$p' "$out" | head -n 200
	add_summary conformance "$out" || { tail -n 20 "$out"; suite_failed conformance; return; }
	# its summary line leaves out the skips (a check a runtime does not support): they are counted here
	local s
	s=$(sed -nE 's/^skipped: ([0-9]+)$/\1/p' "$out" | tail -n 1)
	echo "conformance: ${s:-0} skipped"
	lanes+=("conformance: ${s:-0} skipped (the checks a runtime does not support)")
	skipped=$((skipped + ${s:-0}))
}

# run_mutants: tests/security/mutants.sh, each of hull's CVE defences removed in turn from a scratch build
# (after a control run of the unmodified build): a killed mutant passes, a survivor or a stale one fails.
# Each mutant rebuilds only the objects its patch touches and runs only its own tests: about 3 minutes
# here; the timeout is a hang guard (a run it cuts short prints no summary and fails the lane).
run_mutants() {
	local out="$logdir/mutants.log" k s t
	MUTANT_DIR="$logdir/mutants" SECTOOL="$top/build/tests/helpers/sectool" \
		timeout -k 10 1200 tests/security/mutants.sh >"$out" 2>&1
	grep -E '^(control|mutant) ' "$out"
	local line
	line=$(grep -E '^mutants: [0-9]+ killed, [0-9]+ survived(, [0-9]+ stale)?$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		tail -n 20 "$out"
		suite_failed "security mutants"
		return
	fi
	read -r k s t < <(sed -E 's/^mutants: ([0-9]+) killed, ([0-9]+) survived(, ([0-9]+) stale)?$/\1 \2 \4/' <<<"$line")
	echo "security mutants: ${k} killed (passed), $((s + ${t:-0})) survived or stale (failed)"
	lanes+=("security mutants: $k passed, $((s + ${t:-0})) failed")
	passed=$((passed + k))
	failed=$((failed + s + ${t:-0}))
	rm -rf "$logdir/mutants"
}

run_fuzz() { # run_fuzz SECONDS: replay tests/fuzz's corpora and crashes, then fuzz every target, SECONDS split over them
	local out="$logdir/fuzz.log"
	tests/fuzz/run.sh "$1" >"$out" 2>&1
	grep -qE '^fuzz: [0-9]+ passed, [0-9]+ failed$' "$out" && grep -vE '^fuzz: [0-9]+ passed' "$out" | head -n 60
	add_summary fuzz "$out" || { tail -n 20 "$out"; suite_failed fuzz; }
}

# cgroup v2 cannot be had on a hybrid host: lane A boots a throw-away VM with pure cgroup v2
# (tests/vmlane/vm-run.sh) and runs the cgroup tests there against the hull built above; lane B boots one
# with systemd as PID 1, for the systemd cgroup driver. Nothing they do reaches the host: they run in the
# background from the start, beside every other lane (their timeouts are hang guards, wide for that).
vm_lanes() {
	VMLANE_TIMEOUT=2700 tests/vmlane/vm-run.sh tests/vmlane/cgroup2.sh "$top/build/hull" \
		>"$logdir/vmlane-a.tap" 2>"$logdir/vmlane-a.err"
	echo "$SECONDS" >"$logdir/vmlane-a.end"
	VMLANE_TIMEOUT=1500 tests/vmlane/vm-run.sh --systemd tests/vmlane/systemd.sh "$top/build/hull" \
		>"$logdir/vmlane-b.tap" 2>"$logdir/vmlane-b.err"
	echo "$SECONDS" >"$logdir/vmlane-b.end"
}

# count_vm_lane NAME FILE: a VM lane's TAP, or one failure when it printed none
count_vm_lane() {
	local out="$logdir/$2.tap"
	note "$1 (VM; ran from $vm_start s to $(cat "$logdir/$2.end" 2>/dev/null || echo '?') s, in the background)"
	if grep -qE '^1\.\.[0-9]+' "$out"; then
		count_tap "$1" "$out"
		show_failures "$out"
	else
		tail -n 30 "$logdir/$2.err"
		suite_failed "$1"
	fi
}

# The ASan+UBSan lane: the unit and integration tests again with the sanitized build, in the background from the
# start beside the plain lanes (the machine's second core was idle for much of those), counted at the end.
asan_env() {
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
	# a sanitized hull starts ten times slower: the tests' hang guards (BATS_TEST_TIMEOUT) are widened
	# fivefold, and the cycle tests do fewer cycles to keep the lane short (counts, so the verdict never
	# depends on the machine's speed; a leak or a memory error shows in the first cycles)
	export HULL_TIME_SCALE=5 HULL_CGROUP_CYCLES=30 HULL_LONGRUN_CYCLES=30
}

asan_lane() {
	asan_env
	unit_tap build-asan asan
	bats_files "$logdir/integration-asan.tap" "$top/build-asan/hull" $(integration_files)
}

note "dependencies"
tools/bootstrap.sh --tests build >"$logdir/bootstrap.log" 2>&1 || { tail -n 30 "$logdir/bootstrap.log"; suite_failed bootstrap; }

note "build (-Werror)"
plain_ok=0 asan_ok=0
build build --werror -Dtests=true -Dfault_injection=true && plain_ok=1 || { tail -n 40 "$logdir/build-build.log"; suite_failed "build"; }
vm_pid=
if [ "${HULL_SKIP_VMLANE:-0}" != 1 ] && [ "$plain_ok" = 1 ]; then
	vm_start=$SECONDS
	vm_lanes &
	vm_pid=$!
fi

if [ "${HULL_SKIP_SANITIZERS:-0}" != 1 ]; then
	note "build (-Werror, ASan + UBSan)"
	build build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dfault_injection=true &&
		asan_ok=1 || { tail -n 40 "$logdir/build-build-asan.log"; suite_failed "sanitizer build"; }
fi

# hostile.bats compares the host before and after each case: no other lane may change it meanwhile (a useradd, a
# daemon's sysctl). Its plain and ASan runs change nothing of the host when they pass: they run side by side.
if [ "$plain_ok" = 1 ]; then
	note "hostile configs (plain and ASan side by side, before the other lanes start)"
	hostile_asan_pid=
	if [ "$asan_ok" = 1 ]; then
		(asan_env && bats_files "$logdir/hostile-asan.tap" "$top/build-asan/hull" tests/integration/hostile.bats) &
		hostile_asan_pid=$!
	fi
	bats_files "$logdir/hostile-plain.tap" "$top/build/hull" tests/integration/hostile.bats
	count_lane "hostile (plain)" "$logdir/hostile-plain.tap"
	if [ -n "$hostile_asan_pid" ]; then
		wait "$hostile_asan_pid"
		count_lane "hostile (asan)" "$logdir/hostile-asan.tap"
	fi
fi

asan_pid=
if [ "$asan_ok" = 1 ]; then
	asan_start=$SECONDS
	asan_lane >"$logdir/asan-lane.out" 2>&1 &
	asan_pid=$!
fi

images_pid=
if [ "$plain_ok" = 1 ]; then
	note "unit tests"
	unit_tap build plain
	count_lane "unit (plain)" "$logdir/unit-plain.tap"
	note "integration tests"
	bats_files "$logdir/integration-plain.tap" "$top/build/hull" $(integration_files)
	count_lane "integration (plain)" "$logdir/integration-plain.tap"
	start_images
	note "security mutants (each CVE defence removed in turn; its tests must fail)"
	run_mutants
	start_engine_lane
	note "conformance"
	run_conformance
	note "engines (Docker, containerd, CRI; hull beside runc)"
	run_engines
	count_engine_lane
fi

if [ -n "$asan_pid" ]; then
	wait "$asan_pid"
	note "ASan + UBSan (unit and integration; ran from $asan_start s, in the background)"
	cat "$logdir/asan-lane.out"
	count_lane "unit (asan)" "$logdir/unit-asan.tap"
	count_lane "integration (asan)" "$logdir/integration-asan.tap"
fi

if [ -n "$images_pid" ]; then
	count_images
fi

if [ -n "$vm_pid" ]; then
	wait "$vm_pid"
	count_vm_lane "cgroup v2 lane" vmlane-a
	count_vm_lane "systemd lane" vmlane-b
fi

if [ "${HULL_SKIP_FUZZ:-0}" != 1 ]; then
	note "fuzzing every parser of outside input (45 s split over the targets)"
	run_fuzz 45
fi

rm -rf "$logdir"
echo
echo "lanes (\"(asan)\" re-runs the plain lane's checks under ASan+UBSan; the VM lanes re-run the cgroup and"
echo "systemd tests on pure cgroup v2 and under systemd; every line adds to the total below):"
printf '  %s\n' "${lanes[@]}"
echo "whole run: $SECONDS s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
