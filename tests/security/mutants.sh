#!/bin/bash
# mutants.sh - evidence that tests/integration/security.bats (and the image half's hostile-input tests) can fail:
# each mutant removes one of hull's defences (tests/security/mutants/NAME.patch) in a scratch copy of the tree, and
# the tests for that CVE or attack must then fail.  Must never touch the checkout it runs from: the copy, its build and the state live in
# MUTANT_DIR (default /tmp/hull-mutants).
#
#   tests/security/mutants.sh [NAME...]      # all mutants, or some
#
# First a control: the unmodified copy must pass every test named below ("control: ..."), else it stops.
# Then, per mutant, only the objects its patch touches are rebuilt and only its own tests run; it prints
# "mutant NAME: killed" (every test named for it failed, as they must), "mutant NAME: SURVIVED" (one of
# them still passed: it does not catch the removal) or "mutant NAME: STALE" (the patch no longer applies
# or builds, or names no test), then "mutants: N killed, N survived, N stale".  Exits 0 only when every
# mutant was killed.
# Needs root, bats and a build of sectool (ninja -C build, for tests/helpers/sectool).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
work=${MUTANT_DIR:-/tmp/hull-mutants}
sectool=${SECTOOL:-$repo/build/tests/helpers/sectool}

# NAME | the defence it removes | the tests that must fail: a bats -f regex over tests/integration/security.bats,
# or "FILE.bats:REGEX" for another file below tests/ (the image half's hostile-input tests)
mutants=(
	"exec_dumpable|exec's helper and process stay dumpable (no PR_SET_DUMPABLE 0)|CVE-2019-5736: a process joining|CVE-2016-9962"
	"init_dumpable|the init of a created container stays dumpable until execve|CVE-2019-5736: the init of a created container"
	"init_dumpable_at_clone|the init is dumpable from clone3 until its first credential change|CVE-2019-5736: during create a userns init"
	"runtime_stays_after_start|the init forks its program and stays in the container, dumpable, as the runtime's binary|CVE-2019-5736: after start"
	"no_close_range|fds above 2 are not made close-on-exec before execve (init and exec)|CVE-2024-21626: no host fd"
	"init_leaks_host_dir|the init keeps the state directory's fd, a host directory (as runc 1.1.11 leaked a cgroup fd), makes no cwd inside the root and accepts a cwd outside it|CVE-2024-21626: process.cwd"
	"no_cwd_check|a cwd outside the root (getcwd \"(unreachable)\") is accepted|CVE-2024-21626: exec --cwd"
	"no_sysctl_procfs_check|/proc/sys is not checked to be procfs (fstatfs) before the sysctls|CVE-2019-16884: a bind mount|CVE-2025-52881"
	"proc_through_symlink|procfs is mounted through an image's /proc symlink (no ordinary-directory check)|CVE-2019-16884: an image|CVE-2023-27561"
	"no_resolve_in_root|fs_open_in_root resolves symlinks against the host (no RESOLVE_IN_ROOT)|CVE-2019-19921|CVE-2021-30465|CVE-2026-41579"
	"mask_with_container_null|maskedPaths are masked with the container's /dev/null, unchecked|CVE-2025-31133"
	"console_follows_symlink|/dev/console is opened following symlinks for the pty bind|CVE-2025-52565"
	"cgroup_all_rw|the cgroup mount ignores \"ro\" and /sys/fs/cgroup is not made read-only in a user namespace|CVE-2023-25809: /sys/fs/cgroup is not writable"
	"cap_inheritable|exec --cap also sets the inheritable set|CVE-2022-29162"
	"cgroup_rw_in_userns|/sys/fs/cgroup is not made read-only in a user namespace without a cgroup namespace|CVE-2023-25809: a read-only rbind"
	"cgroup_ro_fails_open|the read-only step opens /sys/fs/cgroup with O_NOFOLLOW and returns success when the open fails|CVE-2023-25809: a /sys/fs/cgroup symlink"
	"unpack_parents_escape|a layer entry's directories are resolved against the host (no RESOLVE_IN_ROOT): a symlink leads out|images/hostile.bats:symlink-absolute-then-write-through|hardlink-through-a-symlinked-dir"
	"registry_no_blob_digest_check|a fetched blob is kept whatever its digest|images/registry.bats:corrupted_blob_is_a_digest_mismatch"
	"pull_no_diff_id_check|an unpacked layer is kept whatever its diffID (the uncompressed tar's digest)|images/hostile-manifests.bats:a config whose diff_id does not match"
	"unpack_dotdot_kept|a layer entry's \"..\" components are kept, not refused|images/hostile.bats:dotdot-first is refused|dotdot-middle is refused|hardlink-dotdot is refused|whiteout-dotdot is refused"
	"unpack_write_through_symlink|a file is written through what its name holds (O_TRUNC, neither O_EXCL nor O_NOFOLLOW)|images/hostile.bats:symlink-then-file-of-that-name|file-replaced-by-symlink-then-written"
	"unpack_whiteout_follows_symlinks|a whiteout's directories are resolved through symlinks|images/hostile.bats:opaque-in-a-symlinked-dir is"
	"unpack_hardlink_follows_symlink|a hardlink to a symlink links what the symlink points at|images/hostile.bats:hardlink-to-a-symlink-links-the-symlink"
)

