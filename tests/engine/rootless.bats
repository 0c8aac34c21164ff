#!/usr/bin/env bats
# rootless.bats - `hull container` as a real non-root user (made and removed here, with its own /etc/subuid range)
# side by side with that user's rootless podman (4.3: newuidmap/newgidmap, native rootless overlay under the user's
# home; runc, as crun refuses this VM's hybrid cgroups; cgroupfs, events in a file): the same command on both,
# compared from inside and from the host. Not compared: --init (no catatonit here), limits (neither sets them
# rootless on cgroup v1). Must never leave the user, its processes, its mounts or its files behind, nor change the
# host's /dev/net/tun.

load lib/engine
load ../integration/rootless

setup_file() {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	export HULL_CMD_TIMEOUT=120 TAG=HULL_ENGINE_ROOTLESS=1
	rl_user_create
	rl_reachable_hull
	"$ENGINE_LIB/../../engines/lib/make-image.sh" "$RL_HOME/busybox.tar" "$IMAGE" >/dev/null
	chown "$RL_USER:" "$RL_HOME/busybox.tar"
	as_user "$HULL" image load -i "$RL_HOME/busybox.tar" >/dev/null
	export RL_STORE=$RL_HOME/.local/share/hull PM_DIR=$RL_HOME/.pm
	up load -i "$RL_HOME/busybox.tar" >"$BATS_FILE_TMPDIR/podman-load" 2>&1 ||
		fail "rootless podman cannot load the image: $(cat "$BATS_FILE_TMPDIR/podman-load")"
}

teardown_file() {
	# every process of the user (both pause processes, what they hold mounted in their namespaces with them)
	rl_user_remove
}

teardown() {
	local left
	left=$(rl_leftovers)
	[ -z "${TUN_BOUND:-}" ] || tun_close
	rl_clean
	[ -z "$left" ] || fail "left behind: $left"
}

# uc ARGS...: `hull container ARGS` as the user
uc() { as_user "$HULL" container "$@" </dev/null; }

# up ARGS...: the user's rootless podman (its pause process outlives it on purpose: not tagged)
up() {
	RL_UNTAGGED=1 as_user podman --root "$PM_DIR/root" --runroot "$PM_DIR/run" --tmpdir "$PM_DIR/tmp" \
		--storage-driver overlay --runtime runc --cgroup-manager cgroupfs --events-backend file "$@" </dev/null
}

# ub ARGS...: `container run --rm ARGS` as the user on hull and on podman; $hout/$herr/$hrc, $pout/$perr/$prc
ub() {
	hrc=0 prc=0
	hout=$(uc run --rm "$@" 2>"$BATS_TEST_TMPDIR/herr") || hrc=$?
	pout=$(up run --rm "$@" 2>"$BATS_TEST_TMPDIR/perr") || prc=$?
	herr=$(cat "$BATS_TEST_TMPDIR/herr")
	perr=$(cat "$BATS_TEST_TMPDIR/perr")
}

# rm_now E ARGS...: `rm -f ARGS` on engine E (uc or up), killing at once (podman's would wait out the stop timeout)
rm_now() {
	if [ "$1" = up ]; then up rm -f -t 0 "${@:2}"; else uc rm -f "${@:2}"; fi
}

# the user's live processes by name (a killed one may stay a zombie until pid 1 reaps it)
user_procs() { ps -U "$RL_UID" -o stat= -o comm= | awk '$1 !~ /^Z/ { $1 = ""; sub(/^ /, ""); print }' | sort; }
pauses() { user_procs | grep -cx "$1"; }
pause_pid() { ps -U "$RL_UID" -o pid= -o stat= -o comm= | awk -v n="$1" '$2 !~ /^Z/ && substr($0, index($0, $3)) == n { print $1 }'; }

