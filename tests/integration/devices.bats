#!/usr/bin/env bats
# The default devices and linux.devices.

load helpers

@test "the default devices exist with the right numbers" {
	set_cmd sh -c 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T" /dev/$d)"; done'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c "character special file")" -eq 6 ]
	echo "$output" | grep -qx "null character special file 1:3"
	echo "$output" | grep -qx "zero character special file 1:5"
	echo "$output" | grep -qx "full character special file 1:7"
	echo "$output" | grep -qx "random character special file 1:8"
	echo "$output" | grep -qx "urandom character special file 1:9"
	echo "$output" | grep -qx "tty character special file 5:0"
}

@test "the default devices work" {
	set_cmd sh -c 'echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | wc -c; head -c 8 /dev/urandom | wc -c; echo x > /dev/full || echo full-ok'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = null-ok ]
	[ "${lines[1]}" = 4 ]
	[ "${lines[2]}" = 8 ]
	[[ "$output" == *full-ok* ]]
}

@test "the default /dev symlinks point into /proc/self/fd and pts" {
	set_cmd sh -c 'for l in fd stdin stdout stderr; do echo "$l $(readlink /dev/$l)"; done; [ -e /dev/ptmx ] && echo ptmx-ok'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "fd /proc/self/fd"
	echo "$output" | grep -qx "stdin /proc/self/fd/0"
	echo "$output" | grep -qx "stdout /proc/self/fd/1"
	echo "$output" | grep -qx "stderr /proc/self/fd/2"
	echo "$output" | grep -qx "ptmx-ok"
}

@test "/dev/ptmx stays devpts' link when linux.devices lists the host's ptmx (docker and podman --privileged)" {
	update_config '.linux.devices = [{"path": "/dev/ptmx", "type": "c", "major": 5, "minor": 2, "fileMode": 8630}]'
	set_cmd sh -c 'readlink /dev/ptmx || echo not-a-link'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = pts/ptmx ] || fail "expected the pts/ptmx link, got: $output"
}

@test "/dev holds no host devices" {
	set_cmd sh -c 'ls /dev'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	for d in sda vda kmsg mem loop0; do
		echo "$output" | grep -qx "$d" && fail "/dev/$d leaked into the container"
	done
	true
}

@test "linux.devices creates the node with its type, numbers, mode and owner" {
	update_config '.linux.devices = [
		{"path": "/dev/hullnull", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 1001},
		{"path": "/dev/hullblock", "type": "b", "major": 7, "minor": 200, "fileMode": 384, "uid": 0, "gid": 0}]'
	set_cmd stat -c "%n %F %t:%T %a %u %g" /dev/hullnull /dev/hullblock
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "/dev/hullnull character special file 1:3 660 1000 1001"
	echo "$output" | grep -qx "/dev/hullblock block special file 7:c8 600 0 0"
}

@test "linux.devices creates missing parent directories" {
	update_config '.linux.devices = [{"path": "/dev/sub/dir/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438}]'
	set_cmd sh -c 'stat -c "%F %t:%T" /dev/sub/dir/mynull; echo x > /dev/sub/dir/mynull && echo write-ok'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file 1:3" ]
	[ "${lines[1]}" = write-ok ]
}

@test "a device of an invalid type fails create and leaves nothing" {
	update_config '.linux.devices = [{"path": "/dev/bad", "type": "x", "major": 1, "minor": 3}]'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

# with_caps CAP...: add capabilities to every set of the process.
with_caps() {
	local c
	for c in "$@"; do
		update_config --arg c "$c" '.process.capabilities |= with_entries(.value += [$c])'
	done
}

@test "a node in linux.devices adds no allow rule: /dev/kmsg under a deny-all rule is refused, as on runc" {
	with_caps CAP_SYSLOG
	update_config '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 420}]'
	set_cmd sh -c 'head -n 1 /dev/kmsg >/dev/null && echo read-ok; echo hull-devices-test >/dev/kmsg && echo write-ok; true'
	[ "$(jq -c .linux.resources.devices config.json)" = '[{"allow":false,"access":"rwm"}]' ] || fail "the bundle no longer denies every device"
	run hull run "$CTR"
	[[ "$output" != *read-ok* ]] || fail "/dev/kmsg readable: $output"
	[[ "$output" != *write-ok* ]] || fail "/dev/kmsg writable: $output"
	[ "$(grep -c "Operation not permitted" <<<"$output")" -eq 2 ] || fail "$output"
	# allowed by a rule, the same read works, and only the read
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
	run hull run "$CTR"
	[[ "$output" == *read-ok* ]] || fail "$output"
	[[ "$output" != *write-ok* ]] || fail "/dev/kmsg writable with an \"r\" rule: $output"
}

@test "mknod works with CAP_MKNOD, as runc's default rules allow it" {
	update_config '.root.readonly = false'
	with_caps CAP_MKNOD
	set_cmd sh -c 'mknod /tmp/x c 1 3 && echo hi > /tmp/x && echo mknod-ok'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *mknod-ok* ]]
}

@test "linux.devices fileMode with the node's type bits (podman's S_IFCHR|0600) makes a 0600 node" {
	update_config '.linux.devices = [{"path": "/dev/hullnull", "type": "c", "major": 1, "minor": 3, "fileMode": 8576}]'
	set_cmd stat -c "%F %t:%T %a" /dev/hullnull
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "character special file 1:3 600" ]
}
