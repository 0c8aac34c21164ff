#!/bin/bash
# lifecycle.sh - hull beside crun and runc on one busybox bundle, in one run: the wall time of
# `run` (create+start+wait+delete) and of create/start/delete done separately, as ratios to hull.
# Must never be a pass/fail test: it measures and prints. Usage: bench/lifecycle.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-50}
work=$(mktemp -d /tmp/hull-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$top/tests/lib/make-bundle.sh" "$work/bundle" true >/dev/null
cat >"$work/crun" <<'EOS'
#!/bin/sh
# crun 1.8 refuses hybrid cgroup hosts: hide the unified hierarchy in a private mount namespace
exec unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
chmod +x "$work/crun"

runtimes=("$top/build/hull" "$work/crun" /usr/sbin/runc)
names=(hull crun runc)
[ -x "$top/build/hull" ] || { echo "build hull first (tools/bootstrap.sh)" >&2; exit 1; }

now() { date +%s%N; }

# Rounds alternate between runtimes so that machine noise falls on all of them alike.
declare -A total
for n in "${names[@]}"; do total[$n,run]=0; total[$n,cycle]=0; done
cd "$work/bundle"
for ((r = 0; r < rounds; r++)); do
	for i in "${!runtimes[@]}"; do
		rt=${runtimes[$i]} n=${names[$i]}
		root="$work/root-$n"
		t0=$(now)
		"$rt" --root "$root" run "b$r" >/dev/null
		t1=$(now)
		"$rt" --root "$root" create "c$r" >/dev/null
		"$rt" --root "$root" start "c$r" >/dev/null
		until [[ $("$rt" --root "$root" state "c$r") == *'"status": "stopped"'* ]]; do :; done
		t2=$(now)
		"$rt" --root "$root" delete "c$r" >/dev/null
		t3=$(now)
		total[$n,run]=$((total[$n,run] + (t1 - t0) / 1000))
		total[$n,cycle]=$((total[$n,cycle] + (t3 - t1) / 1000))
	done
done
printf '%-6s %14s %14s %12s %12s\n' runtime "run (us)" "cycle (us)" "run/hull" "cycle/hull"
for n in "${names[@]}"; do
	run=$((total[$n,run] / rounds)) cyc=$((total[$n,cycle] / rounds))
	hr=$((total[hull,run] / rounds)) hc=$((total[hull,cycle] / rounds))
	printf '%-6s %14d %14d %12s %12s\n' "$n" "$run" "$cyc" "$(awk "BEGIN{printf \"%.2f\", $run/$hr}")" \
		"$(awk "BEGIN{printf \"%.2f\", $cyc/$hc}")"
done
echo "(cycle = create + start + state polls until stopped + delete; the crun column includes its unshare wrapper)"
