#!/usr/bin/env bats
# hostile.bats - layer_unpack() (through unpacktool) on the hostile corpus of hostile/make-corpus.py: each layer is
# refused with one clear line (exit 1), or, where tar's semantics contain it, unpacked inside the target; either
# way nothing beside the target (a sentinel tree) nor the sentinel the layers aim at changes by one byte or mode.
# Must never write outside $BATS_*TMPDIR: the corpus aims at a sentinel made there, never at the host.

load lib/images

setup_file() {
	export SENTINEL=$BATS_FILE_TMPDIR/sentinel CORPUS=$BATS_FILE_TMPDIR/corpus
	mkdir -p "$SENTINEL/dir"
	echo sentinel >"$SENTINEL/file"
	echo sentinel >"$SENTINEL/dir/file"
	python3 "$BATS_TEST_DIRNAME/hostile/make-corpus.py" "$CORPUS" "$SENTINEL" >/dev/null
}

setup() {
	[ -x "$UNPACKTOOL" ] || skip "build unpacktool first (ninja -C build)"
	export TARGET=$BATS_TEST_TMPDIR/target
	mkdir -p "$TARGET" "$BATS_TEST_TMPDIR/beside/dir"
	echo beside >"$BATS_TEST_TMPDIR/beside/file"
	ln -s ../beside/file "$BATS_TEST_TMPDIR/beside/dir/link"
}

# every path beside the target and in the sentinel: type, mode, owner, size, link target, mtime, content
tree_sum() {
	local dir
	for dir in "$BATS_TEST_TMPDIR" "$SENTINEL"; do
		(cd "$dir" && find . -path ./target -prune -o -printf '%p %y %m %n %U:%G %s %l %T@\n' | sort &&
			find . -path ./target -prune -o -type f -exec sha256sum {} + | sort)
	done
}

getfattr_opaque() {
	python3 -c 'import os, sys
try: print(os.getxattr(sys.argv[1], "trusted.overlay.opaque"))
except OSError: print("none")' "$1"
}

# hostile CASE: run it as cases.tsv says, check the outcome and that nothing outside changed
hostile() {
	local name flags expect what before
	IFS=$'\t' read -r name flags expect what < <(grep "^$1"$'\t' "$CORPUS/cases.tsv")
	[ "$name" = "$1" ]
	before=$(tree_sum)
	run "$UNPACKTOOL" $flags "$CORPUS/$name.blob" "$TARGET"
	echo "$output"
	[ "$(tree_sum)" = "$before" ]
	if [ "$expect" = fail ]; then
		[ "$status" -eq 1 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "${lines[0]}" == "unpacktool: layer"*"$what"* ]]
	else
		[ "$status" -eq 0 ]
		[ "$what" = - ] || [ -e "$TARGET/$what" ] || [ -L "$TARGET/$what" ]
	fi
}

@test "absolute-name is contained inside the target" {
	hostile absolute-name
}

@test "absolute-name-of-the-sentinel is contained inside the target" {
	hostile absolute-name-of-the-sentinel
	[ -f "$TARGET$SENTINEL/file" ]
}

@test "dotdot-first is refused" {
	hostile dotdot-first
}

@test "dotdot-middle is refused" {
	hostile dotdot-middle
}

@test "dotdot-last is refused" {
	hostile dotdot-last
}

@test "dotdot-after-root is refused" {
	hostile dotdot-after-root
}

@test "dotdot-inside-is-cleaned is contained inside the target" {
	hostile dotdot-inside-is-cleaned
}

@test "pax-path-overrides-a-safe-name is refused" {
	hostile pax-path-overrides-a-safe-name
}

@test "gnu-longname-escape is refused" {
	hostile gnu-longname-escape
}

@test "name-of-5000-bytes is refused" {
	hostile name-of-5000-bytes
}

@test "component-of-300-bytes is refused" {
	hostile component-of-300-bytes
}

@test "nested-10000-levels is refused" {
	hostile nested-10000-levels
}

@test "root-as-a-symlink is refused" {
	hostile root-as-a-symlink
}

@test "symlink-absolute-then-write-through is refused" {
	hostile symlink-absolute-then-write-through
}

@test "symlink-dotdot-then-write-through is contained inside the target" {
	hostile symlink-dotdot-then-write-through
	[ -f "$TARGET/escaped" ]
}

