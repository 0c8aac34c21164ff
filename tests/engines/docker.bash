# docker.bash - one private dockerd (Debian's docker.io 20.10, its own containerd) with hull registered as a
# runtime the way the README tells users, plus a private registry, for tests/engines/docker.bats.
# Must never touch the host's Docker (/var/lib/docker, /run/docker.sock, /run/containerd): everything lives
# under DT=$(mktemp -d), the daemon runs in a mount namespace of its own, and teardown_file removes it all.

bats_require_minimum_version 1.5.0

: "${BATS_TEST_TIMEOUT:=120}"

ENGINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$ENGINES_DIR/../.." && pwd)
: "${HULL:=$REPO_ROOT/build/hull}"
RUNC_BIN=/usr/sbin/runc
# Debian's client (20.10), not a newer one earlier in PATH
DOCKER_BIN=${DOCKER_BIN:-/usr/bin/docker}
if [ -z "${TTYHELPER:-}" ]; then
	TTYHELPER=$(dirname "$HULL")/tests/helpers/ttyhelper
	[ -x "$TTYHELPER" ] || TTYHELPER=$REPO_ROOT/build/tests/helpers/ttyhelper
fi
IMG=hull-test/busybox:latest
# the runtimes every check runs on: runc first, so that a wrong test shows on the reference runtime
RUNTIMES=(runc hull)

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# dk ARGS: the docker client of the private daemon, bounded
dk() {
	timeout "${DK_TIMEOUT:-60}" "$DOCKER_BIN" -H "unix://$DT/docker.sock" "$@"
}

# drun RUNTIME ARGS: docker run --rm on RUNTIME, stdin closed
drun() {
	local rt=$1
	shift
	dk run --rm --runtime "$rt" "$@" </dev/null
}

# ---------------------------------------------------------------------------
# the daemon

# The cgroup controllers' hierarchies holding Docker's "docker" parent (cgroup v1 and the unified tree).
docker_cgroup_parents() {
	local d
	for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
		[ -d "$d" ] && echo "$d"
	done
}

# Ids of the containers this daemon ever made: its containers/ directory, ids recorded by tests, and
# every id in its log (that one also names those --rm removed, and those whose create failed).
daemon_container_ids() {
	{
		ls "$DT/data/containers" 2>/dev/null
		cat "$DT/ids" 2>/dev/null
		grep -oE '[0-9a-f]{64}' "$DT/dockerd.log" 2>/dev/null
	} | grep -xE '[0-9a-f]{64}' | sort -u
}

