#!/usr/bin/env bats
# debian.bats - a real distribution's tree through the image half: a minimal Debian (debootstrap --variant=minbase
# from the Debian archive the host's apt uses) as a two-layer image (the system, then a layer that deletes docs and
# locales and replaces /etc/apt), pushed to the registry and pulled by hull: the bundle's rootfs and the mounted
# store layers equal `umoci unpack`, and the bundle boots under hull.
# Must never leave a mount behind (each is in a private mount namespace) nor touch the host's apt state.

BATS_TEST_TIMEOUT=$((600 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common
load lib/images

# the first Debian archive of the host's apt sources (deb822 or one-line), else the default mirror
debian_mirror() {
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	echo "${m:-http://deb.debian.org/debian}"
}

setup_file() {
	local l=$BATS_FILE_TMPDIR/layout b=$BATS_FILE_TMPDIR/bundle
	debootstrap --variant=minbase bookworm "$BATS_FILE_TMPDIR/debian" "$(debian_mirror)" >"$BATS_FILE_TMPDIR/debootstrap.log" 2>&1 ||
		{ tail -5 "$BATS_FILE_TMPDIR/debootstrap.log" >&2; return 1; }
	umoci init --layout "$l" >/dev/null
	umoci new --image "$l:t" >/dev/null
	umoci unpack --image "$l:t" "$b" >/dev/null
	cp -a "$BATS_FILE_TMPDIR/debian/." "$b/rootfs/"
	rm -rf "$BATS_FILE_TMPDIR/debian"
	umoci repack --image "$l:t" "$b" >/dev/null
	rm -rf "$b"
	umoci unpack --image "$l:t" "$b" >/dev/null
	rm -rf "$b/rootfs/usr/share/doc" "$b/rootfs/usr/share/locale" "$b/rootfs/var/cache/apt" "$b/rootfs/etc/apt"/*
	echo 'deb http://deb.debian.org/debian bookworm main' >"$b/rootfs/etc/apt/sources.list"
	umoci repack --image "$l:t" "$b" >/dev/null
	rm -rf "$b"
	umoci config --image "$l:t" --config.cmd /bin/cat --config.cmd /etc/debian_version >/dev/null
	umoci unpack --image "$l:t" "$BATS_FILE_TMPDIR/ref" >/dev/null
	reg_init
	reg_start anon anon
	export REG=$(reg_addr anon)
	skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$l:t" "docker://$REG/debian:minbase" >/dev/null
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
}

@test "a minimal Debian pulled by hull: bundle and mounted layers equal umoci unpack, and the bundle runs" {
	run himg pull -q "$REG/debian:minbase"
	[ "$status" -eq 0 ] || fail "$output"
	local id=$output ref=$BATS_FILE_TMPDIR/ref/rootfs
	run himg bundle "$id" "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ] || fail "$output"
	run python3 "$IMAGES_LIB/treecmp.py" "$BATS_TEST_TMPDIR/b/rootfs" "$ref"
	[ "$status" -eq 0 ] || fail "the bundle differs from umoci's: $output"
	[ ! -e "$BATS_TEST_TMPDIR/b/rootfs/usr/share/doc" ] || fail "a deleted directory is back"
	mkdir "$BATS_TEST_TMPDIR/m"
	run unshare -m --propagation private sh -c '"$1" image --storage "$2" mount "$3" "$4" &&
		python3 "$5" "$4" "$6"; r=$?; "$1" image --storage "$2" umount "$4" || r=9; exit $r' sh \
		"$HULL" "$STORE" "$id" "$BATS_TEST_TMPDIR/m" "$IMAGES_LIB/treecmp.py" "$ref"
	[ "$status" -eq 0 ] || fail "the mounted image differs from umoci's ($status): $output"
	run "$HULL" --root "$BATS_TEST_TMPDIR/hroot" run -b "$BATS_TEST_TMPDIR/b" "debian-$$"
	"$HULL" --root "$BATS_TEST_TMPDIR/hroot" delete -f "debian-$$" >/dev/null 2>&1 || true
	[ "$status" -eq 0 ] && [[ "$output" == 12.* ]] || fail "the bundle did not boot ($status): $output"
}
