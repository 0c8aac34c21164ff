#!/usr/bin/env bats
# create ID: --bundle/-b, --pid-file, --no-pivot, --no-new-keyring, --preserve-fds.

load helpers

@test "create leaves the container created with init waiting, not running the process" {
	bind_out
	set_cmd sh -c 'echo started > /out/started; exec sleep 1000'
	create_ctr "$CTR"
	[ "$(status_of "$CTR")" = created ]
	pid=$(pid_of "$CTR")
	pid_alive "$pid"
	# The user process has not run yet.
	sleep 0.2
	[ ! -e "$OUT/started" ]
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/started"
	[ "$(status_of "$CTR")" = running ]
}

@test "create defaults the bundle to the current directory" {
	cd "$BUNDLE"
	set_cmd sleep 1000
	create_ctr "$CTR"
	[ "$(state_of "$CTR" bundle)" = "$BUNDLE" ]
}

@test "create --bundle takes the bundle from another directory" {
	set_cmd sleep 1000
	cd /
	create_ctr --bundle "$BUNDLE" "$CTR"
	[ "$(state_of "$CTR" bundle)" = "$BUNDLE" ]
	[ "$(status_of "$CTR")" = created ]
}

@test "create -b takes the bundle from another directory" {
	set_cmd sleep 1000
	cd /
	create_ctr -b "$BUNDLE" "$CTR"
	[ "$(state_of "$CTR" bundle)" = "$BUNDLE" ]
}

@test "create with a relative --bundle records the absolute bundle path" {
	set_cmd sleep 1000
	cd "$TESTDIR"
	create_ctr --bundle bundle "$CTR"
	[ "$(state_of "$CTR" bundle)" = "$BUNDLE" ]
}

@test "create --pid-file writes the init pid, the same as state's pid" {
	set_cmd sleep 1000
	create_ctr --pid-file "$TESTDIR/c1.pid" "$CTR"
	[ -s "$TESTDIR/c1.pid" ]
	run cat "$TESTDIR/c1.pid"
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$output" = "$(pid_of "$CTR")" ]
	pid_alive "$output"
	# It is the init process: its root is the container's rootfs.
	[ "$(stat -L -c %i "/proc/$output/root/bin/busybox")" = "$(stat -c %i "$BUNDLE/rootfs/bin/busybox")" ]
}

@test "create --pid-file with a relative path writes it relative to the current directory" {
	set_cmd sleep 1000
	mkdir "$TESTDIR/cwd"
	cd "$TESTDIR/cwd"
	create_ctr -b "$BUNDLE" --pid-file c1.pid "$CTR"
	[ "$(cat "$TESTDIR/cwd/c1.pid")" = "$(pid_of "$CTR")" ]
}

@test "create --no-pivot runs the container on its rootfs without pivot_root" {
	set_cmd sh -c 'cat /etc/passwd; ls /'
	run hull run --no-pivot "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"root:x:0:0:root:/root:/bin/sh"* ]]
	# The host's files are not there; the bundle's rootfs is.
	[[ "$output" != *"hull-it."* ]]
	[ ! -e "$BUNDLE/rootfs/$(basename "$TESTDIR")" ]
	# and the same with create + start
	set_cmd sleep 1000
	create_ctr --no-pivot "$CTR2"
	run hull start "$CTR2"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR2")" = running ]
	pid=$(pid_of "$CTR2")
	[ "$(stat -L -c %i "/proc/$pid/root/bin/busybox")" = "$(stat -c %i "$BUNDLE/rootfs/bin/busybox")" ]
}

# runc's msMoveRoot: without pivot_root the host's old root stays below the container's; its full procfs would
# let a user namespace made inside the container mount a fresh, unmasked procfs (the kernel allows a new
# procfs while one is fully visible in the mount namespace)
@test "create --no-pivot hides the host's procfs: a user namespace made inside cannot mount a bare /proc" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN", "CAP_SETFCAP", "CAP_SETUID", "CAP_SETGID"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN", "CAP_SETFCAP", "CAP_SETUID", "CAP_SETGID"]
		| .process.capabilities.effective += ["CAP_SYS_ADMIN", "CAP_SETFCAP", "CAP_SETUID", "CAP_SETGID"]'
	set_cmd unshare -mrpf sh -c 'mount -t proc none /proc && echo MOUNTED'
	run hull run --no-pivot "$CTR"
	[ "$status" -ne 0 ] || fail "$output"
	[[ "$output" != *MOUNTED* && "$output" == *"mount: permission denied"* ]] || fail "$output"
	# the same with pivot_root, where the old root is gone
	run hull run "$CTR"
	[ "$status" -ne 0 ] && [[ "$output" == *"mount: permission denied"* ]] || fail "$output"
}

@test "create without --no-new-keyring gives the container a session keyring named after it" {
	[ -r /proc/keys ] || skip "no /proc/keys (CONFIG_KEYS off)"
	set_cmd sleep 1000
	create_ctr "$CTR"
	run grep -c "$CTR" /proc/keys
	[ "$output" -ge 1 ]
}

@test "create --no-new-keyring keeps the caller's session keyring" {
	[ -r /proc/keys ] || skip "no /proc/keys (CONFIG_KEYS off)"
	set_cmd sleep 1000
	create_ctr --no-new-keyring "$CTR"
	[ "$(status_of "$CTR")" = created ]
	run grep -c "$CTR" /proc/keys
	[ "$output" = 0 ]
}

