#!/usr/bin/env bats
# containerd.bats - containerd 1.6 driving hull through ctr and the runc v2 shim, checked against runc.
# Must never use the default containerd daemon or paths: one private daemon per file (containerd.bash).
#
# Every test runs its check with `ctr run --runc-binary $HULL` and with `--runc-binary /usr/sbin/runc`,
# asserts the expected behaviour for each and that hull's outcome equals runc's.

load containerd

setup_file() {
	cd_start ctr || return 1
	cd_load_env
	# An image with a user, environment and working directory of its own.
	"$MAKE_IMAGE" "$CD_DIR/user.tar" docker.io/hull-test/user:latest \
		'.User="1000:100" | .Env += ["FOO=from-image"] | .WorkingDir="/tmp"' &&
		cd_ctr image import "$CD_DIR/user.tar" >/dev/null
}

teardown_file() {
	cd_stop
}

setup() {
	cd_load_env
	cd_log_mark
}

teardown() {
	cd_print_log_if_failed
	local id left
	left=$(cd_ctr container ls -q 2>/dev/null)
	for id in $left; do ctr_remove "$id"; done
	[ -z "$left" ] || fail "containers left by the test (removed now): $(echo $left)"
}

# tid RUNTIME: a container id for this test and runtime.
tid() { echo "$1-$BATS_TEST_NUMBER${2:-}"; }

@test "ctr run prints the container's stdout and stderr and returns its exit code" {
	local rt out=() rc=()
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" -- sh -c 'echo to-stdout; echo to-stderr >&2; exit 7' </dev/null
		[ "$status" -eq 7 ] || fail "$rt: exit code $status, not 7: $output"
		[[ "$output" == *to-stdout* ]] || fail "$rt: stdout missing: $output"
		[[ "$output" == *to-stderr* ]] || fail "$rt: stderr missing: $output"
		assert_nothing_left_ctr "$rt" "$(tid "$rt")"
		run ctr_run "$rt" "$(tid "$rt")" -- true </dev/null
		[ "$status" -eq 0 ] || fail "$rt: true exited $status: $output"
		run ctr_run "$rt" "$(tid "$rt")" -- sh -c 'exit 255' </dev/null
		rc+=("$status")
		[ "$status" -eq 255 ] || fail "$rt: exit 255 gave $status: $output"
	done
	same "${rc[0]}" "${rc[1]}" "exit code 255"
}

@test "a command that does not exist or is not executable fails create with the runtime's error text in ctr's output" {
	local rt cmd msg=() want
	for cmd in /nonexistent /etc/passwd; do
		msg=()
		for rt in "${RUNTIMES[@]}"; do
			run ctr_run "$rt" "$(tid "$rt")" -- "$cmd" </dev/null
			[ "$status" -ne 0 ] || fail "$rt: running $cmd succeeded: $output"
			[[ "$output" == *"OCI runtime create failed"* ]] || fail "$rt: not a create failure: $output"
			# The shim takes the text from the runtime's --log json file; from "exec:" on, it is the
			# runtime's own message (runc puts "runc create failed: unable to start container process: " first).
			msg+=("$(echo "$output" | grep -o 'exec: .*' | head -1)")
			[ -n "${msg[-1]}" ] || fail "$rt: no exec error in: $output"
			assert_nothing_left_ctr "$rt" "$(tid "$rt")"
		done
		case "$cmd" in
		/nonexistent) want='exec: "/nonexistent": stat /nonexistent: no such file or directory: unknown' ;;
		/etc/passwd) want='exec: "/etc/passwd": permission denied: unknown' ;;
		esac
		[ "${msg[1]}" = "$want" ] || fail "runc (the reference) said '${msg[1]}', the test expects '$want'"
		same "${msg[0]}" "${msg[1]}" "create error for $cmd"
	done
}

@test "stdin reaches the container" {
	# ctr run does not close the task's stdin at the caller's EOF (runc's outcome too), so the
	# container reads a known number of lines instead of waiting for EOF.
	local rt out=()
	for rt in "${RUNTIMES[@]}"; do
		CD_CMD_TIMEOUT=15 run ctr_run "$rt" "$(tid "$rt")" -- sh -c 'head -n 2 | tr a-z A-Z; echo "two lines read"' < <(printf 'hello\nworld\n')
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "$(printf 'HELLO\nWORLD\ntwo lines read')" ] || fail "$rt: output: $output"
		out+=("$output")
	done
	same "${out[0]}" "${out[1]}" "output"
}

