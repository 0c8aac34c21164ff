#!/usr/bin/env bats
# hostile-manifests.bats - crafted manifests, indexes, configs and blobs in OCI layouts (and one registry): each gets
# one clear error, exit 125, no image recorded, nothing unverified or half-made kept in the store, and nothing outside
# the store changes. The layers' own hostile corpus is hostile.bats.

BATS_TEST_TIMEOUT=$((60 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common

setup_file() {
	reg_init
	reg_make_layout
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
	L=$BATS_TEST_TMPDIR/layout
	cp -a "$REG_TMP/layout" "$L"
	# the good image's parts, to bend
	M=$(jq -r '.manifests[0].digest' "$L/index.json" | cut -d: -f2)
	C=$(jq -r '.config.digest' "$L/blobs/sha256/$M" | cut -d: -f2)
	L0=$(jq -r '.layers[0].digest' "$L/blobs/sha256/$M" | cut -d: -f2)
	L1=$(jq -r '.layers[1].digest' "$L/blobs/sha256/$M" | cut -d: -f2)
	# a file beside the store that must never change
	echo sentinel >"$BATS_TEST_TMPDIR/sentinel"
}


# put FILE: FILE into the layout's blobs; prints its hex digest
put() {
	local h
	h=$(sha256sum "$1" | cut -d' ' -f1)
	cp "$1" "$L/blobs/sha256/$h"
	echo "$h"
}

# index_to HEX SIZE MEDIATYPE: index.json names only that blob, tagged t
index_to() {
	jq -n --arg d "sha256:$1" --argjson s "$2" --arg mt "$3" '{schemaVersion: 2, manifests: [{mediaType: $mt,
		digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": "t"}}]}' >"$L/index.json"
}

# manifest JQ: the good manifest changed by the jq program, stored and named by index.json
manifest() {
	jq -c "$1" "$L/blobs/sha256/$M" >"$BATS_TEST_TMPDIR/m.json"
	local h
	h=$(put "$BATS_TEST_TMPDIR/m.json")
	index_to "$h" "$(stat -c %s "$BATS_TEST_TMPDIR/m.json")" application/vnd.oci.image.manifest.v1+json
}

# config JQ: the good config changed by the jq program, and the manifest pointing at it
config() {
	jq -c "$1" "$L/blobs/sha256/$C" >"$BATS_TEST_TMPDIR/c.json"
	local h s
	h=$(put "$BATS_TEST_TMPDIR/c.json")
	s=$(stat -c %s "$BATS_TEST_TMPDIR/c.json")
	manifest ".config.digest = \"sha256:$h\" | .config.size = $s"
}

# refused WORDS: the pull fails with exit 125 and one line holding WORDS; nothing recorded, every stored blob is
# what its name says, tmp/ is empty, prune leaves an empty store, the sentinel is unchanged
refused() {
	run himg pull -q "oci:$L:t"
	[ "$status" -eq 125 ] || fail "exit $status: $output"
	[[ "$output" == *"$1"* ]] || fail "the error does not say '$1': $output"
	[ "$(grep -c . <<<"$output")" -le 2 ] || fail "more than one error line: $output"
	[ "$(himg ls -q | wc -l)" -eq 0 ] || fail "an image was recorded"
	local f
	for f in "$STORE"/blobs/sha256/*; do
		[ -e "$f" ] || continue
		[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || fail "an unverified blob is kept: $f"
	done
	[ -z "$(ls "$STORE/tmp")" ] || fail "tmp/ holds $(ls "$STORE/tmp")"
	[ -z "$(ls "$STORE/layers" | grep -v json)" ] || [ "$(ls "$STORE/layers" | grep -c json)" -eq "$(ls "$STORE/layers" | grep -vc json)" ] ||
		fail "a layer without its marker: $(ls "$STORE/layers")"
	himg prune >/dev/null 2>&1
	store_empty
	[ "$(cat "$BATS_TEST_TMPDIR/sentinel")" = sentinel ] || fail "the sentinel changed"
}

@test "the untouched layout pulls (the control)" {
	run himg pull -q "oci:$L:t"
	[ "$status" -eq 0 ] || fail "$output"
}

@test "a layer blob whose bytes differ from its digest" {
	printf 'X' | dd of="$L/blobs/sha256/$L1" bs=1 seek=100 conv=notrunc 2>/dev/null
	refused "digest mismatch"
}

@test "a layer blob shorter than its descriptor's size" {
	truncate -s 1000 "$L/blobs/sha256/$L1"
	refused "short of its size"
}

@test "a layer blob longer than its descriptor's size" {
	manifest ".layers[1].size -= 10"
	refused "longer than its size"
}

@test "a manifest whose bytes differ from the digest the index gives" {
	jq -c '.annotations = {"x": "y"}' "$L/blobs/sha256/$M" >"$BATS_TEST_TMPDIR/m2"
	cp "$BATS_TEST_TMPDIR/m2" "$L/blobs/sha256/$M"
	refused "digest mismatch"
}

@test "a config whose diff_id does not match the layer's tar" {
	config ".rootfs.diff_ids[1] = \"sha256:$(printf '%064d' 7)\""
	refused "the image config says"
}

@test "a config with fewer diff_ids than the manifest has layers" {
	config ".rootfs.diff_ids |= .[:1]"
	refused "its manifest has 2 layers, its config 1 diff_ids"
}

@test "a layer of an unknown media type" {
	manifest '.layers[1].mediaType = "application/vnd.oci.image.layer.v1.tar+bzip2"'
	refused "which hull cannot unpack"
}

@test "a config that is not a container image's (a Helm chart's)" {
	manifest '.config.mediaType = "application/vnd.cncf.helm.config.v1+json"'
	refused "not a container image"
}

@test "a layer whose media type says gzip but whose blob is a plain tar" {
	local plain=$BATS_TEST_TMPDIR/plain.tar h
	gzip -dc "$L/blobs/sha256/$L1" >"$plain"
	h=$(put "$plain")
	manifest ".layers[1].digest = \"sha256:$h\" | .layers[1].size = $(stat -c %s "$plain")"
	refused "its media type says gzip"
}

@test "a manifest above 4 MiB" {
	head -c 5000000 /dev/zero | tr '\0' a >"$BATS_TEST_TMPDIR/pad"
	jq -c --rawfile pad "$BATS_TEST_TMPDIR/pad" '.annotations = {"pad": $pad}' \
		"$L/blobs/sha256/$M" >"$BATS_TEST_TMPDIR/big.json"
	local h
	h=$(put "$BATS_TEST_TMPDIR/big.json")
	index_to "$h" "$(stat -c %s "$BATS_TEST_TMPDIR/big.json")" application/vnd.oci.image.manifest.v1+json
	refused "bytes (at most 4194304)"
}

@test "a manifest nested 100000 arrays deep" {
	{ head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } >"$BATS_TEST_TMPDIR/deep.json"
	local h
	h=$(put "$BATS_TEST_TMPDIR/deep.json")
	index_to "$h" 200000 application/vnd.oci.image.manifest.v1+json
	refused "invalid JSON"
}

@test "indexes nested three deep" {
	local h s i
	h=$M
	s=$(stat -c %s "$L/blobs/sha256/$M")
	local mt=application/vnd.oci.image.manifest.v1+json
	for i in 1 2 3; do
		jq -n --arg d "sha256:$h" --argjson s "$s" --arg mt "$mt" '{schemaVersion: 2, mediaType:
			"application/vnd.oci.image.index.v1+json", manifests: [{mediaType: $mt, digest: $d, size: $s,
			platform: {os: "linux", architecture: "amd64"}}]}' >"$BATS_TEST_TMPDIR/i$i.json"
		h=$(put "$BATS_TEST_TMPDIR/i$i.json")
		s=$(stat -c %s "$BATS_TEST_TMPDIR/i$i.json")
		mt=application/vnd.oci.image.index.v1+json
	done
	index_to "$h" "$s" "$mt"
	[ "$(uname -m)" = x86_64 ] || skip "the crafted index names linux/amd64"
	refused "indexes nested more than 2 deep"
}

@test "a Docker schema 1 manifest" {
	echo '{"schemaVersion": 1, "name": "x", "tag": "t", "fsLayers": []}' >"$BATS_TEST_TMPDIR/s1.json"
	local h
	h=$(put "$BATS_TEST_TMPDIR/s1.json")
	index_to "$h" "$(stat -c %s "$BATS_TEST_TMPDIR/s1.json")" application/vnd.oci.image.manifest.v1+json
	refused "schema 1 manifests are deprecated"
}

@test "a descriptor digest that is not a digest" {
	manifest '.layers[0].digest = "md5:0123456789abcdef0123456789abcdef"'
	refused "is not a digest"
}

@test "a descriptor digest with a path in it" {
	manifest '.layers[0].digest = "sha256:../../../../../../etc/passwd"'
	refused "is not a digest"
}

@test "a negative descriptor size" {
	manifest '.layers[0].size = -1'
	refused "layers[0]"
}

@test "a manifest with more than 500 layers" {
	manifest '.layers = [range(501) as $i | .layers[0]]'
	refused "501 entries (at most 500)"
}

@test "a manifest whose mediaType field contradicts how it is served" {
	manifest '.mediaType = "application/vnd.docker.distribution.manifest.v2+json"'
	refused "but served as"
}

@test "an image config that is not JSON" {
	printf 'not json' >"$BATS_TEST_TMPDIR/c.bin"
	local h
	h=$(put "$BATS_TEST_TMPDIR/c.bin")
	manifest ".config.digest = \"sha256:$h\" | .config.size = 8"
	refused "invalid JSON"
}

@test "an image config with a rootfs type other than layers" {
	config '.rootfs.type = "zfs"'
	refused '(must be "layers")'
}

@test "an index with no entry for this platform" {
	jq -n --arg d "sha256:$M" --argjson s "$(stat -c %s "$L/blobs/sha256/$M")" '{schemaVersion: 2, mediaType:
		"application/vnd.oci.image.index.v1+json", manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
		digest: $d, size: $s, platform: {os: "windows", architecture: "amd64"}}]}' >"$BATS_TEST_TMPDIR/i.json"
	local h
	h=$(put "$BATS_TEST_TMPDIR/i.json")
	index_to "$h" "$(stat -c %s "$BATS_TEST_TMPDIR/i.json")" application/vnd.oci.image.index.v1+json
	refused "(it has: windows/amd64)"
}

@test "a blob that is a symlink out of the layout" {
	rm "$L/blobs/sha256/$L1"
	ln -s /etc/passwd "$L/blobs/sha256/$L1"
	refused "blob sha256:$L1"
}

@test "a layout without oci-layout" {
	rm "$L/oci-layout"
	refused "not an OCI image layout"
}
