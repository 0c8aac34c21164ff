#!/bin/bash
# run.sh - hull's whole test suite: deps, a -Werror build, unit, integration, conformance (hull beside runc
# and crun), then unit and integration again under ASan+UBSan. Ends with one line "N passed, N failed, N skipped".
# Must never leave containers, mounts or temp dirs behind; a suite that cannot run counts as failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logdir=$(mktemp -d /tmp/hull-tests.XXXXXX)
passed=0
failed=0
skipped=0

note() { printf '\n=== %s\n' "$*"; }

# count_tap NAME FILE: add a TAP stream's ok / not ok / skip lines to the totals (a skip is no pass)
count_tap() {
	local ok notok skip
	ok=$(grep -cE '^ok ' "$2" || true)
	skip=$(grep -cE '^ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$2" || true)
	notok=$(grep -cE '^not ok ' "$2" || true)
	ok=$((ok - skip))
	echo "$1: $ok passed, $notok failed, $skip skipped"
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

run_unit() { # run_unit BUILD_DIR LABEL
	local out="$logdir/unit-$2.tap"
	: >"$out"
	local tests
	tests=$(meson introspect "$1" --tests 2>/dev/null | jq -r '.[].cmd | join(" ")') || { suite_failed "unit ($2)"; return; }
	[ -n "$tests" ] || { suite_failed "unit ($2): no unit tests built"; return; }
	while read -r cmd; do
		CMOCKA_MESSAGE_OUTPUT=TAP $cmd >>"$out" 2>&1 || true
	done <<<"$tests"
	count_tap "unit ($2)" "$out"
}

run_integration() { # run_integration HULL LABEL
	local out="$logdir/integration-$2.tap"
	HULL="$1" bats --tap tests/integration >"$out" 2>&1
	count_tap "integration ($2)" "$out"
	show_failures "$out"
}

# add_summary NAME OUT: print the last "NAME: N passed, N failed" line of OUT and add it to the totals;
# returns 1 when OUT has none.
add_summary() {
	local line
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed$" "$2" | tail -n 1)
	[ -n "$line" ] || return 1
	echo "$line"
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

run_conformance() {
	local out="$logdir/conformance.log"
	if [ ! -x tests/conformance/run.sh ]; then
		suite_failed conformance
		return
	fi
	tests/conformance/run.sh --runtime "$top/build/hull" --compare /usr/sbin/runc,/usr/bin/crun >"$out" 2>&1
	grep -qE '^conformance: [0-9]+ passed, [0-9]+ failed$' "$out" && sed -n '/^check /,$p' "$out" | head -n 200
	add_summary conformance "$out" || { tail -n 20 "$out"; suite_failed conformance; }
}

run_fuzz() { # run_fuzz SECONDS: replay tests/fuzz's corpus and crashes, then fuzz config.json for SECONDS
	local out="$logdir/fuzz.log"
	tests/fuzz/run.sh "$1" >"$out" 2>&1
	grep -qE '^fuzz: [0-9]+ passed, [0-9]+ failed$' "$out" && grep -vE '^fuzz: [0-9]+ passed' "$out" | head -n 60
	add_summary fuzz "$out" || { tail -n 20 "$out"; suite_failed fuzz; }
}

note "dependencies"
tools/bootstrap.sh --tests build >"$logdir/bootstrap.log" 2>&1 || { tail -n 30 "$logdir/bootstrap.log"; suite_failed bootstrap; }

note "build (-Werror)"
if build build --werror -Dtests=true -Dfault_injection=true; then
	note "unit tests"
	run_unit build plain
	note "integration tests"
	run_integration "$top/build/hull" plain
	note "conformance"
	run_conformance
	note "engines (Docker, containerd, CRI; hull beside runc)"
	run_engines
else
	tail -n 40 "$logdir/build-build.log"
	suite_failed "build"
fi

# cgroup v2 cannot be had on a hybrid host: lane A boots a throw-away VM with pure cgroup v2
# (tests/vmlane/vm-run.sh) and runs the cgroup tests there against the hull built above.
if [ "${HULL_SKIP_VMLANE:-0}" != 1 ] && [ -x build/hull ]; then
	note "cgroup v2 lane (VM)"
	out="$logdir/vmlane-a.tap"
	VMLANE_TIMEOUT=900 tests/vmlane/vm-run.sh tests/vmlane/cgroup2.sh "$top/build/hull" >"$out" 2>"$logdir/vmlane-a.err"
	if grep -qE '^1\.\.[0-9]+' "$out"; then
		count_tap "cgroup v2 lane" "$out"
		show_failures "$out"
	else
		tail -n 30 "$logdir/vmlane-a.err"
		suite_failed "cgroup v2 lane"
	fi
	# lane B: systemd as PID 1, for the systemd cgroup driver
	note "systemd driver lane (VM)"
	out="$logdir/vmlane-b.tap"
	VMLANE_TIMEOUT=900 tests/vmlane/vm-run.sh --systemd tests/vmlane/systemd.sh "$top/build/hull" >"$out" 2>"$logdir/vmlane-b.err"
	if grep -qE '^1\.\.[0-9]+' "$out"; then
		count_tap "systemd lane" "$out"
		show_failures "$out"
	else
		tail -n 30 "$logdir/vmlane-b.err"
		suite_failed "systemd lane"
	fi
fi

if [ "${HULL_SKIP_SANITIZERS:-0}" != 1 ]; then
	note "ASan + UBSan"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
	# a sanitized hull starts ten times slower: fewer create/start/delete cycles fit the test's time bound
	export HULL_CGROUP_CYCLES=100
	if build build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dfault_injection=true; then
		run_unit build-asan asan
		run_integration "$top/build-asan/hull" asan
	else
		tail -n 40 "$logdir/build-build-asan.log"
		suite_failed "sanitizer build"
	fi
fi

if [ "${HULL_SKIP_FUZZ:-0}" != 1 ]; then
	note "fuzzing config.json (60 s)"
	run_fuzz 60
fi

rm -rf "$logdir"
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
