#!/bin/bash
# engine-run.sh - hull's engine (`hull container`) beside podman (runc, crun, and hull as its runtime) and a private
# dockerd (runc), interleaved round by round: `run --rm IMG true` with --network none; `run -d` + `exec CTR true` +
# `rm -f CTR`; `run --rm IMG true` on each engine's bridge network, inside a network namespace of the benchmark's own.
# Wall time and peak RSS of the client process (wait4 of its tree), medians and ratios to hull; then where hull's time
# goes in one --network none run (strace). A markdown table on stdout and in bench/results/engine-run.md.
# Must never touch the host's stores, daemons or network: everything runs in a private mount namespace (/run a tmpfs),
# the bridge rounds also in a private network namespace; the host's links and iptables rules are compared before and
# after and a change fails the run. It measures and prints, it is no pass/fail test.
# Usage: bench/engine-run.sh [ROUNDS]   (default 10; HULL=path picks the binary)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/bench/engine-run.sh
IMG="hull-bench/busybox:latest"
DOCKER=/usr/bin/docker   # Debian's client (20.10), matching its dockerd, not a newer one earlier in PATH

# ---------------------------------------------------------------------------------------------------------------
# the tools

# client TOOL: the client's command line, in the array C
client() {
	local pm=(podman --root "$work/pm-root" --runroot "$work/pm-run" --cgroup-manager cgroupfs --events-backend file)
	case $1 in
	hull) C=("$hull" container --storage "$work/hull") ;;
	podman-runc) C=("${pm[@]}" --runtime /usr/sbin/runc) ;;
	podman-crun) C=("${pm[@]}" --runtime "$work/crun") ;;
	podman-hull) C=("${pm[@]}" --runtime "$hull") ;;
	docker) C=("$DOCKER" -H "unix://$work/docker-$part/docker.sock") ;;
	esac
}
tools=(hull podman-runc podman-crun podman-hull docker)

# rm_force TOOL: the flags of an immediate SIGKILL removal (podman's rm -f waits the stop timeout first)
rm_force() {
	case $1 in
	podman-*) echo "-f -t 0" ;;
	*) echo "-f" ;;
	esac
}

