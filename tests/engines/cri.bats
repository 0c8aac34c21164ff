#!/usr/bin/env bats
# cri.bats - containerd 1.6's CRI plugin driving hull as the kubelet does (RuntimeService over gRPC), runtime
# handler "hull" beside handler "runc".  Must never use the default containerd or a kubelet's socket.
#
# One private daemon for the file (containerd.bash, cd_start cri); each test makes its check on a pod of
# handler hull and one of handler runc, asserts the expected outcome on both and that hull's equals runc's.
# The tests follow one pod's life in order: sandbox, containers, exec, status, stats, resources, stop,
# removal; a test needing what an earlier one made fails (never skips) when that one did not pass.

load cri

setup_file() {
	cd_start cri || return 1
}

teardown_file() {
	cd_load_env
	cri_remove_all
	# CRI_KEEP_LOG=FILE keeps the daemon's log for a look after the run
	[ -z "${CRI_KEEP_LOG:-}" ] || cp "$CD_LOG" "$CRI_KEEP_LOG" 2>/dev/null || true
	cd_stop
}

setup() {
	cd_load_env
	cd_log_mark
}

teardown() {
	cd_print_log_if_failed
}

# ns_inodes PID: "net:[…] ipc:[…] uts:[…] pid:[…] mnt:[…]" of a host process.
ns_inodes() {
	local n out=
	for n in net ipc uts pid mnt; do out+="$(readlink "/proc/$1/ns/$n") "; done
	echo "${out% }"
}

@test "Version and Status: the CRI v1 runtime is ready, its pod network too, with handlers hull and runc" {
	run cri_ok Version '{"version": "v1"}'
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(echo "$output" | jq -r '.runtime_name + " " + .runtime_api_version')" = "containerd v1" ] || fail "Version: $output"
	run cri_ok Status '{"verbose": true}'
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(echo "$output" | jq -c '[.status.conditions[] | select(.status) | .type] | sort')" = '["NetworkReady","RuntimeReady"]' ] ||
		fail "not ready: $(echo "$output" | jq -c .status)"
	echo "$output" | jq -r .info.config | jq -e --arg hull "$HULL" --arg runc "$RUNC_BIN" \
		'.containerd.runtimes.hull.options.BinaryName == $hull and .containerd.runtimes.runc.options.BinaryName == $runc' >/dev/null ||
		fail "handlers not configured: $(echo "$output" | jq -r .info.config | jq -c .containerd.runtimes)"
	run cri_ok ImageStatus "{\"image\": {\"image\": \"$CD_PAUSE_IMAGE\"}}"
	[ "$(echo "$output" | jq -r '.image.repo_tags[0]')" = "$CD_PAUSE_IMAGE" ] || fail "no pause image: $output"
}

