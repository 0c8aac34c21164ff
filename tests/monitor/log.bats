#!/usr/bin/env bats
# log.bats - the container log file (src/monitor/log.c) through logtool: 100 MB arrives whole and fast, stdout and
# stderr come back apart, rotation keeps its size and count, follow sees a concurrent writer and stops on its done
# file, every record is CRI, --tail and -t, hostile files. Must never leave a process or a file behind: everything
# lives under $BATS_TEST_TMPDIR, a reader started in the background is killed in teardown.

MONITOR_TESTS=$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)
LOGTOOL=${LOGTOOL:-$MONITOR_TESTS/../../build/tests/monitor/logtool}
RECORD_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+) (stdout|stderr) [FP] '
# what logtool write may take for 100 MB (base64: 135 MB in, 205 MB of records out), sanitizers included; measured
# without them: about 0.3 s
WRITE_100M_MAX_MS=10000

setup() {
	[ -x "$LOGTOOL" ] || skip "build logtool first (ninja -C build)"
	cd "$BATS_TEST_TMPDIR"
	reader=
}

teardown() {
	if [ -n "$reader" ]; then
		kill "$reader" 2>/dev/null || true
		wait "$reader" 2>/dev/null || true
	fi
}

fail() {
	echo "$*" >&2
	return 1
}

sha() { sha256sum | cut -d' ' -f1; }

# wait_lines FILE N: until FILE has N lines, at most 10 s
wait_lines() {
	local i
	for i in $(seq 100); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "$1 has $(wc -l <"$1") lines, want $2"
}

@test "100 MB through logtool write arrives whole through logtool read" {
	head -c 100M /dev/urandom | base64 >in
	local start end ms
	start=$(date +%s%N)
	"$LOGTOOL" write ctr.log 0 1 <in
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	echo "# logtool write: $(($(stat -c %s in) >> 20)) MiB in $ms ms" >&3
	[ "$ms" -le "$WRITE_100M_MAX_MS" ] || fail "logtool write took $ms ms"
	"$LOGTOOL" read ctr.log >out
	[ "$(sha <out)" = "$(sha <in)" ] || fail "read back: $(stat -c %s out) bytes, written $(stat -c %s in), sha256 differ"
	# every record is CRI, each a full line of base64
	! grep -qEv "$RECORD_RE" ctr.log || fail "not CRI: $(grep -Ev "$RECORD_RE" ctr.log | head -c 200)"
	[ "$(grep -c ' stdout F ' ctr.log)" = "$(wc -l <in)" ]
}

@test "stdout and stderr chunks come back each on its own fd" {
	head -c 10M /dev/urandom | base64 >in
	"$LOGTOOL" write --stderr ctr.log 0 1 <in
	"$LOGTOOL" read ctr.log >out 2>err
	# logtool write takes 64 KiB chunks: the even ones are stdout, the odd ones stderr
	split -b 65536 -a 4 -d in chunk.
	local i=0 f
	: >want-out
	: >want-err
	for f in chunk.*; do
		if ((i++ % 2)); then cat "$f" >>want-err; else cat "$f" >>want-out; fi
	done
	cmp out want-out
	cmp err want-err
	grep -q ' stderr F ' ctr.log
	# a chunk ends inside a line: the rests at the end go out as P, printed without a '\n'
	[ "$(tail -c 1 out | od -An -c | tr -d ' ')" != '\n' ] || [ "$(tail -c 1 want-out | od -An -c | tr -d ' ')" = '\n' ]
}