# timed TOOL STEP ARGS...: one client command, its wall time (microseconds) and peak RSS (KiB) appended to
# $work/TOOL.STEP.{us,rss}
timed() {
	local tool=$1 step=$2 t0 t1
	shift 2
	client "$tool"
	t0=${EPOCHREALTIME//[!0-9]/}
	# GNU time (C, ~1 ms) rather than tests/lib/maxrss (Python: its ~40 ms start would be in every time)
	/usr/bin/time -a -o "$work/$tool.$step.rss" -f %M "${C[@]}" "$@" </dev/null >"$work/last.out" 2>&1 || {
		echo "$tool $step failed: ${C[*]} $*" >&2
		cat "$work/last.out" >&2
		exit 1
	}
	t1=${EPOCHREALTIME//[!0-9]/}
	echo $((t1 - t0)) >>"$work/$tool.$step.us"
}

# round_none TOOL R: scenario 1 and 2 once; the cycle's time is the sum of its steps, its RSS their largest
round_none() {
	local t=$1 r=$2
	timed "$t" none run --rm --network none "$IMG" true
	timed "$t" rund run -d --name "b$r" --network none "$IMG" sleep 1000
	timed "$t" exec exec "b$r" true
	# shellcheck disable=SC2046
	timed "$t" rm rm $(rm_force "$t") "b$r"
	echo $(($(tail -1 "$work/$t.rund.us") + $(tail -1 "$work/$t.exec.us") + $(tail -1 "$work/$t.rm.us"))) >>"$work/$t.cycle.us"
	printf '%s\n' "$(tail -1 "$work/$t.rund.rss")" "$(tail -1 "$work/$t.exec.rss")" "$(tail -1 "$work/$t.rm.rss")" |
		sort -n | tail -1 >>"$work/$t.cycle.rss"
}

round_bridge() {
	timed "$1" bridge run --rm "$IMG" true
}

# ---------------------------------------------------------------------------------------------------------------
# a private dockerd (as tests/engines/docker.bash's start_daemon): its own data root, exec root, socket and pid file
# under $work/docker-$part, in a mount namespace of its own whose /run is a tmpfs

start_dockerd() { # start_dockerd DOCKERD-FLAGS...
	local d=$work/docker-$part i
	mkdir -p "$d"
	cat >"$d/dockerd.sh" <<-'EOF'
		#!/bin/sh
		mount --make-rprivate / && mount -t tmpfs -o mode=755 hull-bench-run /run || exit 1
		readlink /proc/self/ns/mnt >"$HULL_BENCH_MNTNS"
		exec dockerd "$@"
	EOF
	chmod +x "$d/dockerd.sh"
	HULL_BENCH_MNTNS=$work/docker-$part.mntns LIBMOUNT_UTAB=$d/utab unshare --mount --propagation private "$d/dockerd.sh" \
		--data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/docker.pid" -H "unix://$d/docker.sock" \
		--exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2 --userland-proxy=false "$@" \
		>"$d/dockerd.log" 2>&1 &
	echo $! >"$d/unshare.pid"
	for ((i = 0; i < 300; i++)); do
		timeout 5 "$DOCKER" -H "unix://$d/docker.sock" version >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$d/unshare.pid")" 2>/dev/null || break
		sleep 0.1
	done
	tail -30 "$d/dockerd.log" >&2
	echo "dockerd ($part) did not come up" >&2
	exit 1
}

# kill_bounded PIDFILE: TERM, up to 10 s, then KILL
kill_bounded() {
	local pid
	pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && kill "$pid" 2>/dev/null || return 0
	timeout 10 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null
	return 0
}

stop_dockerd() {
	local d=$work/docker-$part all
	[ -S "$d/docker.sock" ] && all=$(timeout 10 "$DOCKER" -H "unix://$d/docker.sock" ps -aq 2>/dev/null) &&
		[ -n "$all" ] && timeout 30 "$DOCKER" -H "unix://$d/docker.sock" rm -f $all >/dev/null 2>&1
	kill_bounded "$d/docker.pid"
	kill_bounded "$d/unshare.pid"
}

# load_images: the image into every store of this part (hull's and podman's are shared by both parts)
load_images() {
	local t
	if [ "$part" = none ]; then
		"$hull" image --storage "$work/hull" load -i "$work/img.tar" >/dev/null
		client podman-runc
		"${C[@]}" load -i "$work/img.tar" >/dev/null 2>&1
	fi
	client docker
	"${C[@]}" load -i "$work/img.tar" >/dev/null
	# one untimed run each: it checks that every tool works and warms the page cache
	for t in "${tools[@]}"; do
		client "$t"
		if [ "$part" = none ]; then
			"${C[@]}" run --rm --network none "$IMG" true </dev/null >/dev/null
		else
			"${C[@]}" run --rm "$IMG" true </dev/null >/dev/null
		fi
	done
}

# ---------------------------------------------------------------------------------------------------------------
# the parts: each runs in namespaces of its own (re-executed below)

# part_none: in a private mount namespace of the host's network namespace
part_none() {
	part=none
	trap 'stop_dockerd' EXIT
	start_dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false
	load_images
	for ((r = 0; r < rounds; r++)); do
		for t in "${tools[@]}"; do round_none "$t" "$r"; done
	done
	where_the_time_goes
}

# part_bridge: in a private network and mount namespace; /var/lib on a tmpfs too, for podman's CNI state
# (/var/lib/cni/networks, results), which would otherwise be made on the host's disk
part_bridge() {
	part=bridge
	trap 'stop_dockerd' EXIT
	ip link set lo up
	mount -t tmpfs -o mode=755 hull-bench-var-lib /var/lib
	start_dockerd
	load_images
	for ((r = 0; r < rounds; r++)); do
		for t in "${tools[@]}"; do round_bridge "$t"; done
	done
	# what the bridges made, in this namespace only (for the report)
	ip -br link | awk '{print $1}' | sort >"$work/bridge-links"
	client hull
	strace -f -ttt -v -s 64 -e trace=execve,process -o "$work/strace-bridge.txt" "${C[@]}" run --rm "$IMG" true </dev/null >/dev/null 2>&1
}

# where_the_time_goes: one hull `run --rm --network none` under strace, its landmarks as offsets from the exec
where_the_time_goes() {
	client hull
	strace -f -ttt -o "$work/strace.txt" "${C[@]}" run --rm --network none "$IMG" true </dev/null >/dev/null 2>&1
	strace -c -f -o "$work/strace-c.txt" "${C[@]}" run --rm --network none "$IMG" true </dev/null >/dev/null 2>&1
	for ((r = 0; r < 5; r++)); do
		timed hull plain run --rm --network none "$IMG" true
	done
}

# landmarks: the strace log's events in the order a run goes through them, "ms-since-exec event"
landmarks() {
	awk '
	NR == 1 { t0 = $2; cli = $1 }
	function at(what) { if (!(what in seen)) { seen[what] = 1; printf "%8.1f  %s\n", ($2 - t0) * 1000, what } }
	$1 == cli && /renameat\(.*"ctr.json"/ { at("record written (image resolved, flags parsed, store locked)") }
	$1 == cli && /fsmount\(/ { at("overlay rootfs mounted (fsmount)") }
	$1 == cli && /clone\(/ { at("monitor forked") }
	$1 != cli && /unshare\(CLONE_NEWNET\)/ { at("monitor: network namespace made") }
	$1 != cli && /"state.json.tmp/ { at("libhull create: first runtime state written") }
	/clone3\(.*CLONE_NEWNS/ { at("libhull create: container init cloned (new namespaces)") }
	/pivot_root/ { at("init: pivot_root (mounts done)") }
	/unlinkat\(.*"exec.fifo", 0\) = 0/ { at("libhull start: exec.fifo opened") }
	$1 != cli && /execve\("\/bin\/true"/ { at("container: execve true"); ctr = $1 }
	ctr != "" && $1 == ctr && /exit_group/ { at("container: exited") }
	/umount2\(.*\/rootfs"/ { at("cleanup: rootfs unmounted") }
	/AT_REMOVEDIR/ { last_rm = $2 }
	$1 == cli && /exit_group/ { if (last_rm) printf "%8.1f  %s\n", (last_rm - t0) * 1000, "cleanup: container directory removed"; at("client: exit") }
	' "$1"
}

# programs: the programs a strace log shows exec'ed, how often and how long they lived (execve to exit, summed;
# a plugin's time holds that of the iptables it runs), longest first
programs() {
	awk '
	/execve\("/ && !/= -1 / { match($0, /execve\("[^"]*"/); n = split(substr($0, RSTART + 8, RLENGTH - 9), a, "/")
		name[$1] = a[n]; start[$1] = $2 }
	/\+\+\+ (exited|killed)/ && ($1 in start) { tot[name[$1]] += $2 - start[$1]; cnt[name[$1]]++; delete start[$1] }
	END { for (k in tot) printf "%9.1f ms %4d x  %s\n", tot[k] * 1000, cnt[k], k }
	' "$1" | sort -rn
}

# cni_calls: the CNI plugin runs of a strace -v log in their order, "PLUGIN COMMAND" joined by commas
cni_calls() {
	awk 'match($0, /execve\("[^"]*\/cni\/[^"]*"/) && !/= -1 / {
		n = split(substr($0, RSTART + 8, RLENGTH - 9), a, "/"); c = "?"
		if (match($0, /CNI_COMMAND=[A-Z]+/)) c = substr($0, RSTART + 12, RLENGTH - 12)
		printf "%s%s %s", sep, a[n], c; sep = ", " }
	END { print "" }' "$1"
}

# ---------------------------------------------------------------------------------------------------------------
# re-executed parts

if [ "${1:-}" = --part ]; then
	part=$2 work=$3 rounds=$4 hull=$5
	"part_$part"
	exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# the host side: checks, work directory, the parts, the table

rounds=${1:-10}
hull=$(realpath "${HULL:-$top/build/hull}")
[ -x "$hull" ] || { echo "build hull first (tools/bootstrap.sh) or set HULL=path" >&2; exit 1; }
for t in podman /usr/sbin/runc crun conmon dockerd "$DOCKER" strace unshare iptables; do
	command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }
done
[ -x /usr/lib/cni/bridge ] || { echo "needs containernetworking-plugins (/usr/lib/cni)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

host_net() {
	ip -br link | awk '{print $1}'
	iptables -S
	iptables -t nat -S
}
net_before=$(host_net)
cg_before=$(ls -d /sys/fs/cgroup/*/docker 2>/dev/null || true)
work=$(mktemp -d /tmp/hull-bench-engine.XXXXXX)
chmod 755 "$work"

# Leaves nothing: the parts' namespaces die with their last process; this kills what a failed part left in them
# (dockerd, containerd, shims, conmon, containers), then Docker's parent cgroups if they were not there before.
ctr_cgroups() {
	local id
	for id in $ids; do find /sys/fs/cgroup -maxdepth 3 -type d -name "*$id" 2>/dev/null; done
}
cleanup() {
	local p d i ns left
	set +e
	for part in none bridge; do
		kill_bounded "$work/docker-$part/docker.pid"
		kill_bounded "$work/docker-$part/unshare.pid"
	done
	for ((i = 0; i < 50; i++)); do
		p=
		for ns in $(cat "$work"/*.mntns 2>/dev/null); do
			for d in /proc/[0-9]*; do
				[ "$(readlink "$d/ns/mnt" 2>/dev/null)" = "$ns" ] && p="$p ${d#/proc/}"
			done
		done
		[ -z "$p" ] && break
		kill -9 $p 2>/dev/null
		sleep 0.1
	done
	# containers whose monitor (hull's, conmon, a shim) died first: by their cgroups (hull: /ID, podman:
	# /libpod_parent/libpod-ID, docker: /docker/ID), named after the ids in the stores
	ids=$({ ls "$work/hull/containers" "$work/pm-root/overlay-containers" "$work"/docker-*/data/containers; } 2>/dev/null |
		grep -xE '[0-9a-f]{64}' | sort -u)
	ctr_cgroups | while read -r d; do xargs -r kill -9 <"$d/cgroup.procs" 2>/dev/null; done
	for ((i = 0; i < 30; i++)); do
		left=$(ctr_cgroups | while read -r d; do
			find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
			rmdir "$d" 2>/dev/null || echo "$d"
		done)
		[ -z "$left" ] && break
		sleep 0.1
	done
	for d in /sys/fs/cgroup/*/docker; do
		[ -d "$d" ] || continue
		grep -qxF "$d" <<<"$cg_before" && continue
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	awk -v d="$work" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$top/tests/engines/lib/make-image.sh" "$work/img.tar" "$IMG" >/dev/null
# podman's rlimits are ours: it would raise RLIMIT_NOFILE past what this machine lets us (no CAP_SYS_RESOURCE)
nofile=$(ulimit -Hn)
printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=4096:4096"]\n' "$nofile" "$nofile" >"$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
# crun 1.8 refuses hybrid cgroup hosts: tests/lib/crun-hybrid.sh hides the unified hierarchy under a tmpfs of a
# private mount namespace
cat >"$work/crun" <<EOS
#!/bin/sh
CRUN=/usr/bin/crun exec "$top/tests/lib/crun-hybrid.sh" "\$@"
EOS
chmod +x "$work/crun"

# each part in a mount namespace of its own where /run is a tmpfs (podman's and the runtimes' state, iptables' lock);
# LIBMOUNT_UTAB: util-linux's mount would otherwise write /run/mount on the host
in_part() { # in_part none|bridge UNSHARE-FLAGS...
	local p=$1
	shift
	LIBMOUNT_UTAB=$work/utab unshare --mount --propagation private "$@" bash -c '
		readlink /proc/self/ns/mnt >"$1/$2.mntns"
		mount -t tmpfs -o mode=755 hull-bench-run /run || exit 1
		exec "$0" --part "$2" "$1" "$3" "$4"' "$self" "$work" "$p" "$rounds" "$hull"
}
in_part none
in_part bridge --net

net_after=$(host_net)
if [ "$net_after" != "$net_before" ]; then
	echo "FAIL: the host's network changed (links, iptables rules):" >&2
	diff <(echo "$net_before") <(echo "$net_after") >&2
	exit 1
fi

# ---------------------------------------------------------------------------------------------------------------
# the table

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
# row TOOL STEP...: for each step, median time (ms), ratio, median RSS (MiB), ratio
cells() {
	local t=$1 s m h
	shift
	for s in "$@"; do
		m=$(median "$work/$t.$s.us") h=$(median "$work/hull.$s.us")
		printf ' %.0f | %s |' "$(ratio "$m" 1000)" "$(ratio "$m" "$h")"
		m=$(median "$work/$t.$s.rss") h=$(median "$work/hull.$s.rss")
		printf ' %.1f | %s |' "$(ratio "$m" 1024)" "$(ratio "$m" "$h")"
	done
}
steps_ms() { # steps_ms TOOL: the cycle's steps, median ms each
	local s out=
	for s in rund exec rm; do out="$out $(ratio "$(median "$work/$1.$s.us")" 1000)"; done
	echo "$out" | awk '{ printf "%.0f / %.0f / %.0f", $1, $2, $3 }'
}
out=$top/bench/results/engine-run.md
mkdir -p "$(dirname "$out")"
{
	echo "# Engine run: hull container beside podman and docker ($(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores)"
	echo
	echo "Command: \`bench/engine-run.sh $rounds\` ($rounds interleaved rounds after one untimed run of each tool)."
	echo "Image: one-layer busybox (tests/engines/lib/make-image.sh), loaded into each store. Medians; ratios are"
	echo "tool / hull. Times in ms, peak RSS in MiB."
	echo
	echo "- *none*: \`run --rm --network none IMG true\`"
	echo "- *cycle*: \`run -d --network none --name C IMG sleep 1000\` + \`exec C true\` + \`rm -f C\` (podman:"
	echo "  \`rm -f -t 0\`, as its \`rm -f\` waits the stop timeout first), the sum of the three; its RSS the largest"
	echo "- *bridge*: \`run --rm IMG true\` on the engine's default bridge network, in a private network namespace"
	echo
	echo "| tool | none | ratio | RSS | ratio | cycle | ratio | RSS | ratio | bridge | ratio | RSS | ratio |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for t in "${tools[@]}"; do
		echo "| $t |$(cells "$t" none cycle bridge)"
	done
	echo
	echo "The cycle's steps (run -d / exec / rm -f, median ms):"
	echo
	for t in "${tools[@]}"; do echo "- $t: $(steps_ms "$t")"; done
	echo
	echo "Tools: hull = \`hull container --storage DIR\` (its monitor forked per container); podman 4.3 with"
	echo "\`--root/--runroot\` of its own, \`--cgroup-manager cgroupfs --events-backend file\`, runtime runc 1.1, crun"
	echo "1.8 (through tests/lib/crun-hybrid.sh, which runs it in \`unshare -m\` with a tmpfs over /sys/fs/cgroup/unified: crun refuses"
	echo "hybrid cgroups; the wrapper's unshare+sh are in its times) or hull; docker = Debian's docker 20.10 client"
	echo "against a private dockerd (runc; \`--bridge=none --iptables=false\` for none and cycle, its default bridge"
	echo "for bridge). Bridges: hull's and podman's CNI bridge plugin (+ portmap, firewall), docker's libnetwork."
	echo
	echo "Peak RSS is the client's: the largest ru_maxrss of the client and the children it reaps (wait4). It"
	echo "leaves out what the client hands the work to: hull's monitor (double-forked), podman's conmon, and"
	echo "dockerd/containerd/shim for docker, whose client only talks to the daemon."
	echo
	echo "Everything ran in a private mount namespace with /run on a tmpfs (the bridge part also in a private"
	echo "network namespace, /var/lib on a tmpfs); the host's links and iptables rules were the same after."
	echo "Links the bridge part's namespace held at its end: $(tr '\n' ' ' <"$work/bridge-links")"
	echo
	echo "## Where hull's time goes (\`run --rm --network none\`)"
	echo
	echo "Median of 5 plain runs after the rounds: $(ratio "$(median "$work/hull.plain.us")" 1000) ms. One run under"
	echo "\`strace -f -ttt\` (which slows every syscall, so the offsets are inflated; their order and shares are"
	echo "what counts): ms since the client's exec."
	echo
	echo '```'
	landmarks "$work/strace.txt"
	echo '```'
	echo
	echo "\`strace -c -f\` of another run (all processes: client, monitor, runtime, container), top 12 by time:"
	echo
	echo '```'
	sed -n '1,2p' "$work/strace-c.txt"
	sed -n '3,$p' "$work/strace-c.txt" | grep -v -e '^-' -e 'total$' | head -12
	grep 'total$' "$work/strace-c.txt"
	echo '```'
	echo
	echo "The bridge: one hull \`run --rm IMG true\` on its CNI bridge under \`strace -f -e trace=execve,process\`:"
	echo "the programs it ran, summed lifetimes (hull's own line is the whole run; a plugin's includes the"
	echo "iptables it runs):"
	echo
	echo '```'
	programs "$work/strace-bridge.txt"
	echo '```'
	echo
	echo "Its CNI plugin runs in order: $(cni_calls "$work/strace-bridge.txt")."
} | tee "$out"
