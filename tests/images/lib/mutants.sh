#!/bin/bash
# mutants.sh [NAME...] - removes each defence of src/lib/image/unpack.c in turn (a source edit), rebuilds build/,
# runs the tests that guard it and prints which failed: a mutant no test kills is a defence without a test.
# Must never leave unpack.c changed: the original is restored after each mutant, and on exit whatever happens.
set -uo pipefail
cd "$(dirname "$0")/../../.."
src=src/lib/image/unpack.c
saved=$(mktemp)
cp "$src" "$saved"
trap 'cp "$saved" "$src"; rm -f "$saved"; ninja -C build >/dev/null 2>&1' EXIT
H=tests/images/hostile.bats
U=tests/images/unpack.bats
killed=0 survived=0

# mutant NAME OLD NEW [OLD NEW]... -- [BATS ARGS]
mutant() {
	local name=$1 pairs=()
	shift
	while [ "$1" != -- ]; do pairs+=("$1" "$2"); shift 2; done
	shift
	if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then return; fi
	cp "$saved" "$src"
	python3 - "$src" "${pairs[@]}" <<'PY' || { echo "$name: mutation site not found"; return; }
import sys
p = sys.argv[1]; s = open(p).read(); a = sys.argv[2:]
for old, new in zip(a[::2], a[1::2]):
    if old not in s: sys.exit(1)
    s = s.replace(old, new, 1)
open(p, "w").write(s)
PY
	if ! ninja -C build >/dev/null 2>&1; then echo "$name: does not build"; return; fi
	local failed
	failed=$( (./build/tests/unit/unit-unpack 2>&1 | sed -n 's/^\[  FAILED  \] \([a-z_]*\)$/unit: \1/p' | sort -u
		[ $# -gt 0 ] && bats "$@" 2>&1 | sed -n 's/^not ok [0-9]* /bats: /p') )
	if [ -n "$failed" ]; then
		killed=$((killed + 1))
		echo "== $name: killed by"
		echo "$failed" | sed 's/^/   /'
	else
		survived=$((survived + 1))
		echo "== $name: SURVIVED"
	fi
}
only=("$@")

mutant dotdot-kept-verbatim "		if (l == 2 && p[0] == '.' && p[1] == '.') {" "		if (l == 2 && p[0] == '.' && p[1] == '.' && o > 0) {" -- "$H"
mutant dotdot-and-in-root-removed "		if (l == 2 && p[0] == '.' && p[1] == '.') {" "		if (l == 2 && p[0] == '.' && p[1] == '.' && o > 0) {" "		.resolve = follow ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS," "		.resolve = follow ? 0 : 0," -- "$H"
mutant in-root-removed "		.resolve = follow ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS," "		.resolve = follow ? 0 : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS," -- "$H"
mutant write-through-symlink "	if (clear_slot(u, parent, name, false, err) < 0)
		return -1;
	/* O_EXCL" "	/* O_EXCL" "O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)" "O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)" -- "$H"
mutant bomb-limit-removed "	if (s->bytes > s->max)" "	if (0)" -- -f bomb "$H"
mutant magic-check-removed "	if (found != want)" "	if (0)" -- -f declared "$H"
mutant whiteout-follows-symlinks "open_parent(u, path, create, !is_whiteout, &parent, err)" "open_parent(u, path, create, true, &parent, err)" -- -f whiteout "$H"
mutant hardlink-follows-symlink "linkat(tparent, path_base(target), parent, name, 0)" "linkat(tparent, path_base(target), parent, name, AT_SYMLINK_FOLLOW)" -- -f hardlink "$H"
mutant opaque-ignores-this-layer "		if (!pathset_has(&u->made, child, strlen(child))) {" "		if (1) {" --
mutant implied-dirs-not-copied "	if (u->opts->whiteouts != UNPACK_OVERLAY)
		return 0;" "	if (1)
		return 0;" -- -f overlay "$U"
mutant xattrs-before-chown "	if (u->opts->keep_owners &&
	    fchown(fd, (uid_t)ar.entry_uid(u->entry), (gid_t)ar.entry_gid(u->entry)) < 0)
		return entry_fail_sys(u, err, \"chown\");
	if (set_xattrs(u, fd, false, err) < 0)
		return -1;" "	if (set_xattrs(u, fd, false, err) < 0)
		return -1;
	if (u->opts->keep_owners &&
	    fchown(fd, (uid_t)ar.entry_uid(u->entry), (gid_t)ar.entry_gid(u->entry)) < 0)
		return entry_fail_sys(u, err, \"chown\");" --
mutant trailing-zeros-not-hashed "		if ((n = source_fill(s)) < 0)" "		if ((n = 0 * (ssize_t)(s != NULL)) < 0)" -- -f diffID "$U"
mutant dir-twice-first-wins "		if (pathset_has(&done, d->path, strlen(d->path)))
			continue;" "" --
mutant dir-meta-not-deferred "	u->dirs = xreallocarray(u->dirs, u->n_dirs + 1, sizeof(*u->dirs));
	struct dir_meta *d" "	if (fchmodat(parent, name, ar.entry_perm(u->entry), 0) < 0) return -1;
	return 0;
	u->dirs = xreallocarray(u->dirs, u->n_dirs + 1, sizeof(*u->dirs));
	struct dir_meta *d" --

echo "mutants: $killed killed, $survived survived"
[ "$survived" -eq 0 ]
