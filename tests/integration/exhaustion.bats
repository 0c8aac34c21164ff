#!/usr/bin/env bats
# exhaustion.bats - hull out of disk (--root on a full tmpfs), out of fds (low RLIMIT_NOFILE) and in a tight
# memory cgroup: a clear one-line error or success, never a crash or sanitizer report, nothing half-created.

# wide hang guards, scaled for sanitizer builds (HULL_TIME_SCALE=5)
BATS_TEST_TIMEOUT=$((120 * ${HULL_TIME_SCALE:-1}))

load helpers
load leftovers

setup() {
	setup_hull
	set_cmd sleep 1000
	MEMCG=
}

teardown() {
	local rc=0
	# hull has exited: the memory cgroup made for it is empty
	if [ -n "$MEMCG" ] && [ -d "$MEMCG" ] && ! rmdir "$MEMCG"; then
		echo "teardown: could not remove $MEMCG" >&2
		rc=1
	fi
	teardown_hull || rc=1
	return $rc
}

# one_clear_line: $output (a failed command's) is one line "hull: ..." with no crash or sanitizer report.
one_clear_line() {
	[ "$status" -lt 124 ] || fail "exit $status (crash, hang or signal): $output"
	[[ "$output" != *Sanitizer* && "$output" != *"runtime error"* ]] || fail "sanitizer report: $output"
	[ "$(printf '%s\n' "$output" | wc -l)" = 1 ] || fail "not one line: $output"
	[[ "$output" == "hull: "?* ]] || fail "not a hull error: $output"
}

# outcome ID: the create just run either worked (the container is created; delete it) or failed cleanly.
outcome() {
	local id=$1
	if [ "$status" -eq 0 ]; then
		[ "$(status_of "$id")" = created ] || fail "create succeeded but $id is $(status_of "$id")"
		run hull delete --force "$id"
		[ "$status" -eq 0 ] || fail "delete $id: $output"
	else
		one_clear_line
	fi
	no_leftovers "$id"
}

@test "create with --root on a full tmpfs fails with one clear line and leaves nothing" {
	mkdir "$TESTDIR/full"
	mount -t tmpfs -o size=64k,mode=0755 tmpfs "$TESTDIR/full"
	TEST_MOUNTS+=("$TESTDIR/full")
	mkdir "$TESTDIR/full/root"
	dd if=/dev/zero of="$TESTDIR/full/fill" bs=4k 2>/dev/null || true
	ROOT=$TESTDIR/full/root
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ] || fail "create on a full --root succeeded"
	one_clear_line
	[[ "$output" == *"no space left on device"* ]] || fail "the error does not say why: $output"
	no_leftovers "full --root"
	# once there is room again the same id can be created
	rm "$TESTDIR/full/fill"
	create_ctr "$CTR"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	no_leftovers "$CTR"
}

# limited_create N ID: create with a soft RLIMIT_NOFILE of N (the hard limit stays, as process.rlimits raises it).
limited_create() {
	local rc=0
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" prlimit --nofile="$1": "$HULL" --root "$ROOT" create "$2" \
		</dev/null >>"$TESTDIR/ctr.stdout" 2>"$TESTDIR/nofile.err" 3>&- || rc=$?
	cat "$TESTDIR/nofile.err" >&2
	return $rc
}

@test "create with few fds (RLIMIT_NOFILE 4..20) succeeds or fails with one clear line, leaving nothing" {
	local n failed=0
	for n in 4 5 6 7 8 9 10 11 12 14 16 20; do
		run limited_create "$n" "${CTR}_$n"
		[ "$status" -ne 99 ] || fail "ulimit -Sn $n"
		[ "$status" -eq 0 ] || failed=$((failed + 1))
		outcome "${CTR}_$n"
	done
	# the lowest limits must really have been too low, or this proved nothing
	[ "$failed" -gt 0 ] || fail "every create succeeded: the limits did not bite"
}

# memcg_create LIMIT ID: create from inside a v1 memory cgroup limited to LIMIT.
memcg_create() {
	echo "$1" >"$MEMCG/memory.limit_in_bytes" || return 99
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$MEMCG" \
		"$HULL" --root "$ROOT" create "$2" </dev/null >>"$TESTDIR/ctr.stdout" 2>"$TESTDIR/memcg.err" 3>&-
	local rc=$?
	cat "$TESTDIR/memcg.err" >&2
	return $rc
}

@test "create in a tight memory cgroup succeeds, fails with one clear line, or is OOM-killed: nothing half-created stays" {
	local mine
	mine=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
	[ -d /sys/fs/cgroup/memory ] || fail "no v1 memory hierarchy on this host"
	MEMCG=/sys/fs/cgroup/memory${mine%/}/hull-exhaustion.$$
	mkdir "$MEMCG"
	local lim killed=0
	# a v1 memory cgroup never fails an allocation of hull's: the kernel's own allocations may fail
	# (ENOMEM), else the OOM killer kills hull, which must then be like a kill -9 at any step
	for lim in 256k 512k 768k 1m 2m 8m; do
		run memcg_create "$lim" "${CTR}_$lim"
		[ "$status" -ne 99 ] || fail "cannot set memory.limit_in_bytes to $lim"
		if [ "$status" -eq 137 ]; then
			killed=$((killed + 1))
			run hull delete --force "${CTR}_$lim"
			[ "$status" -eq 0 ] || [[ "$output" == *"does not exist"* ]] || fail "delete --force after an OOM kill: $output"
			no_leftovers "${CTR}_$lim"
		else
			outcome "${CTR}_$lim"
		fi
	done
	echo "# OOM-killed $killed of 6" >&3
}
