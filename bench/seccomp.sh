#!/bin/bash
# seccomp.sh - the cost of Docker's default seccomp profile at `run`, in one run: hull with its compiled
# filter cached (the common case), hull compiling it every time (the cache emptied before each run),
# crun and runc; means in microseconds and ratios to cached hull.
# Must never be a pass/fail test: it measures and prints. Usage: bench/seccomp.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-30}
hull=${HULL:-$top/build/hull}
profile=/var/cache/hull/docker-default-seccomp.json
[ -x "$hull" ] || { echo "build hull first (tools/bootstrap.sh) or set HULL=path" >&2; exit 1; }
[ -s "$profile" ] || { echo "no $profile: run tools/bootstrap.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/hull-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$top/tests/lib/make-bundle.sh" "$work/bundle" true >/dev/null
# the engines' conversion: this architecture, the container's capabilities, no engine-only fields
caps=$(jq -c '.process.capabilities.bounding // []' "$work/bundle/config.json")
oci=$(jq -c --argjson caps "$caps" '{defaultAction, architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
	| .architecture, .subArchitectures[]], syscalls: [.syscalls[] | select(((.includes.caps // []) - $caps) == [])
	| select(((.includes.arches // []) | length) == 0 or ((.includes.arches // []) | index(["amd64"]) != null))
	| select(((.excludes.caps // []) | map(select(. as $c | $caps | index([$c]) != null)) | length) == 0)
	| del(.includes, .excludes, .comment)]}' "$profile")
jq --argjson s "$oci" '.linux.seccomp = $s | .ociVersion = "1.0.2"' "$work/bundle/config.json" >"$work/c" && mv "$work/c" "$work/bundle/config.json"
cat >"$work/crun" <<'EOS'
#!/bin/sh
# crun 1.8 refuses hybrid cgroup hosts: hide the unified hierarchy in a private mount namespace
exec unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
chmod +x "$work/crun"
names=(hull-cached hull-compiling crun runc)
bins=("$hull" "$hull" "$work/crun" /usr/sbin/runc)
declare -A total
for n in "${names[@]}"; do total[$n]=0; done
cd "$work/bundle"
for ((r = 0; r < rounds; r++)); do
	for i in "${!names[@]}"; do
		n=${names[$i]} root=$work/root-${names[$i]}
		[ "$n" = hull-compiling ] && rm -rf "$root/.seccomp-cache"
		t0=$EPOCHREALTIME
		"${bins[$i]}" --root "$root" run "s$r" >/dev/null
		t1=$EPOCHREALTIME
		total[$n]=$((total[$n] + ${t1/./} - ${t0/./}))
	done
done
base=$((total[hull-cached] / rounds))
printf '%-15s %12s %10s\n' runtime "run (us)" "/cached"
for n in "${names[@]}"; do
	m=$((total[$n] / rounds))
	printf '%-15s %12d %10s\n' "$n" "$m" "$(awk "BEGIN{printf \"%.2f\", $m/$base}")"
done
echo "(run of /bin/true under Docker's default profile, $(jq '.syscalls | length' <<<"$oci") rules; the crun column includes its unshare wrapper)"
