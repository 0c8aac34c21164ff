#!/bin/bash
# run.sh - hull's OCI runtime-spec conformance runner: builds bundles, runs hull-conformance-checker inside them, drives lifecycle/hook/error checks from outside, for the main runtime and optional comparison runtimes; prints TAP, a side-by-side table and "conformance: N passed, N failed".
# Must never touch containers, mounts, processes or state it did not create: everything lives under one private temp dir with a private --root per runtime, and the EXIT trap removes it even on failure.
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -uo pipefail

usage() {
	cat <<'EOF'
usage: run.sh --runtime PATH [--compare PATH,PATH...] [--checker PATH] [--keep]
  --runtime   the runtime under test (its checks decide the exit status)
  --compare   comma-separated runtimes to show side by side (a runtime named "crun"
              runs through tests/lib/crun-hybrid.sh, which copes with hybrid cgroup layouts)
  --checker   hull-conformance-checker binary (default: build/tests/conformance/...,
              else it is compiled with gcc -static into the temp dir)
  --keep      keep the temp dir (bundles, logs) for debugging
EOF
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
main_runtime='' compare_list='' checker='' keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--runtime) main_runtime=${2:?}; shift 2 ;;
	--compare) compare_list=${2:?}; shift 2 ;;
	--checker) checker=${2:?}; shift 2 ;;
	--keep) keep=1; shift ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
