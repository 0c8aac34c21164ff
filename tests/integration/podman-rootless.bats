#!/usr/bin/env bats
# Rootless podman (a real non-root user, rootless.bash) with --runtime hull: run, exec, logs, stop, rm,
# --uidmap and --userns=auto, each seen from inside and from the host, the lifecycle compared with runc's.

load helpers
load rootless

IMAGE=localhost/hull-rootless:test

setup_file() {
	command -v podman >/dev/null || return 0
	rl_user_create
	rl_reachable_hull
	# podman's storage, run state and image live here, the user's; removed whole in teardown_file (files of
	# the user's subordinate ids included: root removes them)
	PR_DIR=$(mktemp -d /tmp/hull-podman-rootless.XXXXXX)
	chmod 755 "$PR_DIR"
	chown "$RL_USER:" "$PR_DIR"
	export PR_DIR
	# the image from the test bundle's busybox rootfs, imported offline (no registry here)
	local tpl
	tpl=$(bundle_template)
	tar -C "$tpl/rootfs" -c . | pr_base import - "$IMAGE" >"$PR_DIR/import.log" 2>&1 || {
		cat "$PR_DIR/import.log" >&2
		return 1
	}
}

teardown_file() {
	[ -n "${RL_USER:-}" ] || return 0
	rl_user_remove
	[ -n "${PR_DIR:-}" ] && rm -rf --one-file-system "$PR_DIR"
	return 0
}

# the user's podman with its storage in PR_DIR (vfs: no mount left to undo), cgroupfs (no systemd here),
# events in a file (no journal); podman's pause process outlives it on purpose: not tagged
PODMAN_RL_BASE=(sh -c 'exec podman --root "$PR_DIR/root" --runroot "$PR_DIR/run" --tmpdir "$PR_DIR/tmp" \
	--storage-driver vfs --cgroup-manager cgroupfs --events-backend file "$@"' podman)
pr_base() {
	RL_UNTAGGED=1 as_user env PR_DIR="$PR_DIR" "${PODMAN_RL_BASE[@]}" "$@"
}

setup() {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	setup_hull
	chown "$RL_USER:" "$OUT"
	RUNTIME=$HULL
}

teardown() {
	[ -n "${RL_USER:-}" ] && pr_ rm --force --time 0 --all </dev/null >/dev/null 2>&1 3>&-
	teardown_hull
}

# pr_ ARGS...: the user's podman with $RUNTIME
pr_() {
	pr_base --runtime "$RUNTIME" "$@" </dev/null 3>&-
}

# host_uid PID: the uid the host sees a process run as.
host_uid() { awk '/^Uid:/ {print $2}' "/proc/$1/status"; }

# pr_lifecycle: run -d, exec, logs, stop (the TERM handler's exit code), rm of one container with $RUNTIME;
# prints what a user sees, one line a step, for comparing runtimes.  Checks the host's view on the way.
pr_lifecycle() {
	local name=${CTR}_${RUNTIME##*/}
	pr_ run --pull never -d --name "$name" --network none "$IMAGE" \
		sh -c 'echo started; trap "echo bye; exit 3" TERM; while :; do sleep 0.1; done' >/dev/null ||
		fail "podman run -d with $RUNTIME failed"
	local pid
	pid=$(pr_ inspect -f '{{.State.Pid}}' "$name")
	[ "$pid" -gt 0 ] || fail "no pid"
	# root inside, the user outside
	[ "$(host_uid "$pid")" = "$RL_UID" ] || fail "container runs as host uid $(host_uid "$pid"), not $RL_UID"
	echo "exec: $(pr_ exec "$name" sh -c 'echo $(id -u) $(cat /proc/self/uid_map)')"
	local i
	for i in $(seq "$(tries 50)"); do
		pr_ logs "$name" | grep -q started && break
		sleep 0.1
	done
	echo "logs: $(pr_ logs "$name" | tr '\n' ' ')"
	pr_ stop --time 10 "$name" >/dev/null || fail "podman stop failed"
	echo "exit: $(pr_ inspect -f '{{.State.ExitCode}}' "$name")"
	echo "logs: $(pr_ logs "$name" | tr '\n' ' ')"
	pr_ rm "$name" >/dev/null || fail "podman rm failed"
	! kill -0 "$pid" 2>/dev/null || fail "the container's process $pid outlived podman rm"
	echo "after rm: $(pr_ ps -a --format '{{.Names}}' | grep -c "^$name\$")"
}

@test "rootless podman --runtime hull: run, exec, logs, stop, rm, root inside and the user on the host" {
	run pr_lifecycle
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "exec: 0 0 $RL_UID 1 1 $RL_SUBID $RL_SUBIDS" ] || fail "$output"
	[ "${lines[1]}" = "logs: started " ] || fail "$output"
	[ "${lines[2]}" = "exit: 3" ] || fail "$output"
	[ "${lines[3]}" = "logs: started bye " ] || fail "$output"
	[ "${lines[4]}" = "after rm: 0" ] || fail "$output"
	# hull's state was the user's, under its XDG_RUNTIME_DIR, and is gone
	[ -z "$(ls "$RL_XDG/hull" 2>/dev/null)" ] || fail "state left: $(ls "$RL_XDG/hull")"
}

