#!/usr/bin/env bats
# bridge.bats - `hull container run` on the CNI bridge (Debian's plugins: bridge, host-local, portmap, firewall):
# two containers reach each other, a published port answers from the host side, rm leaves no veth, lease or rule.
# Must never touch the host's network: each test runs whole in a network and mount namespace of its own.

load lib/engine

setup_file() {
	[ -x /usr/lib/cni/bridge ] || skip "containernetworking-plugins is not installed"
	engine_setup_file
}
teardown_file() { engine_teardown_file; }

# in_netns SCRIPT: bash SCRIPT (set -e, with hc) in a new network and mount namespace, the "host" of its containers
in_netns() {
	IMAGE=$IMAGE unshare --net --mount --propagation private bash -c "set -e; ip link set lo up; $(declare -f hc); $1"
}

@test "two_containers_on_the_bridge_reach_each_other_by_address" {
	run in_netns '
		hc run -d --name a "$IMAGE" sleep 1000 >/dev/null
		ip=$(hc inspect a | jq -r ".[0].NetworkSettings.IPAddress")
		echo "ip=$ip"
		hc run --rm "$IMAGE" ping -c 1 -W 5 "$ip"
		hc run --rm "$IMAGE" sh -c "ip -o -4 addr show eth0 | tr -s \" \" | cut -d\" \" -f4; ip route | head -n 1"
		hc exec a sh -c "grep -c \$(hostname) /etc/hosts"
		hc rm -f a >/dev/null
		ip -br link | grep -c veth || true'
	echo "$output"
	[ "$status" = 0 ]
	grep -qE '^ip=10\.89\.0\.[0-9]+$' <<<"$output"
	grep -q '1 packets received' <<<"$output"
	grep -qE '^10\.89\.0\.[0-9]+/24$' <<<"$output"
	grep -q '^default via 10.89.0.1' <<<"$output"
	[ "$(tail -n 1 <<<"$output")" = 0 ]
}

@test "a_published_port_answers_from_the_host_side_and_goes_with_the_container" {
	run in_netns '
		hc run -d --name web -p 18080:8080 "$IMAGE" sh -c "mkdir /w && echo bridged-web > /w/index.html && exec httpd -f -p 8080 -h /w" >/dev/null
		for i in $(seq 50); do curl -sf http://10.89.0.1:18080/ >/dev/null && break; sleep 0.1; done
		curl -sf http://10.89.0.1:18080/
		hc ls --format json | jq -r ".[0].Ports[0] | \"\(.host_port)->\(.container_port)/\(.protocol)\""
		hc rm -f web >/dev/null
		curl -sf --max-time 2 http://10.89.0.1:18080/ && echo still-answers || echo gone
		iptables -t nat -S | grep -c 18080 || true
		ls "$STORE/network/netns" | wc -l'
	echo "$output"
	[ "$status" = 0 ]
	grep -q '^bridged-web$' <<<"$output"
	grep -q '^18080->8080/tcp$' <<<"$output"
	grep -q '^gone$' <<<"$output"
	[ "$(tail -n 2 <<<"$output" | tr '\n' ' ')" = "0 0 " ]
}

@test "run_--rm_on_the_bridge_releases_its_address" {
	run in_netns '
		for i in 1 2 3; do hc run --rm "$IMAGE" true; done
		test -f "$STORE/network/ipam/hull/last_reserved_ip.0"
		ls "$STORE/network/ipam/hull" | grep -c "^10\." || true'
	echo "$output"
	[ "$status" = 0 ]
	[ "$(tail -n 1 <<<"$output")" = 0 ]
}
