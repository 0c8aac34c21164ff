#!/usr/bin/env bats
# Namespaces seen from inside: new ones, shared ones, and joined ones (by path).

load helpers

# ns_line NAME: "NAME <link>" lines printed by the container for each namespace.
NS_SCRIPT='for n in cgroup ipc mnt net pid user uts; do echo "$n $(readlink /proc/self/ns/$n)"; done'

ctr_ns() { echo "$output" | awk -v n="$1" '$1 == n {print $2}'; }

@test "the configured namespaces are new and the others are the host's" {
	set_cmd sh -c "$NS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	for n in ipc mnt net pid uts; do
		c=$(ctr_ns "$n")
		[ -n "$c" ] || fail "no $n namespace seen"
		[ "$c" != "$(host_ns "$n")" ] || fail "$n namespace is the host's: $c"
	done
	for n in cgroup user; do
		[ "$(ctr_ns "$n")" = "$(host_ns "$n")" ] || fail "$n namespace is not the host's"
	done
}

@test "a namespace left out of the config is shared with the host" {
	del_ns network
	del_ns ipc
	set_cmd sh -c "$NS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(ctr_ns net)" = "$(host_ns net)" ]
	[ "$(ctr_ns ipc)" = "$(host_ns ipc)" ]
	[ "$(ctr_ns pid)" != "$(host_ns pid)" ]
}

@test "a cgroup namespace is new when configured" {
	add_ns cgroup
	set_cmd sh -c "$NS_SCRIPT; cat /proc/self/cgroup"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(ctr_ns cgroup)" != "$(host_ns cgroup)" ]
	# Inside its own cgroup namespace the container's cgroups are roots.
	echo "$output" | grep -E '^[0-9]+:[^:]*:/$'
}

@test "in a new pid namespace the process is pid 1 and sees no host process" {
	set_cmd sh -c 'echo "pid $$"; ls /proc | grep -c "^[0-9]"'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "pid 1" ]
	# sh, and the ls and grep it runs
	[ "${lines[1]}" -le 3 ]
}

@test "a new network namespace has only a loopback interface" {
	set_cmd cat /proc/net/dev
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk -F: 'NR > 2 {gsub(/ /, "", $1); print $1}')" = lo ]
}

@test "joining a network namespace by path (ip netns add)" {
	command -v ip >/dev/null || skip "no iproute2"
	local ns=$CTR
	ip netns add "$ns"
	TEST_NETNS+=("$ns")
	# a mark to recognise it by from inside
	ip -n "$ns" link set lo mtu 1234
	add_ns network "/run/netns/$ns"
	set_cmd sh -c 'readlink /proc/self/ns/net; ip link show lo'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(ip netns exec "$ns" readlink /proc/self/ns/net)" ]
	[[ "$output" == *"mtu 1234"* ]]
}

@test "joining a network namespace kept by an unshare bind file" {
	touch "$TESTDIR/netns"
	unshare --net="$TESTDIR/netns" true
	TEST_MOUNTS+=("$TESTDIR/netns")
	add_ns network "$TESTDIR/netns"
	set_cmd readlink /proc/self/ns/net
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "net:[$(stat -L -c %i "$TESTDIR/netns")]" ]
	[ "$output" != "$(host_ns net)" ]
}

@test "joining an ipc and a uts namespace by path" {
	touch "$TESTDIR/ipcns" "$TESTDIR/utsns"
	unshare --ipc="$TESTDIR/ipcns" true
	TEST_MOUNTS+=("$TESTDIR/ipcns")
	unshare --uts="$TESTDIR/utsns" hostname joined-uts
	TEST_MOUNTS+=("$TESTDIR/utsns")
	add_ns ipc "$TESTDIR/ipcns"
	add_ns uts "$TESTDIR/utsns"
	update_config 'del(.hostname)'
	set_cmd sh -c 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; hostname'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipc:[$(stat -L -c %i "$TESTDIR/ipcns")]" ]
	[ "${lines[1]}" = "uts:[$(stat -L -c %i "$TESTDIR/utsns")]" ]
	[ "${lines[2]}" = joined-uts ]
}

@test "joining the pid namespace of another container" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	add_ns pid "/proc/$pid/ns/pid"
	set_cmd sh -c 'readlink /proc/self/ns/pid; ps -o comm'
	run hull run "$CTR2"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	# the first container's init is visible
	echo "$output" | grep -qx sleep
}

@test "a namespace path that does not exist fails create and leaves nothing" {
	add_ns network "$TESTDIR/no-such-ns"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a namespace path of the wrong type fails create and leaves nothing" {
	add_ns network "/proc/self/ns/ipc"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	assert_nothing_left "$CTR"
}
