#!/usr/bin/env bats
# podman (with conmon) driving hull as its OCI runtime: a real engine, its console socket and cgroup use.

load helpers

# podman's conmon leaves its own cgroup (libpod_parent/conmon) behind with any runtime: remove it when
# this test made it
setup() {
	setup_hull
	# podman keeps its storage and run state inside the test's temp dir, so nothing of it outlives the test;
	# lane B (tests/vmlane/systemd.sh) runs this file with PODMAN_CGROUP_MANAGER=systemd
	PODMAN=(podman --root "$TESTDIR/podman/root" --runroot "$TESTDIR/podman/run" --tmpdir "$TESTDIR/podman/tmp"
		--storage-driver vfs --runtime "$HULL" --cgroup-manager "${PODMAN_CGROUP_MANAGER:-cgroupfs}")
	PODMAN_CGROUPS_BEFORE=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null || true)
}

teardown() {
	# containers a failed test left running (podman's conmon and the runtime's state live in TESTDIR)
	[ -d "$TESTDIR/podman" ] && podman_ rm --force --time 0 --all </dev/null >/dev/null 2>&1 3>&-
	if [ -z "$PODMAN_CGROUPS_BEFORE" ]; then
		local d
		for d in /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/libpod_parent; do
			[ -d "$d" ] || continue
			find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
			rmdir "$d" 2>/dev/null
		done
	fi
	teardown_hull
}

# podman_ ARGS...: this test's podman, bounded
podman_() {
	timeout 120 "${PODMAN[@]}" "$@"
}

@test "podman --runtime hull runs a container and applies its memory limit" {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	# this host caps the hard RLIMIT_NOFILE below podman's default, so runc fails here too without --ulimit
	# --cgroupns host: /proc/self/cgroup shows the container's cgroup (podman's default on cgroup v2 is private)
	run podman_ run --rm --network none --cgroupns host \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --memory 64m --rootfs "$BUNDLE/rootfs" \
		/bin/sh -c 'echo hello from podman; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; grep -E "^0::|:memory:" /proc/self/cgroup'
	[ "$status" -eq 0 ] || fail "podman: $output"
	[ "${lines[0]}" = "hello from podman" ]
	[ "${lines[1]}" = 67108864 ]
	# under the systemd cgroup manager the container is a transient scope of machine.slice
	if [ "${PODMAN_CGROUP_MANAGER:-cgroupfs}" = systemd ]; then
		[[ "${lines[2]}" == 0::/machine.slice/libpod-*.scope ]] || fail "not in a libpod scope: ${lines[2]}"
	else
		[[ "${lines[2]}" == *:/libpod_parent/libpod-* ]] || fail "not below libpod_parent: ${lines[2]}"
	fi
}

@test "podman --runtime hull returns the container's exit code" {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	run podman_ run --rm --network none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs "$BUNDLE/rootfs" /bin/sh -c 'exit 7'
	[ "$status" -eq 7 ]
}

# podman_run_d [-t] CMD...: a detached container named $CTR from the test bundle's rootfs (-t: with a
# terminal)
podman_run_d() {
	if [ "$1" = -t ]; then
		shift
		podman_run_d_with -t -- "$@"
	else
		podman_run_d_with -- "$@"
	fi
}

# podman_rm: remove $CTR at once (sleep as pid 1 ignores the SIGTERM podman stop sends first)
podman_rm() {
	run podman_ rm --force --time 0 "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "podman rm: $output"
}

