#!/usr/bin/env bats
# image.bats - `hull image` against a real registry (Debian's docker-registry on 127.0.0.1), OCI layouts and
# archives: pull, ls, inspect, tag, rm, prune, load, save, bundle; bundles run under hull, runc and crun; archives
# cross-checked with skopeo and podman; errors leave nothing in the store.

BATS_TEST_TIMEOUT=$((120 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common

setup_file() {
	reg_init
	reg_start anon anon
	reg_push anon test/bb:1
	reg_push_index anon test/multi:1
	export REG=$(reg_addr anon)
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
}

teardown() {
	# a bundle's container, if a test left one
	for id in "${CTRS[@]:-}"; do
		[ -n "$id" ] || continue
		"$HULL" --root "$BATS_TEST_TMPDIR/hroot" delete -f "$id" >/dev/null 2>&1 || true
		runc --root "$BATS_TEST_TMPDIR/runc" delete -f "$id" >/dev/null 2>&1 || true
	done
}



# config digest of the test image as skopeo reads it from the registry
config_digest() {
	skopeo inspect --tls-verify=false --raw --config "docker://$REG/$1" | sha256sum | cut -d' ' -f1
}

@test "pull from a registry records the normalised name and prints the image id (the config's digest)" {
	run himg pull "$REG/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	local id
	id=$(config_digest test/bb:1)
	[ "${lines[-1]}" = "$id" ] || fail "printed ${lines[-1]}, the config is $id"
	run himg ls --format json
	[ "$(jq -r '.[0].Id' <<<"$output")" = "$id" ] || fail "$output"
	[ "$(jq -r '.[0].RepoTags[0]' <<<"$output")" = "$REG/test/bb:1" ] || fail "$output"
	# the layers are unpacked for overlayfs in the store, each once
	[ "$(ls "$STORE/layers" | grep -vc json)" -eq 2 ] || fail "$(ls "$STORE/layers")"
	[ -x "$STORE/layers/$(jq -r '.rootfs.diff_ids[0]' "$STORE/blobs/sha256/$id" | cut -d: -f2)/bin/busybox" ]
}

@test "pull by digest, and a second pull fetches no blob" {
	local digest
	digest=$(skopeo inspect --tls-verify=false --raw "docker://$REG/test/bb:1" | sha256sum | cut -d' ' -f1)
	run himg pull "$REG/test/bb@sha256:$digest"
	[ "$status" -eq 0 ] || fail "$output"
	local before
	before=$(grep -c 'GET /v2/test/bb/blobs/' "$(reg_dir anon)/log")
	run himg pull "$REG/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"skipped: already exists"* ]] || fail "$output"
	[ "$(grep -c 'GET /v2/test/bb/blobs/' "$(reg_dir anon)/log")" -eq "$before" ] || fail "blobs fetched again"
	run himg inspect "$REG/test/bb:1"
	[ "$(jq -r '.[0].ManifestDigest' <<<"$output")" = "sha256:$digest" ] || fail "$output"
}

@test "pull of an index takes the host's platform; --platform picks another; a missing one is named" {
	run himg pull "$REG/test/multi:1"
	[ "$status" -eq 0 ] || fail "$output"
	local idx
	idx=$(skopeo inspect --tls-verify=false --raw "docker://$REG/test/multi:1" | sha256sum | cut -d' ' -f1)
	run himg inspect "$REG/test/multi:1"
	[ "$(jq -r '.[0].Digest' <<<"$output")" = "sha256:$idx" ] || fail "the index digest is not recorded: $output"
	run himg pull --platform linux/arm64 "$REG/test/multi:1"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"does not match the expected platform"* ]] || fail "no platform warning: $output"
	run himg pull --platform linux/s390x "$REG/test/multi:1"
	[ "$status" -eq 125 ] || fail "$status: $output"
	[[ "$output" == *"no image for linux/s390x (it has: linux/amd64, linux/arm64/v8)"* ]] || fail "$output"
	run himg pull --platform linux "$REG/test/multi:1"
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid platform"* ]] || fail "$output"
}

@test "pull errors: a tag the registry lacks, a refused connection, a bad reference; each one line, nothing kept" {
	run himg pull "$REG/test/bb:nope"
	[ "$status" -eq 125 ] || fail "$status: $output"
	[[ "$output" == *"manifest unknown"* ]] || fail "$output"
	[ "${#lines[@]}" -le 2 ] || fail "more than one error line: $output"
	run himg pull "127.0.0.1:$(reg_free_port)/test/bb:1"
	[ "$status" -eq 125 ] || fail "$status: $output"
	run himg pull "Test/UPPER"
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid reference \"Test/UPPER\": repository names must be lowercase"* ]] || fail "$output"
	run himg pull "$REG/test/bb:1:2"
	[ "$status" -eq 125 ]
	store_empty
}

