#!/bin/bash
# exec.sh - hull beside crun and runc, each with one running busybox container, in one run: the wall
# time of `exec ID true` and of `exec --process process.json ID` (the engines' form), as ratios to hull.
# Must never leave a container, process, cgroup or mount behind, even on failure or ^C; it measures
# and prints, it is no pass/fail test. Usage: bench/exec.sh [ROUNDS]   (HULL=path picks the binary)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-50}
hull=${HULL:-$top/build/hull}
[ -x "$hull" ] || { echo "build hull first (tools/bootstrap.sh) or set HULL=path" >&2; exit 1; }
work=$(mktemp -d /tmp/hull-bench.XXXXXX)

# crun 1.8 refuses this host's hybrid cgroups at create, not at exec: only run -d and delete -f go
# through its wrapper, so the timed crun exec is crun alone.
runtimes=("$hull" /usr/bin/crun /usr/sbin/runc)
managers=("$hull" "$work/crun" /usr/sbin/runc)
names=(hull crun runc)
variants=(args process)
# Distinct ids: without a cgroupsPath each runtime names the cgroup after the id.
ids=("bench-exec-hull-$$" "bench-exec-crun-$$" "bench-exec-runc-$$")

cleanup() {
	for i in "${!runtimes[@]}"; do
		"${managers[$i]}" --root "$work/root-${names[$i]}" delete -f "${ids[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$top/tests/lib/make-bundle.sh" "$work/bundle" sleep 1000 >/dev/null
cat >"$work/crun" <<'EOS'
#!/bin/sh
# crun 1.8 refuses hybrid cgroup hosts: hide the unified hierarchy in a private mount namespace
exec unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
chmod +x "$work/crun"
cat >"$work/process.json" <<'EOS'
{"args": ["true"], "cwd": "/", "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "user": {"uid": 0, "gid": 0}}
EOS

# exec_once N VARIANT: one exec into runtime N's container.
exec_once() {
	local rt=${runtimes[$1]} root=$work/root-${names[$1]} id=${ids[$1]}
	case $2 in
	args) "$rt" --root "$root" exec "$id" true ;;
	process) "$rt" --root "$root" exec --process "$work/process.json" "$id" ;;
	esac
}

# Start every container, then exec once untimed: it checks exec works and warms the caches.
cd "$work/bundle"
for i in "${!runtimes[@]}"; do
	n=${names[$i]}
	"${managers[$i]}" --root "$work/root-$n" run -d "${ids[$i]}" </dev/null >/dev/null 2>"$work/$n.err" ||
		{ echo "$n: run -d failed: $(cat "$work/$n.err")" >&2; exit 1; }
	for v in "${variants[@]}"; do exec_once "$i" "$v"; done
done

# Rounds alternate between runtimes so that machine noise falls on all of them alike.
# $EPOCHREALTIME is read without a fork, so nothing but the runtime runs inside the timed span.
for ((r = 0; r < rounds; r++)); do
	for v in "${variants[@]}"; do
		for i in "${!runtimes[@]}"; do
			t0=${EPOCHREALTIME//[!0-9]/}
			exec_once "$i" "$v"
			t1=${EPOCHREALTIME//[!0-9]/}
			echo $((t1 - t0)) >>"$work/${names[$i]}.$v"
		done
	done
done

# stats FILE: "mean median" in microseconds.
stats() { sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END { printf "%d %d\n", s / NR, (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
read -r ha _ < <(stats "$work/hull.args")
read -r hp _ < <(stats "$work/hull.process")
printf '%-6s %11s %11s %11s %11s %10s %10s\n' runtime "args mean" "args med" "-p mean" "-p med" "args/hull" "-p/hull"
for n in "${names[@]}"; do
	read -r a am < <(stats "$work/$n.args")
	read -r p pm < <(stats "$work/$n.process")
	printf '%-6s %11d %11d %11d %11d %10s %10s\n' "$n" "$a" "$am" "$p" "$pm" "$(ratio "$a" "$ha")" "$(ratio "$p" "$hp")"
done
echo "(microseconds per exec over $rounds rounds; args = exec ID true, -p = exec --process process.json ID;"
echo " ratios are of the means; crun execs without the unshare wrapper its run -d and delete -f need)"