# untty: the output of a command that ran on a terminal, without the carriage returns
untty() {
	output=${output//$'\r'/}
	mapfile -t lines <<<"$output"
}

# A shell snippet printing the controlling terminal's number (field 7 of /proc/PID/stat), 0 for none.
CTTY='set -- $(cat /proc/$$/stat); echo ctty-$7'

# podman_in_terminal INPUT PODMAN-ARGS...: podman on a pty of its own, 40x100, as a person at a terminal
# runs it (tests/helpers/ttyhelper: podman is the session leader, in the terminal's foreground process
# group); INPUT is typed once the shell's prompt is there. Output in $output, status in $status.
podman_in_terminal() {
	local input=$1
	shift
	[ -x "$TTYHELPER" ] || fail "no ttyhelper at $TTYHELPER (ninja -C build)"
	status=0
	"$TTYHELPER" run -s 40x100 -W '# ' -I "$input" -t 100 -o "$TESTDIR/podman_tty.out" -- "${PODMAN[@]}" "$@" \
		</dev/null 2>"$TESTDIR/podman_tty.err" 3>&- || status=$?
	output=$(cat "$TESTDIR/podman_tty.out" "$TESTDIR/podman_tty.err")
	untty
}

@test "podman run -t gives the container a terminal through the console socket" {
	# podman's stdin is not a terminal here: the pty is still made, with no size of its own
	run podman_ run --rm -t --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--rootfs "$BUNDLE/rootfs" sh -c "echo tty-is-\$(tty); test -t 0 && echo stdin-is-tty; $CTTY; exit 4" </dev/null
	untty
	[ "$status" -eq 4 ] || fail "podman: $output"
	[[ "${lines[0]}" =~ ^tty-is-/dev/pts/[0-9]+$ ]] || fail "tty: $output"
	[ "${lines[1]}" = stdin-is-tty ]
	[ "${lines[2]}" != ctty-0 ] && [[ "${lines[2]}" =~ ^ctty-[0-9]+$ ]] || fail "no controlling terminal: $output"
}

@test "podman run -it on a terminal passes its size and input to the container's shell" {
	podman_in_terminal $'stty size\recho hi-$((6 * 7))\rexit 9\r' \
		run --rm -it --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs "$BUNDLE/rootfs" sh
	[ "$status" -eq 9 ] || fail "podman ($status): $output"
	# the shell ran the commands typed: their results, not their echo
	[[ "$output" == *$'\n40 100\n'* ]] || fail "no size: $output"
	[[ "$output" == *$'\nhi-42\n'* ]] || fail "no input: $output"
}

@test "podman exec runs a process in a running container and returns its exit code" {
	podman_run_d sleep 1000
	run podman_ exec "$CTR" sh -c 'echo hi; test -t 0 || echo stdin-is-not-tty; tr "\0" " " </proc/1/cmdline; echo; exit 5' </dev/null
	[ "$status" -eq 5 ] || fail "podman exec ($status): $output"
	[ "${lines[0]}" = hi ]
	[ "${lines[1]}" = stdin-is-not-tty ]
	# in the container's pid namespace
	[ "${lines[2]}" = "sleep 1000 " ]
	run podman_ exec "$CTR" true </dev/null
	[ "$status" -eq 0 ]
	podman_rm
}

@test "podman exec -t gives the process a terminal of its own" {
	podman_run_d sleep 1000
	run podman_ exec -t "$CTR" sh -c "echo tty-is-\$(tty); test -t 0 && echo stdin-is-tty; $CTTY; exit 6" </dev/null
	untty
	[ "$status" -eq 6 ] || fail "podman exec -t ($status): $output"
	[[ "${lines[0]}" =~ ^tty-is-/dev/pts/[0-9]+$ ]] || fail "tty: $output"
	[ "${lines[1]}" = stdin-is-tty ]
	[ "${lines[2]}" != ctty-0 ] && [[ "${lines[2]}" =~ ^ctty-[0-9]+$ ]] || fail "no controlling terminal: $output"
	podman_rm
}

@test "podman exec -it into a terminal container runs an interactive shell on a new pty of the terminal's size" {
	podman_run_d -t sleep 1000
	podman_in_terminal $'stty size\recho init-tty-is-$(readlink /proc/1/fd/0) exec-tty-is-$(tty)\rexit 8\r' exec -it "$CTR" sh
	[ "$status" -eq 8 ] || fail "podman exec -it ($status): $output"
	[[ "$output" == *$'\n40 100\n'* ]] || fail "no size: $output"
	[[ "$output" =~ $'\n'init-tty-is-(/dev/pts/[0-9]+)\ exec-tty-is-(/dev/pts/[0-9]+)$'\n' ]] || fail "ttys: $output"
	[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]
	podman_rm
}

@test "podman exec -i passes stdin through a pipe" {
	podman_run_d sleep 1000
	run podman_ exec -i "$CTR" sh -c 'cat; echo done' <<<"from stdin"
	[ "$status" -eq 0 ] || fail "podman exec -i ($status): $output"
	[ "$output" = "from stdin
done" ]
	podman_rm
}

@test "podman exec --user --env --workdir reach the process" {
	podman_run_d sleep 1000
	run podman_ exec --user 65534:65534 --env FOO=bar --workdir /tmp "$CTR" sh -c 'id -u; id -g; echo $FOO; pwd' </dev/null
	[ "$status" -eq 0 ] || fail "podman exec ($status): $output"
	[ "$output" = "65534
65534
bar
/tmp" ]
	podman_rm
}

@test "podman exec of a missing command fails with 127 from the runtime's error" {
	podman_run_d sleep 1000
	# podman maps the runtime's "no such file or directory" to 127, with or without a terminal
	run -127 podman_ exec "$CTR" /nonexistent </dev/null
	[[ "$output" == */nonexistent* ]]
	run -127 podman_ exec -t "$CTR" /nonexistent </dev/null
	# the container is not disturbed
	run podman_ exec "$CTR" true </dev/null
	[ "$status" -eq 0 ]
	podman_rm
}

# podman_id: the full id of $CTR
podman_id() {
	podman_ inspect --format '{{.Id}}' "$CTR" </dev/null
}

# podman_run_d_with OPTS... -- CMD...: podman_run_d with podman run options
podman_run_d_with() {
	local -a OPTS ARGS
	split_opts "$@"
	run podman_ run -d --name "$CTR" --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		"${OPTS[@]}" --rootfs "$BUNDLE/rootfs" "${ARGS[@]}" </dev/null
	[ "$status" -eq 0 ] || fail "podman run -d: $output"
}

# podman_rootfs_run OPTS... -- CMD...: podman run --rm of the test bundle's rootfs with this host's ulimits
# and no network
podman_rootfs_run() {
	local -a OPTS ARGS
	split_opts "$@"
	run podman_ run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "${OPTS[@]}" \
		--rootfs "$BUNDLE/rootfs" "${ARGS[@]}" </dev/null
}

@test "podman run --device passes a host character device the container can read" {
	podman_rootfs_run --device /dev/full:/dev/myfull -- \
		sh -c 'ls -l /dev/myfull; head -c 3 /dev/myfull | od -An -tx1; echo x 2>/dev/null >/dev/myfull || echo write-failed'
	[ "$status" -eq 0 ] || fail "podman: $output"
	[[ "${lines[0]}" =~ ^c.*\ 1,\ +7\  ]] || fail "not /dev/full's 1,7: $output"
	[ "$(echo ${lines[1]})" = "00 00 00" ] || fail "read: $output"
	# /dev/full refuses writes with ENOSPC: the open itself was allowed
	[ "${lines[2]}" = write-failed ]
}

@test "podman run --privileged gives every capability and the host's devices" {
	local bnd
	bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	podman_rootfs_run --privileged -- sh -c 'awk "/^CapEff:/ {print \$2}" /proc/self/status; test -b /dev/loop0 && echo has-loop0; head -c 1 /dev/loop0 >/dev/null && echo read-loop0'
	[ "$status" -eq 0 ] || fail "podman --privileged ($status): $output"
	[ "${lines[0]}" = "$bnd" ] || fail "CapEff ${lines[0]}, host bounding set $bnd"
	if [ -b /dev/loop0 ]; then
		[ "${lines[1]}" = has-loop0 ] || fail "no /dev/loop0: $output"
		[ "${lines[2]}" = read-loop0 ] || fail "/dev/loop0 not readable: $output"
	fi
}

@test "podman run --uidmap maps the container's root to 100000: its files are 100000's on the host" {
	# podman's bind sources (its 0700 userdata/hosts) are only the host root's to reach: the runtime opens
	# them from the host side
	# the rootfs belongs to the container's root, as podman's storage chowns an image for --uidmap: the
	# runtime makes the mount points (/out, /etc/hosts) inside it as that user
	mkdir "$BUNDLE/rootfs/out"
	chown -R 100000:100000 "$BUNDLE/rootfs"
	podman_rootfs_run --uidmap 0:100000:65536 --gidmap 0:100000:65536 -v "$OUT:/out" -- \
		sh -c 'cat /proc/self/uid_map; id -u; touch /out/made-inside'
	[ "$status" -eq 0 ] || fail "podman --uidmap ($status): $output"
	[ "$(echo ${lines[0]})" = "0 100000 65536" ] || fail "uid_map: $output"
	[ "${lines[1]}" = 0 ]
	[ "$(stat -c %u:%g "$OUT/made-inside")" = 100000:100000 ]
}

@test "podman run --init runs the command as the child of podman's init, PID 1" {
	local init=/usr/bin/tini-static
	[ -x "$init" ] || init=/usr/libexec/podman/catatonit
	[ -x "$init" ] || fail "no static init for --init (apt-get install tini)"
	podman_rootfs_run --init --init-path "$init" -- sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo ppid-$PPID; echo pid-$$'
	[ "$status" -eq 0 ] || fail "podman --init ($status): $output"
	[[ "${lines[0]}" == "/run/podman-init -- sh -c "* ]] || fail "PID 1: $output"
	[ "${lines[1]}" = ppid-1 ]
	[ "${lines[2]}" != pid-1 ]
}

@test "podman healthcheck run execs the health command through the runtime" {
	podman_run_d_with --health-cmd 'test -e /tmp/healthy' --health-interval disable -- sleep 1000
	run podman_ healthcheck run "$CTR" </dev/null
	[ "$status" -eq 1 ] || fail "healthy before the file exists ($status): $output"
	run podman_ exec "$CTR" touch /tmp/healthy </dev/null
	[ "$status" -eq 0 ] || fail "$output"
	run podman_ healthcheck run "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "unhealthy ($status): $output"
	run podman_ inspect --format '{{.State.Health.Status}}' "$CTR" </dev/null
	[ "$output" = healthy ] || fail "$output"
	podman_rm
}

@test "podman update changes the memory limit of a running container through the runtime" {
	podman_run_d_with --memory 64m -- sleep 1000
	run podman_ update --memory 128m "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "podman update ($status): $output"
	run podman_ exec "$CTR" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max' </dev/null
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = 134217728 ]
	podman_rm
}

@test "podman run --cap-add MKNOD lets the container make a device node, and only with it" {
	# the node is made in the container's /dev (a tmpfs): the bundle's filesystem may be nodev (the VM lane's /tmp is)
	podman_rootfs_run -- sh -c 'mknod /dev/null2 c 1 3'
	[ "$status" -ne 0 ] || fail "mknod succeeded without CAP_MKNOD"
	podman_rootfs_run --cap-add MKNOD -- sh -c 'mknod /dev/null2 c 1 3 && ls -l /dev/null2 && echo hi >/dev/null2 && echo wrote'
	[ "$status" -eq 0 ] || fail "mknod with CAP_MKNOD ($status): $output"
	[[ "${lines[0]}" =~ ^c.*\ 1,\ +3\  ]] || fail "$output"
	[ "${lines[1]}" = wrote ]
}

@test "podman stop sends the container's stop signal and reports the exit code of its handler" {
	podman_run_d_with --stop-signal USR1 -- sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	run podman_ stop --time 20 "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "podman stop ($status): $output"
	run podman_ inspect --format '{{.State.ExitCode}}' "$CTR" </dev/null
	[ "$output" = 42 ] || fail "exit code $output (USR1 not delivered, killed after the timeout?)"
	podman_rm
}

@test "podman rm leaves no runtime state, cgroup or process of the container" {
	podman_run_d sleep 1000
	local id
	id=$(podman_id)
	[ -n "$id" ]
	run podman_ exec "$CTR" true </dev/null
	[ "$status" -eq 0 ]
	podman_rm
	local left
	left=$(find "$TESTDIR/podman/run" /sys/fs/cgroup -name "*$id*" 2>/dev/null | head)
	[ -z "$left" ] || fail "left behind: $left"
	local f
	for f in /proc/[0-9]*/cmdline; do
		[ "${f%/cmdline}" != "/proc/$$" ] || continue
		[[ "$(tr '\0' ' ' <"$f" 2>/dev/null)" != *"$id"* ]] || left+=" ${f%/cmdline}"
	done
	[ -z "$left" ] || fail "processes left: $left"
	run podman_ ps -a -q </dev/null
	[ -z "$output" ] || fail "podman still lists: $output"
}

@test "podman container checkpoint and restore with --runtime hull keep a counter's count" {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	command -v criu >/dev/null || skip "criu is not installed"
	criu check >/dev/null 2>&1 || skip "criu check fails on this kernel ($(uname -r)): checkpoint.bats checks hull's error"
	# "SESSION COUNT": SESSION drawn at start, another if the counter were started again
	podman_run_d sh -c 's=$RANDOM$RANDOM; i=0
		while :; do i=$((i + 1)); echo "$s $i" >/count.tmp; mv /count.tmp /count; sleep 0.1; done'
	local before after i
	for i in $(seq "$(tries 100)"); do
		before=$(cat "$BUNDLE/rootfs/count" 2>/dev/null)
		[ "${before#* }" -gt 3 ] 2>/dev/null && break
		sleep 0.1
	done
	run podman_ container checkpoint "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "podman container checkpoint: $output"
	before=$(cat "$BUNDLE/rootfs/count")
	run podman_ container restore "$CTR" </dev/null
	[ "$status" -eq 0 ] || fail "podman container restore: $output"
	run podman_ exec "$CTR" cat /count
	[ "$status" -eq 0 ] || fail "podman exec after restore: $output"
	after=$output
	[ "${after% *}" = "${before% *}" ] && [ "${after#* }" -ge "${before#* }" ] || fail "\"$before\" before, \"$after\" after restore"
	podman_rm
}