@test "ctr run -t gives the container a terminal of the caller's size, takes typed input and returns the exit code" {
	[ -x "$TTYHELPER" ] || fail "no ttyhelper at $TTYHELPER (ninja -C build)"
	local rt out=() rc=()
	# ctr sets the console's size after the task starts (with runc too): wait for it, bounded by count.
	# Before that, busybox's stty size prints nothing and still exits 0: only "ROWS COLS" ends the wait.
	local WAIT_WINSIZE='for i in $(seq 100); do s=$(stty size 2>/dev/null); case "$s" in [1-9]*" "[1-9]*) break ;; esac; sleep 0.1; done'
	for rt in "${RUNTIMES[@]}"; do
		status=0
		timeout -k 5 60 "$TTYHELPER" run -s 30x100 -W READY -I 'echo typed-$((6*7))\nexit 4\n' -o "$CD_DIR/tty.out" -- \
			ctr --address "$CD_SOCK" --namespace "$CD_NS" run --rm -t --fifo-dir "$CD_FIFO" \
			--runc-binary "$(runtime_bin "$rt")" --runc-root "$CD_RUNC_ROOT/$rt" "$CD_IMAGE" "$(tid "$rt")" \
			sh -c "$WAIT_WINSIZE"'; tty; echo "$s"; echo READY; exec sh' </dev/null 3>&- || status=$?
		output=$(tr -d '\r' <"$CD_DIR/tty.out")
		[ "$status" -eq 4 ] || fail "$rt: exit $status, not 4: $output"
		echo "$output" | grep -qx '/dev/pts/0' || fail "$rt: not on /dev/pts/0: $output"
		echo "$output" | grep -qx '30 100' || fail "$rt: window size not 30x100: $output"
		echo "$output" | grep -qx 'typed-42' || fail "$rt: typed input not run: $output"
		out+=("$(echo "$output" | grep -E -x '/dev/pts/[0-9]+|[0-9]+ [0-9]+|typed-42')")
		rc+=("$status")
		assert_nothing_left_ctr "$rt" "$(tid "$rt")"
	done
	same "${out[0]}" "${out[1]}" "terminal output"
	same "${rc[0]}" "${rc[1]}" "exit code"
}

@test "the image's user, environment and working directory apply, and ctr's --env and --cwd override them" {
	local rt out=()
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" --env BAR=from-ctr -- docker.io/hull-test/user:latest \
			sh -c 'echo "$(id -u):$(id -g) $(pwd) $FOO $BAR"' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "1000:100 /tmp from-image from-ctr" ] || fail "$rt: got '$output'"
		out+=("$output")
		run ctr_run "$rt" "$(tid "$rt")" --env FOO=overridden --cwd /etc -- docker.io/hull-test/user:latest \
			sh -c 'echo "$(pwd) $FOO"' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "/etc overridden" ] || fail "$rt: got '$output'"
		out+=("$output")
	done
	same "${out[0]} ${out[1]}" "${out[2]} ${out[3]}" "user, env and cwd"
}

@test "--read-only makes the root filesystem read-only but leaves /dev writable" {
	local rt out=()
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" --read-only -- sh -c 'touch /file 2>&1; echo x >/dev/shm/f && echo shm-ok' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[[ "$output" == *"Read-only file system"* ]] || fail "$rt: / was writable: $output"
		[[ "$output" == *shm-ok* ]] || fail "$rt: /dev/shm not writable: $output"
		out+=("$output")
		run ctr_run "$rt" "$(tid "$rt")" -- sh -c 'touch /file && echo rw-ok' </dev/null
		[ "$output" = rw-ok ] || fail "$rt: without --read-only: $output"
	done
	same "${out[0]}" "${out[1]}" "read-only output"
}

@test "capabilities: containerd's default set, --cap-add, --cap-drop and --privileged" {
	local rt opts out=() caps
	for rt in "${RUNTIMES[@]}"; do
		caps=""
		for opts in "" "--cap-add CAP_SYS_ADMIN" "--cap-drop CAP_CHOWN" "--privileged"; do
			# shellcheck disable=SC2086
			run ctr_run "$rt" "$(tid "$rt")" $opts -- sh -c 'grep -E "^Cap(Eff|Bnd|Prm|Inh|Amb)" /proc/self/status | tr -d "\t" | tr "\n" " "' </dev/null
			[ "$status" -eq 0 ] || fail "$rt $opts: exit $status: $output"
			caps+="[$opts] $output;"
		done
		[[ "$caps" == *"[] CapInh:0000000000000000 CapPrm:00000000a80425fb CapEff:00000000a80425fb CapBnd:00000000a80425fb CapAmb:0000000000000000 ;"* ]] ||
			fail "$rt: default capabilities: $caps"
		[[ "$caps" == *"[--cap-add CAP_SYS_ADMIN] CapInh:0000000000000000 CapPrm:00000000a82425fb CapEff:00000000a82425fb"* ]] ||
			fail "$rt: --cap-add CAP_SYS_ADMIN: $caps"
		[[ "$caps" == *"[--cap-drop CAP_CHOWN] CapInh:0000000000000000 CapPrm:00000000a80425fa CapEff:00000000a80425fa"* ]] ||
			fail "$rt: --cap-drop CAP_CHOWN: $caps"
		out+=("$caps")
	done
	same "${out[0]}" "${out[1]}" "capabilities"
}