@test "tag, rm by name untags, rm by id needs -f with several names, prune -a empties the store" {
	himg pull -q "$REG/test/bb:1" >/dev/null
	run himg tag "$REG/test/bb:1" mine:v1 localhost/other
	[ "$status" -eq 0 ] || fail "$output"
	run himg ls
	[[ "$output" == *"docker.io/library/mine"*"v1"* ]] || fail "$output"
	[[ "$output" == *"localhost/other"*"latest"* ]] || fail "$output"
	run himg rm mine:v1
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "Untagged: docker.io/library/mine:v1" ] || fail "$output"
	local id
	id=$(himg ls -q | head -1)
	run himg rm "$id"
	[ "$status" -eq 1 ] || fail "$status: $output"
	[[ "$output" == *"several names"* ]] || fail "$output"
	run himg rm -f "$id"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"Deleted: sha256:$id"* ]] || fail "$output"
	store_empty
	himg pull -q "$REG/test/bb:1" >/dev/null
	himg pull -q "$REG/test/multi:1" >/dev/null
	run himg prune
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(himg ls -q | wc -l)" -eq 1 ] || fail "prune removed a named image: $(himg ls)"
	run himg prune -a
	[ "$status" -eq 0 ] || fail "$output"
	store_empty
}

@test "rm of an unknown image, inspect of an unknown image: exit 125 and one line" {
	run himg rm nosuch:img
	[ "$status" -ne 0 ]
	[[ "$output" == *"nosuch:img: image not known"* ]] || fail "$output"
	run himg inspect nosuch
	[ "$status" -eq 125 ] || fail "$status: $output"
	[[ "$output" == *"nosuch: image not known"* ]] || fail "$output"
	run himg frobnicate
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such command: frobnicate"* ]] || fail "$output"
}

# make_bundle: the test image with a command, pulled from an OCI layout and made a bundle in $BATS_TEST_TMPDIR/b
make_bundle() {
	local l=$BATS_TEST_TMPDIR/layout
	cp -a "$REG_TMP/layout" "$l"
	umoci config --image "$l:t" --config.cmd /bin/busybox --config.cmd sh --config.cmd -c \
		--config.cmd '/bin/busybox id -u; /bin/busybox ls /bin/busybox' >/dev/null
	run himg pull -q "oci:$l:t"
	[ "$status" -eq 0 ] || fail "$output"
	run himg bundle "$output" "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ] || fail "$output"
}

@test "image bundle runs under hull, runc and crun alike" {
	make_bundle
	[ -f "$BATS_TEST_TMPDIR/b/rootfs/random.bin" ] || fail "the second layer is not applied"
	[ "$(jq -r .root.readonly "$BATS_TEST_TMPDIR/b/config.json")" = false ]
	CTRS=(img-hull-$$ img-runc-$$ img-crun-$$)
	run "$HULL" --root "$BATS_TEST_TMPDIR/hroot" run -b "$BATS_TEST_TMPDIR/b" "img-hull-$$"
	[ "$status" -eq 0 ] || fail "hull: $output"
	local want=$output
	[ "$want" = $'0\n/bin/busybox' ] || fail "hull: $output"
	run runc --root "$BATS_TEST_TMPDIR/runc" run -b "$BATS_TEST_TMPDIR/b" "img-runc-$$"
	[ "$status" -eq 0 ] && [ "$output" = "$want" ] || fail "runc ($status): $output"
	run "$REG_REPO_ROOT/tests/lib/crun-hybrid.sh" --root "$BATS_TEST_TMPDIR/crun" run -b "$BATS_TEST_TMPDIR/b" "img-crun-$$"
	[ "$status" -eq 0 ] && [ "$output" = "$want" ] || fail "crun ($status): $output"
}

