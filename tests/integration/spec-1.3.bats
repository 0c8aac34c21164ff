#!/usr/bin/env bats
# runtime-spec 1.2.1 and 1.3.0, and what runc 1.2-1.5 added: linux.memoryPolicy, process.execCPUAffinity (and
# the CPU affinity a container starts with), pids.limit and poststart by the config's ociVersion,
# --pidfd-socket, update --cpu-idle, masked directories on one tmpfs. Seen from inside the container and out.

load helpers

PIDFDRECV=$(dirname "$TTYHELPER")/pidfdrecv

online_cpus() { cat /sys/devices/system/cpu/online; }
last_cpu() { online_cpus | sed 's/.*[-,]//'; }

# allowed ID: the Cpus_allowed_list of a process exec'd in container ID (hull exec ARGS... first)
exec_allowed() {
	run hull exec "$@" grep Cpus_allowed_list /proc/self/status
	[ "$status" -eq 0 ] || fail "exec failed ($status): $output"
	echo "${output##*$'\t'}"
}

# pidfd_recv [-s SIGNAL]: a --pidfd-socket receiver on $TESTDIR/pidfd.sock, reporting to $TESTDIR/pidfd.out
pidfd_recv() {
	[ -x "$PIDFDRECV" ] || fail "no pidfdrecv at $PIDFDRECV (ninja -C build)"
	env "$TAG" "$PIDFDRECV" -t 60 "$@" "$TESTDIR/pidfd.sock" "$TESTDIR/pidfd.out" >"$TESTDIR/pidfd.listen" 3>&- &
	BG_PIDS+=("$!")
	for i in $(seq "$(tries 50)"); do
		grep -q listening "$TESTDIR/pidfd.listen" && return 0
		sleep 0.1
	done
	fail "pidfdrecv did not listen"
}

pidfd_wait() {
	for i in $(seq "$(tries 100)"); do
		[ -s "$TESTDIR/pidfd.out" ] && return 0
		sleep 0.1
	done
	fail "no pidfd arrived"
}

# ---- linux.memoryPolicy

@test "memoryPolicy MPOL_BIND binds the container's memory to its nodes, for the init and exec'd processes" {
	requires_hull "runc 1.1 and crun 1.8 have no linux.memoryPolicy"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	set_cmd sh -c 'head -n 3 /proc/self/numa_maps; sleep 1000'
	run_d "$CTR"
	# the kernel's own view of the init's policy: "bind=static:0" on every mapping
	pid=$(pid_of "$CTR")
	grep -q 'bind=static:0 ' "/proc/$pid/numa_maps" || grep -q 'bind:0 ' "/proc/$pid/numa_maps" ||
		fail "init's numa_maps: $(head -n 3 "/proc/$pid/numa_maps")"
	run hull exec "$CTR" head -n 2 /proc/self/numa_maps
	[ "$status" -eq 0 ]
	[[ "$output" == *"bind"*":0 "* ]] || fail "exec'd process's numa_maps: $output"
	# a plain container has the default policy
	update_config 'del(.linux.memoryPolicy)'
	set_cmd head -n 2 /proc/self/numa_maps
	run hull run "$CTR2"
	[ "$status" -eq 0 ]
	[[ "$output" == *" default "* ]] && [[ "$output" != *bind* ]]
}

@test "memoryPolicy MPOL_INTERLEAVE and MPOL_PREFERRED reach the kernel" {
	requires_hull "runc 1.1 and crun 1.8 have no linux.memoryPolicy"
	set_cmd head -n 1 /proc/self/numa_maps
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *" interleave:0 "* ]] || fail "$output"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_PREFERRED", "nodes": "0"}'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *" prefer:0 "* ]] || fail "$output"
}

@test "memoryPolicy with a node the host lacks fails in one line and leaves nothing" {
	requires_hull "runc 1.1 and crun 1.8 have no linux.memoryPolicy"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "1000"}'
	run hull run "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.memoryPolicy: set_mempolicy: a mode, flag or node this kernel does not take (its online nodes: "*"): invalid argument"* ]] ||
		fail "$output"
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	assert_nothing_left "$CTR"
}

@test "memoryPolicy is validated before anything is made" {
	requires_hull "hull's messages"
	for bad in \
		'{"mode": "MPOL_FOO"}=linux.memoryPolicy.mode: unknown mode "MPOL_FOO"' \
		'{"mode": "MPOL_LOCAL", "nodes": "0"}=linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes' \
		'{"mode": "MPOL_BIND"}=linux.memoryPolicy.nodes: MPOL_BIND needs at least one node' \
		'{"mode": "MPOL_BIND", "nodes": "0-"}=linux.memoryPolicy.nodes: "0-": expected a list such as "0-3,7"' \
		'{"mode": "MPOL_BIND", "nodes": "3-1"}=linux.memoryPolicy.nodes: "3-1": range 3-1 is backwards' \
		'{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}=linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other' \
		'{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_X"]}=linux.memoryPolicy.flags[0]: unknown flag "MPOL_F_X"' \
		'{"nodes": "0"}=linux.memoryPolicy.mode: is required'; do
		update_config --argjson p "${bad%%=*}" '.linux.memoryPolicy = $p'
		run hull create "$CTR"
		[ "$status" -eq 1 ] || fail "${bad%%=*}: exit $status"
		[ "$output" = "hull: config.json: ${bad#*=}" ] || fail "${bad%%=*}: $output"
		[ ! -e "$ROOT/$CTR" ]
	done
}