@test "--seccomp installs containerd's default profile: unshare(CLONE_NEWUSER) without CAP_SYS_ADMIN is refused" {
	local rt out=()
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" -- sh -c 'grep ^Seccomp: /proc/self/status; unshare -U true && echo userns-ok' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "$(printf 'Seccomp:\t0\nuserns-ok')" ] || fail "$rt: without --seccomp: $output"
		run ctr_run "$rt" "$(tid "$rt")" --seccomp -- sh -c 'grep ^Seccomp /proc/self/status; unshare -U true && echo userns-ok' </dev/null
		[[ "$output" == *"$(printf 'Seccomp:\t2')"* ]] || fail "$rt: no filter with --seccomp: $output"
		[[ "$output" == *"Operation not permitted"* ]] || fail "$rt: unshare -U allowed under --seccomp: $output"
		[[ "$output" != *userns-ok* ]] || fail "$rt: unshare -U allowed under --seccomp: $output"
		out+=("$status $output")
	done
	same "${out[0]}" "${out[1]}" "seccomp outcome"
}

@test "a detached task: exec, ctr task ps, kill with a handled signal and with SIGKILL, delete" {
	local rt id out=() pid
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		ctr_run_d "$rt" "$id" -- sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
		ctr_wait_status "$id" RUNNING
		run cd_ctr task exec --exec-id e1 --fifo-dir "$CD_FIFO" "$id" sh -c 'echo in-exec $(cat /proc/1/comm); exit 5' </dev/null
		[ "$status" -eq 5 ] || fail "$rt: exec exit $status, not 5: $output"
		[ "$output" = "in-exec sh" ] || fail "$rt: exec output: $output"
		pid=$(cd_ctr task ls | awk -v id="$id" '$1 == id {print $2}')
		run cd_ctr task ps "$id"
		[ "$status" -eq 0 ] || fail "$rt: task ps failed: $output"
		echo "$output" | awk 'NR > 1 {print $1}' | grep -qx "$pid" || fail "$rt: task ps lacks the init pid $pid: $output"
		run cd_ctr task kill -s USR1 "$id"
		[ "$status" -eq 0 ] || fail "$rt: kill -s USR1: $output"
		ctr_wait_status "$id" STOPPED
		run cd_ctr task delete "$id"
		[ "$status" -eq 0 ] || fail "$rt: task delete: $output"
		[[ "$output" == *"exit code 42"* ]] || fail "$rt: exit code of USR1 handler not 42: $output"
		out+=("$(echo "$output" | grep -o 'exit code [0-9]*')")
		cd_ctr container delete "$id"

		ctr_run_d "$rt" "$id" -- sh -c 'trap "" TERM; while :; do sleep 0.1; done'
		ctr_wait_status "$id" RUNNING
		cd_ctr task kill -s TERM "$id"
		sleep 0.5
		[ "$(ctr_task_status "$id")" = RUNNING ] || fail "$rt: an ignored SIGTERM stopped the task"
		cd_ctr task kill -s KILL "$id"
		ctr_wait_status "$id" STOPPED
		run cd_ctr task delete "$id"
		[[ "$output" == *"exit code 137"* ]] || fail "$rt: SIGKILL did not give 137: $output"
		out+=("$(echo "$output" | grep -o 'exit code [0-9]*')")
		cd_ctr container delete "$id"
		assert_nothing_left_ctr "$rt" "$id"
	done
	same "${out[0]} ${out[1]}" "${out[2]} ${out[3]}" "exit codes"
}

