#!/usr/bin/env bats
# Rootless hull: a real non-root user (rootless.bash) runs `hull spec --rootless` and `hull run` with no
# other setup; state under its XDG_RUNTIME_DIR, mapped to root in a user namespace, no cgroup of its own.

load helpers
load rootless

setup_file() {
	rl_user_create
	rl_reachable_hull
}

teardown_file() {
	rl_user_remove
}

setup() {
	setup_hull
	# the bundle is the user's (hull spec writes config.json there); the rootfs stays root's, as an image
	chown "$RL_USER:" "$BUNDLE" "$OUT"
	rm -f "$BUNDLE/config.json"
	RL_STATE=$RL_XDG/hull
	# the helpers' checks (assert_nothing_left, teardown) look at the user's default root
	ROOT=$RL_STATE
}

teardown() {
	local id
	for id in $(ls "$RL_STATE" 2>/dev/null); do
		as_user "$HULL" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
	done
	teardown_hull
}

# rl_config ARG...: the user's `hull spec --rootless` config, running ARGs without a terminal, tagged.
rl_config() {
	(cd "$BUNDLE" && as_user "$HULL" spec --rootless) || fail "hull spec --rootless failed"
	local args
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -s -c .)
	update_config --argjson a "$args" --arg tag "$TAG" \
		'.process.args = $a | .process.terminal = false | .process.env += [$tag]'
	chown "$RL_USER:" "$BUNDLE/config.json"
}

# rl_hull ARGS...: hull as the user (no --root: the default, under XDG_RUNTIME_DIR), output like `run`'s.
rl_hull() {
	as_user "$HULL" "$@" </dev/null 3>&-
}

# rl_create ID: create as the user with the container's stdio in files (a kept pipe would hang bats).
rl_create() {
	as_user "$HULL" create --bundle "$BUNDLE" "$1" </dev/null >>"$TESTDIR/ctr.stdout" 2>>"$TESTDIR/ctr.stderr" 3>&-
}

# rl_refused PATTERN: `hull run` as the user fails with one line matching
# PATTERN, and leaves nothing.
rl_refused() {
	run --separate-stderr rl_hull run "$CTR"
	[ "$status" -ne 0 ] || fail "run succeeded: $output"
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 1 ] || fail "not one line: $stderr"
	[[ "$stderr" == $1 ]] || fail "stderr: $stderr"
	assert_nothing_left "$CTR"
}

@test "spec --rootless writes runc's rootless config, mapping the user to root" {
	rl_config sh
	local runc_dir=$TESTDIR/runc-spec
	mkdir "$runc_dir" && chown "$RL_USER:" "$runc_dir"
	(cd "$runc_dir" && as_user "$RUNC_BIN" spec --rootless) || skip "runc spec --rootless failed"
	# the args, terminal, env and the names of the runtime are the test's and each runtime's own
	local strip='del(.process.args, .process.terminal, .process.env, .hostname, .ociVersion)'
	diff <(jq -S "$strip" "$BUNDLE/config.json") <(jq -S "$strip" "$runc_dir/config.json")
	[ "$(jq -c '.linux.uidMappings' "$BUNDLE/config.json")" = "[{\"containerID\":0,\"hostID\":$RL_UID,\"size\":1}]" ]
	[ "$(jq -c '.linux.gidMappings' "$BUNDLE/config.json")" = "[{\"containerID\":0,\"hostID\":$RL_GID,\"size\":1}]" ]
}

@test "a non-root user runs a container as root of its user namespace, its state under XDG_RUNTIME_DIR" {
	rl_config sh -c 'echo id $(id -u) $(id -g); for m in uid_map gid_map; do echo $m $(cat /proc/self/$m); done
		cat /proc/self/setgroups'
	run rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	echo "$output" | grep -qx 'id 0 0' || fail "id inside is not 0 0: $output"
	echo "$output" | grep -qx "uid_map 0 $RL_UID 1" || fail "uid_map: $output"
	echo "$output" | grep -qx "gid_map 0 $RL_GID 1" || fail "gid_map: $output"
	# an unprivileged writer of gid_map must deny setgroups first
	echo "$output" | grep -qx deny || fail "setgroups is not deny: $output"
	assert_nothing_left "$CTR"
}

