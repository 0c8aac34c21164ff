#!/usr/bin/env bats
# --root: where container state lives.

load helpers

@test "--root keeps the container's state under the given directory" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	[ -d "$ROOT/$CTR" ]
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$CTR" ]
}

@test "--root is created when missing" {
	set_cmd sleep 1000
	ROOT=$TESTDIR/deep/er/root
	create_ctr "$CTR"
	[ -d "$ROOT/$CTR" ]
	[ "$(status_of "$CTR")" = created ]
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
}

@test "containers in different roots do not see each other" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	root1=$ROOT
	ROOT=$TESTDIR/root2
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	run hull list -q
	[ -z "$output" ]
	# the same id can be used in another root
	set_cmd true
	run hull run "$CTR2"
	[ "$status" -eq 0 ]
	ROOT=$root1
	[ "$(status_of "$CTR")" = created ]
}

@test "the state directory is not writable by others" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	mode=$(stat -c %a "$ROOT/$CTR")
	[ $((0$mode & 022)) -eq 0 ]
	[ "$(stat -c %u "$ROOT/$CTR")" = 0 ]
}

# Without --root a user's state lives in $XDG_RUNTIME_DIR/hull.  An XDG_RUNTIME_DIR so long that
# XDG_RUNTIME_DIR/hull passes PATH_MAX must not be cut to another directory (XDG_RUNTIME_DIR/hu).
@test "a default root longer than PATH_MAX is not cut to another directory" {
	requires_hull
	local x=$TESTDIR/xdg
	while [ $((${#x} + 201)) -lt 4092 ]; do x=$x/$(printf 'd%.0s' $(seq 200)); done
	x=$x/$(printf 'e%.0s' $(seq $((4091 - ${#x}))))
	[ ${#x} = 4092 ]
	mkdir -p "$x"
	chown -R 65534:65534 "$TESTDIR/xdg"
	chmod o+x "$TESTDIR"
	set_cmd true
	run timeout 30 setpriv --reuid 65534 --regid 65534 --clear-groups env XDG_RUNTIME_DIR="$x" "$HULL" create --bundle "$BUNDLE" "$CTR"
	[ -z "$(ls -A "$x")" ] || fail "hull used XDG_RUNTIME_DIR/$(ls -A "$x") as its root"
	[ "$status" -ne 0 ]
}
