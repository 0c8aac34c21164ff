#!/bin/bash
# run.sh - the libFuzzer targets (one per parser of outside input): builds build-fuzz (clang, libFuzzer, ASan+UBSan)
# if needed, replays every input in corpus/TARGET/ and crashes/TARGET/ once, then fuzzes each target for an equal
# share of SECONDS (default 60). Ends with one line "fuzz: N passed, N failed".
# Must never grow the committed corpus: the timed runs work on scratch copies; a new crash is copied into crashes/.
# Usage: tests/fuzz/run.sh [SECONDS [LIBFUZZER_FLAGS...]]; HULL_FUZZ_TARGETS="state hooks" picks targets;
# HULL_FUZZ_LOG=PREFIX keeps each target's libFuzzer log as PREFIX.TARGET.
set -uo pipefail
# One compound command, read whole before it runs: editing or checking out this file mid-run cannot derail it.
{
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-60}
shift || true
build=${HULL_FUZZ_BUILD:-$top/build-fuzz}
targets=(${HULL_FUZZ_TARGETS:-config process resources seccomp state hooks image})
# Inputs above this never reach a real document's size; the largest seed is ~3 KB.
max_len=16384
# An input that takes this long to parse is a hang, kept like a crash.
timeout_secs=10
# Below this a timed run is all start-up: each target gets at least this much.
min_share=5

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

passed=0
failed=0
summary() {
	echo "fuzz: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

scratch=$(mktemp -d /tmp/hull-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false \
		>"$scratch/build.log" 2>&1
fi
if ! ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz-}" >>"$scratch/build.log" 2>&1; then
	tail -n 30 "$scratch/build.log"
	echo "fuzz: could not build ${targets[*]} in $build"
	failed=1
	summary
fi

share=$((seconds / ${#targets[@]}))
[ "$share" -ge "$min_share" ] || share=$min_share

for t in "${targets[@]}"; do
	fuzzer=$build/tests/fuzz/fuzz-$t
	dict=()
	if [ -f "$here/$t.dict" ]; then
		dict=(-dict="$here/$t.dict")
	elif [ "$t" != hooks ]; then
		dict=(-dict="$here/config.dict")  # the JSON documents cut from config.json share its keys
	fi
	# Regression: each committed input once, in its own process so that one failure names its file.
	# Those that pass seed the timed run, on a scratch corpus whose growth is thrown away.
	work=$scratch/$t
	mkdir -p "$work/corpus" "$work/artifacts"
	inputs=()
	for f in "$here/corpus/$t"/* "$here/crashes/$t"/*; do
		[ -f "$f" ] && inputs+=("$f")
	done
	# All in one process first (a process start under ASan costs more than most inputs); only when that
	# fails, one process each, so that each failure names its file.
	if [ ${#inputs[@]} -gt 0 ] &&
		"$fuzzer" -timeout="$timeout_secs" -rss_limit_mb=2048 "${inputs[@]}" >"$work/replay.log" 2>&1; then
		passed=$((passed + ${#inputs[@]}))
		cp "${inputs[@]}" "$work/corpus/"
	else
		for f in "${inputs[@]}"; do
			if "$fuzzer" -timeout="$timeout_secs" -rss_limit_mb=2048 "$f" >"$work/replay.log" 2>&1; then
				passed=$((passed + 1))
				cp "$f" "$work/corpus/"
			else
				failed=$((failed + 1))
				echo "fuzz: $t: replay failed: ${f#"$top"/}"
				grep -E '^(==[0-9]+==ERROR|SUMMARY|    #[0-9]+ )|runtime error' "$work/replay.log" | head -n 20 | sed 's/^/  /'
			fi
		done
	fi
	echo "fuzz: $t: replayed ${#inputs[@]} inputs"

	start=$(date +%s)
	"$fuzzer" "${dict[@]}" -max_total_time="$share" -max_len="$max_len" -timeout="$timeout_secs" \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" \
		>"$work/fuzz.log" 2>&1
	rc=$?
	wall=$(($(date +%s) - start))
	[ -z "${HULL_FUZZ_LOG:-}" ] || cp "$work/fuzz.log" "$HULL_FUZZ_LOG.$t"
	last=$(grep -hE '^#[0-9]+' "$work/fuzz.log" | tail -n 1)
	runs=$(grep -hE '^stat::number_of_executed_units' "$work/fuzz.log" | awk '{s += $2} END {print s + 0}')
	rate=$(grep -hE '^stat::average_exec_per_sec' "$work/fuzz.log" | awk '{s += $2} END {print s + 0}')
	echo "fuzz: $t: ${wall}s wall, $runs runs, $rate exec/s, corpus $(find "$work/corpus" -type f | wc -l) files; last: ${last:-none}"

	found=0
	for a in "$work"/artifacts/*; do
		[ -f "$a" ] || continue
		found=$((found + 1))
		for k in "$here/crashes/$t"/*; do
			[ -f "$k" ] && cmp -s "$a" "$k" && continue 2  # already kept, under another name
		done
		mkdir -p "$here/crashes/$t"
		cp "$a" "$here/crashes/$t/$(basename "$a")"
		echo "fuzz: $t: new failing input tests/fuzz/crashes/$t/$(basename "$a") (commit it as a regression input)"
	done
	if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
		failed=$((failed + 1))
		grep -E '^(==[0-9]+==|SUMMARY|    #[0-9]+ )|runtime error|Test unit written' "$work/fuzz.log" | head -n 40 | sed 's/^/  /'
	else
		passed=$((passed + 1))
	fi
done
summary
}