# rl_leftovers: what a test left of either engine, one line each (nothing when clean): processes of the user but
# the two pause processes (podman's conmon cleans up after a container for a moment: waited for), mounts under the
# user's home on the host or in a pause process's mount namespace (where the engines mount their containers),
# hull's records, namespace files and slirp4netns files, podman's containers and their storage.
rl_leftovers() {
	local i procs
	for i in $(seq 50); do
		procs=$(user_procs | grep -vx -e hull-pause -e 'podman pause' | tr '\n' ' ')
		[ -z "$procs" ] && break
		sleep 0.1
	done
	[ -z "$procs" ] || echo "processes: $procs"
	grep -F " $RL_HOME/" /proc/self/mountinfo | awk '{print "host mount: " $5}'
	local name p
	for name in hull-pause 'podman pause'; do
		p=$(pause_pid "$name")
		# (podman's overlay driver keeps its home bound onto itself, private, between containers)
		[ -z "$p" ] || grep -F " $RL_HOME/" "/proc/$p/mountinfo" | awk -v n="$name" -v home="$PM_DIR/root/overlay" \
			'$5 != home {print "mount in " n ": " $5}'
	done
	ls -A "$RL_STORE/containers" "$RL_STORE/names" "$RL_STORE/network/netns" "$RL_STORE/network/slirp" 2>/dev/null |
		grep -v -e ':$' -e '^$' | sed 's/^/hull store: /'
	up ps -a -q 2>/dev/null | sed 's/^/podman container: /'
	find "$PM_DIR/root/overlay-containers" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sed 's/^/podman storage: /'
	return 0
}

# rl_clean: every container of both engines gone, as after a test that failed half way
rl_clean() {
	local ids
	ids=$(uc ls -a -q --no-trunc 2>/dev/null) && [ -n "$ids" ] && uc rm -f $ids >/dev/null 2>&1
	up rm -a -f -t 0 >/dev/null 2>&1
	return 0
}

# a free TCP port on the host's loopback
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# tun_open: a /dev/net/tun the user may open (slirp4netns opens it as the user: Debian's udev makes it 0666, this VM
# has no udev and 0600) in the mount namespaces of both pause processes, where both engines start slirp4netns: a
# 0666 node on a tmpfs mounted there, bound over it. The host's node is never changed (other runs on this machine
# see it as it is); tun_close (teardown) takes the binds away.
tun_open() {
	uc ls -q >/dev/null
	up ps -q >/dev/null
	local name pid dir=$RL_HOME/.tun
	mkdir -p "$dir"
	TUN_BOUND=1
	for name in hull-pause 'podman pause'; do
		pid=$(pause_pid "$name")
		[ -n "$pid" ] || fail "no $name process"
		nsenter -t "$pid" -m sh -c "mount -t tmpfs -o size=4k,mode=755 tun '$dir' && mknod -m 666 '$dir/tun' c 10 200 &&
			mount --bind '$dir/tun' /dev/net/tun && umount -l '$dir'" || fail "$name: cannot bind a tun node"
	done
}

tun_close() {
	local name pid
	for name in hull-pause 'podman pause'; do
		pid=$(pause_pid "$name")
		[ -z "$pid" ] || ! grep -q ' /dev/net/tun ' "/proc/$pid/mountinfo" || nsenter -t "$pid" -m umount /dev/net/tun
	done
	TUN_BOUND=
}

