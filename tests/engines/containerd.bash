# containerd.bash - one private containerd per bats file (ctr and CRI suites), with its images, and its teardown.
# Must never touch the default containerd paths (/run/containerd, /var/lib/containerd) or anything it did not start.
#
# cd_start [cri] in setup_file starts Debian's containerd on a config of its own below CD_DIR
# (a mktemp dir): root, state, sockets, opt, runc root and fifos all live there, cgroups are
# cgroupfs below /$CD_NS (the ctr namespace, unique per run).  cd_stop in teardown_file takes
# everything down again, also after a failed setup: containers, shims, mounts, cgroups, the
# shim sockets containerd 1.6 always puts in /run/containerd/s, network namespaces, the registry.
#
# The runtimes compared: hull ($HULL, default <repo>/build/hull) and runc ($RUNC_BIN, /usr/sbin/runc).

bats_require_minimum_version 1.5.0
: "${BATS_TEST_TIMEOUT:=120}"

ENGINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$ENGINES_DIR/../.." && pwd)
: "${HULL:=$REPO_ROOT/build/hull}"
RUNC_BIN=${RUNC_BIN:-/usr/sbin/runc}
CONTAINERD_BIN=${CONTAINERD_BIN:-/usr/bin/containerd}
MAKE_IMAGE=$ENGINES_DIR/lib/make-image.sh
PY3=/usr/bin/python3
if [ -z "${TTYHELPER:-}" ]; then
	TTYHELPER=$(dirname "$HULL")/tests/helpers/ttyhelper
	[ -x "$TTYHELPER" ] || TTYHELPER=$REPO_ROOT/build/tests/helpers/ttyhelper
fi
# Bound of one ctr / CRI client call.
: "${CD_CMD_TIMEOUT:=60}"

RUNTIMES=(hull runc)

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# runtime_bin hull|runc: the binary the shim runs.
runtime_bin() {
	case "$1" in
	hull) echo "$HULL" ;;
	runc) echo "$RUNC_BIN" ;;
	*) return 1 ;;
	esac
}

# The environment of the private daemon is saved in a file, since setup_file's variables do not all
# reach the tests (arrays do not) and teardown_file must work from what setup_file got done.
cd_load_env() {
	[ -n "${CD_ENV_FILE:-}" ] && [ -f "$CD_ENV_FILE" ] && . "$CD_ENV_FILE"
	return 0
}

cd_save() {
	local v
	for v in "$@"; do
		printf '%s=%q\n' "$v" "${!v}" >>"$CD_ENV_FILE"
	done
}

# cd_ctr ARGS...: ctr on the private daemon, in this file's namespace, bounded.
cd_ctr() {
	timeout -k 5 "$CD_CMD_TIMEOUT" ctr --address "$CD_SOCK" --namespace "$CD_NS" "$@" 3>&-
}

cd_daemon_alive() {
	[ -n "${CD_PID:-}" ] && kill -0 "$CD_PID" 2>/dev/null
}

# cd_write_config cri|ctr: the daemon's config.toml.
cd_write_config() {
	local mode=$1 cfg=$CD_DIR/config.toml
	cat >"$cfg" <<EOF
version = 2
root = "$CD_DIR/root"
state = "$CD_DIR/state"
plugin_dir = "$CD_DIR/plugins"
oom_score = 0

[grpc]
  address = "$CD_SOCK"
[ttrpc]
  address = "$CD_SOCK.ttrpc"
[debug]
  address = "$CD_DIR/debug.sock"
  level = "debug"
[metrics]
  address = ""
[cgroup]
  path = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$CD_DIR/opt"
[plugins."io.containerd.runtime.v2.task"]
  platforms = ["linux/amd64"]
EOF
	if [ "$mode" != cri ]; then
		echo 'disabled_plugins = ["io.containerd.grpc.v1.cri"]' | cat - "$cfg" >"$cfg.new" && mv "$cfg.new" "$cfg"
		return 0
	fi
	# The hull runtime is registered as README.md tells users to; Root only keeps both runtimes' state
	# directories below CD_DIR instead of /run/containerd/runc.
	cat >>"$cfg" <<EOF

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CD_PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  enable_cdi = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull.options]
        BinaryName = "$HULL"
        Root = "$CD_DIR/runc-root/hull"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$RUNC_BIN"
        Root = "$CD_DIR/runc-root/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CD_DIR/cni/bin"
    conf_dir = "$CD_DIR/cni/conf"
    max_conf_num = 1