@test "pause freezes the task and refuses exec, resume thaws it" {
	local rt id out=() fz
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		ctr_run_d "$rt" "$id" -- sleep 1000
		ctr_wait_status "$id" RUNNING
		fz=/sys/fs/cgroup/freezer/$CD_NS/$id/freezer.state
		run cd_ctr task pause "$id"
		[ "$status" -eq 0 ] || fail "$rt: pause: $output"
		[ "$(ctr_task_status "$id")" = PAUSED ] || fail "$rt: not PAUSED after pause"
		[ "$(cat "$fz")" = FROZEN ] || fail "$rt: $fz is $(cat "$fz")"
		run cd_ctr task exec --exec-id e1 --fifo-dir "$CD_FIFO" "$id" true </dev/null
		[ "$status" -ne 0 ] || fail "$rt: exec in a paused task succeeded"
		out+=("$output")
		run cd_ctr task resume "$id"
		[ "$status" -eq 0 ] || fail "$rt: resume: $output"
		[ "$(ctr_task_status "$id")" = RUNNING ] || fail "$rt: not RUNNING after resume"
		[ "$(cat "$fz")" = THAWED ] || fail "$rt: $fz is $(cat "$fz")"
		run cd_ctr task exec --exec-id e2 --fifo-dir "$CD_FIFO" "$id" echo thawed </dev/null
		[ "$output" = thawed ] || fail "$rt: exec after resume: $output"
		ctr_remove "$id"
		assert_nothing_left_ctr "$rt" "$id"
	done
	same "${out[0]}" "${out[1]}" "refusal of exec while paused"
}

@test "ctr task metrics reports the task's cgroup v1 memory, cpu and pids statistics" {
	local rt id keys=() m
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		ctr_run_d "$rt" "$id" -- sh -c 'sleep 1000 & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; wait'
		ctr_wait_status "$id" RUNNING
		sleep 0.5
		run cd_ctr task metrics --format json "$id"
		[ "$status" -eq 0 ] || fail "$rt: metrics: $output"
		m=$output
		[ "$(echo "$m" | jq '.memory.usage.usage > 0')" = true ] || fail "$rt: memory usage not > 0: $m"
		[ "$(echo "$m" | jq '.cpu.usage.total > 0')" = true ] || fail "$rt: cpu usage not > 0: $m"
		[ "$(echo "$m" | jq '.pids.current')" -ge 2 ] || fail "$rt: pids.current < 2: $m"
		# zero counters are left out of the JSON, so only what the task must show is compared
		keys+=("$(echo "$m" | jq -c '{pids: (.pids.current >= 2), cpu: (.cpu.usage.total > 0), mem: (.memory.usage.usage > 0), limit: .memory.usage.limit}')")
		ctr_remove "$id"
	done
	same "${keys[0]}" "${keys[1]}" "metrics fields"
}

@test "--memory-limit is written to the cgroup and a task above it is OOM-killed with an OOM event" {
	local rt id out=() ev evpid limit=33554432
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		ev=$CD_DIR/events.$rt
		cd_ctr events >"$ev" 2>&1 &
		evpid=$!
		ctr_run_d "$rt" "$id" --memory-limit "$limit" -- sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; tail /dev/zero'
		ctr_wait_status "$id" RUNNING
		[ "$(cat "/sys/fs/cgroup/memory/$CD_NS/$id/memory.limit_in_bytes")" = "$limit" ] ||
			fail "$rt: memory.limit_in_bytes is $(cat "/sys/fs/cgroup/memory/$CD_NS/$id/memory.limit_in_bytes")"
		cd_ctr task exec --exec-id go --fifo-dir "$CD_FIFO" "$id" touch /tmp/go </dev/null
		ctr_wait_status "$id" STOPPED
		run cd_ctr task delete "$id"
		[[ "$output" == *"exit code 137"* ]] || fail "$rt: not killed by the OOM killer: $output"
		out+=("$(echo "$output" | grep -o 'exit code [0-9]*')")
		cd_ctr container delete "$id"
		sleep 0.3
		kill "$evpid"
		wait "$evpid" 2>/dev/null || true
		grep -E "/tasks/oom .*$id" "$ev" >/dev/null || fail "$rt: no /tasks/oom event for $id: $(cat "$ev")"
		out+=(oom-event)
	done
	same "${out[0]} ${out[1]}" "${out[2]} ${out[3]}" "OOM outcome"
}