@test "rootless_ids_and_id_maps_are_podman's" {
	ub --network none "$IMAGE" sh -c 'id; cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"'
	same
	# the user is the container's 0, its subordinate range 1 and up
	[ "$hout" = "$(printf 'uid=0(root) gid=0(root)\n0 %s 1\n1 %s %s\n0 %s 1\n1 %s %s' "$RL_UID" "$RL_SUBID" \
		"$RL_SUBIDS" "$RL_GID" "$RL_SUBID" "$RL_SUBIDS")" ] || fail "$hout"
	# from the host the container's processes are the user's
	local e pid
	for e in uc up; do
		$e run -d --name ids --network none "$IMAGE" sleep 1000 >/dev/null
		pid=$($e inspect ids | jq -r '.[0].State.Pid')
		[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$RL_UID" ] || fail "$e: pid $pid not the user's"
		rm_now $e ids >/dev/null
		! kill -0 "$pid" 2>/dev/null || fail "$e: $pid outlived rm"
	done
}

@test "files_the_container's_ids_write_into_a_bind_mount_are_the_subordinate_ids_on_the_host" {
	local e
	for e in uc up; do
		install -d -o "$RL_USER" -g "$RL_USER" "$RL_HOME/b-$e"
		$e run --rm --network none -v "$RL_HOME/b-$e:/b" "$IMAGE" \
			sh -c 'touch /b/root; mkdir /b/u1000 && chown 1000:1000 /b/u1000; touch /b/u5 && chown 5:7 /b/u5'
	done
	local h p
	h=$(cd "$RL_HOME/b-uc" && stat -c '%n %u %g' root u1000 u5)
	p=$(cd "$RL_HOME/b-up" && stat -c '%n %u %g' root u1000 u5)
	[ "$h" = "$p" ] || fail "hull: $h / podman: $p"
	[ "$h" = "$(printf 'root %s %s\nu1000 %s %s\nu5 %s %s' "$RL_UID" "$RL_GID" $((RL_SUBID + 999)) \
		$((RL_SUBID + 999)) $((RL_SUBID + 4)) $((RL_SUBID + 6)))" ] || fail "$h"
	# and back: the container sees its own ids; read-only refuses a write the same way
	ub --network none -v "$RL_HOME/b-uc:/b:ro" "$IMAGE" sh -c 'ls -n /b | tr -s " " | cut -d" " -f3,4,9; touch /b/x'
	same
	[ "$herr" = "touch: /b/x: Read-only file system" ] || fail "$herr"
}

@test "rootless_exit_codes_are_podman's" {
	local args
	for args in "sh -c true" "sh -c 'exit 3'" "sh -c 'kill -9 \$\$'" /etc /nonexistent; do
		eval "ub --network none \"\$IMAGE\" $args"
		same || fail "$args"
	done
	[ "$hrc" = 127 ]
	# the engine's own errors: a flag neither knows, a name that is not an image
	ub --no-such-flag "$IMAGE" true
	[ "$hrc" = 125 ]
	same
	ub --network none 'UPPER/case' true
	[ "$hrc" = 125 ]
	same
}

has_log() { "$1" logs "$2" 2>/dev/null | grep -q "$3"; }

# lifecycle E: run -d, the state, logs, exec (output and exit codes), stop (SIGKILL after 1 s: 137), rm, as the
# user sees them through engine E, one line a step
lifecycle() {
	local e=$1 rc
	$e run -d --name lc --network none "$IMAGE" sh -c 'echo up; exec sleep 1000' >/dev/null || echo "run -d failed"
	echo "state: $($e inspect lc | jq -r '.[0].State | "\(.Status) \(.ExitCode)"')"
	wait_for has_log "$e" lc up 2>/dev/null || echo "no log"
	echo "logs: $($e logs lc)"
	echo "exec: $($e exec lc sh -c 'echo $((6 * 7)) $(id -u)')"
	rc=0; $e exec lc sh -c 'exit 5' || rc=$?; echo "exec exit: $rc"
	rc=0; $e exec lc /etc 2>/dev/null || rc=$?; echo "exec /etc: $rc"
	$e stop -t 1 lc >/dev/null 2>&1 || echo "stop failed"
	echo "stopped: $($e inspect lc | jq -r '.[0].State | "\(.Status) \(.ExitCode)"')"
	echo "logs: $($e logs lc)"
	rc=0; $e start lc >/dev/null || rc=$?; echo "start: $rc $($e inspect lc | jq -r .[0].State.Status)"
	rm_now "$e" lc >/dev/null || echo "rm failed"
	echo "listed: $($e ps -a -q | wc -l)"
}

@test "rootless_run_-d_exec_logs_stop_start_rm_are_podman's" {
	local h p
	h=$(lifecycle uc)
	p=$(lifecycle up)
	[ "$h" = "$p" ] || fail "hull: $h"$'\n'"podman: $p"
	[ "$(sed -n 5p <<<"$h")" = "exec /etc: 126" ] || fail "$h"
	[ "$(sed -n 6p <<<"$h")" = "stopped: exited 137" ] || fail "$h"
	# the store is the user's and holds nothing of the container now
	[ "$(stat -c %U "$RL_STORE")" = "$RL_USER" ]
}

@test "rootless_exec_of_a_missing_command_is_127_as_podman's" {
	local e rc out=
	for e in uc up; do
		$e run -d --name ex --network none "$IMAGE" sleep 1000 >/dev/null
		rc=0; $e exec ex /nonexistent 2>/dev/null || rc=$?
		out+="$e $rc "
		rm_now $e ex >/dev/null
	done
	[ "$out" = "uc 127 up 127 " ] || fail "$out"
}

@test "rootless_host_network_is_podman's" {
	ub --network host "$IMAGE" sh -c 'ip -o link | cut -d: -f2; hostname; cat /etc/resolv.conf'
	same
	[ "$(head -n "$(ip -o link | wc -l)" <<<"$hout")" = "$(ip -o link | cut -d: -f2)" ] || fail "$hout"
}

@test "rootless_slirp4netns_network_is_podman's" {
	command -v slirp4netns >/dev/null || fail "no slirp4netns (Debian's slirp4netns package)"
	tun_open
	# hull's bridge is slirp4netns for a user (podman's rootless bridge is CNI behind a slirp4netns of its own)
	local show='ip -o -4 addr show tap0 | tr -s " " | cut -d" " -f2,4; ip route; cat /etc/resolv.conf'
	hrc=0 prc=0
	hout=$(uc run --rm --network bridge "$IMAGE" sh -c "$show") || hrc=$?
	pout=$(up run --rm --network slirp4netns "$IMAGE" sh -c "$show") || prc=$?
	same
	[ "$(sed -n 1p <<<"$hout")" = "tap0 10.0.2.100/24" ] || fail "$hout"
	[ "$(grep nameserver <<<"$hout" | head -n 1)" = "nameserver 10.0.2.3" ] || fail "$hout"
	# -p: slirp4netns itself listens on the host's loopback for both (podman's port_handler=slirp4netns)
	local e net port answers=
	for e in uc up; do
		net=bridge
		[ $e = uc ] || net=slirp4netns:port_handler=slirp4netns
		port=$(free_port)
		$e run -d --name web --network $net -p "127.0.0.1:$port:8080" "$IMAGE" \
			sh -c 'mkdir /w && echo rootless-web > /w/index.html && exec httpd -f -p 8080 -h /w' >/dev/null
		wait_for sh -c "curl -sf http://127.0.0.1:$port/ | grep -q rootless-web"
		answers+="$(ss -Hltnp "sport = :$port" | grep -o '(("[a-z0-9]*"' | tr -d '("') "
		rm_now $e web >/dev/null
		! curl -sf "http://127.0.0.1:$port/" >/dev/null || fail "$e: port $port still answers after rm"
	done
	[ "$answers" = "slirp4netns slirp4netns " ] || fail "listeners: $answers"
	# a port the host already listens on: both refuse to start the container and keep it, created; podman says
	# what slirp4netns says ("slirp_add_hostfwd failed"), hull why (its own bind of the same port, repeated)
	python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)' \
		>"$BATS_TEST_TMPDIR/port" 3>&- &
	local holder=$!
	wait_for test -s "$BATS_TEST_TMPDIR/port"
	port=$(cat "$BATS_TEST_TMPDIR/port")
	hrc=0 prc=0
	herr=$(uc run -d --name busy --network bridge -p "127.0.0.1:$port:80" "$IMAGE" sleep 1000 2>&1) || hrc=$?
	perr=$(up run -d --name busy --network slirp4netns:port_handler=slirp4netns -p "127.0.0.1:$port:80" "$IMAGE" \
		sleep 1000 2>&1) || prc=$?
	kill "$holder"
	wait "$holder" || true
	[ "$hrc" = 125 ] && [ "$prc" = 126 ] || fail "hull $hrc ($herr), podman $prc ($perr)"
	[ "$herr" = "hull: -p $port:80/tcp: network: slirp4netns cannot listen on 127.0.0.1:$port/tcp: address already in use" ] ||
		fail "$herr"
	[[ "$perr" == *"slirp_add_hostfwd failed"* ]] || fail "$perr"
	[ "$(uc inspect busy | jq -r '.[0].State.Status')" = created ]
	[ "$(up inspect busy | jq -r '.[0].State.Status')" = created ]
	uc rm busy >/dev/null
	up rm busy >/dev/null
}

