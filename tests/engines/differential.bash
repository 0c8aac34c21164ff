# differential.bash - setup and teardown for differential.bats: a busybox rootfs template per file and a temp
# dir per test; the replay itself is lib/replay.py.  Must never leave a container, mount or cgroup behind.

bats_require_minimum_version 1.5.0
: "${BATS_TEST_TIMEOUT:=60}"

ENGINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$ENGINES_DIR/../.." && pwd)
CONFIGS=$ENGINES_DIR/configs
KNOWN=$CONFIGS/known-differences
: "${HULL:=$REPO_ROOT/build/hull}"
export HULL
export RUNC_BIN=${RUNC_BIN:-/usr/sbin/runc}
if [ -z "${TTYHELPER:-}" ]; then
	TTYHELPER=$(dirname "$HULL")/tests/helpers/ttyhelper
	[ -x "$TTYHELPER" ] || TTYHELPER=$REPO_ROOT/build/tests/helpers/ttyhelper
fi
export TTYHELPER
# the system python (the first python3 in PATH may be another)
PYTHON=${PYTHON:-/usr/bin/python3}

diff_setup_file() {
	[ "$(id -u)" = 0 ] || { echo "differential tests need root" >&2; return 1; }
	[ -x "$HULL" ] || { echo "no hull at $HULL (ninja -C build)" >&2; return 1; }
	export DIFF_TPL=$BATS_FILE_TMPDIR/tpl
	"$REPO_ROOT/tests/lib/make-bundle.sh" "$DIFF_TPL" >/dev/null
}

diff_setup() {
	T=$(mktemp -d /tmp/hull-diff.XXXXXX)
	CG=hulldiff-${T##*.}
}

# replay.py deletes its containers and unmounts its mounts itself; this is for a replay that was killed.
diff_teardown() {
	local rt state id left
	for state in "$T"/state-*; do
		[ -d "$state" ] || continue
		rt=$RUNC_BIN
		[ "${state##*-}" = hull ] && rt=$HULL
		for id in $(ls "$state"); do
			timeout 20 "$rt" --root "$state" delete --force "$id" >/dev/null 2>&1 || true
		done
	done
	for pid in $(cat "$T"/*.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
	awk -v t="$T" 'index($5, t "/") == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r umount -l
	for c in /sys/fs/cgroup/*/"$CG"; do
		[ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	left=$(ls -d /sys/fs/cgroup/*/"$CG" 2>/dev/null || true)
	rm -rf "$T"
	[ -z "$left" ] || { echo "cgroups left: $left" >&2; return 1; }
}

# replay FIXTURE: fails on any runc/hull difference not listed in known-differences. A fixture listed in
# configs/known-bugs (an open hull bug) is skipped with the bug's text: counted as skipped, never as passed,
# and the entry must go when the bug is fixed (HULL_DIFF_ALL=1 runs them all).
replay() {
	local bug
	bug=$(awk -v f="$1" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' "$CONFIGS/known-bugs")
	[ -z "$bug" ] || [ "${HULL_DIFF_ALL:-0}" = 1 ] || skip "open hull bug: $bug"
	run timeout 50 "$PYTHON" "$ENGINES_DIR/lib/replay.py" "$T" "$CONFIGS/$1.json"
	echo "$output"
	[ "$status" -eq 0 ]
}
