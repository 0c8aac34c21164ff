#!/usr/bin/env bats
# rootless.bats - `hull container` as a real non-root user (made and removed here, with its own /etc/subuid range):
# the store under its XDG_DATA_HOME, its containers in the user and mount namespaces of its pause process, the
# image's root ids mapped to the user and its subordinate ids; beside rootless podman where it runs here.
# Must never leave the user, its processes, its files or a changed /dev/net/tun mode behind.

load lib/engine
load ../integration/rootless

setup_file() {
	export HULL_CMD_TIMEOUT=120 TAG=HULL_ENGINE_ROOTLESS=1
	rl_user_create
	rl_reachable_hull
	"$ENGINE_LIB/../../engines/lib/make-image.sh" "$RL_HOME/busybox.tar" "$IMAGE" >/dev/null
	chown "$RL_USER:" "$RL_HOME/busybox.tar"
	as_user "$HULL" image load -i "$RL_HOME/busybox.tar" >/dev/null
	export RL_STORE=$RL_HOME/.local/share/hull
}

teardown_file() {
	[ -n "${TUN_MODE:-}" ] && chmod "$TUN_MODE" /dev/net/tun
	rl_user_remove
}

# uc ARGS...: `hull container ARGS` as the user
uc() { as_user "$HULL" container "$@" </dev/null; }

@test "rootless_run_is_root_of_a_user_namespace_with_the_subordinate_ids" {
	out=$(uc run --rm --network none "$IMAGE" sh -c 'id -u; cat /proc/self/uid_map | tr -s " " | sed "s/^ //"')
	[ "$(sed -n 1p <<<"$out")" = 0 ]
	[ "$(sed -n 2p <<<"$out")" = "0 $RL_UID 1" ]
	[ "$(sed -n 3p <<<"$out")" = "1 $RL_SUBID $RL_SUBIDS" ]
	# a file the container's uid 1000 writes belongs to the user's subordinate id 999 on the host
	uc run --rm --network none -v "$RL_HOME:/h" "$IMAGE" sh -c 'mkdir /h/d && chown 1000:1000 /h/d'
	[ "$(stat -c %u "$RL_HOME/d")" = $((RL_SUBID + 999)) ]
	uc run --rm --network none -v "$RL_HOME:/h" "$IMAGE" rm -rf /h/d
	[ "$(uc ls -a -q)" = "" ]
}

@test "rootless_store_is_the_user's_and_the_lifecycle_works" {
	[ -d "$RL_STORE/containers" ]
	[ "$(stat -c %U "$RL_STORE")" = "$RL_USER" ]
	uc run -d --name rl1 --network none "$IMAGE" sh -c 'echo up; sleep 1000' >/dev/null
	[ "$(uc inspect rl1 | jq -r '.[0].State.Status')" = running ]
	wait_for sh -c "runuser -u $RL_USER -- env HOME=$RL_HOME $HULL container logs rl1 | grep -q up"
	[ "$(uc exec rl1 sh -c 'echo $((6 * 7))')" = 42 ]
	uc stop -t 1 rl1
	[ "$(uc inspect rl1 | jq -r '.[0].State.ExitCode')" = 137 ]
	uc rm rl1
	[ -z "$(ls -A "$RL_STORE/containers")" ]
	[ -z "$(ls -A "$RL_STORE/network/netns" 2>/dev/null)" ]
}

@test "rootless_host_network_sees_the_host's_interfaces" {
	hl=$(ip -o link | wc -l)
	cl=$(uc run --rm --network host "$IMAGE" sh -c 'ip -o link | wc -l')
	[ "$cl" = "$hl" ]
}

# the user's live pause processes (a killed one may stay a zombie until pid 1 reaps it)
pauses() { ps -U "$RL_UID" -o stat= -o comm= | awk '$1 !~ /^Z/ && $2 == "hull-pause"' | wc -l; }

@test "one_pause_process_serves_every_command_of_the_user" {
	uc run --rm --network none "$IMAGE" true
	uc run --rm --network none "$IMAGE" true
	[ "$(pauses)" = 1 ] || fail "pause processes: $(pgrep -a -U "$RL_UID")"
	# killed, the next command makes another
	pkill -KILL -U "$RL_UID" -x hull-pause
	sleep 0.2
	[ "$(uc run --rm --network none "$IMAGE" echo again)" = again ]
	[ "$(pauses)" = 1 ] || fail "pause processes: $(pgrep -a -U "$RL_UID")"
}

@test "rootless_bridge_network_through_slirp4netns" {
	command -v slirp4netns >/dev/null || skip "no slirp4netns"
	# slirp4netns opens /dev/net/tun as the user: Debian's udev makes it 0666; a VM without udev may not
	TUN_MODE=$(stat -c %a /dev/net/tun)
	chmod 666 /dev/net/tun
	out=$(uc run --rm "$IMAGE" sh -c 'ip -o -4 addr show tap0 | tr -s " " | cut -d" " -f4; head -n 1 /etc/resolv.conf')
	[ "$(sed -n 1p <<<"$out")" = 10.0.2.100/24 ]
	[ "$(sed -n 2p <<<"$out")" = "nameserver 10.0.2.3" ]
	# a published port answers on the host's loopback
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	uc run -d --name web -p "127.0.0.1:$port:8080" "$IMAGE" sh -c 'mkdir /w && echo rootless-web > /w/index.html && exec httpd -f -p 8080 -h /w' >/dev/null
	wait_for sh -c "curl -sf http://127.0.0.1:$port/ | grep -q rootless-web"
	uc rm -f web
	chmod "$TUN_MODE" /dev/net/tun
	TUN_MODE=
	! pgrep -U "$RL_UID" slirp4netns
	[ -z "$(ls -A "$RL_STORE/network/netns" 2>/dev/null)" ]
}
