#!/usr/bin/env bats
# pull-faults.bats - `hull image pull` killed -9 at every kill point of the pull (pull.* in src/, HULL_FAULT) and in
# the middle of a blob's transfer: the store shows no half image or layer, the next pull completes it, and rm leaves
# the store empty. Needs a hull built with -Dfault_injection=true (tests/run.sh builds so): without, these fail.

BATS_TEST_TIMEOUT=$((180 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common

setup_file() {
	reg_init
	reg_start anon anon
	reg_push anon test/bb:1
	export REG=$(reg_addr anon)
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
}


pull_points() {
	grep -rhoE 'fault_point\("pull\.[a-z_]+"\)' "$REG_REPO_ROOT/src" | sed -E 's/fault_point\("(.*)"\)/\1/' | sort -u
}

# the store after a kill and a completing pull: one image, every layer it names present with its marker, nothing
# else in layers/ or tmp/, and rm -a leaves it empty
check_store() {
	local what=$1
	run himg ls --format json
	[ "$status" -eq 0 ] || fail "$what: ls: $output"
	[ "$(jq length <<<"$output")" -eq 1 ] || fail "$what: $output"
	local id d
	id=$(jq -r '.[0].Id' <<<"$output")
	for d in $(jq -r '.rootfs.diff_ids[]' "$STORE/blobs/sha256/$id" | cut -d: -f2); do
		[ -d "$STORE/layers/$d" ] && [ -f "$STORE/layers/$d.json" ] || fail "$what: layer $d incomplete"
		[ -x "$STORE/layers/$d/bin/busybox" ] || [ -f "$STORE/layers/$d/random.bin" ] || fail "$what: layer $d is empty"
	done
	[ "$(ls "$STORE/layers" | wc -l)" -eq 4 ] || fail "$what: layers/ holds $(ls "$STORE/layers")"
	[ -z "$(ls "$STORE/tmp")" ] || fail "$what: tmp/ holds $(ls "$STORE/tmp")"
	himg rm -a >/dev/null || fail "$what: rm -a"
	store_empty || fail "$what: after rm -a"
}

@test "pull has kill points" {
	[ "$(pull_points | wc -l)" -ge 5 ] || fail "$(pull_points)"
}

@test "pull killed -9 at every kill point: no half image, the next pull completes it" {
	local p
	for p in $(pull_points); do
		rm -rf "$STORE"
		HULL_FAULT=$p run himg pull -q "$REG/test/bb:1"
		[ "$status" -eq 137 ] || fail "$p: exit $status, not killed (a hull built without -Dfault_injection?): $output"
		run himg ls --format json
		[ "$status" -eq 0 ] || fail "$p: ls after the kill: $output"
		[ "$(jq length <<<"$output")" -eq 0 ] || fail "$p: an image is recorded before it is complete: $output"
		run himg pull -q "$REG/test/bb:1"
		[ "$status" -eq 0 ] || fail "$p: the next pull: $output"
		check_store "$p"
	done
}

@test "pull killed -9 after its Nth kill point, for every N: the same" {
	local n
	for n in 1 2 3 4 5 6; do
		rm -rf "$STORE"
		HULL_FAULT=$n run himg pull -q "$REG/test/bb:1"
		[ "$status" -eq 137 ] || [ "$status" -eq 0 ] || fail "point $n: exit $status: $output"
		run himg pull -q "$REG/test/bb:1"
		[ "$status" -eq 0 ] || fail "point $n: the next pull: $output"
		check_store "point $n"
	done
}

@test "pull killed -9 in the middle of a blob: the partial blob is kept, and the next pull resumes and completes" {
	local l=$BATS_TEST_TMPDIR/big b=$BATS_TEST_TMPDIR/bb
	cp -a "$REG_TMP/layout" "$l"
	umoci unpack --rootless --image "$l:t" "$b" >/dev/null
	head -c 64000000 /dev/urandom >"$b/rootfs/big.bin"
	umoci repack --image "$l:t" "$b" >/dev/null
	skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$l:t" "docker://$REG/test/big:1" >/dev/null
	local partial=
	# hull itself in the background (not through the himg function, whose subshell a kill would leave hull's
	# process running)
	"$HULL" image --storage "$STORE" pull -q "$REG/test/big:1" >/dev/null 2>&1 &
	local pid=$! i
	for i in $(seq 400); do
		partial=$(find "$STORE/tmp" -name 'blob-*' -size +1k 2>/dev/null | head -1)
		[ -n "$partial" ] && break
		sleep 0.01
	done
	kill -9 "$pid"
	wait "$pid" || true
	[ -n "$partial" ] || fail "the transfer was never seen in progress"
	local size
	size=$(stat -c %s "$partial")
	[ "$size" -gt 0 ] && [ "$size" -lt 64000000 ] || skip "the blob finished before the kill ($size bytes)"
	run himg ls --format json
	[ "$(jq length <<<"$output")" -eq 0 ] || fail "recorded before complete: $output"
	run himg pull -q "$REG/test/big:1"
	[ "$status" -eq 0 ] || fail "$output"
	[ -z "$(ls "$STORE/tmp")" ] || fail "tmp/ holds $(ls "$STORE/tmp")"
	local id d
	id=$(himg ls --format json | jq -r '.[0].Id')
	d=$(jq -r '.rootfs.diff_ids[-1]' "$STORE/blobs/sha256/$id" | cut -d: -f2)
	[ "$(stat -c %s "$STORE/layers/$d/big.bin")" -eq 64000000 ] || fail "the big file is not whole"
	cmp "$b/rootfs/big.bin" "$STORE/layers/$d/big.bin" || fail "the big file differs"
}
