#!/usr/bin/env bats
# checkpoint / restore through criu: runc's flags, the errors (no criu, a kernel criu cannot run on, wrong
# state, unknown id) leaving everything as it was, and, where `criu check` passes (the VM lane), a counter
# that keeps its count across checkpoint and restore, --leave-running, pre-dump, and a restored container
# managed as any other.

load helpers

# criu_works: skip the test unless criu is installed and runs on this kernel.
criu_works() {
	command -v criu >/dev/null || skip "criu is not installed"
	local why
	why=$(criu check 2>&1) || skip "criu check fails on this kernel ($(uname -r)): $(echo "$why" | head -n 1)"
}

# criu_fails_here: skip unless criu is installed and cannot run on this kernel.
criu_fails_here() {
	command -v criu >/dev/null || skip "criu is not installed"
	! criu check >/dev/null 2>&1 || skip "criu runs on this kernel ($(uname -r))"
}

# A container counting in memory; /out/count is "SESSION COUNT", SESSION a random number drawn when it started
# (a counter started again draws another). Its stdio goes to the container's own /dev/null at once (hull's,
# files of the test, are none of criu's business).
counter() {
	bind_out
	set_cmd sh -c 'exec </dev/null >/dev/null 2>&1; s=$RANDOM$RANDOM; i=0
		while :; do i=$((i + 1)); echo "$s $i" >/out/count.tmp; mv /out/count.tmp /out/count; sleep 0.1; done'
	run_d "$CTR"
	wait_for_file "$OUT/count"
}

count() { awk '{print $2}' "$OUT/count" 2>/dev/null; }
session() { awk '{print $1}' "$OUT/count" 2>/dev/null; }

# wait_count_above N: until the counter shows more than N; prints it.
wait_count_above() {
	local i c
	for i in $(seq "$(tries 200)"); do
		c=$(count)
		[ -n "$c" ] && [ "$c" -gt "$1" ] && echo "$c" && return 0
		sleep 0.1
	done
	fail "the counter stayed at $(count), not above $1"
}

@test "checkpoint of an unknown container fails and names it" {
	run hull checkpoint --image-path "$TESTDIR/img" nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]] || fail "error: $output"
	[ ! -e "$TESTDIR/img" ] || fail "an image directory was made for nothing"
}

@test "checkpoint of a created container is refused and leaves it created" {
	requires_hull "hull's words"
	set_cmd true
	create_ctr "$CTR"
	run hull checkpoint --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"checkpoint $CTR: container is created, not running"* ]] || fail "error: $output"
	[ "$(status_of "$CTR")" = created ]
}

@test "checkpoint and restore refuse bad flag values before touching anything" {
	requires_hull "hull's words"
	counter
	local pid
	pid=$(pid_of "$CTR")
	run hull checkpoint --manage-cgroups-mode sloppy --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *'invalid --manage-cgroups-mode "sloppy"'* ]] || fail "error: $output"
	run hull checkpoint --pre-dump --parent-path /abs --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--parent-path must be relative"* ]] || fail "error: $output"
	run hull checkpoint --lazy-pages "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not supported"* ]] || fail "error: $output"
	run hull checkpoint --no-such-flag "$CTR"
	[ "$status" -eq 1 ]
	[ "$(pid_of "$CTR")" = "$pid" ] && [ "$(status_of "$CTR")" = running ]
	[ ! -e "$TESTDIR/img" ]
}

@test "checkpoint and restore take every flag podman and runc send" {
	requires_hull "hull's help text"
	run hull checkpoint --help
	local f
	for f in --image-path --work-path --parent-path --leave-running --tcp-established --ext-unix-sk --shell-job \
		--file-locks --pre-dump --manage-cgroups-mode; do
		[[ "$output" == *"$f"* ]] || fail "checkpoint --help lacks $f"
	done
	run hull restore --help
	for f in --image-path --work-path --tcp-established --ext-unix-sk --shell-job --file-locks --manage-cgroups-mode \
		--detach --pid-file --console-socket --bundle --no-subreaper --no-pivot --lsm-profile --lsm-mount-context; do
		[[ "$output" == *"$f"* ]] || fail "restore --help lacks $f"
	done
}

@test "checkpoint without criu in PATH says so and leaves the container running" {
	requires_hull "hull's words"
	counter
	local pid
	pid=$(pid_of "$CTR")
	run env "$TAG" PATH=/nonexistent "$HULL" --root "$ROOT" checkpoint --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	[ "$output" = "hull: checkpoint: criu not found in PATH (install Debian's criu)" ] || fail "error: $output"
	run env "$TAG" PATH=/nonexistent "$HULL" --root "$ROOT" restore -d --image-path "$TESTDIR/img" "$CTR2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"restore: criu not found in PATH"* ]] || fail "error: $output"
	[ "$(pid_of "$CTR")" = "$pid" ] && [ "$(status_of "$CTR")" = running ]
	hull delete --force "$CTR"
	assert_nothing_left "$CTR2"
}