@test "a pids limit from an OCI spec given to ctr --config is enforced" {
	local rt id out=() spec
	# A spec given with --config names its root filesystem itself: a bundle's, outside containerd.
	"$REPO_ROOT/tests/lib/make-bundle.sh" "$CD_DIR/pids-bundle" >/dev/null
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		spec=$CD_DIR/spec.$rt.json
		cd_ctr oci spec | jq --arg cg "/$CD_NS/$id" --arg root "$CD_DIR/pids-bundle/rootfs" \
			'.root.path = $root | .linux.cgroupsPath = $cg | .linux.resources.pids = {limit: 5} |
			.process.args = ["/bin/sh", "-c", "cat /proc/self/cgroup >/dev/null; for i in 1 2 3 4 5 6 7 8; do sleep 2 & done 2>&1; wait"]' >"$spec"
		run ctr_run "$rt" "$id" --config "$spec" -- </dev/null
		[[ "$output" == *"can't fork"* ]] || fail "$rt: 8 children under pids.max 5 did not fail: $output"
		out+=("$(echo "$output" | grep -c "can't fork")")
		assert_nothing_left_ctr "$rt" "$id"
	done
	same "${out[0]}" "${out[1]}" "number of refused forks"
}

@test "mknod is allowed, but the device cgroup lets the container open only containerd's default devices" {
	local rt out=()
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" -- sh -c '
			mknod /tmp/null c 1 3 && echo x >/tmp/null && echo null-ok
			mknod /tmp/mem c 1 1 && echo mem-made
			head -c1 /tmp/mem >/dev/null 2>&1 && echo mem-opened || echo mem-denied
			echo x >/dev/full 2>/dev/null || echo full-enospc' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "$(printf 'null-ok\nmem-made\nmem-denied\nfull-enospc')" ] || fail "$rt: got: $output"
		out+=("$output")
	done
	same "${out[0]}" "${out[1]}" "device access"
}

@test "removing containers leaves no task, snapshot, mount, runtime state or cgroup behind" {
	local rt id
	for rt in "${RUNTIMES[@]}"; do
		id=$(tid "$rt")
		run ctr_run "$rt" "$id" -- true </dev/null
		[ "$status" -eq 0 ] || fail "$rt: $output"
		assert_nothing_left_ctr "$rt" "$id"
		ctr_run_d "$rt" "$id" -- sleep 1000
		ctr_wait_status "$id" RUNNING
		[ -d "$CD_RUNC_ROOT/$rt/$CD_NS/$id" ] || fail "$rt: no runtime state in $CD_RUNC_ROOT/$rt/$CD_NS/$id while running"
		[ -d "/sys/fs/cgroup/memory/$CD_NS/$id" ] || fail "$rt: no memory cgroup while running"
		cd_ctr task kill -s KILL "$id"
		ctr_wait_status "$id" STOPPED
		cd_ctr task delete "$id" >/dev/null
		cd_ctr container delete "$id"
		assert_nothing_left_ctr "$rt" "$id"
	done
}

@test "ctr image pull --plain-http from a private registry, then run the pulled image" {
	local port i rt out=() ref
	command -v docker-registry >/dev/null || fail "no docker-registry (Debian package docker-registry)"
	mkdir -p "$CD_DIR/registry"
	for i in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000))
		cat >"$CD_DIR/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $CD_DIR/registry/data
http:
  addr: 127.0.0.1:$port
EOF
		setsid docker-registry serve "$CD_DIR/registry/config.yml" </dev/null >"$CD_DIR/registry/log" 2>&1 3>&- &
		CD_REGISTRY_PID=$!
		cd_save CD_REGISTRY_PID
		for _ in $(seq 50); do
			curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break 2
			kill -0 "$CD_REGISTRY_PID" 2>/dev/null || continue 2
			sleep 0.1
		done
		kill "$CD_REGISTRY_PID"
	done
	curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || fail "registry did not start: $(cat "$CD_DIR/registry/log")"
	ref=127.0.0.1:$port/hull-test/pulled:latest
	run timeout 60 skopeo --insecure-policy copy --quiet --dest-tls-verify=false "docker-archive:$CD_DIR/busybox.tar" "docker://$ref"
	[ "$status" -eq 0 ] || fail "skopeo copy: $output"
	run cd_ctr image pull --plain-http "$ref"
	[ "$status" -eq 0 ] || fail "ctr image pull: $output"
	for rt in "${RUNTIMES[@]}"; do
		run ctr_run "$rt" "$(tid "$rt")" -- "$ref" sh -c 'echo pulled-and-run; ls /bin/busybox' </dev/null
		[ "$status" -eq 0 ] || fail "$rt: exit $status: $output"
		[ "$output" = "$(printf 'pulled-and-run\n/bin/busybox')" ] || fail "$rt: got $output"
		out+=("$output")
	done
	same "${out[0]}" "${out[1]}" "output of the pulled image"
	kill "$CD_REGISTRY_PID"
	wait "$CD_REGISTRY_PID" 2>/dev/null || true
}