@test "rootless podman: the same lifecycle under runc and hull looks the same to the user" {
	command -v "$RUNC_BIN" >/dev/null || skip "no runc"
	run pr_lifecycle
	[ "$status" -eq 0 ] || fail "hull: $output"
	local with_hull=$output
	RUNTIME=$RUNC_BIN
	run pr_lifecycle
	[ "$status" -eq 0 ] || fail "runc: $output"
	[ "$with_hull" = "$output" ] || fail "hull: $with_hull / runc: $output"
}

@test "rootless podman run returns the container's exit code and keeps hull's state under XDG_RUNTIME_DIR" {
	pr_ run --pull never -d --name "$CTR" --network none "$IMAGE" sleep 1000 >/dev/null
	local id
	id=$(pr_ inspect -f '{{.Id}}' "$CTR")
	[ -d "$RL_XDG/hull/$id" ] || fail "no hull state in $RL_XDG/hull/$id"
	[ "$(stat -c %u "$RL_XDG/hull/$id")" = "$RL_UID" ]
	pr_ rm --force --time 0 "$CTR" >/dev/null
	[ ! -e "$RL_XDG/hull/$id" ] || fail "state left after rm"
	run pr_ run --pull never --rm --network none "$IMAGE" sh -c 'exit 7'
	[ "$status" -eq 7 ] || fail "($status) $output"
}

@test "rootless podman --uidmap: the container's root is the user's first subordinate id on the host" {
	run pr_ run --pull never --rm --network none --uidmap 0:1:1000 --gidmap 0:1:1000 -v "$OUT:/out" "$IMAGE" \
		sh -c 'cat /proc/self/uid_map; touch /out/made; id -u'
	[ "$status" -eq 0 ] || fail "$output"
	[[ "${lines[0]}" =~ ^\ *0\ +1\ +1000$ ]] || fail "uid_map: $output"
	[ "${lines[1]}" = 0 ]
	# podman's id 1 is the first of the user's /etc/subuid range
	[ "$(stat -c %u:%g "$OUT/made")" = "$RL_SUBID:$RL_SUBID" ]
}

@test "rootless podman --userns=auto: a range of the user's subordinate ids, seen from inside and outside" {
	pr_ run --pull never -d --name "$CTR" --network none --userns=auto "$IMAGE" sleep 1000 >/dev/null ||
		fail "podman run --userns=auto failed"
	local pid map
	pid=$(pr_ inspect -f '{{.State.Pid}}' "$CTR")
	map=$(pr_ exec "$CTR" cat /proc/self/uid_map)
	read -r inside outside size <<<"$map"
	[ "$inside" = 0 ] && [ "$outside" -ge 1 ] && [ "$size" -ge 1024 ] || fail "uid_map: $map"
	[ "$(pr_ exec "$CTR" id -u)" = 0 ]
	# the container's root on the host: podman's id $outside, i.e. the user's subordinate id outside - 1
	[ "$(host_uid "$pid")" = $((RL_SUBID + outside - 1)) ] || fail "host uid $(host_uid "$pid"), map $map"
	pr_ rm --force --time 0 "$CTR" >/dev/null
	! kill -0 "$pid" 2>/dev/null || fail "process $pid outlived rm"
}