# Processes started by the daemon: those in its mount namespace (dockerd, containerd, the shims, runtimes)
# and those in the cgroups of its containers.
daemon_pids() {
	local ns p id d
	ns=$(cat "$DT/mntns" 2>/dev/null)
	if [ -n "$ns" ]; then
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
		done
	fi
	for id in $(daemon_container_ids); do
		for d in /sys/fs/cgroup/*/docker/"$id"; do
			[ -f "$d/cgroup.procs" ] && cat "$d/cgroup.procs"
		done
	done
	return 0
}

# start_registry: Debian's docker-registry on 127.0.0.1:$REG_PORT, storage and config in DT
start_registry() {
	local i
	REG_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$DT/registry"
	cat >"$DT/registry.yml" <<-EOF
		version: 0.1
		log:
		  level: warn
		storage:
		  filesystem:
		    rootdirectory: $DT/registry
		  delete:
		    enabled: true
		http:
		  addr: 127.0.0.1:$REG_PORT
	EOF
	docker-registry serve "$DT/registry.yml" >"$DT/registry.log" 2>&1 &
	echo $! >"$DT/registry.pid"
	export REG_PORT
	for ((i = 0; i < 100; i++)); do
		curl -fs "http://127.0.0.1:$REG_PORT/v2/" >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$DT/registry.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$DT/registry.log" >&2
	fail "docker-registry did not listen on 127.0.0.1:$REG_PORT"
}

# start_daemon: dockerd with its own containerd, in a private mount namespace where /run is a tmpfs, so
# that neither it nor containerd's shims (which put their sockets under /run/containerd/s) touch the
# host's /run; its overlay, netns and shm mounts vanish with that namespace.
start_daemon() {
	local i
	[ -x "$HULL" ] || fail "HULL=$HULL is not an executable (meson setup build && ninja -C build)" || return 1
	[ -x "$RUNC_BIN" ] || fail "no runc at $RUNC_BIN" || return 1
	command -v dockerd >/dev/null || fail "dockerd is not installed (docker.io)" || return 1
	# the registration users are told to write, with hull's absolute path
	jq -n --arg hull "$(realpath "$HULL")" '{runtimes: {hull: {path: $hull}}}' >"$DT/daemon.json"
	cat >"$DT/dockerd.sh" <<-'EOF'
		#!/bin/sh
		# pid 1 of nothing: the daemon's own mount namespace, with a private /run
		mount --make-rprivate / && mount -t tmpfs -o mode=755 hull-docker-run /run || exit 1
		readlink /proc/self/ns/mnt >"$HULL_DT/mntns"
		exec dockerd "$@"
	EOF
	chmod +x "$DT/dockerd.sh"
	# LIBMOUNT_UTAB: util-linux's mount would otherwise make /run/mount on the host
	HULL_DT=$DT LIBMOUNT_UTAB=$DT/utab unshare --mount --propagation private "$DT/dockerd.sh" \
		--config-file "$DT/daemon.json" --data-root "$DT/data" --exec-root "$DT/exec" \
		--pidfile "$DT/docker.pid" -H "unix://$DT/docker.sock" \
		--bridge=none --iptables=false --ip6tables=false --ip-masq=false \
		--exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2 \
		--userland-proxy=false >"$DT/dockerd.log" 2>&1 &
	echo $! >"$DT/unshare.pid"
	for ((i = 0; i < 300; i++)); do
		DK_TIMEOUT=5 dk version >/dev/null 2>&1 && break
		kill -0 "$(cat "$DT/unshare.pid")" 2>/dev/null || break
		sleep 0.1
	done
	DK_TIMEOUT=5 dk version >/dev/null 2>&1 || {
		tail -30 "$DT/dockerd.log" >&2
		fail "dockerd did not come up"
		return 1
	}
	# its containerd is the one it supervises, under our exec root, not /run/containerd
	grep -q "$DT/exec/containerd/containerd.sock" "$DT/dockerd.log" ||
		fail "dockerd does not use its own containerd under $DT/exec" || return 1
	dk info --format '{{json .Runtimes}}' | jq -e --arg hull "$(realpath "$HULL")" '.hull.path == $hull' >/dev/null ||
		fail "dockerd did not register hull: $(dk info --format '{{json .Runtimes}}')"
}

docker_setup_file() {
	DT=$(mktemp -d /tmp/hull-docker.XXXXXX)
	chmod 755 "$DT"
	export DT
	# whether Docker's parent cgroups were there before: teardown_file removes them only if it made them
	docker_cgroup_parents >"$DT/cgroup-parents.before"
	start_daemon || return 1
	"$ENGINES_DIR/lib/make-image.sh" "$DT/img.tar" "$IMG" >/dev/null || return 1
	dk load -i "$DT/img.tar" >/dev/null || fail "docker load" || return 1
	start_registry || return 1
}

# kill_bounded PIDFILE: TERM, up to 10 s, then KILL
kill_bounded() {
	local pid i
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	return 0
}

# Leaves nothing: also after a failed test, and after a setup_file that failed halfway (it calls this).
docker_teardown_file() {
	# every step is tried, whatever failed before it
	(
		set +e
		remove_daemon
	)
	return 0
}

remove_daemon() {
	[ -n "${DT:-}" ] && [ -d "$DT" ] || return 0
	local id d p i m
	kill_bounded "$DT/registry.pid"
	if [ -S "$DT/docker.sock" ]; then
		daemon_container_ids >"$DT/ids.all"
		# containers first, so that the runtimes tear down what they made
		local all
		all=$(DK_TIMEOUT=10 dk ps -aq 2>/dev/null)
		[ -n "$all" ] && DK_TIMEOUT=30 dk rm -f $all >/dev/null 2>&1
	fi
	# frozen processes do not die: thaw what a failed pause test left
	for id in $(daemon_container_ids); do
		[ -f "/sys/fs/cgroup/freezer/docker/$id/freezer.state" ] && echo THAWED >"/sys/fs/cgroup/freezer/docker/$id/freezer.state"
	done
	# dockerd stops its containerd on SIGTERM
	kill_bounded "$DT/docker.pid"
	kill_bounded "$DT/unshare.pid"
	# whatever is left in the daemon's namespace or its containers' cgroups (shims, container processes)
	for ((i = 0; i < 50; i++)); do
		p=$(daemon_pids | sort -u)
		[ -z "$p" ] && break
		kill -9 $p 2>/dev/null
		sleep 0.1
	done
	# mounts in the host's namespace below DT (there should be none: the daemon's namespace held them)
	for ((i = 0; i < 5; i++)); do
		m=$(awk -v d="$DT" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
		[ -z "$m" ] && break
		for p in $m; do
			umount -l "$p" 2>/dev/null
		done
	done
	# this daemon's containers' cgroups, then Docker's parent if it was not there before (a cgroup whose
	# last process was just killed may take a moment to become removable)
	daemon_container_ids >>"$DT/ids.all"
	for ((i = 0; i < 30; i++)); do
		local left=0
		for id in $(sort -u "$DT/ids.all"); do
			for d in /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id"; do
				[ -d "$d" ] || continue
				find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
				rmdir "$d" 2>/dev/null || left=1
			done
		done
		for d in $(docker_cgroup_parents); do
			grep -qxF "$d" "$DT/cgroup-parents.before" 2>/dev/null || rmdir "$d" 2>/dev/null || left=1
		done
		[ "$left" = 0 ] && break
		sleep 0.1
	done
	rm -rf "$DT"
}

# ---------------------------------------------------------------------------
# per test

docker_setup() {
	[ -n "${DT:-}" ] && [ -S "$DT/docker.sock" ] || fail "no daemon (setup_file failed)" || return 1
	LOG_OFFSET=$(stat -c %s "$DT/dockerd.log")
	TMP=$(mktemp -d "$DT/test.XXXXXX")
	chmod 755 "$TMP"
}

docker_teardown() {
	(
		set +e
		remove_test_containers
	)
	return 0
}

remove_test_containers() {
	local all
	all=$(DK_TIMEOUT=10 dk ps -aq 2>/dev/null)
	if [ -n "$all" ]; then
		# record the ids, so that teardown_file finds their cgroups even if the daemon lost them
		dk inspect --format '{{.Id}}' $all >>"$DT/ids" 2>/dev/null
		DK_TIMEOUT=30 dk rm -f $all >/dev/null 2>&1
	fi
	dk volume prune -f >/dev/null 2>&1
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${LOG_OFFSET:-}" ]; then
		echo "# dockerd's log during this test:" >&2
		tail -c +"$((LOG_OFFSET + 1))" "$DT/dockerd.log" | grep -E 'level=(warning|error|fatal)' | grep -v 'stream copy error' | tail -n 15 | cut -c 1-600 >&2
	fi
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# ---------------------------------------------------------------------------
# helpers for checks

# run_d RUNTIME ARGS: a detached container on RUNTIME; its full id in $CID (and in $DT/ids)
run_d() {
	local rt=$1
	shift
	CID=$(dk run -d --runtime "$rt" "$@" </dev/null) || fail "$rt: docker run -d $*: $CID" || return 1
	echo "$CID" >>"$DT/ids"
}

# inspect ID FORMAT
inspect() {
	dk inspect --format "$2" "$1"
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds, for at most SECONDS (a hang guard:
# callers give wide margins, the verdict never depends on the machine's speed)
wait_for() {
	local end=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# state_is ID STATUS: docker inspect's .State.Status is STATUS
state_is() {
	[ "$(inspect "$1" '{{.State.Status}}')" = "$2" ]
}

# logs_have ID TEXT: the container's logs contain TEXT
logs_have() {
	dk logs "$1" 2>&1 | grep -qF -- "$2"
}

# cg CTRL ID FILE: a cgroup v1 file of Docker's container ID, read from the host
cg() {
	cat "/sys/fs/cgroup/$1/docker/$2/$3"
}

# same WHAT RUNC-VALUE HULL-VALUE: hull's outcome equals runc's
same() {
	[ "$2" = "$3" ] || fail "$1 differs: runc gave
$2
hull gave
$3"
}

# in_terminal OUTFILE INPUT ARGS...: docker ARGS on a pty of its own (40x100) as a person at a terminal
# runs it; INPUT is typed once the prompt '# ' was printed. Status in $status, output in $output.
in_terminal() {
	local out=$1 input=$2
	shift 2
	[ -x "$TTYHELPER" ] || fail "no ttyhelper at $TTYHELPER (ninja -C build)" || return 1
	status=0
	"$TTYHELPER" run -s 40x100 -W '# ' -w 30x90 -I "$input" -t 60 -o "$out" -- \
		"$DOCKER_BIN" -H "unix://$DT/docker.sock" "$@" </dev/null 2>"$out.err" || status=$?
	output=$(cat "$out" "$out.err")
	output=${output//$'\r'/}
}