@test "rotation keeps the configured size and number of files" {
	head -c 2M /dev/urandom | base64 >in
	"$LOGTOOL" write ctr.log 100000 3 <in
	local files sizes
	files=$(ls -l ctr.log* | awk '{print $9}' | tr '\n' ' ')
	[ "$files" = "ctr.log ctr.log.1 ctr.log.2 " ] || fail "files: $files"
	ls -l ctr.log* | awk '{print $1, $5}' >sizes
	while read -r mode size; do
		[ "$mode" = "-rw-------" ] || fail "mode $mode"
		[ "$size" -le 100000 ] || fail "a file of $size bytes, over 100000"
	done <sizes
	# the rotated ones are full: another record (117 bytes) would not have fitted
	[ "$(stat -c %s ctr.log.1)" -gt $((100000 - 117)) ]
	[ "$(stat -c %s ctr.log.2)" -gt $((100000 - 117)) ]
	# what is kept is the end of the input, in whole lines
	"$LOGTOOL" read ctr.log >out
	[ "$(wc -l <out)" -gt $((2 * 100000 / 117)) ]
	cmp out <(tail -n "$(wc -l <out)" in)
	# a writer appending later counts what is there
	"$LOGTOOL" write ctr.log 100000 3 <<<"one more"
	[ "$(stat -c %s ctr.log)" -le 100000 ]
	[ "$("$LOGTOOL" read --tail 1 ctr.log)" = "one more" ]
}

@test "follow sees the lines of a concurrent writer and stops on its done file" {
	timeout 120 "$LOGTOOL" read -f --done-file done ctr.log >out 2>err &
	reader=$!
	local i
	: >want
	# ten writers of ten lines each, one after the other, appending
	for i in $(seq 0 10 90); do
		seq -f "line %g" $((i + 1)) $((i + 10)) | tee -a want | "$LOGTOOL" write ctr.log 2000 50
	done
	# printed as it comes, not at the end
	wait_lines out 100
	kill -0 "$reader" || fail "the reader ended before the done file"
	for i in $(seq 100 10 290); do
		seq -f "line %g" $((i + 1)) $((i + 10)) | tee -a want | "$LOGTOOL" write ctr.log 2000 50
	done
	[ -f ctr.log.3 ] || fail "the writer did not rotate: $(ls)"
	touch done
	local status=0
	wait "$reader" || status=$?
	reader=
	[ "$status" = 0 ] || fail "reader: exit $status, $(cat err)"
	cmp out want
}

@test "every record is CRI, --tail counts lines, -t prefixes the time" {
	printf 'one\ntwo\nthree' | "$LOGTOOL" write ctr.log 0 1
	printf 'four\n' | "$LOGTOOL" write ctr.log 0 1
	! grep -qEv "$RECORD_RE" ctr.log || fail "not CRI: $(cat ctr.log)"
	# "three" was a rest at the end of the first writer: a P record, joined with "four"
	grep -qE ' stdout P three$' ctr.log
	[ "$("$LOGTOOL" read ctr.log)" = "$(printf 'one\ntwo\nthreefour')" ]
	[ "$("$LOGTOOL" read --tail 1 ctr.log)" = "threefour" ]
	[ "$("$LOGTOOL" read --tail 2 ctr.log)" = "$(printf 'two\nthreefour')" ]
	[ -z "$("$LOGTOOL" read --tail 0 ctr.log)" ]
	run "$LOGTOOL" read -t --tail 2 ctr.log
	[ "$status" = 0 ]
	[[ "${lines[0]}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z\ two$ ]] || fail "${lines[0]}"
	[[ "${lines[1]}" =~ Z\ threefour$ ]] || fail "${lines[1]}"
}

@test "a hostile or cut-short file is read, its bad lines skipped" {
	printf '%s\n' garbage '2026-12-07T04:50:00.123+00:00 stdout F conmon-style' '2026-12-07T04:50:00Z stdin F no' >ctr.log
	head -c 1M /dev/urandom | tr -d '\n' >>ctr.log
	printf '\n2026-12-07T04:50:01Z stdout F after\n2026-12-07T04:50:02.5Z stderr F cut' >>ctr.log
	"$LOGTOOL" read ctr.log >out 2>err
	[ "$(cat out)" = "$(printf 'conmon-style\nafter')" ]
	[ "$(cat err)" = "cut" ]
	"$LOGTOOL" read --tail 2 ctr.log >out 2>err
	[ "$(cat out)" = "after" ]
	[ "$(cat err)" = "cut" ]
	run "$LOGTOOL" read missing.log
	[ "$status" = 1 ]
	[[ "$output" == *"missing.log"* ]]
}
