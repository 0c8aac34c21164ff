#!/usr/bin/env bats
# network.bats - engine/network.c through nettool: --network none (only lo, up, fast), the CNI bridge (two containers
# reach each other, -p answers from the host side, teardown and failures leave nothing behind, a kill between ADD and
# its result file), and the /etc files. Must never touch the host's network: every test runs in a network and mount
# namespace of its own (`unshare -n -m`), and the host's links and iptables rules are compared before and after.

NETTOOL=${NETTOOL:-$BATS_TEST_DIRNAME/../../build/tests/engine/nettool}

setup() {
	host_net_before=$(host_net)
	[ -x "$NETTOOL" ] || skip "build nettool first (ninja -C build)"
	[ -x /usr/lib/cni/bridge ] || skip "containernetworking-plugins is not installed"
	STATE=$BATS_TEST_TMPDIR/state
	export NETTOOL STATE
}

teardown() {
	local after
	if [ -n "${ROOTLESS_DIR:-}" ]; then
		# a slirp4netns that teardown failed to stop: the test's own, by the path on its command line
		for pid in $(pgrep -f -- "--api-socket=$ROOTLESS_DIR/"); do kill "$pid"; done
		rm -rf "$ROOTLESS_DIR"
	fi
	after=$(host_net)
	[ "$after" = "$host_net_before" ] || { diff <(echo "$host_net_before") <(echo "$after"); return 1; }
}

# What the host's network namespace shows: a test that changes it fails in teardown.
host_net() {
	ip -br link | awk '{print $1}'
	iptables -S
	iptables -t nat -S
}

# in_netns SCRIPT: run bash SCRIPT (with `set -e` and the helpers below) in a new network and mount namespace, in the
# test's directory
in_netns() {
	(cd "$BATS_TEST_TMPDIR" &&
		unshare --net --mount --propagation private bash -c "set -e; ip link set lo up; $(declare -f nt ns_of per_container_rules); $1")
}

# nt VERB MODE ID ...: nettool on $STATE
nt() {
	"$NETTOOL" "$STATE" "$@"
}

ns_of() {
	echo "$STATE/netns/$1"
}

# per_container_rules ID: the iptables rules the plugins made for container ID: those naming it in their comment, the
# port map's chain (CNI-DN-hash) and the masquerade chain (CNI-hash); the chains all containers share stay
per_container_rules() {
	{ iptables -S; iptables -t nat -S; } | grep -E "id: ..$1[^a-z0-9]|CNI-DN-|^-N CNI-[0-9a-f]{24}\$" || true
}

@test "none_has_only_lo_and_it_is_up" {
	run in_netns '
		nt setup none c0
		nsenter --net="$(ns_of c0)" ip -br link
		nsenter --net="$(ns_of c0)" ip -br addr
		grep -c "netns/c0" /proc/self/mountinfo
		nt teardown none c0
		[ ! -e "$(ns_of c0)" ]
		! grep "netns/c0" /proc/self/mountinfo'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^[a-z0-9@]* *\(UP\|UNKNOWN\|DOWN\)')" -eq 2 ] # one link, listed twice
	echo "$output" | grep -q '^lo .*<LOOPBACK,UP,LOWER_UP>'
	echo "$output" | grep -q '^lo .* 127.0.0.1/8 ::1/128'
	echo "$output" | grep -q '"ip":"","gateway":""'
}

# (how long a setup takes is a benchmark's figure, never a test's verdict: here 200 of them only have to work)
@test "none_setup_and_teardown_200_times_in_a_row" {
	run in_netns 'nt bench 200'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qE '[0-9]' <<<"$output"
}

@test "bridge_containers_reach_each_other" {
	run in_netns '
		nt setup bridge c1 >out1
		nt setup bridge c2 >out2
		cat out1 out2
		ip1=$(sed "s/.*\"ip\":\"\([^\"]*\)\".*/\1/" out1)
		ip2=$(sed "s/.*\"ip\":\"\([^\"]*\)\".*/\1/" out2)
		nsenter --net="$(ns_of c1)" busybox ping -c1 -W3 "$ip2"
		nsenter --net="$(ns_of c2)" busybox ping -c1 -W3 "$ip1"
		nsenter --net="$(ns_of c2)" ip -br link
		nt teardown bridge c1
		nt teardown bridge c2'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '"ip":"10.89.0.2","gateway":"10.89.0.1"'
	echo "$output" | grep -q '"ip":"10.89.0.3","gateway":"10.89.0.1"'
	[ "$(echo "$output" | grep -c ' 0% packet loss')" -eq 2 ]
	echo "$output" | grep -q '^eth0@.* UP '
}

