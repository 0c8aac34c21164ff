# lifecycle.sh - the checks run.sh drives from outside the container: state transitions, start/kill/delete semantics, hooks (order, stdin state, namespaces) and errors (unknown id, duplicate id, invalid configs).
# Must never be run on its own or act on a container it did not create: it is sourced by run.sh and uses its rt/record/verdict helpers, ids from new_id and the private temp dir.
# shellcheck shell=bash disable=SC2016,SC2154 # sourced by run.sh, which defines rt_root, T and the helpers

# The lifecycle container's program: reports its start and each signal it gets in /out (a bind mount of the bundle's out/).
lifecycle_script='trap "echo usr1 >> /out/signals" USR1; trap "echo usr2 >> /out/signals" USR2; trap "exit 0" TERM
touch /out/started; while :; do sleep 0.1; done'

# has_lines FILE LINE N: FILE holds LINE at least N times
has_lines() {
	local n
	n=$(grep -c "^$2\$" "$1" 2>/dev/null)
	[ "${n:-0}" -ge "$3" ]
}

# lifecycle_checks LABEL
lifecycle_checks() {
	local label=$1 dir=$T/$1/lifecycle K='[lifecycle]' id id2 pid state state_err
	make_bundle "$dir" 1.0.0 '.process.args = ["sh", "-c", $script]
		| .mounts += [{"destination": "/out", "type": "bind", "source": ($bundle + "/out"), "options": ["rbind", "rw"]}]' \
		--arg script "$lifecycle_script" || { record "$label" "$K bundle can be built" FAIL "make_bundle failed"; return; }
	id=$(new_id "$label" lifecycle)
	cleanup_containers+=("$label|$id")
	state_err=$dir/state.err

	if ! rt "$label" create --bundle "$dir" --pid-file "$dir/pid" "$id" >"$dir/stdout" 2>"$dir/stderr"; then
		rejected "$label" "$K runtime.md#create: create succeeds" "$(first_line "$dir/stderr")"
		return
	fi
	record "$label" "$K runtime.md#create: create succeeds" PASS
	state=$(rt "$label" state "$id" 2>"$state_err")
	verdict "$?" "$label" "$K runtime.md#query-state: state of a created container succeeds" "$(first_line "$state_err")"
	jq -e . >/dev/null 2>&1 <<<"$state"
	verdict "$?" "$label" "$K runtime.md#state: state is a JSON object" "got: ${state:0:120}"
	[ "$(jq -r .status <<<"$state" 2>/dev/null)" = created ]
	verdict "$?" "$label" "$K runtime.md#state: status is \"created\" after create" "got $(jq -c .status <<<"$state" 2>/dev/null)"
	[ "$(jq -r .id <<<"$state" 2>/dev/null)" = "$id" ]
	verdict "$?" "$label" "$K runtime.md#state: id is the container's id" "got $(jq -c .id <<<"$state" 2>/dev/null)"
	[ "$(jq -r .bundle <<<"$state" 2>/dev/null)" = "$dir" ]
	verdict "$?" "$label" "$K runtime.md#state: bundle is the absolute bundle path" "expected $dir, got $(jq -c .bundle <<<"$state" 2>/dev/null)"
	[[ $(jq -r .ociVersion <<<"$state" 2>/dev/null) =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]
	verdict "$?" "$label" "$K runtime.md#state: ociVersion is a SemVer version" "got $(jq -c .ociVersion <<<"$state" 2>/dev/null)"
	pid=$(jq -r '.pid // 0' <<<"$state" 2>/dev/null)
	remember_pid "$pid"
	[[ $pid =~ ^[1-9][0-9]*$ ]] && [ -d "/proc/$pid" ]
	verdict "$?" "$label" "$K runtime.md#state: pid of a created container is a live process" "got pid ${pid:-none}"
	[ "$(tr -d ' \n' <"$dir/pid" 2>/dev/null)" = "$pid" ]
	verdict "$?" "$label" "$K cli: --pid-file holds the pid that state reports" "pid-file $(cat "$dir/pid" 2>/dev/null), state $pid"
	[ ! -e "$dir/out/started" ]
	verdict "$?" "$label" "$K runtime.md#lifecycle: the program does not run at create" "the program already ran"
	! no_state_left "$label" "$id"
	verdict "$?" "$label" "$K cli: the container's state is kept under --root" "nothing named after $id in ${rt_root[$label]}"

	rt "$label" create --bundle "$dir" "$id" >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "$K runtime.md#create: create with a duplicate id fails" "second create exited 0"
	status_is "$label" "$id" created && [ "$(state_field "$label" "$id" pid)" = "$pid" ]
	verdict "$?" "$label" "$K runtime.md#errors: the failed duplicate create left the first container as it was" \
		"status $(state_field "$label" "$id" status), pid $(state_field "$label" "$id" pid)"

	rt "$label" start "$id" >/dev/null 2>"$dir/start.err"
	verdict "$?" "$label" "$K runtime.md#start: start succeeds" "$(first_line "$dir/start.err")"
	wait_until 5 test -e "$dir/out/started"
	verdict "$?" "$label" "$K runtime.md#start: start runs the program" "the program did not start within 5 s"
	status_is "$label" "$id" running
	verdict "$?" "$label" "$K runtime.md#state: status is \"running\" after start" "got $(state_field "$label" "$id" status)"
	[ "$(state_field "$label" "$id" pid)" = "$pid" ]
	verdict "$?" "$label" "$K runtime.md#state: pid stays the same from created to running" "created $pid, running $(state_field "$label" "$id" pid)"
	[[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == "sh -c "* ]] && grep -Eq '^NSpid:.*[[:space:]]1$' "/proc/$pid/status"
	verdict "$?" "$label" "$K runtime.md#state: pid is the container's init (pid 1 inside) running the program" \
		"cmdline $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-40), $(grep NSpid "/proc/$pid/status" 2>/dev/null)"

	rt "$label" start "$id" >/dev/null 2>&1
	[ $? != 0 ] && status_is "$label" "$id" running
	verdict "$?" "$label" "$K runtime.md#start: start of a running container fails and changes nothing" "exit 0 or state changed"
	rt "$label" delete "$id" >/dev/null 2>&1
	[ $? != 0 ] && status_is "$label" "$id" running && [ -d "/proc/$pid" ]
	verdict "$?" "$label" "$K runtime.md#delete: delete of a running container (no --force) fails and changes nothing" \
		"status $(state_field "$label" "$id" status)"

	rt "$label" kill "$id" USR1 >/dev/null 2>&1 && wait_until 5 has_lines "$dir/out/signals" usr1 1
	verdict "$?" "$label" "$K runtime.md#kill: kill ID USR1 delivers SIGUSR1" "not seen by the program"
	rt "$label" kill "$id" SIGUSR2 >/dev/null 2>&1 && wait_until 5 has_lines "$dir/out/signals" usr2 1
	verdict "$?" "$label" "$K runtime.md#kill: kill ID SIGUSR2 delivers SIGUSR2" "not seen by the program"
	rt "$label" kill "$id" 10 >/dev/null 2>&1 && wait_until 5 has_lines "$dir/out/signals" usr1 2
	verdict "$?" "$label" "$K runtime.md#kill: kill ID 10 (numeric) delivers signal 10" "not seen by the program"
	rt "$label" kill "$id" TERM >/dev/null 2>&1 && wait_until 5 status_is "$label" "$id" stopped
	verdict "$?" "$label" "$K runtime.md#state: status is \"stopped\" once the program exited" "got $(state_field "$label" "$id" status)"

	rt "$label" kill "$id" KILL >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "$K runtime.md#kill: kill of a stopped container fails" "exit 0"
	rt "$label" start "$id" >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "$K runtime.md#start: start of a stopped container fails" "exit 0"
	rt "$label" delete "$id" >/dev/null 2>"$dir/delete.err"
	verdict "$?" "$label" "$K runtime.md#delete: delete of a stopped container succeeds" "$(first_line "$dir/delete.err")"
	rt "$label" state "$id" >/dev/null 2>&1
	[ $? != 0 ] && no_state_left "$label" "$id"
	verdict "$?" "$label" "$K runtime.md#delete: after delete, state fails and --root holds nothing of the container" \
		"$(find "${rt_root[$label]}" -name "*$id*" | head -3 | tr '\n' ' ')"

	# delete --force of a running container
	id2=$(new_id "$label" lifecycle-force)
	cleanup_containers+=("$label|$id2")
	rm -f "$dir/out/started"
	if rt "$label" create --bundle "$dir" "$id2" >"$dir/stdout2" 2>&1 && rt "$label" start "$id2" >/dev/null 2>&1 &&
		wait_until 5 test -e "$dir/out/started"; then
		pid=$(state_field "$label" "$id2" pid)
		remember_pid "$pid"
		rt "$label" delete --force "$id2" >/dev/null 2>"$dir/force.err" && wait_until 5 process_gone "$pid"
		verdict "$?" "$label" "$K cli: delete --force of a running container kills it and succeeds" "$(first_line "$dir/force.err")"
		rt "$label" state "$id2" >/dev/null 2>&1
		[ $? != 0 ] && no_state_left "$label" "$id2"
		verdict "$?" "$label" "$K runtime.md#delete: after delete --force, state fails and --root holds nothing" "state left"
	else
		record "$label" "$K cli: delete --force of a running container kills it and succeeds" FAIL "could not create and start a second container"
	fi
}

# host_cgroup_dir PATH: where the host sees cgroupsPath PATH: the pids hierarchy on v1 (and hybrid), the root on v2
host_cgroup_dir() {
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then echo "/sys/fs/cgroup$1"; else echo "/sys/fs/cgroup/pids$1"; fi
}

# cgroup_checks LABEL: cgroupsPath seen from the host: created for the container, holding it, removed by delete
cgroup_checks() {
	local label=$1 dir=$T/$1/cgroup K='[cgroup]' id pid cgroup_path cgdir
	new_cgroup_path "$label" lifecycle
	cgdir=$(host_cgroup_dir "$cgroup_path")
	make_bundle "$dir" 1.0.0 '.process.args = ["sleep", "600"] | .linux.cgroupsPath = $cgpath | .linux.resources.pids = {"limit": 50}' \
		--arg cgpath "$cgroup_path" || { record "$label" "$K bundle can be built" FAIL "make_bundle failed"; return; }
	id=$(new_id "$label" cgroup)
	cleanup_containers+=("$label|$id")
	if [ -d "$cgdir" ]; then
		record "$label" "$K config-linux.md#cgroups-path: the cgroupsPath directory is new" FAIL "$cgdir exists before create"
		return
	fi
	if ! rt "$label" create --bundle "$dir" "$id" >"$dir/stdout" 2>"$dir/stderr"; then
		rejected "$label" "$K runtime.md#create: create with cgroupsPath succeeds" "$(first_line "$dir/stderr")"
		return
	fi
	record "$label" "$K runtime.md#create: create with cgroupsPath succeeds" PASS
	pid=$(state_field "$label" "$id" pid)
	remember_pid "$pid"
	rt "$label" start "$id" >/dev/null 2>"$dir/start.err"
	verdict "$?" "$label" "$K runtime.md#start: start succeeds" "$(first_line "$dir/start.err")"
	status_is "$label" "$id" running && [ -d "$cgdir" ]
	verdict "$?" "$label" "$K config-linux.md#cgroups-path: the cgroupsPath directory exists on the host while the container runs" \
		"status $(state_field "$label" "$id" status), $cgdir $([ -d "$cgdir" ] && echo exists || echo missing)"
	[[ $pid =~ ^[1-9][0-9]*$ ]] && grep -qx "$pid" "$cgdir/cgroup.procs" 2>/dev/null
	verdict "$?" "$label" "$K config-linux.md#cgroups-path: the container process is in that cgroup" \
		"pid ${pid:-none}; $cgdir/cgroup.procs: $(tr '\n' ' ' <"$cgdir/cgroup.procs" 2>/dev/null | cut -c1-60)"
	[ "$(cat "$cgdir/pids.max" 2>/dev/null)" = 50 ]
	verdict "$?" "$label" "$K config-linux.md#pids: pids.max of the cgroupsPath directory is the limit (50)" \
		"got $(head -1 "$cgdir/pids.max" 2>&1)"
	rt "$label" kill "$id" KILL >/dev/null 2>&1
	wait_until 5 status_is "$label" "$id" stopped
	rt "$label" delete "$id" >/dev/null 2>"$dir/delete.err"
	verdict "$?" "$label" "$K runtime.md#delete: delete of a stopped container succeeds" "$(first_line "$dir/delete.err")"
	[ -z "$(cgroup_dirs "$cgroup_path")" ]
	verdict "$?" "$label" "$K config-linux.md#cgroups-path: delete removes the cgroupsPath directory in every hierarchy" \
		"left: $(cgroup_dirs "$cgroup_path" | tr '\n' ' ')"
}

# hook_checks LABEL
hook_checks() {
	local label=$1 dir=$T/$1/hooks K='[hooks]' id pid log names hook line container_mnt
	make_bundle "$dir" 1.0.0 '
		def hook(name; path; log): {"path": path, "args": ["hook", name, log, "extra arg"],
			"env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOOK_ENV=conformance"]};
		.process.args = ["sh", "-c", "printf \"program\\t\\t\\t%s\\t\\n\" \"$(readlink /proc/self/ns/mnt)\" >> /hooklog/log; exec sleep 600"]
		| .mounts += [{"destination": "/hooklog", "type": "bind", "source": ($bundle + "/hooklog"), "options": ["rbind", "rw"]}]
		| .hooks = {
			"prestart": [hook("prestart"; $hook; $log)],
			"createRuntime": [hook("createRuntime"; $hook; $log)],
			"createContainer": [hook("createContainer"; $hook; $log)],
			"startContainer": [hook("startContainer"; "/hooks/hook.sh"; "/hooklog/log")],
			"poststart": [hook("poststart"; $hook; $log)],
			"poststop": [hook("poststop"; $hook; $log)]}' \
		--arg hook "$T/hook.sh" --arg log "$dir/hooklog/log" || { record "$label" "$K bundle can be built" FAIL "make_bundle failed"; return; }
	cat >"$T/hook.sh" <<'EOF'
#!/bin/sh
# records one line per call: name, remaining args, HOOK_ENV, mount namespace, the state read from stdin
name=$1 log=$2
shift 2
state=$(cat | tr -d '\n\t')
printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$*" "${HOOK_ENV:-unset}" "$(readlink /proc/self/ns/mnt)" "$state" >>"$log"
EOF
	chmod 755 "$T/hook.sh"
	cp "$T/hook.sh" "$dir/rootfs/hooks/hook.sh"
	log=$dir/hooklog/log
	id=$(new_id "$label" hooks)
	cleanup_containers+=("$label|$id")
	hook_names() { grep -v '^program' "$log" 2>/dev/null | cut -f1 | tr '\n' ' ' | sed 's/ $//'; }

	if ! rt "$label" create --bundle "$dir" "$id" >"$dir/stdout" 2>"$dir/stderr"; then
		rejected "$label" "$K runtime.md#create: create with hooks succeeds" "$(first_line "$dir/stderr")"
		return
	fi
	record "$label" "$K runtime.md#create: create with hooks succeeds" PASS
	pid=$(state_field "$label" "$id" pid)
	remember_pid "$pid"
	container_mnt=$(readlink "/proc/$pid/ns/mnt")
	names=$(hook_names)
	[ "$names" = "prestart createRuntime createContainer" ]
	verdict "$?" "$label" "$K runtime.md#lifecycle: create runs prestart, createRuntime, createContainer in that order" "got [$names]"

	rt "$label" start "$id" >/dev/null 2>"$dir/start.err"
	names=$(hook_names)
	[ "$names" = "prestart createRuntime createContainer startContainer poststart" ]
	verdict "$?" "$label" "$K runtime.md#lifecycle: start runs startContainer then poststart before it returns" "got [$names]"
	wait_until 5 grep -q '^program' "$log"
	[ "$(cut -f1 "$log" | grep -n -e '^startContainer$' -e '^program$' | cut -d: -f2 | tr '\n' ' ')" = "startContainer program " ]
	verdict "$?" "$label" "$K config.md#startcontainer-hooks: startContainer runs before the program" "log order: $(cut -f1 "$log" | tr '\n' ' ')"

	for hook in prestart createRuntime createContainer startContainer poststart; do
		line=$(grep "^$hook	" "$log" | head -1)
		check_hook_line "$label" "$hook" "$line" "$id" "$dir" "$pid" "$container_mnt"
	done

	rt "$label" kill "$id" KILL >/dev/null 2>&1
	wait_until 5 status_is "$label" "$id" stopped
	! grep -q '^poststop' "$log"
	verdict "$?" "$label" "$K config.md#poststop: poststop does not run before delete" "ran when the container stopped"
	rt "$label" delete "$id" >/dev/null 2>"$dir/delete.err"
	[ "$(grep -c '^poststop' "$log")" = 1 ] && [ "$(hook_names | awk '{print $NF}')" = poststop ]
	verdict "$?" "$label" "$K config.md#poststop: poststop has run, once and last, when delete returns" "got [$(hook_names)]; $(first_line "$dir/delete.err")"
	line=$(grep "^poststop	" "$log" | head -1)
	check_hook_line "$label" poststop "$line" "$id" "$dir" "" "$container_mnt"
}

