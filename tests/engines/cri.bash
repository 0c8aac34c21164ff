# cri.bash - the CRI suite's client calls and pod/container configs, on top of containerd.bash's private daemon.
# Must never talk to any CRI socket but the private daemon's, nor make pods outside /$CD_NS cgroups.
#
# cri.bats drives containerd's CRI plugin as the kubelet does, through tests/engines/cri/cri.py (the
# project's own runtime.v1 client).  Each pod runs on runtime handler hull or runc (cd_write_config
# registers both); its cgroup parent is /$CD_NS/pod-<handler>, its logs go to $CD_DIR/logs/<handler>,
# and the ids of what a test made are kept in $CD_DIR/ids/ for the tests after it.

load containerd

CRI_PY=$ENGINES_DIR/cri/cri.py
# Namespaces a pod's containers share with its sandbox (the kubelet's shareProcessNamespace: true).
CRI_NS_POD='{"network": "POD", "pid": "POD", "ipc": "POD"}'
# The sandbox's security context: an unprivileged user, containerd's seccomp profile, an IPC sysctl.
CRI_SANDBOX_UID=65534
CRI_SANDBOX_SYSCTL=kernel.shm_rmid_forced

# cri METHOD [REQUEST-JSON]: one call on the private daemon; prints the response (or the gRPC error as
# {"code", "details"}), returns 0 on success, 3 on a gRPC error.
cri() {
	timeout -k 5 "$CD_CMD_TIMEOUT" "$PY3" "$CRI_PY" --socket "$CD_SOCK" --timeout "$((CD_CMD_TIMEOUT - 5))" "$@" 3>&-
}

# cri_ok METHOD [REQUEST-JSON]: cri, and a test failure naming the call when it fails.
cri_ok() {
	local out rc=0
	out=$(cri "$@") || rc=$?
	[ "$rc" = 0 ] || fail "CRI $1 failed ($rc): $out ${2:+(request $2)}" || return 1
	printf '%s\n' "$out"
}

# cri_save NAME VALUE / cri_id NAME: ids kept between tests (pods and containers of a handler).
cri_save() {
	mkdir -p "$CD_DIR/ids"
	printf '%s\n' "$2" >"$CD_DIR/ids/$1"
}

cri_id() {
	[ -s "$CD_DIR/ids/$1" ] || fail "no $1: the test that makes it did not pass" || return 1
	cat "$CD_DIR/ids/$1"
}

# pod_config RUNTIME: the PodSandboxConfig of the pod of RUNTIME.
pod_config() {
	local rt=$1
	mkdir -p "$CD_DIR/logs/$rt"
	jq -n -c --arg rt "$rt" --arg logs "$CD_DIR/logs/$rt" --arg cg "/$CD_NS/pod-$rt" --argjson ns "$CRI_NS_POD" \
		--argjson uid "$CRI_SANDBOX_UID" --arg sysctl "$CRI_SANDBOX_SYSCTL" '{
		metadata: {name: ("pod-" + $rt), uid: ("uid-" + $rt), namespace: "hull-test", attempt: 0},
		hostname: ("pod-" + $rt), log_directory: $logs,
		dns_config: {servers: ["10.213.0.1"], searches: ["hull.test"]},
		labels: {app: "hull-cri-test"}, annotations: {"hull.test/runtime": $rt},
		linux: {cgroup_parent: $cg, sysctls: {($sysctl): "1"},
			security_context: {namespace_options: $ns, run_as_user: {value: $uid},
				seccomp: {profile_type: "RuntimeDefault"}}}}'
}

# json_array ARGS...: the arguments as a JSON array of strings ("--": jq would take a "-c" for itself).
json_array() {
	jq -n -c '$ARGS.positional' --args -- "$@"
}

# container_config NAME [EXTRA-JQ] -- COMMAND...: a ContainerConfig running COMMAND in busybox, sharing
# the pod's namespaces; EXTRA-JQ amends it (e.g. '.linux.resources = {...}').
container_config() {
	local name=$1 extra=. args
	shift
	[ "$1" != -- ] && { extra=$1; shift; }
	shift
	args=$(json_array "$@")
	jq -n -c --arg name "$name" --arg img "$CD_IMAGE" --argjson cmd "$args" --argjson ns "$CRI_NS_POD" '{
		metadata: {name: $name, attempt: 0}, image: {image: $img}, command: $cmd,
		envs: [{key: "HULL_TEST", value: $name}], log_path: ($name + ".log"),
		labels: {container: $name},
		linux: {security_context: {namespace_options: $ns}}}' | jq -c "$extra"
}

# container_run RUNTIME NAME [EXTRA-JQ] -- COMMAND...: CreateContainer + StartContainer in the pod of
# RUNTIME; prints the container id and keeps it as <RUNTIME>-<NAME>.
container_run() {
	local rt=$1 name=$2 pod cfg out id
	shift 2
	pod=$(cri_id "pod-$rt") || return 1
	cfg=$(container_config "$name" "$@") || return 1
	out=$(cri_ok CreateContainer "$(jq -n -c --arg p "$pod" --argjson c "$cfg" --argjson s "$(pod_config "$rt")" \
		'{pod_sandbox_id: $p, config: $c, sandbox_config: $s}')") || return 1
	id=$(echo "$out" | jq -r .container_id)
	cri_save "$rt-$name" "$id"
	cri_ok StartContainer "{\"container_id\": \"$id\"}" >/dev/null || return 1
	echo "$id"
}

# container_status ID: the ContainerStatus message; container_pid ID: the pid of its process on the host.
container_status() {
	cri_ok ContainerStatus "{\"container_id\": \"$1\"}" | jq -c .status
}

container_pid() {
	cri_ok ContainerStatus "{\"container_id\": \"$1\", \"verbose\": true}" | jq -r '.info.info' | jq -r .pid
}

# pod_pid POD: the pid of the sandbox's (pause) process.
pod_pid() {
	cri_ok PodSandboxStatus "{\"pod_sandbox_id\": \"$1\", \"verbose\": true}" | jq -r '.info.info' | jq -r .pid
}

# wait_container_state ID STATE: bounded (10 s).
wait_container_state() {
	local i s
	for i in $(seq 50); do
		s=$(container_status "$1" | jq -r .state)
		[ "$s" = "$2" ] && return 0
		sleep 0.2
	done
	fail "container $1 is '$s', not '$2'"
}

# exec_sync ID TIMEOUT COMMAND...: ExecSync; prints the response.
exec_sync() {
	local id=$1 t=$2
	shift 2
	cri ExecSync "$(jq -n -c --arg id "$id" --argjson t "$t" --argjson cmd "$(json_array "$@")" '{container_id: $id, cmd: $cmd, timeout: $t}')"
}

# cgroup_file RUNTIME CONTROLLER CONTAINER-ID FILE: a cgroup v1 file of a container of the pod of RUNTIME.
cgroup_file() {
	cat "/sys/fs/cgroup/$2/$CD_NS/pod-$1/$3/$4"
}

# cri_remove_all: StopPodSandbox + RemovePodSandbox for every pod the daemon has (teardown), quietly.
cri_remove_all() {
	local id
	cd_daemon_alive || return 0
	for id in $(CD_CMD_TIMEOUT=30 cri ListPodSandbox 2>/dev/null | jq -r '.items[]?.id' 2>/dev/null); do
		CD_CMD_TIMEOUT=30 cri StopPodSandbox "{\"pod_sandbox_id\": \"$id\"}" >/dev/null 2>&1
		CD_CMD_TIMEOUT=30 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$id\"}" >/dev/null 2>&1
	done
	return 0
}