# ---- process.execCPUAffinity, and the affinity a container starts with

@test "execCPUAffinity.final is the exec'd process's affinity, from process.json or the container's config" {
	[ "$(nproc)" -ge 2 ] || skip "one CPU: no affinity to tell apart"
	requires_hull "runc 1.1 and crun 1.8 have no execCPUAffinity"
	last=$(last_cpu)
	set_cmd sleep 1000
	update_config --arg c "$last" '.process.execCPUAffinity = {"initial": "0", "final": $c}'
	run_d "$CTR"
	# the init keeps every CPU: execCPUAffinity is for exec only
	pid=$(pid_of "$CTR")
	[ "$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$pid/status")" = "$(online_cpus)" ]
	# from the container's config
	[ "$(exec_allowed "$CTR")" = "$last" ]
	# from a process.json, which wins
	jq -n '{args: ["grep", "Cpus_allowed_list", "/proc/self/status"], cwd: "/", execCPUAffinity: {final: "0"}}' >"$TESTDIR/p.json"
	run hull exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -eq 0 ]
	[ "${output##*$'\t'}" = 0 ]
}

@test "execCPUAffinity.initial is where hull's side of exec runs; a CPU the host lacks is a clear error" {
	requires_hull "runc 1.1 and crun 1.8 have no execCPUAffinity"
	set_cmd sleep 1000
	run_d "$CTR"
	jq -n '{args: ["true"], cwd: "/", execCPUAffinity: {initial: "0"}}' >"$TESTDIR/p.json"
	run hull --debug exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exec: initial CPU affinity: 1 CPUs, first 0"* ]] || fail "$output"
	jq -n '{args: ["true"], cwd: "/", execCPUAffinity: {initial: "1000"}}' >"$TESTDIR/p.json"
	run hull exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.execCPUAffinity.initial: sched_setaffinity (none of these CPUs is online or allowed here): invalid argument"* ]] ||
		fail "$output"
	jq -n '{args: ["true"], cwd: "/", execCPUAffinity: {final: "0,x"}}' >"$TESTDIR/p.json"
	run hull exec -p "$TESTDIR/p.json" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *'p.json: execCPUAffinity.final: "0,x": expected a list such as "0-3,7"'* ]] || fail "$output"
}

@test "a container's processes do not inherit the runtime's CPU affinity (runc 1.2.4+)" {
	[ "$(nproc)" -ge 2 ] || skip "one CPU: no affinity to tell apart"
	requires_hull "runc 1.1.5 hands its own affinity down"
	last=$(last_cpu)
	set_cmd sleep 1000
	env "$TAG" taskset -c "$last" "$HULL" --root "$ROOT" run -d "$CTR" </dev/null >"$TESTDIR/ctr.stdout" 2>&1 3>&- ||
		fail "run -d: $(cat "$TESTDIR/ctr.stdout")"
	pid=$(pid_of "$CTR")
	[ "$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$pid/status")" = "$(online_cpus)" ]
	run env "$TAG" taskset -c "$last" "$HULL" --root "$ROOT" exec "$CTR" grep Cpus_allowed_list /proc/self/status
	[ "$status" -eq 0 ]
	[ "${output##*$'\t'}" = "$(online_cpus)" ]
}

# ---- the meanings runtime-spec 1.3 changed, by the config's ociVersion

@test "pids.limit 0 is a limit of 0 in a 1.3 config, and not set in an older one (runc 1.1)" {
	requires_hull "runc 1.1.5 reads 0 as not set whatever the version"
	set_cmd sleep 1000
	update_config '.ociVersion = "1.3.0" | .linux.resources.pids = {"limit": 0}'
	run_d "$CTR"
	[ "$(cat "$(cg_dir_of "$CTR" pids)/pids.max")" = 0 ]
	# the limit holds: nothing in it can fork (a process joining it is no fork: exec itself works)
	run hull exec "$CTR" sh -c 'sleep 0 & wait'
	[[ "$output" == *"can't fork"* ]] || fail "$output"
	update_config '.ociVersion = "1.2.0"'
	run_d "$CTR2"
	[ "$(cat "$(cg_dir_of "$CTR2" pids)/pids.max")" = max ]
	update_config '.ociVersion = "1.3.0" | .linux.resources.pids = {"limit": -1}'
	hull delete -f "$CTR" >/dev/null
	run_d "$CTR"
	[ "$(cat "$(cg_dir_of "$CTR" pids)/pids.max")" = max ]
}