done
[ -n "$main_runtime" ] || usage
[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root" >&2; exit 2; }
for tool in jq timeout unshare mount umount readlink stat; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

T=$(mktemp -d /tmp/hull-conformance.XXXXXX) || exit 2
chmod 755 "$T"
tmpfs_mounted=0
declare -a cleanup_containers=() helper_pids=() container_ids=() container_pids=() cgroup_paths=()

cleanup() {
	local entry label id
	trap - EXIT INT TERM
	for entry in "${cleanup_containers[@]}"; do
		label=${entry%%|*} id=${entry#*|}
		no_state_left "$label" "$id" || rt "$label" delete --force "$id" >/dev/null 2>&1
	done
	for entry in "${helper_pids[@]}"; do
		kill "$entry" 2>/dev/null
	done
	# container processes a broken runtime failed to delete: only while they are still the very process we saw
	for entry in "${container_pids[@]}"; do
		[ "$(process_start_time "${entry%%:*}")" = "${entry#*:}" ] && kill -KILL "${entry%%:*}" 2>/dev/null
	done
	# runtimes name cgroups after the container id; remove leftovers of ours if empty (rmdir never removes a busy one)
	for id in "${container_ids[@]}"; do
		for entry in /sys/fs/cgroup/*/"$id" /sys/fs/cgroup/"$id"; do
			[ -d "$entry" ] && rmdir "$entry" 2>/dev/null
		done
	done
	# cgroupsPath directories of ours (new_cgroup_path), in every hierarchy, children first; a killed process
	# leaves its cgroup a moment after it is gone, so retry for up to 2 s
	for id in "${cgroup_paths[@]}"; do
		for entry in {1..20}; do
			remove_cgroup_dirs "$id" && break
			sleep 0.1
		done
	done
	if [ "$keep" = 1 ]; then
		echo "# kept $T" >&2
		return
	fi
	[ "$tmpfs_mounted" = 1 ] && umount -l "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A shared tmpfs: bundles, state and logs go away with one umount, and propagation checks have a peer group to see.
mount -t tmpfs -o size=1g,mode=0755 hull-conformance "$T" && tmpfs_mounted=1 && mount --make-shared "$T" ||
	{ echo "run.sh: cannot mount a tmpfs on $T" >&2; exit 2; }

if [ -z "$checker" ]; then
	for candidate in "${HULL_CONFORMANCE_CHECKER:-}" "$repo/build/tests/conformance/hull-conformance-checker"; do
		[ -n "$candidate" ] && [ -x "$candidate" ] && { checker=$candidate; break; }
	done
fi
if [ -z "$checker" ]; then
	echo "# building hull-conformance-checker with gcc (no meson build found)" >&2
	# shellcheck disable=SC2046
	gcc -static -std=gnu17 -D_GNU_SOURCE -O2 -Wall -Wextra -Wno-missing-field-initializers -o "$T/hull-conformance-checker" \
		"$here"/checker.c "$here"/check_*.c $(pkg-config --cflags json-c) -ljson-c ||
		{ echo "run.sh: cannot build the checker" >&2; exit 2; }
	checker=$T/hull-conformance-checker
fi

# ---------------------------------------------------------------- runtimes

declare -A rt_exec=() rt_env=() rt_root=() rt_spec=()
declare -a labels=()

add_runtime() {
	local path=$1 label exe
	exe=$(command -v "$path") || { echo "run.sh: runtime $path not found" >&2; exit 2; }
	label=$(basename "$path")
	while [ -n "${rt_exec[$label]:-}" ]; do label="${label}+"; done
	labels+=("$label")
	rt_exec[$label]=$exe
	rt_env[$label]=''
	if [ "$(basename "$exe")" = crun ]; then
		rt_exec[$label]=$here/../lib/crun-hybrid.sh
		rt_env[$label]="CRUN=$exe"
	fi
	rt_root[$label]=$T/$label/state
	mkdir -p "$T/$label/state"
	# the spec version a runtime says it implements: features' ociVersionMax, else --version's "spec:" line
	rt_spec[$label]=$(timeout 10 "$exe" features 2>/dev/null | jq -r '.ociVersionMax // empty' 2>/dev/null)
	[ -n "${rt_spec[$label]}" ] || rt_spec[$label]=$(timeout 10 "$exe" --version 2>/dev/null | sed -n 's/^spec[^:]*: *//p' | head -1)
}

add_runtime "$main_runtime"
main=${labels[0]}
IFS=, read -r -a compare_paths <<<"$compare_list"
for path in "${compare_paths[@]}"; do
	[ -n "$path" ] && add_runtime "$path"
done

# rt LABEL ARGS...: the runtime with a private --root and a time limit; stdin from /dev/null, output wherever the caller sends it.
rt() {
	local label=$1
	shift
	# shellcheck disable=SC2086
	timeout -k 3 30 env ${rt_env[$label]} "${rt_exec[$label]}" --root "${rt_root[$label]}" "$@" </dev/null
}

# ---------------------------------------------------------------- results

declare -A result=() detail=() key_seen=()
declare -a keys=()

# semver "A < B" with pre-releases below their release (1.0.2-dev < 1.0.2)
version_lt() {
	local a=${1%%-*} b=${2%%-*} i x y
	local -a av bv
	IFS=. read -r -a av <<<"$a"
	IFS=. read -r -a bv <<<"$b"
	for i in 0 1 2; do
		x=${av[$i]:-0} y=${bv[$i]:-0}
		x=${x//[!0-9]/} y=${y//[!0-9]/}
		((10#${x:-0} < 10#${y:-0})) && return 0
		((10#${x:-0} > 10#${y:-0})) && return 1
	done
	[[ $1 == *-* && $2 != *-* ]]
}

# record LABEL KEY PASS|FAIL|SKIP|NA DETAIL
# A comparison runtime's failure of a check tagged [spec>=X] becomes N/A when that runtime implements an older spec.
record() {
	local label=$1 key=$2 status=$3 text=${4:-} since
	if [ "$status" = FAIL ] && [ "$label" != "$main" ] && [[ $key =~ \[spec\>=([0-9.]+)\] ]]; then
		since=${BASH_REMATCH[1]}
		if [ -n "${rt_spec[$label]}" ] && version_lt "${rt_spec[$label]}" "$since"; then
			status=NA text="implements spec ${rt_spec[$label]} < $since: $text"
		fi
	fi
	if [ -z "${key_seen[$key]:-}" ]; then
		key_seen[$key]=1
		keys+=("$key")
	fi
	result["$label|$key"]=$status
	detail["$label|$key"]=$text
}

# verdict RC LABEL KEY DETAIL: PASS when RC (pass "$?" first: expansions run left to right) is 0, else FAIL with DETAIL.
verdict() {
	local rc=$1 label=$2 key=$3 text=${4:-}
	if [ "$rc" = 0 ]; then record "$label" "$key" PASS; else record "$label" "$key" FAIL "$text"; fi
}

# rejected LABEL KEY DETAIL: the runtime refused a valid bundle: a failure for the main runtime, N/A for a comparison one.
rejected() {
	if [ "$1" = "$main" ]; then record "$1" "$2" FAIL "$3"; else record "$1" "$2" NA "rejected: $3"; fi
}

first_line() { tr '\n' ' ' <"$1" 2>/dev/null | cut -c1-200; }

# wait_until SECONDS COMMAND...: polls every 50 ms
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS >= deadline)) && return 1
		sleep 0.05
	done
}

state_field() { rt "$1" state "$2" 2>/dev/null | jq -r ".$3 // empty" 2>/dev/null; }
status_is() { [ "$(state_field "$1" "$2" status)" = "$3" ]; }
# a pid that is gone or a zombie (pid 1 here may reap late)
process_gone() { [ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
no_state_left() { ! find "${rt_root[$1]}" -mindepth 1 -name "*$2*" 2>/dev/null | grep -q .; }

# field 22 of /proc/PID/stat: with the pid, it names one process even if the pid is reused later
process_start_time() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
remember_pid() {
	[[ ${1:-} =~ ^[1-9][0-9]*$ ]] && container_pids+=("$1:$(process_start_time "$1")")
	return 0
}

# new_cgroup_path LABEL TAG: sets cgroup_path to an absolute cgroupsPath unique to this run (the temp dir's random
# suffix) and has it removed at exit. Not for $(...): the list must grow in this shell, not in a subshell.
new_cgroup_path() {
	cgroup_path="hull-conformance-${T##*.}-$1-$2"
	cgroup_path=/${cgroup_path//[!A-Za-z0-9_.-]/x}
	cgroup_paths+=("$cgroup_path")
}

# cgroup_dirs PATH: the directories of cgroupsPath PATH in every hierarchy (v1 controllers, hybrid unified, v2 root)
cgroup_dirs() {
	local dir
	for dir in /sys/fs/cgroup/*"$1" /sys/fs/cgroup"$1"; do
		[ -d "$dir" ] && echo "$dir"
	done
}

# remove_cgroup_dirs PATH: rmdir (never rm: a busy cgroup stays) every cgroup_dirs entry, children first; fails while any is left
remove_cgroup_dirs() {
	local dir
	for dir in $(cgroup_dirs "$1"); do
		find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	[ -z "$(cgroup_dirs "$1")" ]
}

new_id() {
	local id="hc$$-$1-$2"
	id=${id//[!A-Za-z0-9_.-]/x}
	container_ids+=("$id")
	echo "$id"
}

# ---------------------------------------------------------------- bundles

ns_inode() { readlink "$1" 2>/dev/null | sed -n 's/.*\[\([0-9]*\)\]/\1/p'; }

# make_bundle DIR OCIVERSION JQ-FILTER [ARGS for jq]: busybox bundle from tests/lib/make-bundle.sh, plus what the variants share
make_bundle() {
	local dir=$1 version=$2 filter=$3
	shift 3
	# the bundle sits in a slave mount of the shared temp dir, as bundles on a host with shared mounts do:
	# the rootfs then has a master for rootfsPropagation=slave to keep, and a runtime has to act for private/shared
	mkdir -p "$dir" && mount --bind "$dir" "$dir" && mount --make-slave "$dir" || return 1
	"$repo/tests/lib/make-bundle.sh" "$dir" >/dev/null || return 1
	local root=$dir/rootfs
	mkdir -p "$root/conformance" "$root/out" "$root/hooklog" "$root/hooks" "$root/mnt"/{strict,bind,rwbind,shared,unbindable,private} \
		"$root/masked-dir" "$dir/bind-src" "$dir/rw-src/ro-sub" "$dir/conformance" "$dir/out" "$dir/hooklog"
	# /mnt/tmpfs is left for the runtime to create: runc re-applies a pre-existing directory's mode over tmpfs mode=
	echo secret >"$root/masked-file"
	echo secret >"$root/masked-dir/content"
	: >"$root/mnt/file"
	echo bound >"$dir/bind-file"
	chmod 0777 "$dir/hooklog" "$dir/out"
	jq --arg version "$version" --arg bundle "$dir" "$@" "$filter | .ociVersion = \$version" "$dir/config.json" >"$dir/config.tmp" &&
		mv "$dir/config.tmp" "$dir/config.json"
}

# write_facts DIR: what only the host can see, for the checker to compare with
write_facts() {
	local dir=$1 ns src
	{
		for ns in /proc/self/ns/*; do
			[ "${ns##*/}" = pid_for_children ] || [ "${ns##*/}" = time_for_children ] && continue
			echo "ns ${ns##*/} $(ns_inode "$ns")"
		done
		echo "value oom_score_adj $(cat /proc/self/oom_score_adj)"
		# what tests/helpers/seccomp_agent answers every notified syscall (seccomp_notify_variant starts it)
		jq -e '.linux.seccomp.listenerPath' "$dir/config.json" >/dev/null && echo "value seccomp_notify_return 0"
		jq -r '.linux.namespaces[]? | .path // empty' "$dir/config.json" | while read -r src; do
			echo "nspath $src $(stat -L -c %i "$src")"
		done
		jq -r '.root.path, (.mounts[]? | select((.options // []) | index("bind") or index("rbind")) | .source)' "$dir/config.json" |
			while read -r src; do
				case $src in /*) path=$src ;; *) path=$dir/$src ;; esac
				echo "stat $src $(stat -L -c '%d %i' "$path")"
			done
	} >"$dir/conformance/facts"
}

# jq filter shared by checker bundles: the checker as the process, /conformance mounted read-only
checker_filter='.process.args = ["/conformance/checker", "--config", "/conformance/config.json", "--facts", "/conformance/facts", "arg with spaces"]
	| .mounts += [{"destination": "/conformance", "type": "bind", "source": ($bundle + "/conformance"), "options": ["rbind", "ro", "nosuid", "nodev"]}]'

# run_checker_variant LABEL VARIANT OCIVERSION JQ-FILTER [jq args]
run_checker_variant() {
	local label=$1 variant=$2 version=$3 filter=$4
	shift 4
	local dir=$T/$label/$variant id key_create="[$variant] runtime.md#create: the bundle is accepted"
	id=$(new_id "$label" "$variant")
	make_bundle "$dir" "$version" "$filter | $checker_filter" "$@" || { record "$label" "[$variant] bundle can be built" FAIL "make_bundle failed"; return; }
	cp "$checker" "$dir/conformance/checker"
	cp "$dir/config.json" "$dir/conformance/config.json"
	write_facts "$dir"
	chmod -R a+rX "$dir/conformance"
	cleanup_containers+=("$label|$id")
	if ! rt "$label" create --bundle "$dir" --pid-file "$dir/pid" "$id" >"$dir/stdout" 2>"$dir/stderr"; then
		rejected "$label" "$key_create" "$(first_line "$dir/stderr")"
		rt "$label" delete --force "$id" >/dev/null 2>&1
		return
	fi
	record "$label" "$key_create" PASS
	remember_pid "$(cat "$dir/pid" 2>/dev/null)"
	rt "$label" start "$id" >/dev/null 2>>"$dir/stderr"
	verdict "$?" "$label" "[$variant] runtime.md#start: start succeeds" "$(first_line "$dir/stderr")"
	wait_until 10 status_is "$label" "$id" stopped
	rt "$label" delete --force "$id" >/dev/null 2>&1
	parse_tap "$label" "$variant" "$dir/stdout" "$dir/stderr"
}

parse_tap() {
	local label=$1 variant=$2 out=$3 err=$4 line rest name directive plan='' count=0
	while IFS= read -r line; do
		if [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
			plan=${BASH_REMATCH[1]}
			continue
		fi
		[[ $line =~ ^(not\ ok|ok)\ [0-9]+\ -\ (.*)$ ]] || continue
		count=$((count + 1))
		rest=${BASH_REMATCH[2]}
		name=${rest%% # *}
		directive=''
		[ "$name" != "$rest" ] && directive=${rest#* # }
		if [[ $directive == SKIP* ]]; then
			record "$label" "[$variant] $name" SKIP "${directive#SKIP }"
		elif [ "${BASH_REMATCH[1]}" = ok ]; then
			record "$label" "[$variant] $name" PASS
		else
			record "$label" "[$variant] $name" FAIL "$directive"
		fi
	done <"$out"
	[ -n "$plan" ] && [ "$plan" = "$count" ]
	verdict "$?" "$label" "[$variant] checker: ran to completion inside the container" "plan ${plan:-missing}, $count results; stderr: $(first_line "$err")"
}

checker_variants() {
	local label=$1 helper_pid cgroup_path
	run_checker_variant "$label" base 1.0.0 '
		.hostname = "conformance"
		| .process.env += ["CONFORMANCE_VAR=hello world", "EMPTY_VAR="]
		| .process.cwd = "/tmp"
		| .process.user.additionalGids = [5, 1234]
		| .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024},
			{"type": "RLIMIT_CORE", "soft": 1024, "hard": 2048},
			{"type": "RLIMIT_MSGQUEUE", "soft": 409600, "hard": 819200}]
		| .process.oomScoreAdj = 100
		| .mounts += [
			{"destination": "/mnt/tmpfs", "type": "tmpfs", "source": "conformance-tmpfs",
			 "options": ["nosuid", "nodev", "noexec", "noatime", "mode=1750", "size=1m", "uid=0", "gid=5"]},
			{"destination": "/mnt/strict", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "strictatime", "nodiratime"]},
			{"destination": "/mnt/bind", "type": "bind", "source": ($bundle + "/bind-src"), "options": ["rbind", "ro", "nosuid", "nodev", "noexec"]},
			{"destination": "/mnt/file", "type": "none", "source": "bind-file", "options": ["bind", "rw"]},
			{"destination": "/mnt/rwbind", "type": "bind", "source": ($bundle + "/rw-src"), "options": ["rbind", "rw"]},
			{"destination": "/mnt/shared", "type": "tmpfs", "source": "tmpfs", "options": ["rshared"]},
			{"destination": "/mnt/unbindable", "type": "tmpfs", "source": "tmpfs", "options": ["unbindable"]},
			{"destination": "/mnt/private", "type": "tmpfs", "source": "tmpfs", "options": ["private"]}]
		| .linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}
		| .linux.devices = [
			{"path": "/dev/conformance-null", "type": "c", "major": 1, "minor": 3, "fileMode": 416, "uid": 0, "gid": 5},
			{"path": "/dev/conformance-loop", "type": "b", "major": 7, "minor": 0, "fileMode": 384, "uid": 0, "gid": 0},
			{"path": "/dev/conformance-fifo", "type": "p", "fileMode": 420, "uid": 0, "gid": 0}]
		| .linux.maskedPaths += ["/masked-dir", "/masked-file"]
		| .linux.readonlyPaths += ["/mnt/rwbind/ro-sub"]
		| .linux.rootfsPropagation = "private"'
	run_checker_variant "$label" user 1.0.2 '
		.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 100], "umask": 23}
		| .process.capabilities = {
			"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
			"effective": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
			"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
			"inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"ambient": ["CAP_KILL", "CAP_NET_BIND_SERVICE"]}
		| .process.noNewPrivileges = false
		| .root.readonly = false
		| .linux.namespaces += [{"type": "cgroup"}]
		| .linux.rootfsPropagation = "slave"'
	run_checker_variant "$label" newer 1.1.0 '
		.domainname = "conformance.test"
		| .linux.personality = {"domain": "LINUX32"}
		| .process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}
		| .process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}
		| .linux.rootfsPropagation = "shared"'
	run_checker_variant "$label" userns 1.0.0 '
		.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.rootfsPropagation = "unbindable"'
	run_checker_variant "$label" timens 1.1.0 '
		.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": 31536000, "nanosecs": 0}, "boottime": {"secs": 86400, "nanosecs": 500}}'
	# linux.resources with an absolute cgroupsPath; the device rules are runc's default list (deny all, then what a
	# runtime adds anyway: mknod of anything, the default devices, pts, tun), so every runtime's result follows from them
	new_cgroup_path "$label" cgroups
	run_checker_variant "$label" cgroups 1.0.0 '
		def dev(type; major; minor; access): {"allow": true, "type": type, "major": major, "minor": minor, "access": access};
		.linux.cgroupsPath = $cgpath
		| .linux.resources = {
			"memory": {"limit": 67108864, "reservation": 33554432},
			"pids": {"limit": 50},
			"cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"},
			"devices": [{"allow": false, "access": "rwm"},
				{"allow": true, "type": "c", "access": "m"}, {"allow": true, "type": "b", "access": "m"},
				dev("c"; 1; 3; "rwm"), dev("c"; 1; 5; "rwm"), dev("c"; 1; 7; "rwm"), dev("c"; 1; 8; "rwm"),
				dev("c"; 1; 9; "rwm"), dev("c"; 5; 0; "rwm"), dev("c"; 5; 1; "rwm"), dev("c"; 5; 2; "rwm"),
				{"allow": true, "type": "c", "major": 136, "access": "rwm"}, dev("c"; 10; 200; "rwm")]}
		| .process.capabilities |= with_entries(if .key == "ambient" then . else .value += ["CAP_MKNOD"] end)' \
		--arg cgpath "$cgroup_path"
	# runtime-spec 1.3: a memory policy, and pids.limit 0 as a real limit (the checker forks nothing)
	new_cgroup_path "$label" spec13
	run_checker_variant "$label" spec13 1.3.0 '
		.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}
		| .linux.cgroupsPath = $cgpath
		| .linux.resources = {"pids": {"limit": 0}}' \
		--arg cgpath "$cgroup_path"
	# namespaces joined by path: those of a helper process of ours
	unshare --net --uts --ipc sleep 600 &
	helper_pid=$!
	helper_pids+=("$helper_pid")
	wait_until 5 test "$(ns_inode /proc/$helper_pid/ns/net)" != "$(ns_inode /proc/self/ns/net)"
	run_checker_variant "$label" nsjoin 1.0.0 '
		.linux.namespaces |= map(if .type == "network" then .path = "/proc/\($helper)/ns/net"
			elif .type == "uts" then .path = "/proc/\($helper)/ns/uts"
			elif .type == "ipc" then .path = "/proc/\($helper)/ns/ipc" else . end)' --arg helper "$helper_pid"
	kill "$helper_pid" 2>/dev/null
	seccomp_variants "$label"
}

# the syscalls check_seccomp.c probes: left out of the allow list of the seccomp-deny variant, so its defaults decide them
seccomp_probed='["kill", "getpriority", "getpgid", "getsid", "sched_get_priority_max", "sched_get_priority_min", "getitimer",
	"times", "sched_rr_get_interval", "getrusage", "getcpu", "sysinfo", "getppid"]'

# every syscall name this platform's headers know
syscall_names() { printf '#include <sys/syscall.h>\n' | cpp -dM 2>/dev/null | sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' | sort -u; }

# linux.seccomp: the checker probes its table of harmless syscalls and derives each expectation from the rules
seccomp_variants() {
	local label=$1 names
	# one probed syscall per action, and argument rules with every operator; without no_new_privs (loaded while privileged)
	run_checker_variant "$label" seccomp 1.0.2 '
		def rule(name; action): {"names": [name], "action": action};
		def errno(name; n; index; op; value): rule(name; "SCMP_ACT_ERRNO") + {"errnoRet": n, "args": [{"index": index, "op": op, "value": value}]};
		.process.noNewPrivileges = false
		| .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
			"syscalls": [rule("sched_get_priority_max"; "SCMP_ACT_ERRNO") + {"errnoRet": 95}, rule("sched_get_priority_min"; "SCMP_ACT_ERRNO"),
				rule("getitimer"; "SCMP_ACT_KILL"), rule("times"; "SCMP_ACT_KILL_THREAD"), rule("sched_rr_get_interval"; "SCMP_ACT_KILL_PROCESS"),
				rule("getrusage"; "SCMP_ACT_TRAP"), rule("getcpu"; "SCMP_ACT_TRACE"), rule("sysinfo"; "SCMP_ACT_LOG"),
				errno("kill"; 41; 1; "SCMP_CMP_EQ"; 10), errno("kill"; 42; 1; "SCMP_CMP_LT"; 10), errno("kill"; 43; 1; "SCMP_CMP_GT"; 23),
				(errno("kill"; 44; 1; "SCMP_CMP_MASKED_EQ"; 3) | .args[0].valueTwo = 1),
				errno("getpriority"; 45; 0; "SCMP_CMP_NE"; 0), errno("getpgid"; 46; 0; "SCMP_CMP_LE"; 0), errno("getsid"; 47; 0; "SCMP_CMP_GE"; 1)]}'
	# default deny with defaultErrnoRet: everything allowed by name but the probed syscalls, two of them allowed by argument
	names=$(syscall_names | jq -R . | jq -sc .)
	run_checker_variant "$label" seccomp-deny 1.1.0 '
		.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 71,
			"syscalls": [{"names": ($names - $probed), "action": "SCMP_ACT_ALLOW"},
				{"names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "op": "SCMP_CMP_LE", "value": 12}]},
				{"names": ["getpriority"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "op": "SCMP_CMP_MASKED_EQ", "value": 1, "valueTwo": 0}]},
				{"names": ["getsid"], "action": "SCMP_ACT_ERRNO"}]}' --argjson names "$names" --argjson probed "$seccomp_probed"
	seccomp_notify_variant "$label"
}

# SCMP_ACT_NOTIFY: tests/helpers/seccomp_agent listens on listenerPath, answers 0 without running the call and keeps what it received
seccomp_notify_variant() {
	local label=$1 agent=${HULL_SECCOMP_AGENT:-$repo/build/tests/helpers/seccomp_agent} dir=$T/$1/agent id agent_pid st
	local K='[seccomp-notify] config-linux.md#seccomp:' S="[spec>=1.0.2]"
	if [ ! -x "$agent" ]; then
		record "$label" "$K the notify agent is built" SKIP "no $agent (ninja -C build)"
		return
	fi
	mkdir -p "$dir"
	"$agent" -p "$dir/pid" "$dir/sock" "$dir/state" 2>"$dir/stderr" || { record "$label" "$K the notify agent starts" FAIL "$(first_line "$dir/stderr")"; return; }
	agent_pid=$(cat "$dir/pid")
	helper_pids+=("$agent_pid")
	run_checker_variant "$label" seccomp-notify 1.0.2 '
		.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": $sock, "listenerMetadata": "conformance-agent",
			"syscalls": [{"names": ["sched_get_priority_max"], "action": "SCMP_ACT_NOTIFY", "args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 1}]}]}' \
		--arg sock "$dir/sock"
	if [ "${result["$label|[seccomp-notify] runtime.md#create: the bundle is accepted"]:-}" = NA ]; then
		kill "$agent_pid" 2>/dev/null
		return
	fi
	# the agent leaves once the container is gone
	wait_until 5 process_gone "$agent_pid" || kill "$agent_pid" 2>/dev/null
	id="hc$$-$label-seccomp-notify" st=$dir/state
	id=${id//[!A-Za-z0-9_.-]/x}
	[ "$(jq -c .fds "$st" 2>/dev/null)" = '["seccompFd"]' ]
	verdict "$?" "$label" "$K the agent at listenerPath receives one fd, fds [\"seccompFd\"] $S" "got $(jq -c .fds "$st" 2>&1 | cut -c1-100)"
	[ "$(jq -r .metadata "$st" 2>/dev/null)" = conformance-agent ]
	verdict "$?" "$label" "$K the agent receives listenerMetadata as metadata $S" "got $(jq -c .metadata "$st" 2>&1 | cut -c1-100)"
	[ "$(jq -r .state.id "$st" 2>/dev/null)" = "$id" ] && [ "$(jq -r .state.bundle "$st" 2>/dev/null)" = "$T/$label/seccomp-notify" ]
	verdict "$?" "$label" "$K the agent receives the container state (id, bundle) $S" "got $(jq -c .state "$st" 2>&1 | cut -c1-200)"
	[ "$(jq -r '.pid | numbers' "$st" 2>/dev/null)" -gt 0 ] 2>/dev/null && [ -n "$(jq -r '.ociVersion // empty' "$st" 2>/dev/null)" ]
	verdict "$?" "$label" "$K the agent receives ociVersion and the container process pid $S" "got $(jq -c '{ociVersion, pid}' "$st" 2>&1 | cut -c1-100)"
	grep -q '^syscall ' "$st.log" 2>/dev/null
	verdict "$?" "$label" "$K the agent is notified of the filtered call $S" "agent log: $(first_line "$st.log")"
}

# shellcheck source=lifecycle.sh
source "$here/lifecycle.sh"

# ---------------------------------------------------------------- report

cell() {
	case ${result["$1|$2"]:-} in
	PASS) echo PASS ;; FAIL) echo FAIL ;; SKIP) echo SKIP ;; *) echo N/A ;;
	esac
}

for label in "${labels[@]}"; do
	echo "# running ${rt_exec[$label]} ${rt_env[$label]} (spec ${rt_spec[$label]:-unknown})" >&2
	checker_variants "$label"
	lifecycle_checks "$label"
	cgroup_checks "$label"
	hook_checks "$label"
	error_checks "$label"
done

n=0 passed=0 failed=0 skipped=0
for key in "${keys[@]}"; do
	status=${result["$main|$key"]:-}
	text=${detail["$main|$key"]:-}
	case $status in
	PASS) n=$((n + 1)) passed=$((passed + 1)); echo "ok $n - $key" ;;
	FAIL) n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $key # $text" ;;
	SKIP) n=$((n + 1)) skipped=$((skipped + 1)); echo "ok $n - $key # SKIP $text" ;;
	esac
done
echo "1..$n"

echo
header="| check |"
rule="|---|"
for label in "${labels[@]}"; do header+=" $label |"; rule+="---|"; done
echo "$header"
echo "$rule"
for key in "${keys[@]}"; do
	row="| $key |"
	for label in "${labels[@]}"; do row+=" $(cell "$label" "$key") |"; done
	echo "$row"
done
for label in "${labels[@]:1}"; do
	for key in "${keys[@]}"; do
		case ${result["$label|$key"]:-} in
		FAIL | NA) echo "# $label ${result["$label|$key"]}: $key: ${detail["$label|$key"]}" ;;
		esac
	done
done
echo
echo "skipped: $skipped"
echo "conformance: $passed passed, $failed failed"
[ "$failed" = 0 ]