# Equivalent mutants, run only when named: no config makes them observable.
# no_devpts_check: the pty master is not checked to be on devpts.  A ptmx node outside devpts (a 5:2 device
# at /dev/pts/ptmx on the /dev tmpfs) already fails to open (ENOENT: the kernel finds no "pts" sibling), so
# the check is defence in depth behind the kernel's own.
# cgroup_mount_rw alone is masked by the second defence, /sys/fs/cgroup read-only in a user namespace.
# unpack_no_bomb_limit writes the 1 GiB the bombs expand to before its tests fail: run by hand, when named.
equivalent=("no_devpts_check|the pty master is not checked to be on devpts|CVE-2025-52565"
	"unpack_no_bomb_limit|a layer may expand past its limit (a decompression bomb fills the disk)|images/hostile.bats:gzip-bomb|zstd-bomb"
	"cgroup_mount_rw|the container's /sys/fs/cgroup ignores \"ro\"|CVE-2023-25809")
for e in "${equivalent[@]}"; do
	[[ " $* " == *" ${e%%|*} "* ]] && mutants+=("$e")
done

# test_file FILTER / test_filter FILTER: a mutant's bats file and its -f regex
test_file() {
	if [[ $1 =~ ^([a-z/-]+\.bats): ]]; then echo "$repo/tests/${BASH_REMATCH[1]}"; else echo "$repo/tests/integration/security.bats"; fi
}
test_filter() {
	if [[ $1 =~ ^[a-z/-]+\.bats:(.*)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo "$1"; fi
}

# run_tests FILE FILTER: the tests against the scratch build (its hull, and the image tests' unpacktool and regtool)
run_tests() {
	HULL=$work/build/hull SECTOOL=$sectool UNPACKTOOL=$work/build/tests/images/unpacktool \
		REGTOOL=$work/build/tests/images/regtool bats --tap -f "$2" "$1"
}
targets=(hull tests/images/unpacktool tests/images/regtool)

[ "$(id -u)" = 0 ] || { echo "mutants.sh: needs root (the tests run containers)" >&2; exit 2; }
[ -x "$sectool" ] || { echo "mutants.sh: no sectool at $sectool (ninja -C $repo/build)" >&2; exit 2; }

# The scratch tree: the checkout's files (committed or not) without its build and git state.
rm -rf "$work"
mkdir -p "$work/src"
tar -C "$repo" --exclude=./build --exclude=./.git --exclude='./build-*' -cf - . | tar -C "$work/src" -xf -
if ! meson setup -Dtests=true "$work/build" "$work/src" >"$work/setup.log" 2>&1; then
	echo "mutants.sh: meson setup failed, see $work/setup.log" >&2
	exit 2
fi

# The control: the unmodified copy must pass every test a mutant is run against, or a "killed" proves nothing.
selected=()
for m in "${mutants[@]}"; do
	if [ $# -eq 0 ] || [[ " $* " == *" ${m%%|*} "* ]]; then selected+=("${m#*|*|}"); fi
done
if ! ninja -C "$work/build" "${targets[@]}" >"$work/control.log" 2>&1; then
	echo "mutants.sh: the unmodified copy does not build, see $work/control.log" >&2
	exit 2
fi
crc=0
for file in $(for f in "${selected[@]}"; do test_file "$f"; done | sort -u); do
	all=$(for f in "${selected[@]}"; do [ "$(test_file "$f")" = "$file" ] && test_filter "$f"; done | paste -sd '|' -)
	run_tests "$file" "$all" >>"$work/control.log" 2>&1 || crc=1
done
cran=$(grep -cE '^(not )?ok ' "$work/control.log")
if [ "$crc" -ne 0 ] || [ "$cran" = 0 ] || grep -qE '^ok .*# skip' "$work/control.log"; then
	echo "control: FAILED (the unmodified build does not pass its $cran tests; see $work/control.log)"
	grep -E '^not ok |# skip' "$work/control.log"
	exit 1
fi
echo "control: the unmodified build passes all $cran tests"

killed=0 survived=0 stale=0
for m in "${mutants[@]}"; do
	IFS='|' read -r name what filter <<<"$m"
	filter=${m#*|*|}
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	patchfile=$here/mutants/$name.patch
	log=$work/$name.log
	if ! patch -d "$work/src" -p1 -s <"$patchfile" >"$log" 2>&1; then
		echo "mutant $name: STALE (the patch does not apply; see $log)"
		stale=$((stale + 1))
		continue
	fi
	if ! ninja -C "$work/build" "${targets[@]}" >>"$log" 2>&1; then
		echo "mutant $name: STALE (does not build; see $log)"
		stale=$((stale + 1))
	else
		run_tests "$(test_file "$filter")" "$(test_filter "$filter")" >>"$log" 2>&1
		rc=$?
		ran=$(grep -cE '^(not )?ok ' "$log")
		failed=$(grep -E '^not ok ' "$log" | sed 's/^not ok [0-9]* //' | paste -sd ';' -)
		if [ "$ran" = 0 ]; then
			echo "mutant $name: STALE (no test matches '$filter')"
			stale=$((stale + 1))
		else
			# every test named for the mutant must fail, not just one of them
			passing=$(grep -E '^ok ' "$log" | sed 's/^ok [0-9]* //' | paste -sd ';' -)
			if [ "$rc" -ne 0 ] && [ -z "$passing" ]; then
				echo "mutant $name: killed  ($what; failed: $failed)"
				killed=$((killed + 1))
			else
				echo "mutant $name: SURVIVED  ($what; still pass: $passing; see $log)"
				survived=$((survived + 1))
			fi
		fi
	fi
	patch -d "$work/src" -p1 -R -s <"$patchfile" >>"$log" 2>&1 || { echo "mutants.sh: cannot revert $name" >&2; exit 2; }
done
echo "mutants: $killed killed, $survived survived${stale:+, $stale stale}"
[ "$survived" = 0 ] && [ "$stale" = 0 ]