@test "image bundle: the config follows conversion.md (Entrypoint+Cmd, Env with PATH, WorkingDir, User by name)" {
	local l=$BATS_TEST_TMPDIR/layout b=$BATS_TEST_TMPDIR/ub
	cp -a "$REG_TMP/layout" "$l"
	umoci unpack --rootless --image "$l:t" "$b" >/dev/null
	mkdir -p "$b/rootfs/etc" "$b/rootfs/work"
	printf 'root:x:0:0::/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/sh\n' >"$b/rootfs/etc/passwd"
	printf 'root:x:0:\napp:x:2345:\nextra:x:777:app,other\n' >"$b/rootfs/etc/group"
	umoci repack --image "$l:t" "$b" >/dev/null
	umoci config --image "$l:t" --config.entrypoint /bin/busybox --config.cmd echo --config.cmd hi \
		--config.env FOO=bar --config.workingdir work --config.user app --config.label a.b=c \
		--config.volume /data --config.stopsignal SIGINT >/dev/null
	run himg pull "oci:$l:t"
	[ "$status" -eq 0 ] || fail "$output"
	run himg bundle "${lines[-1]}" "$BATS_TEST_TMPDIR/bun"
	[ "$status" -eq 0 ] || fail "$output"
	local c=$BATS_TEST_TMPDIR/bun/config.json
	[ "$(jq -c .process.args "$c")" = '["/bin/busybox","echo","hi"]' ] || fail "$(jq -c .process "$c")"
	[ "$(jq -c '.process.user' "$c")" = '{"uid":1234,"gid":2345,"additionalGids":[777]}' ] || fail "$(jq -c .process.user "$c")"
	[ "$(jq -r .process.cwd "$c")" = /work ]
	jq -e '.process.env | index("FOO=bar") != null and (map(startswith("PATH=")) | any)' "$c" >/dev/null || fail "$(jq -c .process.env "$c")"
	[ "$(jq -r '.annotations["a.b"]' "$c")" = c ]
	[ "$(jq -r '.annotations["org.opencontainers.image.stopSignal"]' "$c")" = SIGINT ]
	[ -d "$BATS_TEST_TMPDIR/bun/rootfs/data" ] || fail "the volume's directory is not made"
	CTRS=(img-conv-$$)
	run "$HULL" --root "$BATS_TEST_TMPDIR/hroot" run -b "$BATS_TEST_TMPDIR/bun" "img-conv-$$"
	[ "$status" -eq 0 ] && [ "$output" = hi ] || fail "$status: $output"
}

@test "image bundle refuses a non-empty directory and a user the image lacks, and leaves nothing" {
	himg pull -q "$REG/test/bb:1" >/dev/null
	mkdir "$BATS_TEST_TMPDIR/full"
	touch "$BATS_TEST_TMPDIR/full/x"
	run himg bundle "$REG/test/bb:1" "$BATS_TEST_TMPDIR/full"
	[ "$status" -eq 125 ]
	[[ "$output" == *"not empty"* ]] || fail "$output"
	local l=$BATS_TEST_TMPDIR/layout
	cp -a "$REG_TMP/layout" "$l"
	umoci config --image "$l:t" --config.user ghost --config.cmd /bin/busybox >/dev/null
	run himg pull -q "oci:$l:t"
	[ "$status" -eq 0 ] || fail "$output"
	run himg bundle "$output" "$BATS_TEST_TMPDIR/nb"
	[ "$status" -eq 125 ]
	# runc's words for a user the image's /etc/passwd lacks
	[[ "$output" == *'image user "ghost": unable to find user ghost: no matching entries in passwd file'* ]] || fail "$output"
	[ ! -e "$BATS_TEST_TMPDIR/nb" ] || fail "a half bundle is left: $(ls -R "$BATS_TEST_TMPDIR/nb" | head)"
}

@test "save and load round trips in both formats; skopeo reads hull's archives, hull loads skopeo's" {
	himg pull -q "$REG/test/bb:1" >/dev/null
	local id
	id=$(config_digest test/bb:1)
	run himg save -o "$BATS_TEST_TMPDIR/d.tar" "$REG/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	run himg save --format oci-archive -o "$BATS_TEST_TMPDIR/o.tar" "$REG/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(skopeo inspect --raw --config "docker-archive:$BATS_TEST_TMPDIR/d.tar" | sha256sum | cut -d' ' -f1)" = "$id" ]
	[ "$(skopeo inspect --raw --config "oci-archive:$BATS_TEST_TMPDIR/o.tar" | sha256sum | cut -d' ' -f1)" = "$id" ]
	local fmt
	for fmt in d o; do
		rm -rf "$STORE"
		run himg load -i "$BATS_TEST_TMPDIR/$fmt.tar"
		[ "$status" -eq 0 ] || fail "$fmt: $output"
		[ "$output" = "Loaded image: $REG/test/bb:1" ] || fail "$fmt: $output"
		[ "$(himg ls -q)" = "${id:0:12}" ] || fail "$fmt: $(himg ls)"
	done
	skopeo --insecure-policy copy -q "oci:$REG_TMP/layout:t" "docker-archive:$BATS_TEST_TMPDIR/s.tar:sk/img:2" >/dev/null
	gzip -k "$BATS_TEST_TMPDIR/s.tar"
	rm -rf "$STORE"
	run himg load "$BATS_TEST_TMPDIR/s.tar.gz"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "Loaded image: docker.io/sk/img:2" ] || fail "$output"
	[ -z "$(ls "$STORE/tmp")" ] || fail "load left $(ls "$STORE/tmp")"
}

