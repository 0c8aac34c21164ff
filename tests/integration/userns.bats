#!/usr/bin/env bats
# The user namespace, with uidMappings and gidMappings.

load helpers

setup() {
	setup_hull
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
}

@test "the uid and gid mappings are seen in /proc/self/uid_map and gid_map" {
	set_cmd sh -c 'cat /proc/self/uid_map; echo --; cat /proc/self/gid_map'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | awk '{print $1, $2, $3}')" = "0 100000 65536" ]
	[ "${lines[1]}" = -- ]
	[ "$(echo "${lines[2]}" | awk '{print $1, $2, $3}')" = "0 200000 65536" ]
}

@test "the user namespace is new and the process is root inside it" {
	set_cmd sh -c 'readlink /proc/self/ns/user; id -u; id -g'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(host_ns user)" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
}

@test "the container process runs as the mapped host ids" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "100000 100000 100000 100000" ]
	[ "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "200000 200000 200000 200000" ]
}

@test "a process uid inside the namespace maps to host uid plus offset" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 101000 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 201000 ]
}

@test "host root's files are unmapped (overflow ids) inside the namespace" {
	set_cmd stat -c '%u %g' /bin/busybox
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "65534 65534" ]
}

@test "a user namespace without uid mappings is rejected and leaves nothing" {
	update_config 'del(.linux.uidMappings) | del(.linux.gidMappings)'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "exec joins the user namespace first: the process is mapped root, with the init's namespaces" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull exec "$CTR" sh -c 'for n in user mnt pid net; do readlink /proc/self/ns/$n; done; id -u; cat /proc/self/uid_map'
	[ "$status" -eq 0 ] || fail "$output"
	i=0
	for n in user mnt pid net; do
		[ "${lines[$i]}" = "$(readlink "/proc/$pid/ns/$n")" ] || fail "$n: ${lines[$i]}"
		i=$((i + 1))
	done
	[ "${lines[4]}" = 0 ]
	[ "$(echo "${lines[5]}" | awk '{print $1, $2, $3}')" = "0 100000 65536" ]
	# seen from the host, it runs as the mapped ids
	hull exec -d --pid-file "$TESTDIR/e.pid" "$CTR" sleep 999
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$(cat "$TESTDIR/e.pid")/status")" = 100000 ]
}

@test "exec -t in a user namespace gets a pty of the container's devpts" {
	set_cmd sleep 1000
	run_d "$CTR"
	tty_run -- exec -t "$CTR" sh -c 'tty; stat -c %u /dev/pts/ptmx; exit 3'
	[ "$status" -eq 3 ] || fail "$output"
	[[ "$output" == *"/dev/pts/0"* ]] || fail "$output"
}

# runc opens such sources from the host side (its mount fds); a source that only the host's root can reach
# would otherwise be refused, as podman's 0700 userdata directory is
@test "bind sources the user namespace cannot reach (0700, host root's) are mounted" {
	mkdir -p "$TESTDIR/hidden-1/dir" "$TESTDIR/hidden-2/dir"
	echo one >"$TESTDIR/hidden-1/dir/f"
	echo two >"$TESTDIR/hidden-2/dir/f"
	chmod 700 "$TESTDIR/hidden-1" "$TESTDIR/hidden-2"
	mkdir "$BUNDLE/rootfs/m1" "$BUNDLE/rootfs/m2" # the rootfs is host root's: the mapped root cannot add them
	update_config --arg a "$TESTDIR/hidden-1/dir" --arg b "$TESTDIR/hidden-2/dir" \
		'.mounts += [{"destination": "/m1", "source": $a, "options": ["bind"]},
			{"destination": "/m2", "source": $b, "options": ["rbind", "ro"]}]'
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec "$CTR" sh -c 'cat /m1/f /m2/f; touch /m2/x 2>/dev/null && echo WROTE; true'
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "one
two" ] || fail "$output"
}

# The host's locks travel with a bind into the user namespace: a source the host mounted read-only (or
# nosuid) is not the container root's to make writable, however hull reached the source.
@test "a read-only host mount bound into the user namespace cannot be remounted read-write" {
	mkdir -p "$TESTDIR/ro" "$BUNDLE/rootfs/data"
	# a read-only, nosuid bind of a writable directory: the flags are the mount's, not the filesystem's
	mount --bind "$TESTDIR/ro" "$TESTDIR/ro"
	TEST_MOUNTS+=("$TESTDIR/ro")
	mount -o remount,bind,ro,nosuid "$TESTDIR/ro"
	update_config --arg s "$TESTDIR/ro" '.mounts += [{"destination": "/data", "source": $s, "options": ["rbind"]}]
		| .process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	set_cmd sh -c 'mount -o remount,bind,rw /data && echo REMOUNTED; touch /data/x && echo WROTE; mount -o remount,bind,suid /data && echo SUID; exit 0'
	run hull run "$CTR"
	umount "$TESTDIR/ro"
	TEST_MOUNTS=()
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" != *REMOUNTED* && "$output" != *WROTE* && "$output" != *SUID* ]] || fail "$output"
}

# runc makes the IPC namespace once it is the mapped root: the mqueue filesystem, made with the namespace,
# is the container root's (host uid 100000), not the host root's
@test "/dev/mqueue of the new IPC namespace belongs to the mapped root" {
	set_cmd sh -c 'stat -c %u /dev/mqueue; touch /dev/mqueue/q && echo MADE'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = 0 ] || fail "$output"
	[ "${lines[1]}" = MADE ] || fail "$output"
	set_cmd sleep 1000
	run_d "$CTR"
	[ "$(stat -c %u "/proc/$(pid_of "$CTR")/root/dev/mqueue")" = 100000 ]
}

# The init is non-dumpable, so its /proc/self belongs to the host's root once it became the root of its
# user namespace: oom_score_adj is written while it still has the host's uid (runc: from outside).
@test "process.oomScoreAdj is applied in a user namespace" {
	update_config '.process.oomScoreAdj = 100'
	set_cmd cat /proc/self/oom_score_adj
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$output" = 100 ]
}
