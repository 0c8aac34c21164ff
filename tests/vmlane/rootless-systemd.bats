#!/usr/bin/env bats
# Rootless hull under a systemd user session (lane B: systemd as PID 1, pure cgroup v2): with
# --systemd-cgroup a non-root user's container gets a transient scope of the user's own systemd manager,
# delegated to the user, so its limits apply, as runc's rootless systemd driver does (features: systemdUser).
# The user is real (tests/integration/rootless.bash) and its user@UID.service is started and stopped here.

load ../integration/helpers
load ../integration/rootless

setup_file() {
	[ "$(cat /proc/1/comm)" = systemd ] || fail "lane B needs systemd as PID 1 (run through tests/vmlane/vm-run.sh --systemd)"
	rl_user_create
	rl_reachable_hull
	systemctl start "user@$RL_UID.service" || fail "could not start user@$RL_UID.service"
	local i
	for i in $(seq 100); do
		[ -S "$RL_XDG/bus" ] && return 0
		sleep 0.1
	done
	fail "no user bus at $RL_XDG/bus (dbus-user-session)"
}

teardown_file() {
	[ -n "${RL_UID:-}" ] && systemctl stop "user@$RL_UID.service" "user-runtime-dir@$RL_UID.service" 2>/dev/null
	rl_user_remove
}

setup() {
	setup_hull
	chown "$RL_USER:" "$BUNDLE" "$OUT"
	rm -f "$BUNDLE/config.json"
	(cd "$BUNDLE" && as_user "$HULL" spec --rootless) || fail "hull spec --rootless failed"
	chown "$RL_USER:" "$BUNDLE/config.json"
	update_config --arg tag "$TAG" '.process.terminal = false | .process.env += [$tag] | .process.args = ["sleep", "1000"]'
	ROOT=$RL_XDG/hull
}

teardown() {
	local id
	for id in $(ls "$ROOT" 2>/dev/null); do
		as_user "$HULL" --systemd-cgroup delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
	done
	teardown_hull
}

# the user's manager's view of a unit: systemctl --user as the user
user_systemctl() { as_user systemctl --user "$@"; }

@test "rootless --systemd-cgroup: a scope of the user's manager, delegated, with the container's limits" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 42}}'
	as_user "$HULL" --systemd-cgroup run -d --bundle "$BUNDLE" "$CTR" </dev/null >/dev/null 2>"$TESTDIR/err" 3>&- ||
		fail "run: $(cat "$TESTDIR/err")"
	local pid cg
	pid=$(as_user "$HULL" state "$CTR" | jq -r .pid)
	[ "$pid" -gt 0 ] || fail "no pid"
	cg=$(awk -F: '$1 == 0 {print $3}' "/proc/$pid/cgroup")
	[[ "$cg" == "/user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/hull-$CTR.scope" ]] ||
		fail "not in the user's manager's scope: $cg"
	[ "$(cat "/sys/fs/cgroup$cg/memory.max")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup$cg/pids.max")" = 42 ]
	# delegated: the scope's directory is the user's
	[ "$(stat -c %u "/sys/fs/cgroup$cg")" = "$RL_UID" ]
	[ "$(user_systemctl show -p Delegate --value "hull-$CTR.scope")" = yes ]
	as_user "$HULL" --systemd-cgroup delete --force "$CTR" </dev/null 3>&-
	[ ! -d "/sys/fs/cgroup$cg" ] || fail "the scope's cgroup is left: $cg"
	assert_nothing_left "$CTR"
}

@test "rootless --systemd-cgroup without a user session fails with one line naming the user's bus" {
	update_config '.process.args = ["true"]'
	run --separate-stderr runuser -u "$RL_USER" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RL_HOME" \
		XDG_RUNTIME_DIR="$TESTDIR/nobus" "$TAG" timeout 60 "$HULL" --root "$ROOT" --systemd-cgroup run --bundle "$BUNDLE" "$CTR"
	[ "$status" -ne 0 ]
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 1 ] || fail "not one line: $stderr"
	[[ "$stderr" == *"connect to the user's bus"* ]] || fail "$stderr"
	assert_nothing_left "$CTR"
}