@test "pull from oci-archive: and docker-archive: transports, by tag and name or the archive's only image" {
	himg pull -q "$REG/test/bb:1" >/dev/null
	local id
	id=$(himg ls -q)
	himg save -o "$BATS_TEST_TMPDIR/d.tar" "$REG/test/bb:1"
	skopeo --insecure-policy copy -q "oci:$REG_TMP/layout:t" "oci-archive:$BATS_TEST_TMPDIR/o.tar:v1" >/dev/null
	local ref
	for ref in "docker-archive:$BATS_TEST_TMPDIR/d.tar" "docker-archive:$BATS_TEST_TMPDIR/d.tar:$REG/test/bb:1" \
		"oci-archive:$BATS_TEST_TMPDIR/o.tar" "oci-archive:$BATS_TEST_TMPDIR/o.tar:v1"; do
		rm -rf "$STORE"
		run himg pull -q "$ref"
		[ "$status" -eq 0 ] || fail "$ref: $output"
		[ "$(himg ls -q)" = "$id" ] || fail "$ref: $(himg ls)"
		[ -z "$(ls "$STORE/tmp")" ] || fail "$ref: tmp/ holds $(ls "$STORE/tmp")"
	done
	run himg pull "docker-archive:$BATS_TEST_TMPDIR/d.tar:other:1"
	[ "$status" -eq 125 ] && [[ "$output" == *"no such image in the archive"* ]] || fail "$output"
	run himg pull "oci-archive:$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 125 ] && [[ "$output" == *"not an oci-archive"* ]] || fail "$output"
}

@test "podman loads hull's archives and hull loads podman's (podman in a store of the test's own)" {
	himg pull -q "$REG/test/bb:1" >/dev/null
	local id pm=(podman --root "$BATS_TEST_TMPDIR/pr" --runroot "$BATS_TEST_TMPDIR/prr" --storage-driver vfs)
	id=$(config_digest test/bb:1)
	himg save -o "$BATS_TEST_TMPDIR/d.tar" "$REG/test/bb:1"
	run "${pm[@]}" load -i "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$("${pm[@]}" image inspect --format '{{.Id}}' "$REG/test/bb:1")" = "$id" ]
	"${pm[@]}" save --format oci-archive -o "$BATS_TEST_TMPDIR/p.tar" "$REG/test/bb:1" 2>/dev/null
	"${pm[@]}" rmi -a -f >/dev/null 2>&1 || true
	# podman writes the config anew: the id to expect is that of the archive's config
	id=$(skopeo inspect --raw --config "oci-archive:$BATS_TEST_TMPDIR/p.tar" | sha256sum | cut -d' ' -f1)
	rm -rf "$STORE"
	run himg load "$BATS_TEST_TMPDIR/p.tar"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(himg ls -q)" = "${id:0:12}" ] || fail "$(himg ls)"
}

@test "load refuses what is neither archive format and keeps nothing" {
	tar -C "$BATS_TEST_TMPDIR" -cf "$BATS_TEST_TMPDIR/junk.tar" --files-from /dev/null
	run himg load "$BATS_TEST_TMPDIR/junk.tar"
	[ "$status" -eq 125 ]
	[[ "$output" == *"neither a docker-archive"* ]] || fail "$output"
	echo garbage >"$BATS_TEST_TMPDIR/g.tar"
	run himg load "$BATS_TEST_TMPDIR/g.tar"
	[ "$status" -eq 125 ] || fail "$status: $output"
	store_empty
}

@test "two concurrent pulls of images sharing layers: both recorded, each layer unpacked once" {
	reg_push anon test/bb:2
	himg ls >/dev/null
	himg pull -q "$REG/test/bb:1" >"$BATS_TEST_TMPDIR/p1" 2>&1 &
	local p1=$!
	himg pull -q "$REG/test/bb:2" >"$BATS_TEST_TMPDIR/p2" 2>&1 &
	local p2=$!
	wait "$p1" || fail "pull 1: $(cat "$BATS_TEST_TMPDIR/p1")"
	wait "$p2" || fail "pull 2: $(cat "$BATS_TEST_TMPDIR/p2")"
	run himg ls --format json
	[ "$(jq -r '.[0].RepoTags | length' <<<"$output")" -eq 2 ] || fail "$output"
	[ "$(ls "$STORE/layers" | grep -c json)" -eq 2 ] || fail "$(ls "$STORE/layers")"
	[ -z "$(ls "$STORE/tmp")" ] || fail "tmp holds $(ls "$STORE/tmp")"
}