@test "rootless_bridge_without_/dev/net/tun_fails_as_podman's" {
	! runuser -u "$RL_USER" -- sh -c 'exec 3<>/dev/net/tun' 2>/dev/null || skip "/dev/net/tun is the user's to open here"
	hrc=0 prc=0
	hout=$(uc run --rm --network bridge "$IMAGE" true 2>&1) || hrc=$?
	pout=$(up run --rm --network slirp4netns "$IMAGE" true 2>&1) || prc=$?
	# both name the cause; the exit codes differ: podman 126 (its start failed), hull 125 (an engine error)
	[[ "$hout" == *'open("/dev/net/tun"): Permission denied'* ]] || fail "$hout"
	[[ "$pout" == *'open(\"/dev/net/tun\"): Permission denied'* ]] || fail "$pout"
	[ "$hrc" = 125 ] && [ "$prc" = 126 ] || fail "hull $hrc, podman $prc"
}

@test "rootless_named_and_anonymous_volumes_are_podman's" {
	local e out h p
	for e in uc up; do
		out=$($e run --rm --network none -v rlvol:/v "$IMAGE" sh -c 'echo data > /v/f; chown 1000 /v/f; ls -ln /v | tail -n 1 | tr -s " " | cut -d" " -f3,5,9')
		out+=" / $($e run --rm --network none -v rlvol:/v:ro "$IMAGE" sh -c 'cat /v/f; touch /v/g 2>&1; echo $?')"
		echo "$out" >"$BATS_TEST_TMPDIR/$e"
	done
	h=$(cat "$BATS_TEST_TMPDIR/uc")
	p=$(cat "$BATS_TEST_TMPDIR/up")
	[ "$h" = "$p" ] || fail "hull: $h / podman: $p"
	[ "$h" = "1000 5 f / data"$'\n'"touch: /v/g: Read-only file system"$'\n'1 ] || fail "$h"
	# on the host the volume's file is the subordinate id 999 for both
	[ "$(stat -c %u "$RL_STORE/volumes/rlvol/_data/f")" = $((RL_SUBID + 999)) ]
	[ "$(stat -c %u "$PM_DIR/root/volumes/rlvol/_data/f")" = $((RL_SUBID + 999)) ]
	# an anonymous volume goes with --rm on both
	h=$(ls "$RL_STORE/volumes")
	p=$(ls "$PM_DIR/root/volumes")
	ub --network none -v /anon "$IMAGE" sh -c 'touch /anon/x && echo ok'
	same
	[ "$(ls "$RL_STORE/volumes")" = "$h" ] || fail "hull kept: $(ls "$RL_STORE/volumes")"
	[ "$(ls "$PM_DIR/root/volumes")" = "$p" ] || fail "podman kept: $(ls "$PM_DIR/root/volumes")"
	up volume rm rlvol >/dev/null
}

