#!/bin/bash
# run.sh - the config.json fuzzer: builds build-fuzz (clang, libFuzzer, ASan+UBSan) if needed, replays every input in
# corpus/ and crashes/ once, then fuzzes for SECONDS (default 60). Ends with one line "fuzz: N passed, N failed".
# Must never grow the committed corpus: the timed run works on a scratch copy; a new crash is copied into crashes/.
# Usage: tests/fuzz/run.sh [SECONDS [LIBFUZZER_FLAGS...]]; HULL_FUZZ_LOG=FILE keeps the libFuzzer log.
set -uo pipefail
# One compound command, read whole before it runs: editing or checking out this file mid-run cannot derail it.
{
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-60}
shift || true
build=${HULL_FUZZ_BUILD:-$top/build-fuzz}
fuzzer=$build/tests/fuzz/fuzz-config
# Inputs above this never reach config.json size in practice; the largest seed is ~3 KB.
max_len=16384
# A config that takes this long to parse is a hang, kept like a crash.
timeout_secs=10

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
if ! ninja -C "$build" tests/fuzz/fuzz-config >>"$scratch/build.log" 2>&1; then
	tail -n 30 "$scratch/build.log"
	echo "fuzz: could not build $fuzzer"
	failed=1
	summary
fi

# Regression: each committed input once, in its own process so that one failure names its file.
# Those that pass seed the timed run, on a scratch corpus whose growth is thrown away.
mkdir "$scratch/corpus" "$scratch/artifacts"
replayed=0
for f in "$here"/corpus/* "$here"/crashes/*; do
	[ -f "$f" ] && [ "$(basename "$f")" != README ] || continue
	replayed=$((replayed + 1))
	if "$fuzzer" -timeout="$timeout_secs" -rss_limit_mb=2048 "$f" >"$scratch/replay.log" 2>&1; then
		passed=$((passed + 1))
		cp "$f" "$scratch/corpus/"
	else
		failed=$((failed + 1))
		echo "fuzz: replay failed: ${f#"$top"/}"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|    #[0-9]+ )|runtime error' "$scratch/replay.log" | head -n 20 | sed 's/^/  /'
	fi
done
echo "fuzz: replayed $replayed inputs"

start=$(date +%s)
"$fuzzer" -dict="$here/config.dict" -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout_secs" \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$@" "$scratch/corpus" \
	>"$scratch/fuzz.log" 2>&1
rc=$?
wall=$(($(date +%s) - start))
[ -z "${HULL_FUZZ_LOG:-}" ] || cp "$scratch/fuzz.log" "$HULL_FUZZ_LOG"  # the whole libFuzzer log, for a long run
# -jobs=N writes each job's log to fuzz-N.log in the working directory instead
last=$(grep -hE '^#[0-9]+' "$scratch/fuzz.log" | tail -n 1)
runs=$(grep -hE '^stat::number_of_executed_units' "$scratch/fuzz.log" | awk '{s += $2} END {print s + 0}')
rate=$(grep -hE '^stat::average_exec_per_sec' "$scratch/fuzz.log" | awk '{s += $2} END {print s + 0}')
echo "fuzz: ${wall}s wall, $runs runs, $rate exec/s, corpus $(find "$scratch/corpus" -type f | wc -l) files; last: ${last:-none}"

found=0
for a in "$scratch"/artifacts/*; do
	[ -f "$a" ] || continue
	found=$((found + 1))
	for k in "$here"/crashes/*; do
		cmp -s "$a" "$k" && continue 2  # already kept, under another name
	done
	cp "$a" "$here/crashes/$(basename "$a")"
	echo "fuzz: new failing input tests/fuzz/crashes/$(basename "$a") (commit it as a regression input)"
done
if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
	failed=$((failed + 1))
	grep -E '^(==[0-9]+==|SUMMARY|    #[0-9]+ )|runtime error|Test unit written' "$scratch/fuzz.log" | head -n 40 | sed 's/^/  /'
else
	passed=$((passed + 1))
fi
summary
}
