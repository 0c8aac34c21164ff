#!/usr/bin/env bats
# linux.netDevices (runtime-spec 1.3): host interfaces moved into the container's network namespace.
#
# The host's interfaces are never touched: each test makes its own network namespace ($NS) with a veth pair
# (v0, v1; this kernel has no dummy driver) and runs the runtime inside it through a wrapper (nsenter --net
# keeps the host's mounts, so cgroups work; ip netns exec would remount /sys). Its "host" is $NS.

load helpers

setup() {
	setup_hull
	command -v ip >/dev/null || skip "no iproute2"
	NS=$CTR
	ip netns add "$NS"
	TEST_NETNS+=("$NS")
	ip -n "$NS" link add v0 type veth peer name v1
	ip -n "$NS" addr add 10.200.0.1/24 dev v0
	ip -n "$NS" addr add fd00:200::1/64 dev v0 nodad
	ip -n "$NS" link set v0 up
	REAL_HULL=$HULL
	HULL=$TESTDIR/hull-in-ns
	printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s "$@"\n' "$NS" "$REAL_HULL" >"$HULL"
	chmod 755 "$HULL"
}

in_ns() { ip -n "$NS" "$@"; }

@test "netdevices: a host interface is moved in renamed, with its addresses and up, and back on delete" {
	requires_feature "linux.netDevices"
	update_config '.linux.netDevices = {"v0": {"name": "ctr0"}}'
	bind_out
	set_cmd sh -c 'ip -o link show ctr0 >/out/link; ip -o addr show ctr0 >/out/addr; ls /sys/class/net >/out/sys; sleep 100'
	run_d "$CTR"
	wait_for_file "$OUT/sys"
	cat "$OUT/link" "$OUT/addr"
	grep -q '<[^>]*\bUP\b' "$OUT/link" || fail "ctr0 is not up: $(cat "$OUT/link")"
	grep -q 'inet 10.200.0.1/24' "$OUT/addr" || fail "IPv4 address lost: $(cat "$OUT/addr")"
	grep -q 'inet6 fd00:200::1/64' "$OUT/addr" || fail "IPv6 address lost: $(cat "$OUT/addr")"
	[ "$(sort "$OUT/sys" | tr '\n' ' ')" = "ctr0 lo " ] || fail "/sys/class/net: $(cat "$OUT/sys")"
	! in_ns link show v0 2>/dev/null || fail "v0 is still in the runtime's namespace"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	run in_ns -o link show v0
	[ "$status" -eq 0 ] || fail "v0 did not come back: $(in_ns -o link)"
	[[ "$output" != *"<"*UP*">"* ]] || fail "v0 came back up (runc sets it down): $output"
	! in_ns link show ctr0 2>/dev/null || fail "the container's name stayed"
}

@test "netdevices: in a namespace joined by path, the interface comes back after the container exited" {
	requires_feature "linux.netDevices"
	local cns=${CTR}_c
	ip netns add "$cns"
	TEST_NETNS+=("$cns")
	add_ns network "/run/netns/$cns"
	update_config '.linux.netDevices = {"v0": {}}'
	set_cmd ip -o addr show v0
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.200.0.1/24"* ]] || fail "$output"
	in_ns link show v0 >/dev/null || fail "v0 did not come back"
	! ip -n "$cns" link show v0 2>/dev/null || fail "v0 stayed in the joined namespace"
}

@test "netdevices: a create that fails after the move gives the interface back" {
	requires_feature "linux.netDevices"
	update_config '.linux.netDevices = {"v0": {"name": "ctr0"}}'
	set_cmd /no/such/program
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	in_ns link show v0 >/dev/null || fail "v0 lost: $(in_ns -o link)"
	assert_nothing_left "$CTR"
}

@test "netdevices: a missing host interface is refused at create and leaves nothing" {
	requires_feature "linux.netDevices"
	update_config '.linux.netDevices = {"v0": {}, "nope0": {"name": "eth1"}}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.netDevices.nope0: no such interface in the runtime's network namespace"* ]] || fail "$output"
	[ "$(echo "$output" | wc -l)" -eq 1 ] || fail "more than one line: $output"
	in_ns link show v0 >/dev/null || fail "v0 was moved anyway"
	assert_nothing_left "$CTR"
}

@test "netdevices: without a network namespace of the container's own it is refused in one line" {
	requires_feature "linux.netDevices"
	del_ns network
	update_config '.linux.netDevices = {"v0": {}}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ "$output" = "hull: config.json: linux.netDevices: needs the container's own network namespace (a new one, or one joined by path): without one the interfaces would stay on the host" ] || fail "$output"
	in_ns link show v0 >/dev/null
	assert_nothing_left "$CTR"
}

@test "netdevices: bad and clashing interface names are refused with their JSON path" {
	requires_feature "linux.netDevices"
	local cfg want
	set_cmd true
	cp config.json config.orig
	while IFS='|' read -r cfg want; do
		cp config.orig config.json
		update_config ".linux.netDevices = $cfg"
		run hull_detached create "$CTR"
		[ "$status" -ne 0 ] || fail "accepted $cfg"
		[[ "$output" == *"$want"* ]] || fail "$cfg: $output"
	done <<'EOF'
{"v0": {"name": "a23456789abcdef0"}}|config.json: linux.netDevices.v0.name: invalid interface name "a23456789abcdef0"
{"v0": {"name": "a/b"}}|config.json: linux.netDevices.v0.name: invalid interface name "a/b"
{"v0": {"name": ".."}}|config.json: linux.netDevices.v0.name: invalid interface name ".."
{"v0": {"name": "a b"}}|config.json: linux.netDevices.v0.name: invalid interface name "a b"
{"x/y": {}}|config.json: linux.netDevices.x/y: invalid interface name "x/y"
{"v0": {"name": "c"}, "v1": {"name": "c"}}|config.json: linux.netDevices.v1: interface name "c" is already taken by linux.netDevices.v0
{"v0": {}, "v1": {"name": "v0"}}|config.json: linux.netDevices.v1: interface name "v0" is already taken by linux.netDevices.v0
{"v0": {"name": 7}}|config.json: linux.netDevices.v0.name: must be a string
{"v0": []}|config.json: linux.netDevices.v0: must be an object
EOF
	in_ns link show v0 >/dev/null
	assert_nothing_left "$CTR"
}

@test "netdevices: into a network namespace owned by the container's user namespace" {
	requires_feature "linux.netDevices"
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.netDevices = {"v0": {"name": "ctr0"}}'
	set_cmd sleep 100
	create_ctr "$CTR"
	run hull exec "$CTR" ip -o addr show ctr0
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"inet 10.200.0.1/24"* ]] || fail "$output"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	in_ns link show v0 >/dev/null || fail "v0 did not come back"
}