@test "port_map_answers_from_the_host_side" {
	mkdir "$BATS_TEST_TMPDIR/www"
	echo hull-port-ok >"$BATS_TEST_TMPDIR/www/index.html"
	run in_netns '
		nt setup bridge web -p 8080:80 -p 127.0.0.1:8081:80
		nsenter --net="$(ns_of web)" busybox httpd -f -p 80 -h '"$BATS_TEST_TMPDIR/www"' &
		httpd=$!
		trap "kill $httpd" EXIT
		for i in $(seq 50); do
			nsenter --net="$(ns_of web)" busybox wget -q -O- http://127.0.0.1:80/ >/dev/null 2>&1 && break
			sleep 0.1
		done
		echo "gateway: $(curl -s --max-time 5 http://10.89.0.1:8080/)"
		echo "localhost: $(curl -s --max-time 5 http://127.0.0.1:8081/)"
		nt teardown bridge web
		echo "after: $(curl -s --max-time 2 http://10.89.0.1:8080/ || echo refused)"'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'gateway: hull-port-ok'
	echo "$output" | grep -qx 'localhost: hull-port-ok'
	echo "$output" | grep -qx 'after: refused'
}

@test "teardown_leaves_no_veth_lease_or_rule_and_is_idempotent" {
	run in_netns '
		nt setup bridge c1 -p 8080:80
		echo "during: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules c1 | wc -l) rules"
		nt teardown bridge c1 -p 8080:80
		echo "after: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules c1 | wc -l) rules"
		ls "$STATE/netns" "$STATE/results"
		nt teardown bridge c1 -p 8080:80
		echo second teardown ok'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^during: 1 veth, 1 lease, [1-9][0-9]* rules'
	echo "$output" | grep -qx 'after: 0 veth, 0 lease, 0 rules'
	echo "$output" | grep -qx 'second teardown ok'
	! echo "$output" | grep -q c1.json
}

@test "failing_plugin_gives_one_clear_error_and_leaves_nothing" {
	local fake=$BATS_TEST_TMPDIR/fake
	mkdir "$fake"
	# shadows the real firewall plugin, the last of the list: bridge and portmap have made theirs when it fails
	cat >"$fake/firewall" <<-'EOF'
		#!/bin/sh
		cat >/dev/null
		[ "$CNI_COMMAND" = DEL ] && exit 0
		echo '{"cniVersion":"1.0.0","code":11,"msg":"fake failure","details":"on purpose"}'
		echo "some log line" >&2
		exit 1
	EOF
	chmod +x "$fake/firewall"
	run in_netns '
		HULL_CNI_PATH='"$fake"':/usr/lib/cni nt setup bridge c1 -p 8080:80 2>err && exit 9
		cat err
		echo "lines: $(wc -l <err)"
		echo "after: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules c1 | wc -l) rules"
		ls "$STATE/netns" "$STATE/results" 2>&1 || true'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'nettool: network hull: plugin firewall ADD: fake failure: on purpose (CNI error 11)'
	echo "$output" | grep -qx 'lines: 1'
	echo "$output" | grep -qx 'after: 0 veth, 0 lease, 0 rules'
	! echo "$output" | grep -q 'c1'
}

@test "missing_plugin_is_named" {
	run in_netns 'HULL_CNI_PATH=/nonexistent nt setup bridge c1 && exit 9; ls "$STATE/netns"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 'nettool: network hull: plugin bridge ADD: no executable bridge in /nonexistent' ]
}

@test "kill_between_add_and_result_file_then_teardown_cleans" {
	run in_netns '
		HULL_FAULT=network-after-add nt setup bridge c1 -p 8080:80 && exit 9
		echo "killed: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules c1 | wc -l) rules"
		[ ! -e "$STATE/results/c1.json" ]
		nt teardown bridge c1 -p 8080:80
		echo "after: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules c1 | wc -l) rules"
		ls "$STATE/netns"
		nt teardown bridge c1 -p 8080:80
		echo second teardown ok'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^killed: 1 veth, 1 lease, [1-9][0-9]* rules'
	echo "$output" | grep -qx 'after: 0 veth, 0 lease, 0 rules'
	echo "$output" | grep -qx 'second teardown ok'
}

@test "etc_files_for_bridge_none_and_host" {
	local d=$BATS_TEST_TMPDIR
	mkdir "$d/bridge" "$d/none" "$d/host" "$d/lo" "$d/rootless"
	printf 'search a.example b.example\nnameserver 127.0.0.1\nnameserver 10.1.2.3 # a comment\nnameserver ::1\noptions ndots:2\n' >"$d/resolv"
	printf 'nameserver 127.0.0.1\n' >"$d/resolv-lo"
	run in_netns '
		mount --bind '"$d/resolv"' /etc/resolv.conf
		nt etc bridge '"$d/bridge"' 10.89.0.7 10.89.0.1
		nt etc none '"$d/none"'
		nt etc host '"$d/host"'
		NETTOOL_ROOTLESS=1 nt etc bridge '"$d/rootless"' 10.0.2.100 10.0.2.2
		umount /etc/resolv.conf
		mount --bind '"$d/resolv-lo"' /etc/resolv.conf
		nt etc none '"$d/lo"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$d/bridge/hosts")" = "$(printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.89.0.7\th1 n1\n10.89.0.1\thost.containers.internal')" ]
	[ "$(cat "$d/none/hosts")" = "$(printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\th1 n1')" ]
	[ "$(cat "$d/bridge/resolv.conf")" = "$(printf 'search a.example b.example\nnameserver 10.1.2.3\noptions ndots:2')" ]
	cmp "$d/host/hosts" /etc/hosts
	cmp "$d/host/resolv.conf" "$d/resolv"
	[ "$(cat "$d/lo/resolv.conf")" = "$(printf 'nameserver 8.8.8.8\nnameserver 8.8.4.4')" ]
	# slirp4netns's DNS forwarder first, as podman writes it
	[ "$(cat "$d/rootless/resolv.conf")" = "$(printf 'search a.example b.example\nnameserver 10.0.2.3\nnameserver 10.1.2.3\noptions ndots:2')" ]
}

