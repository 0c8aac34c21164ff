#!/bin/bash
# runtime.sh - hull beside crun, runc and the kernel's floor (bench/floor.c) on one busybox bundle, round by round
# interleaved: lifecycle, run (also with Docker's seccomp profile), exec, peak RSS, start-up, binaries, 200 containers;
# medians, p10-p90 and ratios in bench/results/runtime.md, a plot in bench/results/runtime.png.
# Must never leave a container, process, cgroup or mount behind (on success, failure or ^C), nor be a pass/fail test.
# Usage: bench/runtime.sh [ROUNDS]        (default 200; SCALE=N containers in the scale part, default 200)
#        bench/runtime.sh --vm [ROUNDS]   the same inside tests/vmlane's pure cgroup v2 VM: ratios only, in
#                                         bench/results/runtime-v2.md (default 40 rounds, SCALE 40: it is emulated)
# HULL=path picks the hull binary, BUILD=dir the build directory of hull-floor and hull-bench-driver (default build).
set -euo pipefail
export LC_ALL=C # bytes, not characters (the seccomp cache entry), and the same sort everywhere
top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/bench/runtime.sh
build=${BUILD:-$top/build}
hull=${HULL:-$build/hull}
floor=$build/bench/hull-floor
driver=$build/bench/hull-bench-driver
profile=/var/cache/hull/docker-default-seccomp.json
crun_bin=/usr/bin/crun
runc_bin=/usr/sbin/runc

mode=host
case ${1:-} in
--vm) mode=vm; shift ;;
--in-vm) mode=in-vm; shift ;;
esac
# the VM is emulated (TCG without KVM): some twenty times slower, so fewer rounds and containers by default
if [ "$mode" = host ]; then rounds=${1:-200} scale=${SCALE:-200}; else rounds=${1:-40} scale=${SCALE:-40}; fi
[[ $rounds =~ ^[1-9][0-9]*$ && $scale =~ ^[1-9][0-9]*$ ]] || { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
results=$top/bench/results

# ---------------------------------------------------------------------------------------------------------------
# what it needs: runc, crun, busybox, jq, Docker's profile, gnuplot, and the build (tools/bootstrap.sh makes all)

if [ -z "${HULL_BENCH_CMDLINE:-}" ]; then
	export HULL_BENCH_CMDLINE="bench/runtime.sh${*:+ $*}"
	[ "$mode" = vm ] && HULL_BENCH_CMDLINE="bench/runtime.sh --vm${*:+ $*}"
	[ "$(id -u)" = 0 ] || { echo "runtime.sh: run it as root" >&2; exit 1; }
	missing=()
	for f in "$runc_bin" "$crun_bin" /usr/bin/jq /bin/busybox "$profile"; do
		[ -e "$f" ] || missing+=("$f")
	done
	[ "$mode" = vm ] || command -v gnuplot >/dev/null || missing+=(gnuplot)
	[ -f "$build/build.ninja" ] || missing+=("$build")
	if [ ${#missing[@]} -gt 0 ]; then
		echo "runtime.sh: missing ${missing[*]}: installing and building with tools/bootstrap.sh --tests" >&2
		"$top/tools/bootstrap.sh" --tests "$build"
	fi
	command -v gnuplot >/dev/null || [ "$mode" = vm ] ||
		{ echo "runtime.sh: no gnuplot for the plot: apt-get install gnuplot-nox" >&2; exit 1; }
	ninja -C "$build" >/dev/null
	for f in "$hull" "$floor" "$driver"; do
		[ -x "$f" ] || { echo "runtime.sh: $f missing (a build with bench/meson.build)" >&2; exit 1; }
	done
fi

if [ "$mode" = vm ]; then
	# the same script inside the VM, on this tree (vm-run.sh shares the current directory read-write)
	cd "$top"
	# vm-run.sh uses KVM only with real VT-x/AMD-V, else TCG: the emulation the table's note names
	HULL_BENCH_VM="QEMU with $([ -w /dev/kvm ] && echo "KVM (if the host has VT-x/AMD-V)" || echo "TCG (no /dev/kvm: emulated)")"
	export HULL_BENCH_VM
	export VMLANE_ENV="${VMLANE_ENV:-CI} HULL_BENCH_CMDLINE HULL_BENCH_VM HULL BUILD SCALE"
	# an emulated run of 3 x $scale containers takes long and holds them all at once
	export VMLANE_TIMEOUT=${VMLANE_TIMEOUT:-7200} VMLANE_MEM=${VMLANE_MEM:-4096}
	exec "$top/tests/vmlane/vm-run.sh" -- "$self" --in-vm "$rounds"
fi

# ---------------------------------------------------------------------------------------------------------------
# one private mount namespace for the whole run: on a hybrid host without its unified hierarchy, so that crun (which
# refuses hybrid cgroups) needs no wrapper and all runtimes see the same layout

# Under the driver as a subreaper: a container's init outlives the runtime that made it, and this host's init does
# not reap (it would stay a zombie); the driver also kills and reports any process still alive at the end.
if [ "${HULL_BENCH_IN_NS:-}" != 1 ]; then
	export HULL_BENCH_IN_NS=1
	args=("$rounds")
	[ "$mode" = in-vm ] && args=(--in-vm "$rounds")
	exec unshare -m --propagation private -- "$driver" reap -- "$self" "${args[@]}"
fi
how_ns="one private mount namespace (\`unshare -m --propagation private\`, the script re-executing itself under hull-bench-driver as a subreaper)"
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
	layout="cgroup v2"
	how_ns+=" on a pure cgroup v2 host: nothing to hide"
elif [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	# An empty tmpfs of the namespace's own in its place: crun writes ID/cgroup.procs into whatever directory is
	# there, and on the host's /sys/fs/cgroup tmpfs that would stay behind, hidden under the unified mount.
	umount /sys/fs/cgroup/unified
	mount -t tmpfs -o size=4m,mode=755 hull-bench /sys/fs/cgroup/unified
	layout="cgroup v1 (hybrid host, its unified hierarchy hidden)"
	how_ns+=" in which /sys/fs/cgroup/unified (the hybrid host's cgroup2, holding only hugetlb) was unmounted and an
empty tmpfs put in its place (crun writes ID/cgroup.procs files there, which die with the namespace): crun 1.8
refuses hybrid cgroups, and so hull, crun, runc and the floor all ran the same way, on the v1 hierarchies alone, none
wrapped in anything"
else
	layout="cgroup v1"
fi

work=$(mktemp -d /tmp/hull-bench.XXXXXX)
data=$work/data
# Every container id (and the floor's cgroup) starts with $id-NAME-: the cleanup finds what is left by it. Each runtime
# names its cgroups after the id, so one id in two runtimes at once would share (and skew) their cgroups.
id=hb$$
mkdir "$data" "$work/roots"
# The runtimes' state (--root) on a tmpfs of the namespace's own, as /run is on a standard host: on a disk each
# create's new inodes and each delete's freed blocks cost what the host's filesystem makes them cost (on this
# project's ext4 VM, mounted discard without a journal, a fifth of a hull run's CPU), which is not the runtime's.
mount -t tmpfs -o mode=700,size=64m hull-bench-roots "$work/roots"
how_ns+=". The runtimes' --root directories were on a tmpfs mounted in that namespace, as /run is on a standard host"
runtimes=(hull crun runc)

# rt NAME: the runtime's command line (each with a --root of its own), in the array R
rt() {
	case $1 in
	hull) R=("$hull" --root "$work/roots/root-hull") ;;
	hull-nocache) R=("$hull" --root "$work/roots/root-hull-nocache") ;;
	crun) R=("$crun_bin" --root "$work/roots/root-crun") ;;
	runc) R=("$runc_bin" --root "$work/roots/root-runc") ;;
	esac
}