@test "symlink-to-dir-then-file-below is contained inside the target" {
	hostile symlink-to-dir-then-file-below
}

@test "symlink-then-file-of-that-name is contained inside the target" {
	hostile symlink-then-file-of-that-name
	[ -f "$TARGET/s" ] && [ ! -L "$TARGET/s" ]
	[ "$(cat "$TARGET/s")" = overwritten ]
}

@test "file-replaced-by-symlink-then-written is contained inside the target" {
	hostile file-replaced-by-symlink-then-written
	[ -f "$TARGET/f" ] && [ ! -L "$TARGET/f" ]
	[ "$(cat "$TARGET/f")" = overwritten ]
}

@test "symlink-then-directory-of-that-name is contained inside the target" {
	hostile symlink-then-directory-of-that-name
	[ -d "$TARGET/s" ] && [ ! -L "$TARGET/s" ]
}

@test "hardlink-to-etc-passwd is refused" {
	hostile hardlink-to-etc-passwd
}

@test "hardlink-dotdot is refused" {
	hostile hardlink-dotdot
}

@test "hardlink-to-the-sentinel is refused" {
	hostile hardlink-to-the-sentinel
}

@test "hardlink-through-a-symlinked-dir is refused" {
	hostile hardlink-through-a-symlinked-dir
}

@test "hardlink-to-a-symlink-pointing-out is contained inside the target" {
	hostile hardlink-to-a-symlink-pointing-out
	[ -L "$TARGET/s" ] && [ -f "$TARGET/h" ] && [ ! -L "$TARGET/h" ]
}

@test "hardlink-to-a-symlink-links-the-symlink is contained inside the target" {
	hostile hardlink-to-a-symlink-links-the-symlink
	[ -L "$TARGET/h" ]
	[ "$(stat -c %h "$SENTINEL/file")" = 1 ]
}

@test "hardlink-to-a-directory is refused" {
	hostile hardlink-to-a-directory
}

@test "whiteout-dotdot is refused" {
	hostile whiteout-dotdot
}

@test "whiteout-absolute is contained inside the target" {
	hostile whiteout-absolute
}

@test "whiteout-named-dotdot is refused" {
	hostile whiteout-named-dotdot
}

@test "whiteout-in-a-symlinked-dir is contained inside the target" {
	hostile whiteout-in-a-symlinked-dir
	[ -L "$TARGET/o" ]
}

@test "whiteout-in-a-dotdot-symlink is contained inside the target" {
	hostile whiteout-in-a-dotdot-symlink
}

@test "opaque-in-a-symlinked-dir is contained inside the target" {
	hostile opaque-in-a-symlinked-dir
}

@test "opaque-in-a-symlinked-dir-overlay is contained inside the target" {
	hostile opaque-in-a-symlinked-dir-overlay
	[ -L "$TARGET/o" ]
	run getfattr_opaque "$SENTINEL"
	[ "$output" = none ]
}

@test "whiteout-overlay-through-symlink is contained inside the target" {
	hostile whiteout-overlay-through-symlink
	[ -z "$(find "$TARGET" -type c)" ]
}

@test "devices-and-setuid-oddities is contained inside the target" {
	hostile devices-and-setuid-oddities
	[ "$(stat -c %F:%t:%T:%a "$TARGET/dev/mem")" = "character special file:1:1:6666" ]
	[ "$(stat -c %F:%t:%T:%a "$TARGET/dev/sda")" = "block special file:8:0:7777" ]
	[ "$(stat -c %F:%a "$TARGET/dev/fifo")" = "fifo:2644" ]
	[ "$(stat -c %a "$TARGET/bin/su")" = 6755 ]
}

@test "truncated-tar is refused" {
	hostile truncated-tar
}

@test "truncated-gzip is refused" {
	hostile truncated-gzip
}

@test "garbage is refused" {
	hostile garbage
}

@test "gzip-declared-zstd is refused" {
	hostile gzip-declared-zstd
}

@test "plain-declared-gzip is refused" {
	hostile plain-declared-gzip
}

@test "gzip-bomb is refused" {
	hostile gzip-bomb
	[ "$(du -sm "$TARGET" | cut -f1)" -le 20 ]
}

@test "zstd-bomb is refused" {
	hostile zstd-bomb
	[ "$(du -sm "$TARGET" | cut -f1)" -le 20 ]
}