@test "rootless_read_only_and_tmpfs_are_podman's" {
	# --read-only: the root refuses writes; /tmp, /run, /var/tmp and /dev/shm stay writable (podman's
	# read-only-tmpfs, hull's the same)
	ub --network none --read-only "$IMAGE" sh -c 'touch /x; for d in /tmp /run /var/tmp /dev/shm; do touch $d/x && echo $d; done'
	same
	[ "$herr" = "touch: /x: Read-only file system" ] || fail "$herr"
	ub --network none --tmpfs /t:size=1m,mode=700,exec "$IMAGE" sh -c 'grep " /t " /proc/mounts; ls -lnd /t | cut -c1-10'
	same
	[ "$hout" = "$(printf 'tmpfs /t tmpfs rw,nosuid,nodev,relatime,size=1024k,mode=700,uid=%s,gid=%s 0 0\ndrwx------' \
		"$RL_UID" "$RL_GID")" ] || fail "$hout"
	# without options hull's --tmpfs is noexec as Docker's, podman 4.3's is not
	ub --network none --tmpfs /t "$IMAGE" sh -c 'grep " /t " /proc/mounts | cut -d" " -f4'
	[ "$hout" = "rw,nosuid,nodev,noexec,relatime,uid=$RL_UID,gid=$RL_GID" ] || fail "hull: $hout"
	[ "$pout" = "rw,nosuid,nodev,relatime,uid=$RL_UID,gid=$RL_GID" ] || fail "podman: $pout"
}