@test "checkpoint on a kernel criu cannot run on names the cause in one line and leaves the container running" {
	requires_hull "hull's words"
	criu_fails_here
	counter
	local pid c
	pid=$(pid_of "$CTR")
	run hull checkpoint --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == "hull: checkpoint $CTR: criu "*" cannot run on this kernel ($(uname -r)): "?* ]] || fail "error: $output"
	[ "$(echo "$output" | wc -l)" = 1 ] || fail "more than one line: $output"
	[ "$(pid_of "$CTR")" = "$pid" ] && [ "$(status_of "$CTR")" = running ]
	c=$(count)
	wait_count_above "$c" >/dev/null
}

@test "restore on a kernel criu cannot run on fails in one line and leaves nothing" {
	requires_hull "hull's words"
	criu_fails_here
	counter
	run hull checkpoint --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 1 ]
	run hull restore -d --image-path "$TESTDIR/img" "$CTR2"
	[ "$status" -eq 1 ]
	[[ "$output" == "hull: restore $CTR2: criu "*" cannot run on this kernel ($(uname -r)): "?* ]] || fail "error: $output"
	hull delete --force "$CTR"
	assert_nothing_left "$CTR2"
}

@test "restore from images that are not there fails and leaves nothing" {
	requires_hull "hull's words"
	command -v criu >/dev/null || skip "criu is not installed"
	run hull restore -d --image-path "$TESTDIR/none" "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TESTDIR/none"* ]] || fail "error: $output"
	assert_nothing_left "$CTR"
}

@test "an init given the host's /dev/null as stdin holds the container's own (a file criu can dump)" {
	set_cmd sleep 100
	run_d "$CTR"
	local pid mnt host
	pid=$(pid_of "$CTR")
	mnt=$(awk '/^mnt_id:/ {print $2}' "/proc/$pid/fdinfo/0")
	host=$(awk '/^mnt_id:/ {print $2}' /proc/self/fdinfo/0 </dev/null)
	[ "$(readlink "/proc/$pid/fd/0")" = /dev/null ] || fail "stdin: $(readlink "/proc/$pid/fd/0")"
	[ "$mnt" != "$host" ] || fail "the init's stdin is still on the host's /dev (mount $mnt)"
}

@test "a counter keeps its count across checkpoint and restore, and is then managed as any other container" {
	criu_works
	counter
	wait_count_above 5 >/dev/null
	run hull checkpoint --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 0 ] || fail "checkpoint: $output"
	# runc's: the checkpointed container is gone
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	local before after sess pid
	before=$(count) sess=$(session)
	sleep 0.5
	[ "$(count)" = "$before" ] || fail "the counter went on after checkpoint"
	run hull_detached restore -d --pid-file "$TESTDIR/pid" --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 0 ] || fail "restore: $output"
	[ "$(status_of "$CTR")" = running ]
	after=$(wait_count_above "$before")
	[ "$(session)" = "$sess" ] || fail "the counter started again: session $sess before, $(session) after ($after)"
	# state, --pid-file, ps, exec, kill and delete as for a created container; teardown finds nothing left
	pid=$(pid_of "$CTR")
	[ "$(cat "$TESTDIR/pid")" = "$pid" ] || fail "--pid-file has $(cat "$TESTDIR/pid"), state $pid"
	run hull ps "$CTR"
	[ "$status" -eq 0 ] && [[ "$output" == *"$pid"* ]] || fail "ps: $output"
	run hull exec "$CTR" cat /out/count
	[ "$status" -eq 0 ] || fail "exec: $output"
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	assert_nothing_left "$CTR"
}

@test "checkpoint --leave-running dumps and keeps the container running" {
	criu_works
	counter
	local pid c
	pid=$(pid_of "$CTR")
	run hull checkpoint --leave-running --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 0 ] || fail "checkpoint: $output"
	[ -s "$TESTDIR/img/inventory.img" ] || fail "no images: $(ls "$TESTDIR/img")"
	[ "$(pid_of "$CTR")" = "$pid" ] && [ "$(status_of "$CTR")" = running ]
	c=$(count)
	wait_count_above "$c" >/dev/null
}

@test "pre-dump, then a dump with --parent-path, restores the counter" {
	criu_works
	counter
	local before after sess
	run hull checkpoint --pre-dump --image-path "$TESTDIR/pre" "$CTR"
	[ "$status" -eq 0 ] || fail "pre-dump: $output"
	[ "$(status_of "$CTR")" = running ] || fail "a pre-dump stopped the container"
	run hull checkpoint --parent-path ../pre --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 0 ] || fail "dump: $output"
	before=$(count) sess=$(session)
	run hull_detached restore -d --image-path "$TESTDIR/img" "$CTR"
	[ "$status" -eq 0 ] || fail "restore: $output"
	after=$(wait_count_above "$before")
	[ "$(session)" = "$sess" ] || fail "the counter started again: session $sess before, $(session) after ($after)"
}