# check_hook_line LABEL HOOK LINE ID BUNDLE PID CONTAINER_MNT: what one hook call recorded
check_hook_line() {
	local label=$1 hook=$2 line=$3 id=$4 dir=$5 pid=$6 container_mnt=$7 K='[hooks]' args env mnt state section
	case $hook in
	prestart) section=config.md#prestart ;;
	createRuntime) section=config.md#createruntime-hooks ;;
	createContainer) section=config.md#createcontainer-hooks ;;
	startContainer) section=config.md#startcontainer-hooks ;;
	poststart) section=config.md#poststart ;;
	poststop) section=config.md#poststop ;;
	esac
	if [ -z "$line" ]; then
		record "$label" "$K $section: $hook hook ran" FAIL "no log line"
		return
	fi
	IFS=$'\t' read -r _ args env mnt state <<<"$line"
	[ "$args" = "extra arg" ] && [ "$env" = conformance ]
	verdict "$?" "$label" "$K config.md#posix-platform-hooks: $hook hook gets its args and env" "args [$args], HOOK_ENV [$env]"
	[ "$(jq -r .id <<<"$state" 2>/dev/null)" = "$id" ] && [ "$(jq -r .bundle <<<"$state" 2>/dev/null)" = "$dir" ]
	verdict "$?" "$label" "$K config.md#posix-platform-hooks: $hook hook reads the state (id, bundle) on stdin" "got ${state:0:160}"
	if [ -n "$pid" ]; then
		case $hook in
		createContainer | startContainer)
			# runtime.md#state: for hooks run in the container namespace, the pid as seen by the container
			[ "$(jq -r .pid <<<"$state" 2>/dev/null)" = 1 ]
			verdict "$?" "$label" "$K runtime.md#state: $hook hook state pid is the pid seen in the container (1)" "got $(jq -c .pid <<<"$state" 2>/dev/null)" ;;
		*)
			[ "$(jq -r .pid <<<"$state" 2>/dev/null)" = "$pid" ]
			verdict "$?" "$label" "$K runtime.md#state: $hook hook state pid is the container process as the runtime sees it" \
				"expected $pid, got $(jq -c .pid <<<"$state" 2>/dev/null)" ;;
		esac
	fi
	case $hook in
	createContainer | startContainer)
		[ "$mnt" = "$container_mnt" ]
		verdict "$?" "$label" "$K $section: $hook hook runs in the container's mount namespace" "hook $mnt, container $container_mnt" ;;
	poststop) ;; # the container's namespace is gone by then and its inode number may be reused: nothing to compare
	*)
		[ -n "$mnt" ] && [ "$mnt" != "$container_mnt" ]
		verdict "$?" "$label" "$K $section: $hook hook runs in the runtime's mount namespace" "hook $mnt, container $container_mnt" ;;
	esac
}