@test "rootless_env_workdir_user_hostname_are_podman's" {
	ub --network none -e A=1 -e B=two -w /tmp -u 1000:1000 --hostname rlhost "$IMAGE" \
		sh -c 'echo $A $B; pwd; id -u; id -g; id -G; hostname; grep CapEff /proc/self/status; touch /tmp/f && echo wrote'
	same
	[ "$hout" = "$(printf '1 two\n/tmp\n1000\n1000\n1000\nrlhost\nCapEff:\t0000000000000000\nwrote')" ] || fail "$hout"
	# limits: rootless on cgroup v1 neither engine can set them; both run the container (podman warns)
	ub --network none -m 64m --pids-limit 10 "$IMAGE" echo ran
	same
}

@test "rootless_capabilities_are_podman's_but_for_docker's_three" {
	ub --network none --cap-drop all "$IMAGE" sh -c 'grep Cap /proc/self/status; chown 1 /tmp'
	same
	[ "$(grep CapBnd <<<"$hout")" = "CapBnd:	0000000000000000" ] || fail "$hout"
	ub --network none --cap-drop chown --cap-drop net_raw --cap-drop mknod --cap-drop audit_write "$IMAGE" \
		sh -c 'grep Cap /proc/self/status; chown 1 /tmp'
	same
	# CAP_SYS_ADMIN of the user's namespace: a tmpfs mounts in both
	ub --network none --cap-add sys_admin "$IMAGE" sh -c 'mount -t tmpfs t /tmp && grep " /tmp " /proc/mounts'
	same
	# the defaults: hull's are Docker's, podman 4.3 leaves out NET_RAW, MKNOD and AUDIT_WRITE (bits 13, 27, 29)
	ub --network none "$IMAGE" sh -c 'grep CapBnd /proc/self/status | cut -f2'
	same && fail "the default capabilities are the same now: $hout"
	[ $((0x$hout ^ 0x$pout)) = $(((1 << 13) | (1 << 27) | (1 << 29))) ] || fail "hull $hout, podman $pout"
}