@test "RunPodSandbox starts a ready pod: its own network namespace and address, hostname, user, seccomp and sysctl" {
	local rt out=() pod st info pid netns
	for rt in "${RUNTIMES[@]}"; do
		run cri_ok RunPodSandbox "$(jq -n -c --argjson c "$(pod_config "$rt")" --arg rt "$rt" '{config: $c, runtime_handler: $rt}')"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		pod=$(echo "$output" | jq -r .pod_sandbox_id)
		cri_save "pod-$rt" "$pod"
		run cri_ok PodSandboxStatus "{\"pod_sandbox_id\": \"$pod\", \"verbose\": true}"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		st=$(echo "$output" | jq -c .status)
		info=$(echo "$output" | jq -r .info.info)
		[ "$(echo "$st" | jq -r .state)" = SANDBOX_READY ] || fail "$rt: pod not ready: $st"
		[ "$(echo "$st" | jq -r .runtime_handler)" = "$rt" ] || fail "$rt: handler: $st"
		[ "$(echo "$info" | jq -r .runtimeOptions.binary_name)" = "$(runtime_bin "$rt")" ] || fail "$rt: the shim runs $(echo "$info" | jq -r .runtimeOptions.binary_name)"
		[[ "$(echo "$st" | jq -r .network.ip)" == 10.213.0.* ]] || fail "$rt: pod address: $st"
		pid=$(echo "$info" | jq -r .pid)
		[ "$(echo "$info" | jq -r .processStatus)" = running ] && kill -0 "$pid" || fail "$rt: pause process $pid not running: $info"
		# the namespace file the CNI plugin was given is the pause process's network namespace
		netns=$(echo "$info" | jq -r .cniResult.Interfaces.eth0.Sandbox)
		[ "$(stat -L -c %i "$netns")" = "$(stat -L -c %i "/proc/$pid/ns/net")" ] || fail "$rt: $netns is not the net ns of $pid"
		[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] || fail "$rt: pod in the host's network namespace"
		cri_save "netns-$rt" "$netns"
		cri_save "pausepid-$rt" "$pid"
		grep -qx "/$CD_NS/pod-$rt/$pod" <(awk -F: '$2 == "memory" {print $3}' "/proc/$pid/cgroup") ||
			fail "$rt: pause not in /$CD_NS/pod-$rt/$pod: $(cat /proc/$pid/cgroup)"
		out+=("$(
			echo "uid $(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
			echo "$(grep -E '^(Seccomp|NoNewPrivs|CapEff):' "/proc/$pid/status" | tr -d '\t' | tr '\n' ' ')"
			echo "hostname $(nsenter -t "$pid" -u hostname)"
			echo "sysctl $(nsenter -t "$pid" -i cat "/proc/sys/${CRI_SANDBOX_SYSCTL//.//}")"
			echo "ifaces $(nsenter -t "$pid" -n ip -o -4 addr show | awk '{print $2, $4}' | sed 's/\.[0-9]*\//.X\//' | tr '\n' ' ')"
			echo "comm $(tr '\0' ' ' <"/proc/$pid/cmdline")"
		)")
		[[ "${out[-1]}" == *"uid $CRI_SANDBOX_UID"* ]] || fail "$rt: pause runs as: ${out[-1]}"
		[[ "${out[-1]}" == *"Seccomp:2"* ]] || fail "$rt: no seccomp filter on the pause process: ${out[-1]}"
		[[ "${out[-1]}" == *"hostname pod-$rt"* ]] || fail "$rt: hostname: ${out[-1]}"
		[[ "${out[-1]}" == *"sysctl 1"* ]] || fail "$rt: sysctl $CRI_SANDBOX_SYSCTL not 1: ${out[-1]}"
		[[ "${out[-1]}" == *"eth0 10.213.0.X/24"* ]] || fail "$rt: interfaces: ${out[-1]}"
	done
	same "${out[0]//pod-hull/pod-RT}" "${out[1]//pod-runc/pod-RT}" "pause process"
}

@test "two containers started in the pod join its network, IPC, UTS and PID namespaces, each with a mount namespace of its own" {
	local rt pod pause c c1 c2 p1 p2 n out=() inside outside r
	for rt in "${RUNTIMES[@]}"; do
		pod=$(cri_id "pod-$rt")
		pause=$(cri_id "pausepid-$rt")
		c1=$(container_run "$rt" c1 -- sh -c 'echo c1 started; exec sleep 1000') || return 1
		c2=$(container_run "$rt" c2 -- sh -c 'trap "exit 0" TERM; echo c2 started; while :; do sleep 0.1; done') || return 1
		wait_container_state "$c1" CONTAINER_RUNNING
		wait_container_state "$c2" CONTAINER_RUNNING
		p1=$(container_pid "$c1")
		p2=$(container_pid "$c2")
		# from outside: /proc/PID/ns of the three processes
		for n in net ipc uts pid; do
			[ "$(readlink /proc/$p1/ns/$n)" = "$(readlink /proc/$pause/ns/$n)" ] || fail "$rt: c1 not in the pod's $n namespace"
			[ "$(readlink /proc/$p2/ns/$n)" = "$(readlink /proc/$pause/ns/$n)" ] || fail "$rt: c2 not in the pod's $n namespace"
		done
		[ "$(readlink /proc/$p1/ns/mnt)" != "$(readlink /proc/$pause/ns/mnt)" ] || fail "$rt: c1 shares the pause mount namespace"
		[ "$(readlink /proc/$p1/ns/mnt)" != "$(readlink /proc/$p2/ns/mnt)" ] || fail "$rt: c1 and c2 share a mount namespace"
		outside=$(ns_inodes "$pause" | cut -d' ' -f1-4)
		# from inside: each container reads its own namespaces, and sees the pause process as pid 1
		for c in "$c1" "$c2"; do
			run exec_sync "$c" 10 sh -c 'for n in net ipc uts pid; do printf "%s " "$(readlink /proc/self/ns/$n)"; done; echo; cat /proc/1/cmdline | tr "\0" " "; echo; hostname; ip -o -4 addr show eth0 | awk "{print \$4}"'
			[ "$status" -eq 0 ] || fail "$rt: exec: $output"
			inside=$(echo "$output" | jq -r .stdout)
			[ "$(echo "$inside" | sed -n 1p)" = "$outside " ] || fail "$rt: namespaces inside '$(echo "$inside" | sed -n 1p)', outside '$outside'"
			[ "$(echo "$inside" | sed -n 2p)" = "/bin/sleep infinity " ] || fail "$rt: pid 1 in the container is not pause: $inside"
			[ "$(echo "$inside" | sed -n 3p)" = "pod-$rt" ] || fail "$rt: hostname: $inside"
		done
		# c2 sees the pause process and c1's process (the rest comes and goes: c2's sleeps, the runtime's exec helper)
		run exec_sync "$c2" 10 ps -o args
		[ "$(echo "$output" | jq -j .stdout | grep -x -e '/bin/sleep infinity' -e 'sleep 1000' -e 'sh -c trap .*' | cut -c1-10 | LC_ALL=C sort | tr '\n' ' ')" = "/bin/sleep sh -c trap sleep 1000 " ] ||
			fail "$rt: processes seen from c2: $(echo "$output" | jq -r .stdout)"
		[ "$(tail -c +1 "$CD_DIR/logs/$rt/c1.log" | awk '{print $3, $4}' | head -1)" = "F c1" ] ||
			fail "$rt: c1's log: $(cat "$CD_DIR/logs/$rt/c1.log")"
		r=$(container_status "$c1")
		[ "$(echo "$r" | jq -r .state)" = CONTAINER_RUNNING ] || fail "$rt: c1: $r"
		out+=("$(echo "$inside" | sed -n '2p;4p' | sed 's/\.[0-9]*\//.X\//') $(echo "$r" | jq -c '{state, exit_code, reason, image, labels, metadata}')")
	done
	same "${out[0]}" "${out[1]}" "containers' view of the pod"
}

@test "ExecSync returns stdout, stderr and the exit code, and ends a command at its timeout" {
	local rt c out=() t0 t1
	for rt in "${RUNTIMES[@]}"; do
		c=$(cri_id "$rt-c1")
		run exec_sync "$c" 10 sh -c 'echo to-stdout $HULL_TEST; echo to-stderr >&2; exit 3'
		[ "$status" -eq 0 ] || fail "$rt: $output"
		[ "$(echo "$output" | jq -c .)" = '{"exit_code":3,"stderr":"to-stderr\n","stdout":"to-stdout c1\n"}' ] || fail "$rt: $output"
		out+=("$output")
		run exec_sync "$c" 10 /nonexistent
		[ "$status" -eq 3 ] || fail "$rt: exec of /nonexistent did not fail the call: $output"
		# from runc's "exec failed: " on, the text is the runtime's own (what precedes it is the shim's)
		out+=("$(echo "$output" | jq -r .code) $(echo "$output" | jq -r .details | grep -o 'exec failed: unable.*')")
		[ "${out[-1]}" = 'UNKNOWN exec failed: unable to start container process: exec: "/nonexistent": stat /nonexistent: no such file or directory: unknown' ] ||
			fail "$rt: exec of /nonexistent: $output"
		t0=$(date +%s%N)
		run exec_sync "$c" 1 sh -c 'echo begun; sleep 30'
		t1=$(date +%s%N)
		[ "$status" -eq 3 ] || fail "$rt: a command over its timeout did not fail the call: $output"
		[ "$(echo "$output" | jq -r .code)" = DEADLINE_EXCEEDED ] || fail "$rt: $output"
		[ $(((t1 - t0) / 1000000)) -lt 8000 ] || fail "$rt: the 1 s timeout took $(((t1 - t0) / 1000000)) ms"
		out+=("$status $output")
		# the timed-out command is gone from the container
		sleep 0.3
		run exec_sync "$c" 10 sh -c 'ps -o args | grep -c "[s]leep 30"'
		[ "$(echo "$output" | jq -r .stdout)" = 0 ] || fail "$rt: the timed-out command still runs: $output"
	done
	same "${out[0]}" "${out[3]}" "ExecSync result"
	same "${out[1]}" "${out[4]}" "ExecSync of a missing command"
	same "${out[2]}" "${out[5]}" "ExecSync over its timeout"
}

@test "ContainerStatus and RemoveContainer: exit codes and reasons of exited containers, nothing left of them" {
	local rt c code out=() st
	for rt in "${RUNTIMES[@]}"; do
		for code in 0 7; do
			c=$(container_run "$rt" "exit$code" -- sh -c "echo bye; exit $code") || return 1
			wait_container_state "$c" CONTAINER_EXITED
			st=$(container_status "$c")
			[ "$(echo "$st" | jq .exit_code)" = "$code" ] || fail "$rt: exit code not $code: $st"
			[ "$(echo "$st" | jq -r '.finished_at | tonumber > 0')" = true ] || fail "$rt: no finish time: $st"
			out+=("$(echo "$st" | jq -c '{state, exit_code, reason, message}')")
			run cri_ok RemoveContainer "{\"container_id\": \"$c\"}"
			[ "$status" -eq 0 ] || fail "$rt: $output"
			run cri ContainerStatus "{\"container_id\": \"$c\"}"
			[ "$(echo "$output" | jq -r .code)" = NOT_FOUND ] || fail "$rt: status after RemoveContainer: $output"
			[ ! -e "$CD_RUNC_ROOT/$rt/k8s.io/$c" ] || fail "$rt: runtime state of $c left"
			[ -z "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -name "$c")" ] || fail "$rt: cgroups of $c left"
			! grep -qF "$c" /proc/self/mountinfo || fail "$rt: mounts of $c left"
		done
	done
	[ "${out[2]}" = '{"state":"CONTAINER_EXITED","exit_code":0,"reason":"Completed","message":""}' ] || fail "runc: ${out[2]}"
	[ "${out[3]}" = '{"state":"CONTAINER_EXITED","exit_code":7,"reason":"Error","message":""}' ] || fail "runc: ${out[3]}"
	same "${out[0]} ${out[1]}" "${out[2]} ${out[3]}" "status of exited containers"
}

@test "ContainerStats reports the container's cpu time, memory working set and writable layer" {
	local rt c s out=()
	for rt in "${RUNTIMES[@]}"; do
		c=$(cri_id "$rt-c1")
		exec_sync "$c" 20 sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done' >/dev/null
		run cri_ok ContainerStats "{\"container_id\": \"$c\"}"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		s=$(echo "$output" | jq -c .stats)
		[ "$(echo "$s" | jq -r .attributes.id)" = "$c" ] || fail "$rt: stats of another container: $s"
		[ "$(echo "$s" | jq -r '.cpu.usage_core_nano_seconds.value | tonumber > 10000000')" = true ] || fail "$rt: cpu time not > 10 ms: $s"
		[ "$(echo "$s" | jq -r '.memory.working_set_bytes.value | tonumber > 0')" = true ] || fail "$rt: memory working set 0: $s"
		# (the writable layer's usage is sampled by a background loop of containerd's, so only its presence counts)
		[ "$(echo "$s" | jq -r '.writable_layer.inodes_used.value | tonumber > 0')" = true ] || fail "$rt: no writable layer usage: $s"
		out+=("$(echo "$s" | jq -c '{cpu: (.cpu.usage_core_nano_seconds.value | tonumber > 0), mem: (.memory.working_set_bytes.value | tonumber > 0),
			usage: (.memory.usage_bytes.value | tonumber > 0), layer: (.writable_layer.inodes_used.value | tonumber > 0), metadata: .attributes.metadata}')")
	done
	same "${out[0]}" "${out[1]}" "stats"
}

@test "resources of the container config are written to its cgroup and oom_score_adj, and UpdateContainerResources changes them live" {
	local rt c pid out=() res upd
	res='{"memory_limit_in_bytes": 67108864, "cpu_shares": 512, "cpu_period": 100000, "cpu_quota": 50000, "cpuset_cpus": "0", "oom_score_adj": 500}'
	upd='{"memory_limit_in_bytes": 100663296, "cpu_shares": 256, "cpu_period": 50000, "cpu_quota": 10000, "cpuset_cpus": "0-1"}'
	for rt in "${RUNTIMES[@]}"; do
		c=$(container_run "$rt" limited ".linux.resources = $res" -- sleep 1000) || return 1
		wait_container_state "$c" CONTAINER_RUNNING
		pid=$(container_pid "$c")
		out+=("$(
			echo "mem $(cgroup_file "$rt" memory "$c" memory.limit_in_bytes) shares $(cgroup_file "$rt" cpu "$c" cpu.shares)" \
				"quota $(cgroup_file "$rt" cpu "$c" cpu.cfs_quota_us)/$(cgroup_file "$rt" cpu "$c" cpu.cfs_period_us)" \
				"cpus $(cgroup_file "$rt" cpuset "$c" cpuset.cpus) oom $(cat "/proc/$pid/oom_score_adj")"
		)")
		[ "${out[-1]}" = "mem 67108864 shares 512 quota 50000/100000 cpus 0 oom 500" ] || fail "$rt: created with: ${out[-1]}"
		run exec_sync "$c" 10 sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || echo no-cgroupns'
		run cri_ok UpdateContainerResources "$(jq -n -c --arg c "$c" --argjson r "$upd" '{container_id: $c, linux: $r}')"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		out+=("$(
			echo "mem $(cgroup_file "$rt" memory "$c" memory.limit_in_bytes) shares $(cgroup_file "$rt" cpu "$c" cpu.shares)" \
				"quota $(cgroup_file "$rt" cpu "$c" cpu.cfs_quota_us)/$(cgroup_file "$rt" cpu "$c" cpu.cfs_period_us)" \
				"cpus $(cgroup_file "$rt" cpuset "$c" cpuset.cpus) pid-same $([ "$(container_pid "$c")" = "$pid" ] && echo yes)"
		)")
		[ "${out[-1]}" = "mem 100663296 shares 256 quota 10000/50000 cpus 0-1 pid-same yes" ] || fail "$rt: after update: ${out[-1]}"
		[ "$(container_status "$c" | jq -r .state)" = CONTAINER_RUNNING ] || fail "$rt: not running after the update"
	done
	same "${out[0]} ${out[1]}" "${out[2]} ${out[3]}" "cgroup values"
}

@test "StopContainer: SIGTERM ends a container that handles it, one that ignores it is killed at the timeout" {
	local rt c out=() t0 ms st
	for rt in "${RUNTIMES[@]}"; do
		# c1 runs sleep, which SIGTERM kills: 128+15
		c=$(cri_id "$rt-c1")
		run cri_ok StopContainer "{\"container_id\": \"$c\", \"timeout\": 10}"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		st=$(container_status "$c")
		[ "$(echo "$st" | jq -r '.state + " " + (.exit_code | tostring)')" = "CONTAINER_EXITED 143" ] || fail "$rt: c1 after SIGTERM: $st"
		out+=("$(echo "$st" | jq -c '{state, exit_code, reason}')")
		# the container limited by the previous test ignores nothing but sleeps; this one ignores SIGTERM
		c=$(container_run "$rt" stubborn -- sh -c 'trap "" TERM; while :; do sleep 0.1; done') || return 1
		wait_container_state "$c" CONTAINER_RUNNING
		t0=$(date +%s%N)
		run cri_ok StopContainer "{\"container_id\": \"$c\", \"timeout\": 2}"
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$status" -eq 0 ] || fail "$rt: $output"
		[ "$ms" -ge 1900 ] && [ "$ms" -lt 10000 ] || fail "$rt: StopContainer with timeout 2 took $ms ms"
		st=$(container_status "$c")
		[ "$(echo "$st" | jq -r '.state + " " + (.exit_code | tostring)')" = "CONTAINER_EXITED 137" ] || fail "$rt: after the timeout: $st"
		out+=("$(echo "$st" | jq -c '{state, exit_code, reason}')")
		# c2 exits 0 on SIGTERM
		c=$(cri_id "$rt-c2")
		run cri_ok StopContainer "{\"container_id\": \"$c\", \"timeout\": 10}"
		st=$(container_status "$c")
		[ "$(echo "$st" | jq -r '.state + " " + (.exit_code | tostring) + " " + .reason')" = "CONTAINER_EXITED 0 Completed" ] || fail "$rt: c2 after SIGTERM: $st"
		out+=("$(echo "$st" | jq -c '{state, exit_code, reason}')")
	done
	same "${out[0]} ${out[1]} ${out[2]}" "${out[3]} ${out[4]} ${out[5]}" "stopped containers"
}

@test "StopPodSandbox stops every container and the pause process, RemovePodSandbox leaves no state, cgroup, mount, netns or process" {
	local rt pod pause netns ids c st out=() left
	for rt in "${RUNTIMES[@]}"; do
		pod=$(cri_id "pod-$rt")
		pause=$(cri_id "pausepid-$rt")
		netns=$(cri_id "netns-$rt")
		ids=$(cri_ok ListContainers "{\"filter\": {\"pod_sandbox_id\": \"$pod\"}}" | jq -r '.containers[].id')
		[ -n "$ids" ] || fail "$rt: no containers in the pod"
		run cri_ok StopPodSandbox "{\"pod_sandbox_id\": \"$pod\"}"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		st=$(cri_ok PodSandboxStatus "{\"pod_sandbox_id\": \"$pod\"}" | jq -c .status)
		[ "$(echo "$st" | jq -r .state)" = SANDBOX_NOTREADY ] || fail "$rt: after StopPodSandbox: $st"
		for c in $ids; do
			[ "$(container_status "$c" | jq -r .state)" = CONTAINER_EXITED ] || fail "$rt: container $c not exited after StopPodSandbox"
		done
		! kill -0 "$pause" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$pause/stat")" = Z ] || fail "$rt: pause process $pause still runs"
		[ ! -e "$netns" ] || fail "$rt: $netns still there after StopPodSandbox"
		out+=("$(echo "$st" | jq -c '{state, network}') $(for c in $ids; do container_status "$c" | jq -r .state; done | sort | uniq -c | tr -s ' \n' ' ')")
		run cri_ok RemovePodSandbox "{\"pod_sandbox_id\": \"$pod\"}"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		run cri PodSandboxStatus "{\"pod_sandbox_id\": \"$pod\"}"
		[ "$(echo "$output" | jq -r .code)" = NOT_FOUND ] || fail "$rt: status after RemovePodSandbox: $output"
		[ "$(cri_ok ListContainers "{\"filter\": {\"pod_sandbox_id\": \"$pod\"}}" | jq '.containers | length')" = 0 ] || fail "$rt: containers left"
		left=$(ls "$CD_RUNC_ROOT/$rt/k8s.io" 2>/dev/null)
		[ -z "$left" ] || fail "$rt: runtime state left in $CD_RUNC_ROOT/$rt/k8s.io: $left"
		left=$(find /sys/fs/cgroup -mindepth 3 -maxdepth 4 -type d -path "*/$CD_NS/pod-$rt/*" 2>/dev/null || true)
		[ -z "$left" ] || fail "$rt: cgroups left: $left"
		left=$(grep -F -e "$pod" $(for c in $ids; do printf -- '-e %s ' "$c"; done) /proc/self/mountinfo || true)
		[ -z "$left" ] || fail "$rt: mounts left: $left"
		left=$(for c in $ids $pod; do CD_NS=k8s.io cd_ctr container ls -q | grep -x "$c"; done || true)
		[ -z "$left" ] || fail "$rt: containerd containers left: $left"
		# (the pattern comes from a file, so that grep does not find itself)
		echo "$pod" >"$CD_DIR/pod.pattern"
		left=$(grep -lsFf "$CD_DIR/pod.pattern" /proc/[0-9]*/cmdline || true)
		[ -z "$left" ] || fail "$rt: processes of the pod left (its shim?): $left"
		kill -0 "$pause" 2>/dev/null && fail "$rt: pause process $pause left"
		rm -f "$CD_DIR/ids/pod-$rt"
	done
	same "${out[0]}" "${out[1]}" "stopped pod"
}

@test "a hostNetwork pod (network NODE) and its container share the node's network namespace, and leave no netns behind" {
	local rt pod pid c cp out=() cfg
	for rt in "${RUNTIMES[@]}"; do
		cfg=$(pod_config "$rt" | jq -c '.metadata.name += "-hostnet" | .metadata.uid += "-hostnet" | .hostname = "" |
			.linux.security_context.namespace_options.network = "NODE" | del(.linux.sysctls)')
		run cri_ok RunPodSandbox "$(jq -n -c --argjson c "$cfg" --arg rt "$rt" '{config: $c, runtime_handler: $rt}')"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		pod=$(echo "$output" | jq -r .pod_sandbox_id)
		cri_save "pod-$rt" "$pod"
		pid=$(pod_pid "$pod")
		[ "$(readlink /proc/$pid/ns/net)" = "$(readlink /proc/self/ns/net)" ] || fail "$rt: the pause process is not in the node's network namespace"
		[ "$(readlink /proc/$pid/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ] || fail "$rt: the pause process is in the node's IPC namespace"
		c=$(container_run "$rt" hostnet '.linux.security_context.namespace_options.network = "NODE"' -- sleep 1000) || return 1
		wait_container_state "$c" CONTAINER_RUNNING
		cp=$(container_pid "$c")
		[ "$(readlink /proc/$cp/ns/net)" = "$(readlink /proc/self/ns/net)" ] || fail "$rt: the container is not in the node's network namespace"
		run exec_sync "$c" 10 sh -c 'readlink /proc/self/ns/net; hostname'
		[ "$(echo "$output" | jq -r .stdout | head -1)" = "$(readlink /proc/self/ns/net)" ] || fail "$rt: from inside: $output"
		[ "$(echo "$output" | jq -r .stdout | sed -n 2p)" = "$(hostname)" ] || fail "$rt: hostname inside is not the node's: $output"
		out+=("$(cri_ok PodSandboxStatus "{\"pod_sandbox_id\": \"$pod\"}" | jq -c '.status | {state, network, ns: .linux.namespaces.options}')")
		cri_ok StopPodSandbox "{\"pod_sandbox_id\": \"$pod\"}" >/dev/null
		cri_ok RemovePodSandbox "{\"pod_sandbox_id\": \"$pod\"}" >/dev/null
		kill -0 "$cp" 2>/dev/null && fail "$rt: the container's process $cp survived RemovePodSandbox"
		[ -z "$(ls "$CD_RUNC_ROOT/$rt/k8s.io" 2>/dev/null)" ] || fail "$rt: runtime state left: $(ls "$CD_RUNC_ROOT/$rt/k8s.io")"
		rm -f "$CD_DIR/ids/pod-$rt"
	done
	same "${out[0]}" "${out[1]}" "hostNetwork pod status"
	# no network namespace of this daemon's pods is left
	[ -z "$(ls /run/netns 2>/dev/null | sort | comm -13 "$CD_DIR/netns.before" - | grep '^cni-')" ] || fail "netns left: $(ls /run/netns)"
}
