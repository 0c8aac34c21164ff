# engine.bash - what the `hull container` tests share: hull's engine on a store of the test file's own ($STORE), podman
# beside it on a root of its own (runc as its runtime, no network of the host's), the same busybox image loaded into
# both, and the checks that nothing is left behind. Must never touch a store, container or network but the test's.

ENGINE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HULL=${HULL:-$ENGINE_LIB/../../../build/hull}
IMAGE=hull-test/busybox:latest

fail() {
	echo "$*" >&2
	return 1
}

# hc ARGS...: hull's engine on the test file's store
hc() { "$HULL" container --storage "$STORE" "$@"; }

# pm ARGS...: podman on the test file's root, runc as its runtime; its rlimits are ours (podman would raise
# RLIMIT_NOFILE past what this machine lets us), cgroupfs (no systemd), events and logs in files
pm() {
	CONTAINERS_CONF="$PODMAN_CONF" podman --root "$PODMAN_ROOT" --runroot "$PODMAN_RUN" --runtime runc \
		--cgroup-manager cgroupfs --events-backend file "$@"
}

# host_net: what the host's network namespace shows (links, iptables rules): a file that changes it fails
host_net() {
	ip -br link | awk '{print $1}'
	iptables -S 2>/dev/null
	iptables -t nat -S 2>/dev/null
}

# engine_setup_file: the store, podman's root and the image in both (once per file)
engine_setup_file() {
	host_net >"$BATS_FILE_TMPDIR/host-net.before"
	export STORE="$BATS_FILE_TMPDIR/store" PODMAN_ROOT="$BATS_FILE_TMPDIR/podman-root"
	export PODMAN_RUN="$BATS_FILE_TMPDIR/podman-run" PODMAN_CONF="$BATS_FILE_TMPDIR/containers.conf"
	# RLIMIT_NPROC: runc cannot set our own hard limit back on its process here; 4096 is plenty for the tests
	local nofile
	nofile=$(ulimit -Hn)
	# tmp_dir: podman's exit files and alive lock, /run/libpod by default, shared with every other podman here (a
	# test file beside this one resetting its podman removed ours: "timed out waiting for file .../exits/ID")
	printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=4096:4096"]\nnetns = "none"\n[engine]\ntmp_dir = "%s"\n' \
		"$nofile" "$nofile" "$BATS_FILE_TMPDIR/podman-tmp" >"$PODMAN_CONF"
	"$ENGINE_LIB/../../engines/lib/make-image.sh" "$BATS_FILE_TMPDIR/busybox.tar" "$IMAGE" >/dev/null
	"$HULL" image --storage "$STORE" load -i "$BATS_FILE_TMPDIR/busybox.tar" >/dev/null
	if command -v podman >/dev/null; then
		pm load -i "$BATS_FILE_TMPDIR/busybox.tar" >/dev/null 2>&1 || true
	fi
}

# engine_teardown_file: every container of both gone, podman's storage unmounted, nothing of ours mounted
engine_teardown_file() {
	local ids
	ids=$(hc ls -a -q --no-trunc 2>/dev/null) && [ -n "$ids" ] && hc rm -f $ids >/dev/null 2>&1
	if [ -d "$PODMAN_ROOT" ]; then
		pm rm -a -f >/dev/null 2>&1 || true
		pm system reset -f >/dev/null 2>&1 || true
	fi
	grep -F " $BATS_FILE_TMPDIR/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
	host_net | diff "$BATS_FILE_TMPDIR/host-net.before" - >&2 || fail "the host's network changed (above)"
}

# no_leftovers: no container, mount, runtime state, name, netns file or process of ours is left (each check returns on
# its own: callers use it in conditions, where errexit does not stop a function)
no_leftovers() {
	local left
	# a --rm container's monitor deletes its files after it told the client the exit: give it the moment
	wait_for sh -c "! ls -A '$STORE/containers' | grep -q '^\.removed-' && ! pgrep -f -- '--storag[e] $STORE' >/dev/null" ||
		true
	left=$(hc ls -a -q)
	[ -z "$left" ] || { fail "containers left: $left"; return 1; }
	left=$(grep -F " $STORE/" /proc/self/mountinfo | awk '{print $5}')
	[ -z "$left" ] || { fail "mounts left: $left"; return 1; }
	# (runtime/.seccomp-cache is libhull's cache of compiled filters, shared by every container)
	left=$(ls -A "$STORE/containers" "$STORE/names" "$STORE/runtime" 2>/dev/null | grep -v ':$' | grep -v -e '^$' -e '^.seccomp-cache$' || true)
	[ -z "$left" ] || { fail "store entries left: $left"; return 1; }
	left=$(find "$STORE/network" -path '*/netns/*' 2>/dev/null)
	[ -z "$left" ] || { fail "network namespaces left: $left"; return 1; }
	left=$(pgrep -af -- "--storage $STORE" || true)
	[ -z "$left" ] || { fail "monitors left: $left"; return 1; }
}

# wait_for CMD...: until CMD succeeds, at most 10 s
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for: $*"
}

# both ARGS...: `container run --rm --network none ARGS` on hull and podman; $hout/$herr/$hrc and $pout/$perr/$prc
both() {
	hrc=0 prc=0
	hout=$(hc run --rm --network none "$@" 2>"$BATS_TEST_TMPDIR/herr") || hrc=$?
	pout=$(pm run --rm --network none "$@" 2>"$BATS_TEST_TMPDIR/perr") || prc=$?
	herr=$(cat "$BATS_TEST_TMPDIR/herr")
	perr=$(cat "$BATS_TEST_TMPDIR/perr")
}

need_cgroup_v1() { [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] || skip "no cgroup v1 memory controller"; }

same() {
	[ "$hrc" = "$prc" ] || fail "exit codes: hull $hrc, podman $prc (hull stderr: $herr; podman stderr: $perr)"
	[ "$hout" = "$pout" ] || fail "stdout: hull [$hout], podman [$pout]"
}

state_of() { hc inspect "$1" | jq -r '.[0].State.Status'; }