@test "update --pids-limit 0 follows the container's ociVersion" {
	requires_hull "runc 1.1.5 reads 0 as not set"
	set_cmd sleep 1000
	update_config '.ociVersion = "1.3.0" | .linux.resources.pids = {"limit": 10}'
	run_d "$CTR"
	update_config '.ociVersion = "1.1.0"'
	run_d "$CTR2"
	run hull update --pids-limit 0 "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir_of "$CTR" pids)/pids.max")" = 0 ]
	run hull update --pids-limit 0 "$CTR2"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir_of "$CTR2" pids)/pids.max")" = 10 ]
	run hull update --pids-limit -1 "$CTR2"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir_of "$CTR2" pids)/pids.max")" = max ]
}

@test "a failing poststart hook fails start and stops a 1.3 container; before 1.3 it is a warning" {
	requires_hull "runc 1.1.5 fails start whatever the version"
	set_cmd sleep 1000
	update_config '.ociVersion = "1.3.0" | .hooks.poststart = [{"path": "/bin/false"}]'
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container $CTR stopped: poststart"* ]] || fail "$output"
	[ "$(status_of "$CTR")" = stopped ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	update_config '.ociVersion = "1.2.0"'
	create_ctr "$CTR2"
	run hull start "$CTR2"
	[ "$status" -eq 0 ]
	[[ "$output" == *"poststart"* ]]
	[ "$(status_of "$CTR2")" = running ]
}

# ---- --pidfd-socket

@test "create --pidfd-socket sends a pidfd of the init, which signals it" {
	requires_hull "runc 1.1.5 and crun 1.8 have no --pidfd-socket"
	pidfd_recv -s 9
	set_cmd sleep 1000
	create_ctr --pidfd-socket "$TESTDIR/pidfd.sock" --pid-file "$TESTDIR/pid" "$CTR"
	pidfd_wait
	read -r kind pid <"$TESTDIR/pidfd.out"
	[ "$pid" = "$(cat "$TESTDIR/pid")" ]
	[ "$kind" = standard ]
	wait_for_status "$CTR" stopped
}

@test "exec --pidfd-socket sends a pidfd of the exec'd process" {
	requires_hull "runc 1.1.5 and crun 1.8 have no --pidfd-socket"
	set_cmd sleep 1000
	run_d "$CTR"
	pidfd_recv -s 9
	run hull exec -d --pidfd-socket "$TESTDIR/pidfd.sock" --pid-file "$TESTDIR/pid" "$CTR" sleep 999
	[ "$status" -eq 0 ]
	pidfd_wait
	read -r kind pid <"$TESTDIR/pidfd.out"
	[ "$pid" = "$(cat "$TESTDIR/pid")" ]
	[ "$kind" = setns ]
	for i in $(seq "$(tries 50)"); do pid_alive "$pid" || break; sleep 0.1; done
	! pid_alive "$pid"
	[ "$(status_of "$CTR")" = running ]
}

@test "--pidfd-socket nobody listens on fails at once and leaves nothing" {
	requires_hull "runc 1.1.5 and crun 1.8 have no --pidfd-socket"
	run hull create --pidfd-socket "$TESTDIR/nobody.sock" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--pidfd-socket"*"$TESTDIR/nobody.sock"* ]] || fail "$output"
	assert_nothing_left "$CTR"
}

# ---- update --cpu-idle

@test "update --cpu-idle sets the cgroup's cpu.idle" {
	[ -e "/sys/fs/cgroup/cpu/cpu.idle" ] || [ -e /sys/fs/cgroup/cpu.idle ] || [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] ||
		skip "no cpu.idle on this kernel"
	set_cmd sleep 1000
	run_d "$CTR"
	run hull update --cpu-idle 1 "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir_of "$CTR" cpu)/cpu.idle")" = 1 ]
	run hull update --cpu-idle 0 "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir_of "$CTR" cpu)/cpu.idle")" = 0 ]
}

# ---- maskedPaths

@test "masked directories share one read-only tmpfs (runc 1.5), masked files are /dev/null" {
	requires_hull "runc 1.1 and crun 1.8 mount one tmpfs per directory"
	mkdir -p rootfs/masked/a rootfs/masked/b rootfs/masked/c
	echo secret >rootfs/masked/f
	update_config '.linux.maskedPaths = ["/masked/a", "/masked/b", "/masked/c", "/masked/f"]'
	set_cmd sh -c 'grep " /masked/" /proc/self/mountinfo; ls -A /masked/a; echo x >/masked/b/y; cat /masked/f'
	run hull run "$CTR"
	# each directory: a tmpfs, read-only, all of them one superblock
	devs=$(echo "$output" | awk '$5 ~ /^\/masked\/[abc]$/ && $9 == "tmpfs" && $6 ~ /^ro/ {print $3}' | sort -u)
	[ "$(echo "$output" | awk '$5 ~ /^\/masked\/[abc]$/' | wc -l)" -eq 3 ] || fail "$output"
	[ "$(echo "$devs" | wc -l)" -eq 1 ] || fail "more than one superblock: $devs"
	[[ "$output" == *"Read-only file system"* ]]
	[[ "$output" != *secret* ]]
}
