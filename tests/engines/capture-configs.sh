#!/bin/bash
# capture-configs.sh [OUTDIR] [ENGINE...] - regenerates tests/engines/configs/: the config.json that Docker,
# podman and containerd (ctr) hand their runtime for each case below, captured by a runtime that copies it and
# execs runc.  Must never touch the host's engines (/var/lib/docker, /run/containerd, ...): every engine it
# starts lives in a private temp dir, and everything it started or made is removed on exit, also on failure.
#
# ENGINE is docker, podman or ctr (default: all three).  Fixtures are normalised (see normalise()): per-run
# values become @TMP@, @ID@, @CGPARENT@, @ROOTFS@, @PID@, @NETNS@; everything else is kept as the engine sent it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/configs}
shift || true
engines=${*:-docker podman ctr}
RUNC=${RUNC:-/usr/sbin/runc}
STEP_TIMEOUT=${STEP_TIMEOUT:-90}
mkdir -p "$out"
out=$(cd "$out" && pwd)

[ "$(id -u)" = 0 ] || { echo "capture-configs.sh: must run as root" >&2; exit 1; }

T=$(mktemp -d /tmp/hcap.XXXXXX)
sfx=${T##*.}
CGPARENT=hullcap-$sfx
IMG=hull-test/busybox:latest
failed=()
dockerd_pid=

log() { echo "capture: $*" >&2; }

# Processes whose command line names our temp dir: dockerd, its containerd, shims, conmon.
our_pids() {
	local p
	for p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF "$T" && echo "${p#/proc/}"
	done
	return 0
}

cleanup() {
	set +e
	log "cleaning up $T"
	if [ -S "$T/docker.sock" ]; then
		ids=$(timeout 20 docker -H "unix://$T/docker.sock" ps -aq 2>/dev/null)
		[ -n "$ids" ] && timeout 30 docker -H "unix://$T/docker.sock" rm -f $ids >/dev/null 2>&1
	fi
	if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
		kill "$dockerd_pid"
		timeout 20 tail --pid="$dockerd_pid" -f /dev/null
	fi
	[ -d "$T/proot" ] && timeout 30 "${PODMAN[@]}" rm -af >/dev/null 2>&1
	if [ -f "$T/ctrd.pid" ]; then
		kill "$(cat "$T/ctrd.pid")" 2>/dev/null
		timeout 20 tail --pid="$(cat "$T/ctrd.pid")" -f /dev/null
	fi
	# what is left (shims, a hung daemon): TERM, then KILL
	for sig in TERM KILL; do
		pids=$(our_pids)
		[ -z "$pids" ] && break
		kill -s "$sig" $pids 2>/dev/null
		sleep 1
	done
	# mounts under T, deepest first
	awk -v t="$T" '$5 == t || index($5, t "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m"; done
	# cgroups under our parent (engines) and the ctr namespace, deepest first
	for c in /sys/fs/cgroup/*/"$CGPARENT" /sys/fs/cgroup/*/"hcap$sfx" /sys/fs/cgroup/unified/*/"$CGPARENT"; do
		[ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$T"
	# dockerd makes /run/docker/plugins whatever its --exec-root: remove it if it was not there before and is empty
	[ -n "${made_run_docker:-}" ] && rmdir /run/docker/plugins /run/docker 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the capturing runtime -----------------------------------------------------------------------------
mkdir -p "$T/cap" "$T/vol" "$T/bin"
cat >"$T/bin/capture-runtime" <<EOF
#!/bin/sh
# on create: copy the bundle's config.json to $T/cap/ID.json; then runc with the same arguments
bundle=; create=; prev=; last=
for a in "\$@"; do
	case "\$prev" in --bundle|-b) bundle=\$a ;; esac
	case "\$a" in create) create=1 ;; --bundle=*) bundle=\${a#--bundle=} ;; esac
	prev=\$a; last=\$a
done
if [ -n "\$create" ]; then
	cp "\${bundle:-.}/config.json" "$T/cap/\$last.json"
fi
exec $RUNC "\$@"
EOF
chmod 755 "$T/bin/capture-runtime"
"$here/lib/make-image.sh" "$T/image.tar" "$IMG"
# a shared mount for the rshared volume cases
mount --bind "$T/vol" "$T/vol"
mount --make-shared "$T/vol"

# normalise ENGINE CASE CAPTURED-JSON ID: per-run values become placeholders
normalise() {
	local id=$2
	jq --arg t "$T" --arg id "$id" --arg sid "${id:0:12}" --arg cg "$CGPARENT" --arg ns "hcap$sfx" '
		def norm: if type == "string" then
			(split($t) | join("@TMP@")) | (split($id) | join("@ID@"))
			| (if ($sid | length) == 12 then (split($sid) | join("@ID@")) else . end)
			| (split($cg) | join("@CGPARENT@")) | (split($ns) | join("@NS@"))
			| gsub("/proc/[0-9]+/exe"; "/proc/@PID@/exe")
			| gsub("^/(var/)?run/netns/.*"; "@NETNS@")
			else . end;
		.root.path = "@ROOTFS@" | walk(norm)' "$1"
}

# cap ENGINE CASE CMD...: run the engine command, keep the config its runtime got as ENGINE-CASE.json
cap() {
	local engine=$1 name=$2
	shift 2
	rm -f "$T/cap/"*.json
	if ! timeout "$STEP_TIMEOUT" "$@" >"$T/run.log" 2>&1; then
		log "$engine-$name: engine command failed: $(tail -3 "$T/run.log" | tr '\n' ' ')"
	fi
	local f
	f=$(ls "$T/cap/"*.json 2>/dev/null | head -1)
	if [ -z "$f" ]; then
		log "$engine-$name: NO CONFIG CAPTURED: $(tail -3 "$T/run.log" | tr '\n' ' ')"
		failed+=("$engine-$name")
		return 0
	fi
	local id
	id=$(basename "$f" .json)
	normalise "$f" "$id" >"$out/$engine-$name.json"
	log "$engine-$name: ok"
}

# The cases every engine runs the same way (docker and podman share the flag names).
common_cases() {
	local e=$1
	shift
	local run=("$@")
	cap "$e" default "${run[@]}" "$IMG" true
	cap "$e" privileged "${run[@]}" --privileged "$IMG" true
	cap "$e" device-loop "${run[@]}" --device /dev/loop0 "$IMG" true
	cap "$e" device-loop-renamed-r "${run[@]}" --device /dev/loop0:/dev/xloop:r "$IMG" true
	cap "$e" memory "${run[@]}" --memory 64m "$IMG" true
	cap "$e" memory-reservation "${run[@]}" --memory-reservation 32m "$IMG" true
	cap "$e" memory-swap "${run[@]}" --memory 64m --memory-swap 128m "$IMG" true
	cap "$e" memory-swappiness "${run[@]}" --memory-swappiness 10 "$IMG" true
	cap "$e" kernel-memory "${run[@]}" --kernel-memory 64m "$IMG" true
	cap "$e" oom-kill-disable "${run[@]}" --memory 64m --oom-kill-disable "$IMG" true
	cap "$e" cpus "${run[@]}" --cpus 0.5 "$IMG" true
	cap "$e" cpu-shares "${run[@]}" --cpu-shares 512 "$IMG" true
	cap "$e" cpu-period-quota "${run[@]}" --cpu-period 50000 --cpu-quota 25000 "$IMG" true
	cap "$e" cpuset "${run[@]}" --cpuset-cpus 0 --cpuset-mems 0 "$IMG" true
	cap "$e" pids-limit "${run[@]}" --pids-limit 50 "$IMG" true
	cap "$e" blkio-weight "${run[@]}" --blkio-weight 300 "$IMG" true
	cap "$e" device-bps "${run[@]}" --device-read-bps /dev/vda:1mb --device-write-bps /dev/vda:2mb \
		--device-read-iops /dev/vda:100 --device-write-iops /dev/vda:200 "$IMG" true
	cap "$e" shm-size "${run[@]}" --shm-size 16m "$IMG" true
	cap "$e" read-only "${run[@]}" --read-only "$IMG" true
	cap "$e" cap-add "${run[@]}" --cap-add SYS_ADMIN --cap-add NET_ADMIN "$IMG" true
	cap "$e" cap-drop-all "${run[@]}" --cap-drop ALL "$IMG" true
	cap "$e" cap-drop-all-add-chown "${run[@]}" --cap-drop ALL --cap-add CHOWN "$IMG" true
	cap "$e" seccomp-unconfined "${run[@]}" --security-opt seccomp=unconfined "$IMG" true
	cap "$e" no-new-privileges "${run[@]}" --security-opt no-new-privileges "$IMG" true
	cap "$e" user "${run[@]}" --user 1000:1000 "$IMG" true
	cap "$e" user-group-add "${run[@]}" --user 1000 --group-add 10 "$IMG" true
	cap "$e" tty script -qec "${run[*]} -t $IMG true" /dev/null
	cap "$e" network-none "${run[@]}" --network none "$IMG" true
	cap "$e" network-host "${run[@]}" --network host "$IMG" true
	cap "$e" ipc-host "${run[@]}" --ipc host "$IMG" true
	cap "$e" pid-host "${run[@]}" --pid host "$IMG" true
	cap "$e" sysctl "${run[@]}" --sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=65536 "$IMG" true
	cap "$e" ulimit "${run[@]}" --ulimit nofile=1024:2048 --ulimit nproc=500:600 "$IMG" true
	cap "$e" tmpfs "${run[@]}" --tmpfs /run/x:rw,size=1m,mode=1777 "$IMG" true
	cap "$e" volume-ro "${run[@]}" -v "$T/vol:/mnt/ro:ro" "$IMG" true
	cap "$e" volume-rshared "${run[@]}" -v "$T/vol:/mnt/sh:rshared" "$IMG" true
	cap "$e" init "${run[@]}" --init "${init_path[@]}" "$IMG" true
	cap "$e" hostname "${run[@]}" --hostname hullbox "$IMG" true
	cap "$e" workdir "${run[@]}" --workdir /tmp "$IMG" true
	cap "$e" env "${run[@]}" --env FOO=bar --env EMPTY= "$IMG" true
}

# --- Docker 20.10: a private dockerd with its own containerd -------------------------------------------
capture_docker() {
	[ -e /run/docker ] || made_run_docker=1
	echo '{}' >"$T/daemon.json"
	dockerd --data-root "$T/docker" --exec-root "$T/dx" -H "unix://$T/docker.sock" --pidfile "$T/docker.pid" \
		--config-file "$T/daemon.json" --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
		--userland-proxy=false --storage-driver=vfs --cgroup-parent "/$CGPARENT" \
		--add-runtime "capture=$T/bin/capture-runtime" --log-level=warn >"$T/dockerd.log" 2>&1 &
	dockerd_pid=$!
	export DOCKER_CONFIG=$T/docker-cli
	local D=(docker -H "unix://$T/docker.sock")
	init_path=()
	timeout 60 sh -c "until ${D[*]} version >/dev/null 2>&1; do sleep 0.3; done" ||
		{ log "dockerd did not start: $(tail -5 "$T/dockerd.log")"; return 1; }
	timeout "$STEP_TIMEOUT" "${D[@]}" load -i "$T/image.tar" >/dev/null
	common_cases docker "${D[@]}" run --rm --runtime capture
	cap docker ipc-shareable "${D[@]}" run --rm --runtime capture --ipc shareable "$IMG" true
	cap docker cgroupns-private "${D[@]}" run --rm --runtime capture --cgroupns private "$IMG" true
	timeout 30 "${D[@]}" rm -f $("${D[@]}" ps -aq) >/dev/null 2>&1 || true
	kill "$dockerd_pid"
	timeout 30 tail --pid="$dockerd_pid" -f /dev/null || true
	dockerd_pid=
	unset DOCKER_CONFIG
}

# --- podman 4.3: storage, run and tmp dirs in T ----------------------------------------------------------
PODMAN=(podman --root "$T/proot" --runroot "$T/prun" --tmpdir "$T/ptmp" --volumepath "$T/pvol"
	--network-config-dir "$T/pnet" --storage-driver vfs --cgroup-manager cgroupfs --events-backend none
	--runtime "$T/bin/capture-runtime" --conmon /usr/bin/conmon)
capture_podman() {
	mkdir -p "$T/pnet"
	# the default network would be a CNI bridge with iptables rules on the host: "none" instead
	printf '[containers]\nnetns = "none"\n[engine]\nstatic_dir = "%s"\n' "$T/pstatic" >"$T/containers.conf"
	export CONTAINERS_CONF=$T/containers.conf
	timeout "$STEP_TIMEOUT" "${PODMAN[@]}" load -i "$T/image.tar" >/dev/null
	local run=("${PODMAN[@]}" run --rm --cgroup-parent "/$CGPARENT")
	# Debian's podman has no catatonit: the init podman binds is docker's tini
	init_path=(--init-path /usr/bin/docker-init)
	common_cases podman "${run[@]}"
	cap podman uidmap "${run[@]}" --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$IMG" true
	cap podman ipc-private "${run[@]}" --ipc private "$IMG" true
	cap podman cgroupns-private "${run[@]}" --cgroupns private "$IMG" true
	timeout 30 "${PODMAN[@]}" rm -af >/dev/null 2>&1 || true
	unset CONTAINERS_CONF
}

# --- containerd 1.6 with ctr: a private containerd ------------------------------------------------------
capture_ctr() {
	local sock=$T/ctrd/c.sock
	mkdir -p "$T/ctrd"
	cat >"$T/ctrd/config.toml" <<EOF
version = 2
root = "$T/ctrd/root"
state = "$T/ctrd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.overlayfs"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$T/ctrd/opt"
EOF
	containerd --config "$T/ctrd/config.toml" >"$T/ctrd/log" 2>&1 &
	echo $! >"$T/ctrd.pid"
	local C=(ctr --address "$sock" -n "hcap$sfx")
	timeout 60 sh -c "until ${C[*]} version >/dev/null 2>&1; do sleep 0.3; done" ||
		{ log "containerd did not start: $(tail -5 "$T/ctrd/log")"; return 1; }
	timeout "$STEP_TIMEOUT" "${C[@]}" image import --snapshotter native "$T/image.tar" >/dev/null
	local img=docker.io/$IMG
	local run=("${C[@]}" run --rm --snapshotter native --runc-binary "$T/bin/capture-runtime" --runc-root "$T/ctrd/runc")
	local n=0
	c() { # c CASE FLAGS...: a ctr run with a fresh container id
		local name=$1
		shift
		n=$((n + 1))
		cap ctr "$name" "${run[@]}" "$@" "$img" "hcap$n" true
	}
	c default
	c privileged --privileged
	c device-loop --device /dev/loop0
	c memory --memory-limit 67108864
	c cpus --cpus 0.5
	c cpu-shares --cpu-shares 512
	c cpu-period-quota --cpu-period 50000 --cpu-quota 25000
	c read-only --read-only
	c net-host --net-host
	c cap-add --cap-add CAP_SYS_ADMIN
	c cap-drop --cap-drop CAP_CHOWN --cap-drop CAP_NET_RAW
	c seccomp --seccomp
	c allow-new-privs --allow-new-privs
	c mount-bind-ro --mount "type=bind,src=$T/vol,dst=/mnt/ro,options=rbind:ro"
	c env --env FOO=bar
	c cwd --cwd /tmp
	c rootfs-propagation --rootfs-propagation rslave
	n=$((n + 1))
	cap ctr tty script -qec "${run[*]} -t $img hcap$n true" /dev/null
	kill "$(cat "$T/ctrd.pid")"
	timeout 30 tail --pid="$(cat "$T/ctrd.pid")" -f /dev/null || true
	rm -f "$T/ctrd.pid"
}

for e in $engines; do
	log "engine $e"
	"capture_$e" || failed+=("$e")
done
if [ ${#failed[@]} -gt 0 ]; then
	log "not captured: ${failed[*]}"
	exit 1
fi
log "fixtures in $out: $(ls "$out"/*.json | wc -l)"
# one test per fixture in differential.bats
[ "$out" = "$here/configs" ] && "$here/lib/gen-tests.sh"
exit 0
