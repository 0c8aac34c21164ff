# common.bash - what the image tests share: fail, himg (hull image on the test's own store $STORE) and
# store_empty. Must never touch a store but $STORE.

fail() {
	echo "$*" >&2
	return 1
}

himg() { "$HULL" image --storage "$STORE" "$@"; }

# store_empty: the store holds nothing but its directories and lock files
store_empty() {
	local left
	left=$(cd "$STORE" && find . -mindepth 1 ! -type d ! -name lock ! -name records.lock)
	[ -z "$left" ] || fail "left in the store: $left"
}
