#!/usr/bin/env bats
# store-vs-umoci.bats - what `hull image` makes of each test image equals `umoci unpack` of it: the bundle's rootfs
# (every layer applied) and the store's layers merged by `hull image mount` (overlayfs), for busybox and the
# five-layer image with deletions, gzip and zstd, pulled from OCI layouts and from the registry.
# Must never leave a mount behind: each mount is in a private mount namespace of the test's.

BATS_TEST_TIMEOUT=$((180 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common
load lib/images

setup_file() {
	export IMAGES=$BATS_FILE_TMPDIR/images
	"$IMAGES_LIB/make-images.sh" "$IMAGES" >/dev/null
	for img in busybox multi; do
		umoci unpack --image "$IMAGES/$img:latest" "$BATS_FILE_TMPDIR/ref-$img" >/dev/null
	done
	reg_init
	reg_start anon anon
	export REG=$(reg_addr anon)
	for img in busybox multi; do
		skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$IMAGES/$img:latest" "docker://$REG/t/$img:gz" >/dev/null
		skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-compress-format zstd \
			"oci:$IMAGES/$img:latest" "docker://$REG/t/$img:zst" >/dev/null
	done
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
}

# same_as_umoci IMAGE SOURCE: pull SOURCE, then the bundle's rootfs and the mounted image each equal umoci's rootfs
same_as_umoci() {
	local img=$1 src=$2 id ref=$BATS_FILE_TMPDIR/ref-$1/rootfs
	run himg pull -q "$src"
	[ "$status" -eq 0 ] || fail "pull $src: $output"
	id=$output
	run himg bundle "$id" "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ] || fail "bundle: $output"
	run python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/b/rootfs" "$ref"
	[ "$status" -eq 0 ] || fail "$src: the bundle's rootfs differs from umoci's: $output"
	mkdir "$BATS_TEST_TMPDIR/m"
	run unshare -m --propagation private sh -c '"$1" image --storage "$2" mount "$3" "$4" &&
		python3 "$5" "$4" "$6"; r=$?; "$1" image --storage "$2" umount "$4" || r=9; exit $r' sh \
		"$HULL" "$STORE" "$id" "$BATS_TEST_TMPDIR/m" "$IMAGES_LIB/treecmp.py" "$ref"
	[ "$status" -eq 0 ] || fail "$src: the mounted image differs from umoci's ($status): $output"
}

@test "busybox from an OCI layout: bundle and mount equal umoci unpack" {
	same_as_umoci busybox "oci:$IMAGES/busybox:latest"
}

@test "multi (5 layers, deletions, replacements) from an OCI layout: bundle and mount equal umoci unpack" {
	same_as_umoci multi "oci:$IMAGES/multi:latest"
}

@test "multi, gzip from the registry: bundle and mount equal umoci unpack" {
	same_as_umoci multi "$REG/t/multi:gz"
}

@test "multi, zstd from the registry: bundle and mount equal umoci unpack of the gzip image" {
	same_as_umoci multi "$REG/t/multi:zst"
}

@test "busybox, zstd from the registry: bundle and mount equal umoci unpack" {
	same_as_umoci busybox "$REG/t/busybox:zst"
}

@test "image umount refuses what is not an image of the store, and a directory with nothing mounted" {
	mkdir "$BATS_TEST_TMPDIR/t"
	run unshare -m --propagation private sh -c 'mount -t tmpfs none "$2" && "$1" image --storage "$3" umount "$2"' sh \
		"$HULL" "$BATS_TEST_TMPDIR/t" "$STORE"
	[ "$status" -eq 125 ] && [[ "$output" == *"not an image of the store"* ]] || fail "$status: $output"
	run himg umount "$BATS_TEST_TMPDIR/t"
	[ "$status" -eq 125 ] && [[ "$output" == *"no image is mounted there"* ]] || fail "$status: $output"
}

@test "an image whose layers the store has from their gzip blobs: its zstd blobs are fetched, not unpacked again" {
	himg pull -q "$REG/t/multi:gz" >/dev/null
	local layers
	layers=$(ls "$STORE/layers" | grep -c json)
	run himg pull "$REG/t/multi:zst"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(ls "$STORE/layers" | grep -c json)" -eq "$layers" ] || fail "a layer was unpacked twice"
	run himg save -o "$BATS_TEST_TMPDIR/z.tar" "$REG/t/multi:zst"
	[ "$status" -eq 0 ] || fail "save needs every blob: $output"
	run himg bundle "$REG/t/multi:zst" "$BATS_TEST_TMPDIR/zb"
	[ "$status" -eq 0 ] || fail "$output"
}