# error_case LABEL DIR TAG NAME SECTION: create must fail and leave no container behind
error_case() {
	local label=$1 dir=$2 tag=$3 name=$4 section=$5 id rc pid=''
	id=$(new_id "$label" "err-$tag")
	cleanup_containers+=("$label|$id")
	rm -f "$dir/pid"
	rt "$label" create --bundle "$dir" --pid-file "$dir/pid" "$id" >"$dir/stdout.$tag" 2>"$dir/stderr.$tag"
	rc=$?
	[ -s "$dir/pid" ] && pid=$(cat "$dir/pid") && remember_pid "$pid"
	[ "$rc" != 0 ] && no_state_left "$label" "$id" && { [ -z "$pid" ] || wait_until 3 process_gone "$pid"; }
	verdict "$?" "$label" "[errors] $section: create fails for $name and leaves no container" \
		"create exit $rc, state left: $(find "${rt_root[$label]}" -name "*$id*" | head -1), pid ${pid:-none}"
	[ "$rc" = 0 ] && rt "$label" delete --force "$id" >/dev/null 2>&1
	return 0
}

# error_checks LABEL
error_checks() {
	local label=$1 dir=$T/$1/errors good helper_pid missing
	make_bundle "$dir" 1.0.0 '.process.args = ["true"]' || { record "$label" "[errors] bundle can be built" FAIL "make_bundle failed"; return; }
	good=$(cat "$dir/config.json")
	with_config() { jq "$@" <<<"$good" >"$dir/config.json"; }

	echo '{"ociVersion": "1.0.0", "process": ' >"$dir/config.json"
	error_case "$label" "$dir" badjson "a config.json that is not JSON" runtime.md#create
	with_config '.root.path = "no-such-rootfs"'
	error_case "$label" "$dir" norootfs "a root.path that does not exist" config.md#root
	with_config '.mounts += [{"destination": "/mnt", "type": "no-such-fs", "source": "none"}]'
	error_case "$label" "$dir" badfs "a mount of an unknown filesystem type" runtime.md#create
	with_config '.process.rlimits = [{"type": "RLIMIT_NO_SUCH_LIMIT", "soft": 1, "hard": 1}]'
	error_case "$label" "$dir" badrlimit "an unknown rlimit type" config.md#posix-process
	with_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 100}, {"type": "RLIMIT_NOFILE", "soft": 200, "hard": 200}]'
	error_case "$label" "$dir" duprlimit "a duplicated rlimit type" config.md#posix-process
	with_config '.linux.namespaces += [{"type": "uts"}]'
	error_case "$label" "$dir" dupns "a duplicated namespace type" config-linux.md#namespaces
	unshare --uts sleep 600 &
	helper_pid=$!
	helper_pids+=("$helper_pid")
	wait_until 5 test "$(ns_inode /proc/$helper_pid/ns/uts)" != "$(ns_inode /proc/self/ns/uts)"
	with_config --arg path "/proc/$helper_pid/ns/uts" '.linux.namespaces |= map(if .type == "network" then .path = $path else . end)'
	error_case "$label" "$dir" nstype "a network namespace path that is a uts namespace" config-linux.md#namespaces
	kill "$helper_pid" 2>/dev/null
	with_config '.hooks.prestart = [{"path": "/bin/false"}]'
	error_case "$label" "$dir" prestart "a failing prestart hook" runtime.md#lifecycle
	with_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
	error_case "$label" "$dir" createruntime "a failing createRuntime hook" runtime.md#lifecycle
	with_config '.hooks.createContainer = [{"path": "/bin/false"}]'
	error_case "$label" "$dir" createcontainer "a failing createContainer hook" runtime.md#lifecycle
	with_config '.linux.devices = [{"path": "/bin/busybox", "type": "c", "major": 1, "minor": 5}]'
	error_case "$label" "$dir" devpath "a device path held by a non-matching file" config-linux.md#devices

	missing="hc$$-no-such-container"
	rt "$label" state "$missing" >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "[errors] runtime.md#query-state: state of an unknown id fails" "exit 0"
	rt "$label" start "$missing" >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "[errors] runtime.md#start: start of an unknown id fails" "exit 0"
	rt "$label" kill "$missing" KILL >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "[errors] runtime.md#kill: kill of an unknown id fails" "exit 0"
	rt "$label" delete "$missing" >/dev/null 2>&1
	[ $? != 0 ]
	verdict "$?" "$label" "[errors] runtime.md#delete: delete of an unknown id fails" "exit 0"
}