@test "create --preserve-fds passes the extra descriptors to the process" {
	echo three >"$TESTDIR/f3"
	echo four >"$TESTDIR/f4"
	set_cmd sh -c 'cat <&3; cat <&4'
	run env "$TAG" "$HULL" --root "$ROOT" run --preserve-fds 2 "$CTR" 3<"$TESTDIR/f3" 4<"$TESTDIR/f4"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = three ]
	[ "${lines[1]}" = four ]
}

@test "create --preserve-fds with create passes descriptors through start" {
	echo three >"$TESTDIR/f3"
	bind_out
	set_cmd sh -c 'cat <&3 > /out/fd3; exec sleep 1000'
	# Not under bats' run: the container keeps its stdio, which must be a file.
	env "$TAG" "$HULL" --root "$ROOT" create --preserve-fds 1 "$CTR" \
		3<"$TESTDIR/f3" </dev/null >"$TESTDIR/create.out" 2>&1 ||
		fail "create failed: $(cat "$TESTDIR/create.out")"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/fd3"
	[ "$(cat "$OUT/fd3")" = three ]
}

@test "descriptors beyond --preserve-fds are not passed to the process" {
	echo three >"$TESTDIR/f3"
	echo four >"$TESTDIR/f4"
	set_cmd sh -c 'cat <&3; if [ -e /proc/self/fd/4 ]; then echo fd4-open; else echo fd4-closed; fi'
	# fd 3 preserved, fd 4 not: the container must not see fd 4.
	run env "$TAG" "$HULL" --root "$ROOT" run --preserve-fds 1 "$CTR" 3<"$TESTDIR/f3" 4<"$TESTDIR/f4"
	[ "$status" -eq 0 ]
	[[ "$output" == *three* ]]
	[[ "$output" == *fd4-closed* ]]
}

@test "without --preserve-fds only stdio reaches the process" {
	set_cmd ls /proc/self/fd
	run env "$TAG" "$HULL" --root "$ROOT" run "$CTR" 5<"$BUNDLE/config.json" 6>"$TESTDIR/x"
	[ "$status" -eq 0 ]
	# 0, 1, 2 and the directory ls is reading
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "create fails for a duplicate id and leaves the first container alone" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$CTR"* || "$output" == *exist* ]]
	[ "$(status_of "$CTR")" = created ]
	[ "$(pid_of "$CTR")" = "$pid" ]
	pid_alive "$pid"
}

@test "create without an id fails" {
	run hull_detached create
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "create --help describes the create options" {
	run hull create --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--bundle* ]]
	[[ "$output" == *--pid-file* ]]
	[[ "$output" == *--no-pivot* ]]
	[[ "$output" == *--no-new-keyring* ]]
	[[ "$output" == *--preserve-fds* ]]
	[ ! -e "$ROOT/--help" ]
}

@test "LSM fields the host cannot apply are clear errors that leave nothing behind" {
	requires_hull "hull's errors (runc ignores labels without the LSM)"
	[ ! -e /sys/fs/selinux/enforce ] || skip "this host has SELinux"
	set_cmd true
	for f in '.linux.mountLabel = "system_u:object_r:container_file_t:s0"' \
		'.process.selinuxLabel = "system_u:system_r:container_t:s0"'; do
		cp config.json config.orig
		update_config "$f"
		run hull_detached create "$CTR"
		[ "$status" -ne 0 ]
		[[ "$output" == *"SELinux is not enabled on this host"* ]] || fail "$f: $output"
		assert_nothing_left "$CTR"
		mv config.orig config.json
	done
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
		update_config '.process.apparmorProfile = "hull-test"'
		run hull_detached create "$CTR"
		[[ "$output" == *"AppArmor is not enabled on this host"* ]] || fail "$output"
		assert_nothing_left "$CTR"
	fi
	# empty fields are no request
	update_config '.process.apparmorProfile = "" | .linux.mountLabel = "" | .process.selinuxLabel = ""'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
}

# frozen_cg_cleanup REL: thaw and remove REL in every v1 hierarchy (what hull may have made there too).
frozen_cg_cleanup() {
	echo THAWED >"/sys/fs/cgroup/freezer/$1/freezer.state" 2>/dev/null || true
	local d
	for d in /sys/fs/cgroup/*/"$1"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	return 0
}

@test "create in a cgroup that is already frozen fails at once with runc's words and leaves the cgroup" {
	[ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer"
	local rel="hull-it-frozen-$CTR"
	mkdir "/sys/fs/cgroup/freezer/$rel"
	echo FROZEN >"/sys/fs/cgroup/freezer/$rel/freezer.state"
	update_config --arg p "/$rel" '.linux.cgroupsPath = $p'
	set_cmd true
	run --separate-stderr hull_detached create "$CTR"
	local st=$status err=$stderr
	[ -d "/sys/fs/cgroup/freezer/$rel" ]
	local kept=$?
	hull delete --force "$CTR" >/dev/null 2>&1 || true
	frozen_cg_cleanup "$rel"
	[ "$st" -ne 0 ] && [ "$st" -ne 124 ] || fail "create: status $st: $err"
	[[ "$err" == *"container's cgroup unexpectedly frozen"* ]] || fail "$err"
	[ "$kept" -eq 0 ] || fail "the frozen cgroup was removed"
}