@test "rootless_--uidmap_gives_the_image's_files_to_the_container's_root_as_podman's" {
	# rootless, the layers cannot be idmapped: both chown the image's files to the ids the maps give them
	# (podman in copies of the layers, hull into the container's upper)
	ub --network none --uidmap 0:1:1000 --gidmap 0:1:1000 "$IMAGE" sh -c \
		'id -u; id -g; tr -s " " </proc/self/uid_map; stat -c "%U:%G" /etc /bin /bin/busybox /etc/passwd; touch /x && mkdir /etc/y && echo wrote'
	same
	[ "$(sed -n 3p <<<"$hout")" = " 0 1 1000" ] || fail "uid_map: $hout"
	[ "$(sed -n 4,7p <<<"$hout" | sort -u)" = "root:root" ] || fail "the image's files are not the container root's: $hout"
	# on the host: the container's root is the user's first subordinate id
	uc run --name shifted --network none --uidmap 0:1:1000 --gidmap 0:1:1000 "$IMAGE" touch /made
	id=$(uc inspect shifted | jq -r '.[0].Id')
	[ "$(stat -c %u:%g "$RL_STORE/containers/$id/overlay/upper/made")" = "$RL_SUBID:$RL_SUBID" ] || fail "$(stat -c %u:%g "$RL_STORE/containers/$id/overlay/upper/made")"
	uc rm shifted >/dev/null
	[ -z "$(uc ls -a -q)" ]
}

@test "rootless_limits_are_ignored_with_one_warning_as_podman's_on_cgroup_v1" {
	need_cgroup_v1
	ub --network none -m 32m --cpus 0.5 --pids-limit 50 "$IMAGE" sh -c 'echo ran'
	same
	[ "$herr" = "hull: warning: resource limits are not supported and ignored rootless (the container shares the user's cgroup)" ] || fail "$herr"
	[[ "$perr" == *"Resource limits are not supported and ignored"* ]] || fail "podman: $perr"
	# no warning without limits
	ub --network none "$IMAGE" true
	[ -z "$herr" ] || fail "$herr"
}

@test "every_subordinate_range_of_the_user_is_mapped_as_podman's" {
	# a second range in both files (rl_user_remove takes every line of the user away)
	local second
	second=$(rl_free_subid_start)
	echo "$RL_USER:$second:5000" >>/etc/subuid
	echo "$RL_USER:$second:5000" >>/etc/subgid
	# the maps are made with the pause processes: new ones
	kill -KILL $(pause_pid hull-pause) $(pause_pid 'podman pause')
	ub --network none "$IMAGE" sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"'
	same
	local map
	map=$(printf '0 %s 1\n1 %s %s\n%s %s 5000' "$RL_UID" "$RL_SUBID" "$RL_SUBIDS" $((RL_SUBIDS + 1)) "$second")
	[ "$hout" = "$map"$'\n'"${map/#0 $RL_UID /0 $RL_GID }" ] || fail "$hout"
	# a container id of the second range writes as that host id
	install -d -o "$RL_USER" -g "$RL_USER" "$RL_HOME/r2"
	uc run --rm --network none -v "$RL_HOME/r2:/r" "$IMAGE" sh -c "touch /r/f && chown $((RL_SUBIDS + 2)) /r/f"
	[ "$(stat -c %u "$RL_HOME/r2/f")" = $((second + 1)) ]
	sed -i "/^$RL_USER:$second:/d" /etc/subuid /etc/subgid
	kill -KILL $(pause_pid hull-pause) $(pause_pid 'podman pause')
}

@test "one_pause_process_each_serves_every_command_of_the_user" {
	local e
	for e in uc up; do
		$e run --rm --network none "$IMAGE" true
		$e run --rm --network none "$IMAGE" true
	done
	[ "$(pauses hull-pause)" = 1 ] && [ "$(pauses 'podman pause')" = 1 ] || fail "processes: $(user_procs)"
	# hull's killed, the next command makes another
	kill -KILL "$(pause_pid hull-pause)"
	sleep 0.2
	[ "$(uc run --rm --network none "$IMAGE" echo again)" = again ]
	[ "$(pauses hull-pause)" = 1 ] || fail "processes: $(user_procs)"
}