# Containers first, with each runtime; then what is still in a cgroup of ours (a runtime killed half-way) is killed,
# and the cgroups named after us are removed.
cleanup() {
	local n c dirs=()
	trap '' INT TERM # a second ^C must not stop the cleanup half-way
	for n in "${runtimes[@]}" hull-nocache; do
		rt "$n"
		[ -d "$work/roots/root-$n" ] || continue
		for c in $("${R[@]}" list -q 2>/dev/null); do
			"${R[@]}" delete -f "$c" >/dev/null 2>&1 || true
		done
	done
	# (no -mindepth: it would keep -prune from seeing the unified directory, at depth 1)
	mapfile -t dirs < <(find /sys/fs/cgroup -maxdepth 5 -path /sys/fs/cgroup/unified -prune \
		-o -type d -name "$id-*" -print 2>/dev/null)
	if [ ${#dirs[@]} -gt 0 ]; then
		cat "${dirs[@]/%//cgroup.procs}" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
		for c in "${dirs[@]}"; do
			for _ in 1 2 3 4 5; do rmdir "$c" 2>/dev/null && break; sleep 0.1; done
		done
	fi
	umount "$work/roots" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "runtime.sh: $1 failed:" >&2
	tail -n 20 "$work/errors" >&2 || true
	exit 1
}

# timed FILE CMD...: CMD once through the driver; "<us> <peak RSS KiB>" appended to $data/FILE
timed() {
	local f=$1
	shift
	"$driver" time "$data/$f" -- "$@" </dev/null >/dev/null 2>>"$work/errors" || fail "$f: $*"
}

# rotated R NAME...: the names, the R-th first (modulo), in the array ORDER: rounds rotate who goes first, so that
# no runtime always follows the same one (and the kernel's deferred work it leaves, such as a network namespace's)
rotated() {
	local r=$1 k
	shift
	ORDER=()
	for ((k = 0; k < $#; k++)); do ORDER+=("${@:$(((r + k) % $# + 1)):1}"); done
}

progress() { printf '\r%-60s' "runtime.sh: $*" >&2; }

# ---------------------------------------------------------------------------------------------------------------
# the bundles: /bin/true with runc's default config (which `hull spec` writes too); the same with Docker's default
# seccomp profile as the engines convert it; `sleep 1000` for exec and the scale part

"$top/tests/lib/make-bundle.sh" "$work/true" true >/dev/null
"$top/tests/lib/make-bundle.sh" "$work/sleep" sleep 1000 >/dev/null
cp -a "$work/true" "$work/seccomp"
# the engines' conversion: this architecture, the container's capabilities, no engine-only fields
caps=$(jq -c '.process.capabilities.bounding // []' "$work/true/config.json")
seccomp=$(jq -c --argjson caps "$caps" '{defaultAction, architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
	| .architecture, .subArchitectures[]], syscalls: [.syscalls[] | select(((.includes.caps // []) - $caps) == [])
	| select(((.includes.arches // []) | length) == 0 or ((.includes.arches // []) | index(["amd64"]) != null))
	| select(((.excludes.caps // []) | map(select(. as $c | $caps | index([$c]) != null)) | length) == 0)
	| del(.includes, .excludes, .comment)]}' "$profile")
jq --argjson s "$seccomp" '.linux.seccomp = $s' "$work/true/config.json" >"$work/seccomp/config.json"
seccomp_rules=$(jq -r '"\([.syscalls[].names | length] | add) system calls in \(.syscalls | length) rules"' <<<"$seccomp")
cat >"$work/process.json" <<'EOS'
{"args": ["true"], "cwd": "/", "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "user": {"uid": 0, "gid": 0}}
EOS

# One untimed run each: it checks that all work here, and fills the caches (page cache, hull's seccomp cache).
for n in "${runtimes[@]}"; do
	rt "$n"
	timed warmup "${R[@]}" run --bundle "$work/true" "$id-$n-w"
	timed warmup "${R[@]}" run --bundle "$work/seccomp" "$id-$n-w"
done
timed warmup "$floor" run --name "$id-floor" "$work/true"
# The floor loads the filter hull compiled: the program after the profile text's NUL in hull's cache entry
# (src/lib/seccomp/compile.c: magic, libseccomp line, profile text, NUL, instructions).
# (No `| head` in this script: with pipefail, a writer killed by SIGPIPE would end the run.)
entry=$(find "$work/roots/root-hull/.seccomp-cache" -name '*.bpf' -print -quit)
if [ -z "$entry" ] || ! IFS= read -r -d '' text <"$entry"; then fail "finding hull's compiled seccomp filter"; fi
tail -c +$((${#text} + 2)) "$entry" >"$work/seccomp.bpf"
timed warmup "$floor" run --name "$id-floor" --seccomp "$work/seccomp.bpf" "$work/seccomp"

# ---------------------------------------------------------------------------------------------------------------
# 1-3: lifecycle, run, run with seccomp, exec; 4: --version; rounds interleaved

# each_round LABEL STEP NAME...: `STEP NAME` for every name, $rounds times, the order rotating
each_round() {
	local label=$1 step=$2 r n
	shift 2
	for ((r = 0; r < rounds; r++)); do
		progress "$label $((r + 1))/$rounds"
		rotated "$r" "$@"
		for n in "${ORDER[@]}"; do "$step" "$n"; done
	done
}

lifecycle_once() {
	if [ "$1" = floor ]; then
		timed lifecycle.floor "$floor" run --name "$id-floor" "$work/true"
		return
	fi
	rt "$1"
	"$driver" lifecycle "$data/lifecycle.$1" "$work/true" "$id-$1-l" -- "${R[@]}" </dev/null >/dev/null \
		2>>"$work/errors" || fail "lifecycle of $1"
}

run_once() {
	if [ "$1" = floor ]; then
		timed run.floor "$floor" run --name "$id-floor" "$work/true"
		return
	fi
	rt "$1"
	timed "run.$1" "${R[@]}" run --bundle "$work/true" "$id-$1-r"
}

# hull twice: with its filter cache (the common case) and compiling each time (hull-nocache: its cache emptied)
seccomp_once() {
	if [ "$1" = floor ]; then
		timed seccomp.floor "$floor" run --name "$id-floor" --seccomp "$work/seccomp.bpf" "$work/seccomp"
		return
	fi
	[ "$1" = hull-nocache ] && rm -rf "$work/roots/root-hull-nocache/.seccomp-cache"
	rt "$1"
	timed "seccomp.$1" "${R[@]}" run --bundle "$work/seccomp" "$id-$1-s"
}

# exec ID true and exec --process (the engines' form) into one running container per runtime (made by part_exec);
# the floor joins hull's container: the kernel's work is the same whoever started it
exec_once() {
	if [ "$1" = floor ]; then
		timed exec.floor "$floor" exec "$(cat "$work/exec-hull.pid")"
		return
	fi
	rt "$1"
	timed "exec.$1" "${R[@]}" exec "$id-$1-x" true
	timed "exec-p.$1" "${R[@]}" exec --process "$work/process.json" "$id-$1-x"
}

part_exec() {
	local n
	for n in "${runtimes[@]}"; do
		rt "$n"
		timed exec-setup "${R[@]}" create --bundle "$work/sleep" --pid-file "$work/exec-$n.pid" "$id-$n-x"
		timed exec-setup "${R[@]}" start "$id-$n-x"
	done
	each_round exec exec_once "${runtimes[@]}" floor
	for n in "${runtimes[@]}"; do
		rt "$n"
		timed exec-setup "${R[@]}" delete -f "$id-$n-x"
	done
}

# the floor's --version: the start of a small C program that does nothing, the floor of any command's start-up
version_once() {
	if [ "$1" = floor ]; then
		timed version.floor "$floor" --version
		return
	fi
	rt "$1"
	timed "version.$1" "${R[0]}" --version
}

# ---------------------------------------------------------------------------------------------------------------
# 5: $scale containers per runtime, created and started one by one (each create timed: does it grow with the number
# of containers?), deleted one by one; then again 8 at a time (xargs -P8, in chunks alternating between the
# runtimes), wall times

# wall CMD...: CMD's wall time in microseconds, on stdout (CMD reads the caller's stdin)
wall() {
	local t0=${EPOCHREALTIME//[!0-9]/}
	"$@" >/dev/null 2>>"$work/errors" || fail "$*"
	echo $((${EPOCHREALTIME//[!0-9]/} - t0))
}

# each_container LABEL STEP: `STEP NAME I` for the containers I = 1..$scale of every runtime, the order rotating
each_container() {
	local i n
	for ((i = 1; i <= scale; i++)); do
		progress "$1 $i/$scale"
		rotated "$i" "${runtimes[@]}"
		for n in "${ORDER[@]}"; do "$2" "$n" "$i"; done
	done
}

# each_chunk LABEL STEP: `STEP NAME IDS` for chunks of $chunk ids (one a line), the runtimes alternating chunk by chunk
each_chunk() {
	local first last n
	for ((first = 1; first <= scale; first += chunk)); do
		last=$((first + chunk - 1 > scale ? scale : first + chunk - 1))
		progress "$1 $last/$scale"
		for n in "${runtimes[@]}"; do "$2" "$n" "$(seq -f "$id-$n-p%g" "$first" "$last")"; done
	done
}
chunk=40

create_start_one() {
	rt "$1"
	timed "scale-create.$1" "${R[@]}" create --bundle "$work/sleep" "$id-$1-s$2"
	timed "scale-start.$1" "${R[@]}" start "$id-$1-s$2"
}
delete_one() {
	rt "$1"
	timed "scale-delete.$1" "${R[@]}" delete -f "$id-$1-s$2"
}
create_start_8() {
	rt "$1"
	wall xargs -P8 -n1 "${R[@]}" create --bundle "$work/sleep" <<<"$2" >>"$data/par-create.$1"
	wall xargs -P8 -n1 "${R[@]}" start <<<"$2" >>"$data/par-start.$1"
}
delete_8() {
	rt "$1"
	wall xargs -P8 -n1 "${R[@]}" delete -f <<<"$2" >>"$data/par-delete.$1"
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
t_start=$SECONDS
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
each_round lifecycle lifecycle_once "${runtimes[@]}" floor
each_round run run_once "${runtimes[@]}" floor
each_round "run with seccomp" seccomp_once "${runtimes[@]}" hull-nocache floor
part_exec
each_round --version version_once "${runtimes[@]}" floor
each_container "scale: containers" create_start_one
each_container "scale: deleting" delete_one
each_chunk "scale, 8 at a time: containers" create_start_8
each_chunk "scale, 8 at a time: deleting" delete_8
progress "done in $((SECONDS - t_start)) s"
took=$(((SECONDS - t_start + 30) / 60))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo >&2

# ---------------------------------------------------------------------------------------------------------------
# figures

# stats FILE [COL]: "median p10 p90 mean" of a column (default 1) in ms, or "? ? ? ?" without the file
stats() {
	[ -s "$1" ] || { echo "? ? ? ?"; return; }
	awk -v c="${2:-1}" '{ print $c }' "$1" | sort -n | awk '
		function rank(p,   i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
		{ v[NR] = $1; s += $1 }
		END { printf "%.2f %.2f %.2f %.2f\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2000,
		      rank(0.1) / 1000, rank(0.9) / 1000, s / NR / 1000 }'
}
# ratio A B: A/B with two decimals, "-" when either is missing
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "?" || b == "?" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }
# cell FILE [COL]: "median [p10–p90]" or "-"
cell() {
	local m lo hi _
	read -r m lo hi _ < <(stats "$@")
	if [ "$m" = "?" ]; then echo "-"; else echo "$m [$lo–$hi]"; fi
}
median() { local m _; read -r m _ < <(stats "$@"); echo "$m"; }
# rss_median FILE COL: the median of a peak RSS column (KiB) in MiB, or "-"
rss_median() {
	[ -s "$1" ] || { echo "-"; return; }
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f\n", v[int((NR + 1) / 2)] / 1024 }'
}
# sum FILE: the total of column 1, in ms
sum_ms() { awk '{ s += $1 } END { printf "%.0f\n", s / 1000 }' "$1"; }
# fit_ends FILE: "<at the first> <at the last>" of the least-squares line through column 1 (ms) against the row number:
# the cost of the first and of the last create, from all of them rather than from a few noisy ones
fit_ends() {
	awk '{ x = NR; y = $1 / 1000; sx += x; sy += y; sxx += x * x; sxy += x * y }
		END { b = NR > 1 ? (NR * sxy - sx * sy) / (NR * sxx - sx * sx) : 0; a = (sy - b * sx) / NR
		      printf "%.2f %.2f\n", a + b, a + b * NR }' "$1"
}
# median_rows FILE FROM TO: the median of column 1 over rows FROM..TO, in ms
median_rows() { sed -n "$2,$3p" "$1" >"$work/rows" && median "$work/rows"; }
yes_no() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "-"; else print (v <= t ? "met" : "**not met**") }'; }

# operation rows: label, data file stem, column, the floor's stem
ops=("lifecycle (create, start, wait, delete)|lifecycle|1|lifecycle"
	"run|run|1|run"
	"run, Docker's seccomp profile|seccomp|1|seccomp"
	"exec ID true|exec|1|exec"
	"exec --process|exec-p|1|exec"
	"--version|version|1|version")

kernel=$(uname -r)
v2=0
[ "$mode" = in-vm ] && v2=1
out=$results/runtime.md
[ "$v2" = 1 ] && out=$results/runtime-v2.md
mkdir -p "$results"
{
	if [ "$v2" = 1 ]; then
		echo "# Runtimes on cgroup v2, in the VM lane: hull beside crun, runc and the floor ($started, $kernel, $(nproc) vCPUs)"
		echo
		echo "Ratios only: the VM (tests/vmlane/vm-run.sh, lane A: no systemd, cgroup2 on /sys/fs/cgroup) ran under"
		echo "${HULL_BENCH_VM:-QEMU}, so its absolute times say little. There the floor (and hull) place a container"
		echo "with CLONE_INTO_CGROUP instead of writing cgroup.procs in every v1 hierarchy."
	else
		echo "# Runtimes: hull beside crun, runc and the kernel's floor ($started, $kernel, $(nproc) cores)"
	fi
	echo
	echo "Command: \`$HULL_BENCH_CMDLINE\` ($rounds interleaved rounds per operation, the order rotating each round, after"
	echo "one untimed run of each; $scale containers per runtime in the scale part; $took min). Cgroups: $layout."
	echo "Load average (1, 5, 15 min) at the start: $load_start, at the end: $load_end: what else ran on the machine"
	echo "shows in the spreads; the interleaving gives it to all runtimes alike."
	echo
	echo "How they ran: $how_ns. Each runtime had its own \`--root\`; the bundle is tests/lib/make-bundle.sh's busybox"
	echo "with runc's default config (the one \`hull spec\` writes), running /bin/true. Every command was started by"
	echo "bench/driver.c (posix_spawn, CLOCK_MONOTONIC, peak RSS from wait4), so no shell is in the times."
	echo
	echo "Runtimes: hull $("$hull" --version | sed -n '1s/.* //p') (commit $("$hull" --version | sed -n 's/^commit: //p')),"
	echo "$("$crun_bin" --version | sed -n 1p), $("$runc_bin" --version | sed -n 1p); the floor is bench/floor.c (below)."
	echo
	if [ "$v2" = 1 ]; then
		echo "| operation | hull/crun | hull/runc | hull/floor |"
		echo "|---|---|---|---|"
	else
		echo "## Times (ms): median [p10–p90]"
		echo
		echo "| operation | hull | crun | runc | floor | hull/crun | hull/runc | hull/floor |"
		echo "|---|---|---|---|---|---|---|---|"
	fi
	for op in "${ops[@]}"; do
		IFS='|' read -r label stem col fstem <<<"$op"
		h=$(median "$data/$stem.hull" "$col")
		c=$(median "$data/$stem.crun" "$col")
		u=$(median "$data/$stem.runc" "$col")
		f=$( [ -n "$fstem" ] && median "$data/$fstem.floor" || echo "?")
		if [ "$v2" = 1 ]; then
			echo "| $label | $(ratio "$h" "$c") | $(ratio "$h" "$u") | $(ratio "$h" "$f") |"
		else
			echo "| $label | $(cell "$data/$stem.hull" "$col") | $(cell "$data/$stem.crun" "$col") |" \
				"$(cell "$data/$stem.runc" "$col") | $( [ -n "$fstem" ] && cell "$data/$fstem.floor" || echo -) |" \
				"$(ratio "$h" "$c") | $(ratio "$h" "$u") | $(ratio "$h" "$f") |"
		fi
	done
	hn=$(median "$data/seccomp.hull-nocache")
	echo
	echo "Seccomp: Docker's default profile converted as the engines do ($seccomp_rules). hull loads the filter it"
	echo "compiled at the untimed first run from its cache (ROOT/.seccomp-cache, the common case); compiling it"
	nocache="$(cell "$data/seccomp.hull-nocache") ms, "
	[ "$v2" = 1 ] && nocache="" # ratios only
	echo "every time (the cache emptied before each run) it takes $nocache$(ratio "$hn" "$(median "$data/seccomp.crun")") × crun."
	echo "The floor loads hull's compiled program. The floor's lifecycle is its \`run\`: it keeps no state between steps."
	if [ "$v2" = 0 ]; then
		echo
		echo "Lifecycle by step (median ms): create / start / wait for the exit / delete"
		echo
		for n in "${runtimes[@]}"; do
			echo "- $n: $(median "$data/lifecycle.$n" 2) / $(median "$data/lifecycle.$n" 3) / $(median "$data/lifecycle.$n" 4) / $(median "$data/lifecycle.$n" 5)"
		done
	fi
	echo
	echo "## Targets (hull's medians)"
	echo
	for op in "lifecycle|lifecycle" "run|run" "exec|exec"; do
		IFS='|' read -r label stem <<<"$op"
		h=$(median "$data/$stem.hull")
		rc=$(ratio "$h" "$(median "$data/$stem.crun")")
		rf=$(ratio "$h" "$(median "$data/$stem.floor")")
		echo "- $label: hull/crun $rc (≤ 0.50: $(yes_no "$rc" 0.5)), hull/floor $rf (≤ 1.30: $(yes_no "$rf" 1.3))"
	done
	# not a target: what the floor would cost as three commands
	f3=$(awk -v r="$(median "$data/lifecycle.floor")" -v v="$(median "$data/version.floor")" \
		'BEGIN { if (r == "?" || v == "?") print "?"; else printf "%.2f", r + 2 * v }')
	f3ms=", $f3 ms,"
	[ "$v2" = 1 ] && f3ms="" # ratios only
	echo "  (a lifecycle is three runtime commands where the floor's run is one process: against the floor's run plus"
	echo "  two of its start-ups (--version)$f3ms hull's lifecycle is $(ratio "$(median "$data/lifecycle.hull")" "$f3") ×)"
	if [ "$v2" = 0 ]; then
		for step in "create|lifecycle|6" "run|run|2" "exec|exec|2"; do
			IFS='|' read -r label stem col <<<"$step"
			h=$(rss_median "$data/$stem.hull" "$col")
			c=$(rss_median "$data/$stem.crun" "$col")
			echo "- peak RSS of $label: hull $h MiB, crun $c MiB (hull ≤ crun: $(yes_no "$(ratio "$h" "$c")" 1))"
		done
	fi
	read -r first last < <(fit_ends "$data/scale-create.hull")
	gr=$(ratio "$last" "$first")
	echo "- create of the ${scale}th container against the first (least-squares line through all $scale): $gr" \
		"(≤ 1.10: $(yes_no "$gr" 1.1))"
	echo
	if [ "$v2" = 0 ]; then
		echo "## Peak RSS (MiB, median of the runtime process's ru_maxrss) and start-up"
		echo
		echo "| runtime | create | run | exec | --version (ms) | binary (MiB) | libraries |"
		echo "|---|---|---|---|---|---|---|"
		for n in "${runtimes[@]}" floor; do
			case $n in
			floor) bin=$floor ;;
			*) rt "$n"; bin=${R[0]} ;;
			esac
			libs=$(ldd "$bin" 2>/dev/null | awk '$1 !~ /vdso|ld-linux/ { sub(/\.so.*/, "", $1); print $1 }' | paste -sd ' ' -)
			size=$(awk -v s="$(stat -L -c %s "$bin")" 'BEGIN { printf "%.2f", s / 1048576 }')
			if [ "$n" = floor ]; then
				echo "| floor | - | $(rss_median "$data/run.floor" 2) | $(rss_median "$data/exec.floor" 2) |" \
					"$(cell "$data/version.floor") | $size | ${libs:-static} |"
			else
				echo "| $n | $(rss_median "$data/lifecycle.$n" 6) | $(rss_median "$data/run.$n" 2) |" \
					"$(rss_median "$data/exec.$n" 2) | $(cell "$data/version.$n") | $size | ${libs:-static} |"
			fi
		done
		echo
		echo "Peak RSS is wait4's ru_maxrss of the runtime process (with the children it reaped itself)."
		echo
	fi
	echo "## Scale: $scale containers per runtime (\`sleep 1000\`), all running at once"
	echo
	if [ "$v2" = 1 ]; then
		echo "| | hull/crun | hull/runc |"
		echo "|---|---|---|"
	else
		echo "| | hull | crun | runc | hull/crun | hull/runc |"
		echo "|---|---|---|---|---|---|"
	fi
	for row in "create + start, one by one (s)|scale-create scale-start" "delete -f, one by one (s)|scale-delete" \
		"create + start, 8 at a time (s)|par-create par-start" "delete -f, 8 at a time (s)|par-delete"; do
		IFS='|' read -r label stems <<<"$row"
		vals=()
		for n in "${runtimes[@]}"; do
			t=0
			for s in $stems; do t=$((t + $(sum_ms "$data/$s.$n"))); done
			vals+=("$(awk -v t="$t" 'BEGIN { printf "%.2f", t / 1000 }')")
		done
		if [ "$v2" = 1 ]; then
			echo "| $label | $(ratio "${vals[0]}" "${vals[1]}") | $(ratio "${vals[0]}" "${vals[2]}") |"
		else
			echo "| $label | ${vals[0]} | ${vals[1]} | ${vals[2]} | $(ratio "${vals[0]}" "${vals[1]}") | $(ratio "${vals[0]}" "${vals[2]}") |"
		fi
	done
	fits=() meds=()
	k=$((scale < 40 ? scale / 2 : 20)) # the rows of each end for the medians
	for n in "${runtimes[@]}"; do
		read -r first last < <(fit_ends "$data/scale-create.$n")
		fits+=("$first → $last ms ($(ratio "$last" "$first"))")
		first=$(median_rows "$data/scale-create.$n" 1 "$k")
		last=$(median_rows "$data/scale-create.$n" $((scale - k + 1)) "$scale")
		meds+=("$first → $last ms ($(ratio "$last" "$first"))")
	done
	if [ "$v2" = 1 ]; then
		echo
		echo "Create of the ${scale}th container against the first, each runtime against itself (least-squares line):"
		echo "hull (${fits[0]##*(}, crun (${fits[1]##*(}, runc (${fits[2]##*(}; medians of the last $k against the first $k:"
		echo "hull (${meds[0]##*(}, crun (${meds[1]##*(}, runc (${meds[2]##*(}"
	else
		echo "| create: 1st → ${scale}th (least-squares line) | ${fits[0]} | ${fits[1]} | ${fits[2]} | | |"
		echo "| create: median of 1–$k → of $((scale - k + 1))–$scale | ${meds[0]} | ${meds[1]} | ${meds[2]} | | |"
	fi
	echo
	echo "One by one: each runtime's containers are made in turn (hull's 1st, crun's 1st, runc's 1st, hull's 2nd,"
	echo "...), so at the end $((3 * scale)) containers run on the host. 8 at a time: xargs -P8 over chunks of $chunk ids, the"
	echo "runtimes alternating chunk by chunk; the times are the sums of the chunks' wall times."
	echo
	cat <<-'EOS'
	## The floor (bench/floor.c)

	hull-floor does only the kernel's part of the same container start, with everything the config says written into
	the program: no JSON, no state directory, no exec FIFO, no second process for `start`. `run`: mkdir of the
	container's cgroup in every hierarchy under its own (the cpuset copied from the parent, the devices rules: deny all,
	then the default allow list; on cgroup v2 the same rules as a BPF_PROG_TYPE_CGROUP_DEVICE program), clone3 into
	new pid, network, ipc, uts and mount namespaces (on v2 with CLONE_INTO_CGROUP, on v1 the pid is written to every
	cgroup.procs while the child waits on a pipe), a new session and session keyring, / made rslave, the rootfs bound
	onto itself, /proc, /dev (tmpfs), /dev/pts, /dev/shm, /dev/mqueue, /sys (read-only), /sys/fs/cgroup (a tmpfs with a
	read-only bind of the container's own cgroup of each v1 hierarchy; on v2 a bind of its cgroup), the six default
	devices and the /dev links, the read-only and masked paths that exist, pivot_root and detach of the old root, the
	root remounted read-only, the hostname, RLIMIT_NOFILE, the bounding set, user 0:0, the capabilities, no_new_privs,
	(the seccomp filter), execve of /bin/true, wait, rmdir of the cgroups. `exec`: setns into the pid namespace of the
	container's init, clone3 (on v2 into its cgroup; on v1 written into each cgroup.procs), setns into its other
	namespaces, a new session, the same rlimit, capabilities and no_new_privs, execve, wait.
	It does not: parse or validate anything, write state, hooks, the exec FIFO handshake between create and start,
	resolve paths safely inside the rootfs (openat2), chown the devices, check for mount races, handle a terminal,
	a user namespace or other configs than this one. It is the limit that a runtime reaches only by doing nothing but
	the kernel's part; its process start (fork, exec, dynamic linking) is in its times as the runtimes' are in theirs.
	EOS
	if [ "$v2" = 0 ]; then
		echo
		echo "Plot: bench/results/runtime.png (medians with p10–p90 bars; the scale part's create times by container)."
	fi
} >"$out"

# ---------------------------------------------------------------------------------------------------------------
# the plot (the host only): bars of the medians with p10-p90, and each create's time in the scale part

if [ "$v2" = 0 ]; then
	{
		for op in "${ops[@]}"; do
			IFS='|' read -r label stem col fstem <<<"$op"
			printf '"%s"' "${label%% (*}"
			for n in "${runtimes[@]}"; do read -r m lo hi _ < <(stats "$data/$stem.$n" "$col"); printf ' %s %s %s' "$m" "$lo" "$hi"; done
			if [ -n "$fstem" ]; then read -r m lo hi _ < <(stats "$data/$fstem.floor"); else m='?' lo='?' hi='?'; fi
			printf ' %s %s %s\n' "$m" "$lo" "$hi"
		done
	} >"$work/bars.dat"
	paste <(seq 1 "$scale") <(awk '{ print $1 / 1000 }' "$data/scale-create.hull") \
		<(awk '{ print $1 / 1000 }' "$data/scale-create.crun") <(awk '{ print $1 / 1000 }' "$data/scale-create.runc") \
		>"$work/scale.dat"
	# the least-squares lines, from the first container to the last
	for n in "${runtimes[@]}"; do fit_ends "$data/scale-create.$n"; done |
		awk -v n="$scale" '{ a[NR] = $1; b[NR] = $2 } END { print 1, a[1], a[2], a[3]; print n, b[1], b[2], b[3] }' \
		>"$work/fit.dat"
	gnuplot <<-EOS
	set terminal pngcairo size 1500,620 font "sans,10"
	set output "$results/runtime.png"
	set datafile missing "?"
	set multiplot layout 1,2 title "hull, crun, runc and the kernel's floor ($started, $kernel): $HULL_BENCH_CMDLINE"
	set title "median with p10–p90, $rounds interleaved rounds"
	set ylabel "ms"
	set style data histograms
	set style histogram errorbars gap 1 lw 1
	set style fill solid 0.8 border -1
	set key top left
	set yrange [0:*]
	set xtics rotate by -20
	plot "$work/bars.dat" using 2:3:4:xtic(1) title "hull" lc rgb "#1b9e77", \
	     "" using 5:6:7 title "crun" lc rgb "#d95f02", \
	     "" using 8:9:10 title "runc" lc rgb "#7570b3", \
	     "" using 11:12:13 title "floor" lc rgb "#999999"
	unset style
	set style data lines
	set title "scale: each create while N containers of each runtime run (dashed: least-squares lines)"
	set xlabel "container N"
	set xtics norotate
	set autoscale x
	plot "$work/scale.dat" using 1:2 with lines title "hull" lc rgb "#1b9e77", \
	     "" using 1:3 with lines title "crun" lc rgb "#d95f02", \
	     "" using 1:4 with lines title "runc" lc rgb "#7570b3", \
	     "$work/fit.dat" using 1:2 notitle with lines dt 2 lw 2 lc rgb "#1b9e77", \
	     "" using 1:3 notitle with lines dt 2 lw 2 lc rgb "#d95f02", \
	     "" using 1:4 notitle with lines dt 2 lw 2 lc rgb "#7570b3"
	unset multiplot
	EOS
fi
cat "$out"
if [ "$v2" = 0 ]; then echo "runtime.sh: wrote $out and $results/runtime.png" >&2; else echo "runtime.sh: wrote $out" >&2; fi