EOF
	# The CRI plugin (go-cni) always runs the loopback plugin itself, then the conf_dir network, and
	# fails the pod unless that network reports an address on eth0.  There is no network here, so pods
	# get lib/cni-podnet.sh: a veth pair made entirely inside the pod's namespace, with an address of
	# 10.213.0.0/24 (nothing in the host's network namespace changes).  bin_dir is one directory.
	mkdir -p "$CD_DIR/cni/conf" "$CD_DIR/cni/bin"
	ln -s /usr/lib/cni/loopback "$CD_DIR/cni/bin/loopback"
	ln -s "$ENGINES_DIR/lib/cni-podnet.sh" "$CD_DIR/cni/bin/hull-test-podnet"
	jq -n -c --arg state "$CD_DIR/cni/next-address" '{cniVersion: "0.4.0", name: "hull-test-podnet",
		plugins: [{type: "hull-test-podnet", subnet: "10.213.0", state: $state}]}' >"$CD_DIR/cni/conf/10-podnet.conflist"
}

# cd_start [cri]: start the private daemon and import the test images (busybox, and a pause image).
cd_start() {
	local mode=${1:-ctr} i
	[ -x "$HULL" ] || fail "HULL=$HULL is not an executable (meson setup build && ninja -C build)" || return 1
	[ -x "$RUNC_BIN" ] || fail "no runc at $RUNC_BIN" || return 1
	CD_DIR=$(mktemp -d /tmp/hull-cd.XXXXXX)
	chmod 711 "$CD_DIR"
	export CD_ENV_FILE=$CD_DIR/env
	CD_SOCK=$CD_DIR/containerd.sock
	CD_NS=hullcd-${CD_DIR##*.}
	CD_LOG=$CD_DIR/containerd.log
	CD_FIFO=$CD_DIR/fifo
	CD_RUNC_ROOT=$CD_DIR/runc-root
	CD_IMAGE=docker.io/hull-test/busybox:latest
	CD_PAUSE_IMAGE=docker.io/hull-test/pause:latest
	mkdir -p "$CD_FIFO" "$CD_RUNC_ROOT"
	: >"$CD_ENV_FILE"
	cd_save CD_DIR CD_ENV_FILE CD_SOCK CD_NS CD_LOG CD_FIFO CD_RUNC_ROOT CD_IMAGE CD_PAUSE_IMAGE
	# What existed before: teardown removes only what appeared after.
	[ -d /run/containerd ] && echo yes >"$CD_DIR/had-run-containerd"
	[ -d /run/containerd/s ] && echo yes >"$CD_DIR/had-run-containerd-s"
	ls /run/netns 2>/dev/null | sort >"$CD_DIR/netns.before"

	cd_write_config "$mode"
	# Its own session and process group: bats waits on nothing of it, teardown kills it by pid.
	setsid "$CONTAINERD_BIN" --config "$CD_DIR/config.toml" </dev/null >"$CD_LOG" 2>&1 3>&- &
	CD_PID=$!
	cd_save CD_PID
	for i in $(seq 100); do
		cd_daemon_alive || { cat "$CD_LOG" >&2; fail "containerd exited during start"; return 1; }
		ctr --address "$CD_SOCK" version >/dev/null 2>&1 && break
		sleep 0.2
	done
	ctr --address "$CD_SOCK" version >/dev/null 2>&1 || { tail -50 "$CD_LOG" >&2; fail "containerd did not answer in 20 s"; return 1; }

	"$MAKE_IMAGE" "$CD_DIR/busybox.tar" "$CD_IMAGE" . || return 1
	"$MAKE_IMAGE" "$CD_DIR/pause.tar" "$CD_PAUSE_IMAGE" '.Entrypoint=["/bin/sleep","infinity"] | .Cmd=null' || return 1
	cd_ctr image import "$CD_DIR/busybox.tar" >/dev/null || fail "ctr image import busybox" || return 1
	cd_ctr image import "$CD_DIR/pause.tar" >/dev/null || fail "ctr image import pause" || return 1
	if [ "$mode" = cri ]; then
		# The CRI plugin sees images in the k8s.io namespace.
		CD_NS=k8s.io cd_ctr image import "$CD_DIR/busybox.tar" >/dev/null || return 1
		CD_NS=k8s.io cd_ctr image import "$CD_DIR/pause.tar" >/dev/null || return 1
	fi
}

# cd_log_mark / cd_log_since_mark: the daemon log written during one test, printed when it failed.
cd_log_mark() {
	stat -c %s "$CD_LOG" 2>/dev/null >"$CD_DIR/log.mark" || echo 0 >"$CD_DIR/log.mark"
}

cd_print_log_if_failed() {
	[ -z "${BATS_TEST_COMPLETED:-}" ] || return 0
	[ -f "${CD_LOG:-}" ] || return 0
	local from
	from=$(cat "$CD_DIR/log.mark" 2>/dev/null || echo 0)
	echo "# containerd log during this test (errors and warnings):" >&2
	tail -c +$((from + 1)) "$CD_LOG" | grep -E 'level=(error|warning|fatal)' | tail -40 | cut -c1-600 >&2
}

# Cgroup directories below /$CD_NS, deepest first (ctr puts containers at /<namespace>/<id>, the CRI
# suite gives its pods cgroup parents below it).
cd_cgroups() {
	[ -n "${CD_NS:-}" ] || return 0
	find /sys/fs/cgroup -mindepth 2 -maxdepth 7 -type d -path "*/$CD_NS*" 2>/dev/null | awk '{print length($0) " " $0}' | sort -rn | cut -d' ' -f2-
}

# cd_shim_pids: processes with our socket on their command line (the pattern comes from a file, so that
# grep does not find itself).
cd_shim_pids() {
	printf '%s\n' "$CD_SOCK" >"$CD_DIR/sock.pattern"
	grep -lsFf "$CD_DIR/sock.pattern" /proc/[0-9]*/cmdline 2>/dev/null | awk -F/ '{print $3}'
}

# Processes of this daemon: the shims (started with our socket as -address), anything whose root or
# cwd lies below CD_DIR (container processes, whose cgroups may be gone), and cgroup members.
cd_pids() {
	local p
	cd_shim_pids
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/root" 2>/dev/null)" in "$CD_DIR"/*) echo "${p#/proc/}" ;; esac
	done
	cd_cgroups | while read -r c; do cat "$c/cgroup.procs" 2>/dev/null; done
}

# cd_shim_sockets: the sockets containerd 1.6 shims make in /run/containerd/s (sha256 of
# <containerd address>/<namespace>/<id>), for the shims of this daemon still running.
cd_shim_sockets() {
	local p ns id args
	for p in $(cd_shim_pids); do
		args=$(tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null)
		ns=$(echo "$args" | awk 'prev == "-namespace" {print; exit} {prev = $0}')
		id=$(echo "$args" | awk 'prev == "-id" {print; exit} {prev = $0}')
		[ -n "$ns" ] && [ -n "$id" ] || continue
		echo "/run/containerd/s/$(printf '%s' "$CD_SOCK/$ns/$id" | sha256sum | cut -d' ' -f1)"
	done
}

# cd_stop: take down everything cd_start and the tests made; prints what had to be forced.
cd_stop() {
	cd_load_env
	[ -n "${CD_DIR:-}" ] && [ -d "$CD_DIR" ] || return 0
	local i p c ns id problems=() sockets
	if cd_daemon_alive; then
		for ns in "$CD_NS" k8s.io; do
			for id in $(CD_NS=$ns CD_CMD_TIMEOUT=10 cd_ctr task ls -q 2>/dev/null); do
				CD_NS=$ns CD_CMD_TIMEOUT=10 cd_ctr task kill -a -s KILL "$id" >/dev/null 2>&1
			done
			for id in $(CD_NS=$ns CD_CMD_TIMEOUT=10 cd_ctr container ls -q 2>/dev/null); do
				CD_NS=$ns CD_CMD_TIMEOUT=10 cd_ctr task delete -f "$id" >/dev/null 2>&1
				CD_NS=$ns CD_CMD_TIMEOUT=10 cd_ctr container delete "$id" >/dev/null 2>&1
			done
		done
	fi
	sockets=$(cd_shim_sockets)
	if cd_daemon_alive; then
		kill -TERM "$CD_PID" 2>/dev/null
		for i in $(seq 50); do
			cd_daemon_alive || break
			sleep 0.2
		done
		cd_daemon_alive && { problems+=("containerd ignored SIGTERM for 10 s"); kill -KILL "$CD_PID"; }
	fi
	# Shims outlive their daemon by design; they and their containers go now.
	for i in $(seq 30); do
		p=$(cd_pids | sort -u)
		[ -z "$p" ] && break
		kill -KILL $p 2>/dev/null
		sleep 0.2
	done
	[ -z "$p" ] || problems+=("processes still there: $p")
	for i in $(seq 20); do
		p=$(awk -v d="$CD_DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
		[ -z "$p" ] && break
		for c in $p; do umount -l "$c" 2>/dev/null; done
	done
	for i in $(seq 20); do
		c=$(cd_cgroups)
		[ -z "$c" ] && break
		echo "$c" | while read -r p; do rmdir "$p" 2>/dev/null; done
		sleep 0.1
	done
	[ -z "$c" ] || problems+=("cgroups still there: $c")
	for p in $sockets; do rm -f "$p"; done
	# Network namespaces made by the CRI plugin for its pods (cni-<uuid>) during this run.
	if [ -d /run/netns ]; then
		for p in $(ls /run/netns | sort | comm -13 "$CD_DIR/netns.before" - | grep '^cni-'); do
			ip netns delete "$p" 2>/dev/null || { umount -l "/run/netns/$p"; rm -f "/run/netns/$p"; }
		done
	fi
	[ -f "$CD_DIR/had-run-containerd-s" ] || rmdir /run/containerd/s 2>/dev/null
	[ -f "$CD_DIR/had-run-containerd" ] || rmdir /run/containerd/runc /run/containerd 2>/dev/null
	[ -n "${CD_REGISTRY_PID:-}" ] && kill -KILL "$CD_REGISTRY_PID" 2>/dev/null
	if awk -v d="$CD_DIR/" 'index($5, d) == 1 {found = 1} END {exit !found}' /proc/self/mountinfo; then
		problems+=("mounts left below $CD_DIR; not removed")
	else
		rm -rf --one-file-system "$CD_DIR"
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		printf 'cd_stop: %s\n' "${problems[@]}" >&2
		return 1
	fi
}

# ---------------------------------------------------------------------------
# ctr helpers

# ctr_run RUNTIME ID [ctr run options...] -- [IMAGE] ARGS...: a foreground `ctr run --rm` on RUNTIME;
# stdin is whatever the caller gives.  IMAGE defaults to $CD_IMAGE when the first argument after --
# is not an image reference (contains no ':'); there is none with --config SPEC.
ctr_run() {
	local rt=$1 id=$2 opts=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	local img=$CD_IMAGE
	case "${1:-}" in *:*) img=$1; shift ;; esac
	# With --config the spec names the root filesystem, and ctr takes the id only.
	case " ${opts[*]} " in *" --config "*) img= ;; esac
	cd_ctr run --rm --fifo-dir "$CD_FIFO" --runc-binary "$(runtime_bin "$rt")" --runc-root "$CD_RUNC_ROOT/$rt" \
		"${opts[@]}" ${img:+"$img"} "$id" "$@"
}

# ctr_run_d RUNTIME ID [options...] -- ARGS...: a detached task, asserting that it started.
ctr_run_d() {
	local rt=$1 id=$2 opts=() out rc=0
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	out=$(cd_ctr run -d --fifo-dir "$CD_FIFO" --runc-binary "$(runtime_bin "$rt")" --runc-root "$CD_RUNC_ROOT/$rt" \
		"${opts[@]}" "$CD_IMAGE" "$id" "$@" </dev/null 2>&1) || rc=$?
	[ "$rc" = 0 ] || fail "$rt: ctr run -d $id failed ($rc): $out"
}

# ctr_task_status ID: RUNNING, PAUSED, STOPPED, CREATED (from ctr task ls).
ctr_task_status() {
	cd_ctr task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}'
}

# ctr_wait_status ID STATUS: bounded (10 s).
ctr_wait_status() {
	local i s
	for i in $(seq 100); do
		s=$(ctr_task_status "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	fail "task $1 is '$s', not '$2'"
}

# ctr_remove ID: kill, delete the task and the container (no error if already gone).
ctr_remove() {
	cd_ctr task kill -a -s KILL "$1" >/dev/null 2>&1 || cd_ctr task kill -s KILL "$1" >/dev/null 2>&1 || true
	ctr_wait_status "$1" STOPPED >/dev/null 2>&1 || true
	cd_ctr task delete -f "$1" >/dev/null 2>&1 || true
	cd_ctr container delete "$1" >/dev/null 2>&1 || true
	return 0
}

# assert_nothing_left_ctr RUNTIME ID: no container, task, snapshot, mount, runtime state or cgroup of ID.
assert_nothing_left_ctr() {
	local rt=$1 id=$2 i
	cd_ctr container ls -q | grep -qx "$id" && fail "$rt: container $id still listed" && return 1
	cd_ctr task ls -q | grep -qx "$id" && fail "$rt: task $id still listed" && return 1
	cd_ctr snapshot ls | awk '{print $1}' | grep -qx "$id" && fail "$rt: snapshot $id left" && return 1
	grep -F "$CD_DIR/" /proc/self/mountinfo | grep -qF "/$id/" && fail "$rt: mounts of $id left: $(grep -F "$CD_DIR/" /proc/self/mountinfo | grep -F "/$id/")" && return 1
	[ ! -e "$CD_RUNC_ROOT/$rt/$CD_NS/$id" ] || fail "$rt: runtime state $CD_RUNC_ROOT/$rt/$CD_NS/$id left" || return 1
	for i in $(seq 30); do
		[ -z "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 4 -type d -path "*/$CD_NS/$id" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	fail "$rt: cgroups of $id left: $(find /sys/fs/cgroup -mindepth 2 -maxdepth 4 -type d -path "*/$CD_NS/$id")"
}

# same RUNTIME-A-VALUE RUNTIME-B-VALUE WHAT: hull's outcome equals runc's.
same() {
	[ "$1" = "$2" ] || fail "$3 differs: hull gave '$1', runc gave '$2'"
}
