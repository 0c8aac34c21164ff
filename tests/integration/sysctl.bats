#!/usr/bin/env bats
# linux.sysctl

load helpers

@test "linux.sysctl sets a network sysctl inside the container only" {
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	want=$((1 - host))
	update_config --arg v "$want" '.linux.sysctl = {"net.ipv4.ip_forward": $v}'
	set_cmd cat /proc/sys/net/ipv4/ip_forward
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "linux.sysctl sets an ipc sysctl inside the container only" {
	host=$(cat /proc/sys/kernel/msgmax)
	update_config '.linux.sysctl = {"kernel.msgmax": "12345"}'
	set_cmd cat /proc/sys/kernel/msgmax
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 12345 ]
	[ "$(cat /proc/sys/kernel/msgmax)" = "$host" ]
}

@test "linux.sysctl accepts several keys, slash-separated ones too" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "net/ipv4/tcp_syncookies": "0", "kernel.shmmni": "1000"}'
	set_cmd cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/tcp_syncookies /proc/sys/kernel/shmmni
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tr '\n' ' ')" = "1 0 1000 " ]
}

@test "a network sysctl without a network namespace is refused and leaves nothing" {
	del_ns network
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	update_config --arg v "$((1 - host))" '.linux.sysctl = {"net.ipv4.ip_forward": $v}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
	assert_nothing_left "$CTR"
}

@test "an unknown sysctl fails create and leaves nothing" {
	update_config '.linux.sysctl = {"kernel.no_such_sysctl": "1"}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

# A namespace joined by path may be the host's own: its sysctls are the host's, not the container's.
# runc: 'sysctl "net.ipv4.ip_forward" not allowed in host network namespace'.  The value written is the
# host's current one, so a runtime that wrongly accepts it changes nothing.
@test "a network sysctl in the host's network namespace joined by path is refused and leaves nothing" {
	update_config --arg v "$(cat /proc/sys/net/ipv4/ip_forward)" '.linux.sysctl = {"net.ipv4.ip_forward": $v}'
	refused_in_host_ns network 'sysctl*net.ipv4.ip_forward*not allowed in host network namespace' ""
}

@test "an ipc sysctl in the host's ipc namespace joined by path is refused" {
	update_config --arg v "$(cat /proc/sys/kernel/shmmni)" '.linux.sysctl = {"kernel.shmmni": $v}'
	refused_in_host_ns ipc 'sysctl "kernel.shmmni" not allowed in host ipc namespace' \
		"runc 1.1.5 checks only net.* against the host's namespace: it wrote the host's kernel.shmmni"
}

@test "a network sysctl in another network namespace joined by path is accepted" {
	ip netns add "$CTR"
	add_ns network "/run/netns/$CTR"
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_cmd cat /proc/sys/net/ipv4/ip_forward
	run hull run "$CTR"
	ip netns del "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$output" = 1 ]
}
