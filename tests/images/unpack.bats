#!/usr/bin/env bats
# unpack.bats - layer_unpack() (through unpacktool) against umoci: every layer of each test image, gzip and zstd,
# applied in order into one directory, or each unpacked for overlayfs and merged read-only, equals `umoci unpack`.
# Must never leave a mount or a file behind: everything lives under $BATS_*TMPDIR, mounts in a private namespace.

load lib/images

setup_file() {
	export IMAGES=$BATS_FILE_TMPDIR/images
	"$IMAGES_LIB/make-images.sh" "$IMAGES" >/dev/null
	# umoci reads gzip only: the zstd copies are checked against the gzip image they were made from
	for img in busybox multi; do
		umoci unpack --image "$IMAGES/$img:latest" "$BATS_FILE_TMPDIR/ref-$img" >/dev/null
	done
}

setup() {
	[ -x "$UNPACKTOOL" ] || skip "build unpacktool first (ninja -C build)"
}

# apply_all IMAGE ROOTFS: every layer applied in order, each diffID checked against the config's
apply_all() {
	local img=$1 rootfs=$2 i=0 line
	mapfile -t want < <(image_diff_ids "$IMAGES/$img")
	mkdir -p "$rootfs"
	while read -r flag blob; do
		line=$(unpack_layer "$flag" "$blob" "$rootfs" --apply --owners)
		[ "${line%% *}" = "${want[$i]}" ] || { echo "layer $i: $line, config says ${want[$i]}"; return 1; }
		i=$((i + 1))
	done < <(image_layers "$IMAGES/$img")
	[ "$i" = "${#want[@]}" ]
}

# overlay_all IMAGE REF: each layer into a dir of its own, the dirs merged by overlayfs, compared with REF there
overlay_all() {
	local img=$1 ref=$2 i=0 lower below=()
	mkdir -p "$BATS_TEST_TMPDIR/empty" "$BATS_TEST_TMPDIR/merged"
	lower=$BATS_TEST_TMPDIR/empty
	while read -r flag blob; do
		mkdir "$BATS_TEST_TMPDIR/layer$i"
		unpack_layer "$flag" "$blob" "$BATS_TEST_TMPDIR/layer$i" --owners "${below[@]}" >/dev/null
		below=(--lower "$BATS_TEST_TMPDIR/layer$i" "${below[@]}")
		lower=$BATS_TEST_TMPDIR/layer$i:$lower
		i=$((i + 1))
	done < <(image_layers "$IMAGES/$img")
	unshare -m sh -c 'mount -t overlay overlay -o ro,lowerdir="$1" "$2" && python3 "$3" "$2" "$4"' sh \
		"$lower" "$BATS_TEST_TMPDIR/merged" "$IMAGES_LIB/treecmp.py" "$ref"
}

@test "apply: busybox (gzip) equals umoci unpack" {
	apply_all busybox "$BATS_TEST_TMPDIR/rootfs"
	python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/rootfs" "$BATS_FILE_TMPDIR/ref-busybox/rootfs"
}

@test "apply: busybox (zstd) equals umoci unpack" {
	apply_all busybox-zstd "$BATS_TEST_TMPDIR/rootfs"
	python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/rootfs" "$BATS_FILE_TMPDIR/ref-busybox/rootfs"
}

@test "apply: multi, 5 layers with deletions and replacements (gzip) equals umoci unpack" {
	apply_all multi "$BATS_TEST_TMPDIR/rootfs"
	python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/rootfs" "$BATS_FILE_TMPDIR/ref-multi/rootfs"
}

@test "apply: multi (zstd) equals umoci unpack" {
	apply_all multi-zstd "$BATS_TEST_TMPDIR/rootfs"
	python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/rootfs" "$BATS_FILE_TMPDIR/ref-multi/rootfs"
}

@test "overlay: busybox (gzip) merged by overlayfs equals umoci unpack" {
	overlay_all busybox "$BATS_FILE_TMPDIR/ref-busybox/rootfs"
}

@test "overlay: multi (gzip) merged by overlayfs equals umoci unpack" {
	overlay_all multi "$BATS_FILE_TMPDIR/ref-multi/rootfs"
}

@test "overlay: multi (zstd) merged by overlayfs equals umoci unpack" {
	overlay_all multi-zstd "$BATS_FILE_TMPDIR/ref-multi/rootfs"
}

@test "overlay: a deleted file and a deleted directory are 0:0 character devices, no .wh. name is left" {
	local i=0
	while read -r flag blob; do
		mkdir "$BATS_TEST_TMPDIR/layer$i"
		unpack_layer "$flag" "$blob" "$BATS_TEST_TMPDIR/layer$i" --owners >/dev/null
		i=$((i + 1))
	done < <(image_layers "$IMAGES/multi")
	run stat -c '%F %t:%T' "$BATS_TEST_TMPDIR/layer2/etc/doomed" "$BATS_TEST_TMPDIR/layer2/gone"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file 0:0" ]
	[ "${lines[1]}" = "character special file 0:0" ]
	# nothing named .wh.* is left in any layer
	run find "$BATS_TEST_TMPDIR" -name '.wh.*'
	[ -z "$output" ]
}

@test "diffID printed equals sha256 of the decompressed layer" {
	read -r flag blob < <(image_layers "$IMAGES/multi")
	mkdir "$BATS_TEST_TMPDIR/out"
	line=$(unpack_layer "$flag" "$blob" "$BATS_TEST_TMPDIR/out")
	[ "${line%% *}" = "sha256:$(gzip -dc "$blob" | sha256sum | cut -d' ' -f1)" ]
	set -- $line
	[ "$3" = "$(gzip -dc "$blob" | wc -c)" ]
}