# Rootless: an unprivileged user (nobody) in a user, network and mount namespace of its own, where the engine would
# run; slirp4netns answers -p in that namespace. This VM's /dev/net/tun is root's only (0600), so the test hands the
# user a 0666 node of its own over it, in a mount namespace of the test.
@test "rootless_bridge_through_slirp4netns_as_an_unprivileged_user" {
	command -v slirp4netns >/dev/null || skip "slirp4netns is not installed"
	ROOTLESS_DIR=$(mktemp -d)
	local d=$ROOTLESS_DIR
	chmod 755 "$d"
	mkdir -m 777 "$d/state"
	mkdir "$d/www" "$d/dev"
	echo hull-slirp-ok >"$d/www/index.html"
	run unshare --mount --propagation private bash -c "
		set -e
		mount -t tmpfs tmpfs $d/dev
		mknod -m 666 $d/dev/tun c 10 200
		mount --bind $d/dev/tun /dev/net/tun
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			unshare --user --map-root-user --net --mount bash -c '
			set -e
			ip link set lo up
			S=$d/state
			NETTOOL_ROOTLESS=1 $NETTOOL \$S setup bridge r1 -p 8080:80
			nsenter --net=\$S/netns/r1 ip -br addr
			nsenter --net=\$S/netns/r1 busybox httpd -f -p 80 -h $d/www &
			httpd=\$!
			trap \"kill \$httpd\" EXIT
			for i in \$(seq 50); do
				nsenter --net=\$S/netns/r1 busybox wget -q -O- http://127.0.0.1/ >/dev/null 2>&1 && break
				sleep 0.1
			done
			echo \"answer: \$(curl -s --max-time 5 http://127.0.0.1:8080/)\"
			NETTOOL_ROOTLESS=1 $NETTOOL \$S teardown bridge r1
			echo \"left: \$(ls \$S/slirp \$S/netns | grep -c r1) files, \$(pgrep -fc \$S/slirp/r1.sock || true) slirp4netns\"
			NETTOOL_ROOTLESS=1 $NETTOOL \$S teardown bridge r1
			echo second teardown ok'"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '"ip":"10.0.2.100","gateway":"10.0.2.2","helper":[1-9]'
	echo "$output" | grep -q '^tap0 .* 10.0.2.100/24'
	echo "$output" | grep -qx 'answer: hull-slirp-ok'
	echo "$output" | grep -qx 'left: 0 files, 0 slirp4netns'
	echo "$output" | grep -qx 'second teardown ok'
}

@test "parallel_setups_get_distinct_addresses_and_parallel_teardowns_leave_nothing" {
	run in_netns '
		for i in 1 2 3 4 5 6; do nt setup bridge p$i -p 80$i:80 >out$i 2>&1 & done
		wait
		cat out*
		echo "addresses: $(cat out* | grep -o "\"ip\":\"10.89.0.[0-9]*\"" | sort -u | wc -l)"
		for i in 1 2 3 4 5 6; do nt teardown bridge p$i -p 80$i:80 & done
		wait
		echo "after: $(ip -br link | grep -c veth) veth, $(ls $STATE/ipam/hull | grep -c ^10.89) lease, $(per_container_rules "p[1-6]" | wc -l) rules"
		ls "$STATE/netns" "$STATE/results"'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'addresses: 6'
	echo "$output" | grep -qx 'after: 0 veth, 0 lease, 0 rules'
	! echo "$output" | grep -qx 'p[1-6]\(.json\)\?'
}

@test "rootless_slirp4netns_failure_is_told_and_leaves_nothing" {
	local fake=$BATS_TEST_TMPDIR/slirp4netns
	printf '#!/bin/sh\necho "open(\\"/dev/net/tun\\"): Permission denied" >&2\necho "child failed(1)" >&2\nexit 1\n' >"$fake"
	chmod +x "$fake"
	run in_netns '
		NETTOOL_ROOTLESS=1 HULL_SLIRP4NETNS='"$fake"' nt setup bridge r1 -p 8080:80 && exit 9
		ls "$STATE/netns" "$STATE/slirp"'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'nettool: network: slirp4netns failed: open("/dev/net/tun"): Permission denied; child failed(1)'
	! echo "$output" | grep -q 'r1'
}