@test "the rootless container's processes run as the user on the host and state lives in XDG_RUNTIME_DIR/hull" {
	rl_config sleep 1000
	rl_create "$CTR" || fail "create: $(cat "$TESTDIR/ctr.stderr")"
	[ -d "$RL_STATE/$CTR" ] || fail "no state in $RL_STATE/$CTR"
	[ "$(stat -c %u "$RL_STATE/$CTR")" = "$RL_UID" ]
	[ ! -e "$ROOT/$CTR" ] && [ ! -e "/run/hull/$CTR" ]
	rl_hull start "$CTR"
	local pid
	pid=$(rl_hull state "$CTR" | jq -r .pid)
	[ "$pid" -gt 0 ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$RL_UID" ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = "$RL_GID" ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(host_ns user)" ]
	[ "$(rl_hull list -q)" = "$CTR" ]
	[ "$(rl_hull state "$CTR" | jq -r .status)" = running ]
	# exec joins the container: root of its user namespace, in its pid namespace (the user namespace first:
	# only it gives the user the right to join the others)
	run rl_hull exec "$CTR" sh -c 'echo $(id -u) $(cat /proc/self/uid_map) pid1=$(cat /proc/1/comm)'
	[ "$status" -eq 0 ] || fail "exec: $output"
	[ "$output" = "0 0 $RL_UID 1 pid1=sleep" ] || fail "exec: $output"
	# with no cgroup, ps lists the init (and what descends from it)
	[ "$(rl_hull ps --format json "$CTR")" = "[$pid]" ] || fail "ps: $(rl_hull ps --format json "$CTR")"
	rl_hull delete --force "$CTR"
	assert_nothing_left "$CTR"
}

@test "a file made inside a rootless bind lands as the user's uid, a root-owned host file is nobody's inside" {
	touch "$OUT/roots"
	# the rootless rootfs is read-only and root's: the bind goes onto a directory the image has
	rl_config sh -c 'touch /var/made; stat -c %u:%g /var/roots'
	update_config --arg src "$OUT" \
		'.mounts += [{"destination": "/var", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	run rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$(stat -c %u:%g "$OUT/made")" = "$RL_UID:$RL_GID" ]
	echo "$output" | grep -qx '65534:65534' || fail "the host's root file is not nobody's inside: $output"
}

@test "without a delegated cgroup a rootless container runs in silence, as runc's, and makes no cgroup" {
	rl_config true
	run --separate-stderr rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output $stderr"
	# an engine's runtime writes to the container's stderr: a warning would land in its log
	[ -z "$stderr" ] || fail "stderr: $stderr"
	[ -z "$(find /sys/fs/cgroup -maxdepth 5 -type d -name "$CTR" 2>/dev/null)" ]
	# --debug says why
	run --separate-stderr rl_hull --debug run "$CTR"
	[[ "$stderr" == *"cgroups skipped"*"permission denied"* ]] || fail "stderr: $stderr"
}

@test "a rootless cgroupsPath that cannot be made gets one warning line for all hierarchies" {
	rl_config true
	update_config --arg p "hull-rootless-$CTR" '.linux.cgroupsPath = $p'
	run --separate-stderr rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output $stderr"
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 1 ] || fail "not one line on stderr: $stderr"
	[[ "$stderr" == *"warning: cgroups skipped"*"permission denied"* ]] || fail "stderr: $stderr"
	[ -z "$(find /sys/fs/cgroup -maxdepth 5 -type d -name "hull-rootless-$CTR" 2>/dev/null)" ]
}

@test "an empty linux.resources (podman's, rootless) needs no cgroup" {
	rl_config true
	update_config '.linux.resources = {}'
	run --separate-stderr rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output $stderr"
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "rootless linux.resources without a delegated cgroup fail with one error line and leave nothing" {
	rl_config true
	update_config '.linux.resources = {"pids": {"limit": 10}}'
	rl_refused '*linux.resources*'
}

@test "rootless maps beyond the user's own ids go through newuidmap and newgidmap within /etc/subuid" {
	command -v newuidmap >/dev/null || skip "no newuidmap (Debian package uidmap)"
	rl_config sh -c 'cat /proc/self/uid_map /proc/self/gid_map; touch /var/sub; chown 1:2 /var/sub'
	local maps
	maps=$(jq -n --argjson u "$RL_UID" --argjson s "$RL_SUBID" \
		'[{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: $s, size: 65536}]')
	update_config --argjson m "$maps" --argjson g "$RL_GID" --arg src "$OUT" \
		'.linux.uidMappings = $m | .linux.gidMappings = ($m | .[0].hostID = $g) |
		 .process.capabilities |= map_values(. + ["CAP_CHOWN"]) |
		 .mounts += [{"destination": "/var", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	run rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$(echo "$output" | grep -cE "^ *1 +$RL_SUBID +65536\$")" -eq 2 ] || fail "maps: $output"
	# uid 1 and gid 2 inside are the first ids of the subordinate range (+0, +1) on the host
	[ "$(stat -c %u:%g "$OUT/sub")" = "$RL_SUBID:$((RL_SUBID + 1))" ]
	assert_nothing_left "$CTR"
}

@test "a rootless map outside the user's /etc/subuid range fails with one line naming it and leaves nothing" {
	command -v newuidmap >/dev/null || skip "no newuidmap (Debian package uidmap)"
	rl_config true
	local bad=$((RL_SUBID + RL_SUBIDS))
	update_config --argjson u "$RL_UID" --argjson b "$bad" \
		'.linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: $b, size: 1000}]'
	rl_refused '*linux.uidMappings: newuidmap*/etc/subuid*not allowed*'
}

@test "a rootless network sysctl without a network namespace is refused in one line" {
	rl_config true
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	rl_refused '*net.ipv4.ip_forward*network namespace*'
}

@test "a rootless idmapped mount is refused in one line (only the host's root may idmap its filesystems)" {
	rl_config true
	update_config --arg s "$OUT" --argjson m "[{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}]" \
		'.mounts += [{"destination": "/d", "type": "bind", "source": $s, "options": ["bind", "idmap"],
			"uidMappings": $m, "gidMappings": $m}]'
	rl_refused '*mount /d: idmapped mounts need hull to run as root'
}

@test "rootless devices are the host's nodes bound in, and a node the host lacks is refused in one line" {
	rl_config stat -c '%t:%T %F' /dev/kmsg
	update_config '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 420}]'
	run rl_hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	echo "$output" | grep -qx '1:b character special file' || fail "no /dev/kmsg: $output"
	# mknod is not the user's to do: a node the host does not have as listed cannot be made
	update_config '.linux.devices[0].minor = 12'
	rl_refused '*/dev/kmsg*1:12*'
}

@test "without XDG_RUNTIME_DIR a non-root hull keeps its state in the user's /run/user/UID" {
	requires_hull
	rl_config sleep 1000
	runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR "$TAG" "$HULL" create --bundle "$BUNDLE" "$CTR" \
		</dev/null >>"$TESTDIR/ctr.stdout" 2>>"$TESTDIR/ctr.stderr" 3>&- || fail "create: $(cat "$TESTDIR/ctr.stderr")"
	[ -d "$RL_XDG/hull/$CTR" ] || fail "no state in $RL_XDG/hull"
	runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR "$HULL" delete --force "$CTR"
	assert_nothing_left "$CTR"
}

@test "an XDG_RUNTIME_DIR the user cannot write fails create with one line naming it" {
	rl_config true
	run --separate-stderr runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR=/root "$HULL" create --bundle "$BUNDLE" "$CTR"
	[ "$status" -ne 0 ]
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 1 ] || fail "stderr: $stderr"
	[[ "$stderr" == *"/root/hull"*"permission denied"* ]] || fail "stderr: $stderr"
}

@test "--rootless false makes a cgroup the user may not make fatal, in one line; other values are refused" {
	requires_hull
	rl_config true
	run --separate-stderr rl_hull --rootless false run "$CTR"
	[ "$status" -ne 0 ]
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 1 ] || fail "not one line: $stderr"
	[[ "$stderr" == *"create cgroup: mkdir /sys/fs/cgroup/"*"permission denied"* ]] || fail "stderr: $stderr"
	assert_nothing_left "$CTR"
	rl_hull --rootless true run "$CTR"
	rl_hull --rootless auto list -q
	run --separate-stderr rl_hull --rootless sometimes list
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"sometimes"*"--rootless"* ]] || fail "stderr: $stderr"
}

@test "the README's demo runs as a non-root user with hull alone" {
	requires_hull
	[ "${RL_HULL_SOURCE:-$HULL}" = "$REPO_ROOT/build/hull" ] || skip "the demo runs build/hull, not $HULL"
	# the user cannot write the checkout: the demo makes its bundle in /tmp and runs the built hull; a
	# checkout the user cannot read is copied (the demo's scripts and build/hull, nothing else)
	local top=$REPO_ROOT
	if ! runuser -u "$RL_USER" -- test -r "$REPO_ROOT/tools/demo.sh"; then
		top=$TESTDIR/demo-tree
		mkdir -p "$top/tools" "$top/tests/lib" "$top/build"
		cp "$REPO_ROOT/tools/demo.sh" "$top/tools/"
		cp "$REPO_ROOT/tests/lib/make-bundle.sh" "$REPO_ROOT/tests/lib/config.json" "$top/tests/lib/"
		cp "$HULL" "$top/build/hull"
		chmod -R a+rX "$top"
	fi
	run as_user bash "$top/tools/demo.sh"
	[ "$status" -eq 0 ] || fail "demo: $output"
	[[ "$output" == *"hello from hull"* ]] || fail "demo: $output"
	[ -z "$(ls "$RL_STATE" 2>/dev/null)" ] || fail "the demo left state: $(ls "$RL_STATE")"
}
