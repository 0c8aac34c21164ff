#!/usr/bin/env bats
# cgroups: each container in its own cgroup, linux.resources enforced (not only written), update, pause/resume, ps.
# Proven from inside the container (what the process can do) and outside (the cgroup files, the process state).

load helpers

# The cycles test's hang guard grows with its count: the file's guard (setup, teardown) and 2 s a cycle (a
# loaded 2-CPU host was seen at 0.5 s), scaled for a slow build; each of its commands has a timeout too.
# 100 here: a cgroup left per cycle shows after one, and longrun.bats runs 100 more cycles (with exec)
# checking every kind of leftover; the emulated VM lane and the sanitizer lane set fewer.
: "${HULL_CGROUP_CYCLES:=100}"
if [[ "$BATS_TEST_NAME" == *cycles_leave_no_cgroup_directory_behind ]]; then
	BATS_TEST_TIMEOUT=$((BATS_TEST_TIMEOUT + HULL_CGROUP_CYCLES * 2 * ${HULL_TIME_SCALE:-1}))
fi

# cg_dir CONTROLLER: the container's directory in a v1 hierarchy, or in the v2 tree on a v2 host.
cg_dir() { cg_dir_of "$CTR" "$1"; }

@test "the init runs in a cgroup named after the container" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	grep -E "^[0-9]+:pids:.*/$CTR\$|^0::.*/$CTR\$" "/proc/$pid/cgroup"
}

@test "an absolute cgroupsPath places the container there" {
	update_config --arg p "/hull-test-$CTR" '.linux.cgroupsPath = $p'
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	grep -E ":/hull-test-$CTR\$" "/proc/$pid/cgroup"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name "hull-test-$CTR")" ]
}

@test "pids.limit stops the container from forking past it" {
	update_config '.linux.resources.pids = {"limit": 5}'
	set_cmd sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 30 & done 2>&1; wait'
	run hull run "$CTR"
	[[ "$output" == *"can't fork"* ]]
}

@test "memory.limit OOM-kills a process that allocates past it" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	# a command substitution holds all of its 128 MiB in the shell's memory
	set_cmd sh -c 'a=$(head -c 134217728 /dev/zero | tr "\\000" x); echo survived ${#a}'
	run hull run "$CTR"
	[ "$status" -eq 137 ]
	[[ "$output" != *survived* ]]
	# and the same without the limit survives: the test can tell the difference
	update_config 'del(.linux.resources.memory)'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"survived 134217728"* ]]
}

@test "cpu shares, quota and period are written to the container's cgroup" {
	update_config '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000}'
	set_cmd sleep 1000
	run_d "$CTR"
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[ "$(cat "$(cg_dir cpu)/cpu.max")" = "20000 100000" ]
	else
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 512 ]
		[ "$(cat "$(cg_dir cpu)/cpu.cfs_quota_us")" = 20000 ]
		[ "$(cat "$(cg_dir cpu)/cpu.cfs_period_us")" = 100000 ]
	fi
}

# linux.resources as Docker 20.10 sends it for a plain `docker run`: every field there, zero or empty.
DOCKER_ZERO_RESOURCES='{"blockIO": {"weight": 0}, "cpu": {"shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0,
	"realtimePeriod": 0, "cpus": "", "mems": ""}, "memory": {"limit": 0, "reservation": 0, "swap": 0, "kernel": 0,
	"kernelTCP": 0, "disableOOMKiller": false}, "pids": {"limit": 0}, "network": {"classID": 0}}'

# cg_values ID: the resource files of container ID that zeros must leave alone, one "file value" a line.
cg_values() {
	local pid line f c
	pid=$(pid_of "$1")
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		line=$(grep '^0::' "/proc/$pid/cgroup")
		for f in cpu.weight cpu.max pids.max memory.max memory.low memory.swap.max cpuset.cpus cpuset.mems io.weight; do
			[ -e "/sys/fs/cgroup${line#0::}/$f" ] && echo "$f $(cat "/sys/fs/cgroup${line#0::}/$f")"
		done
		return 0
	fi
	for f in cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.rt_runtime_us cpu/cpu.rt_period_us \
		pids/pids.max memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes memory/memory.memsw.limit_in_bytes \
		memory/memory.oom_control cpuset/cpuset.cpus cpuset/cpuset.mems blkio/blkio.weight blkio/blkio.bfq.weight \
		net_cls/net_cls.classid; do
		c=${f%%/*}
		line=$(grep -E "^[0-9]+:([^:]*,)?$c(,[^:]*)?:" "/proc/$pid/cgroup") || continue
		[ -e "/sys/fs/cgroup/$c${line##*:}/${f#*/}" ] && echo "$f $(cat "/sys/fs/cgroup/$c${line##*:}/${f#*/}" | tr '\n' ' ')"
	done
	return 0
}

@test "zero resources, as Docker sends them, are not set: the cgroup is as without them" {
	set_cmd sleep 1000
	run_d "$CTR2"
	update_config --argjson r "$DOCKER_ZERO_RESOURCES" '.linux.resources += $r'
	run_d "$CTR"
	[ "$status" -eq 0 ]
	cg_values "$CTR2" >"$TESTDIR/plain"
	cg_values "$CTR" >"$TESTDIR/zeros"
	[ -s "$TESTDIR/plain" ]
	diff "$TESTDIR/plain" "$TESTDIR/zeros"
	# a default container's cpu.shares is the kernel's default, not the 2 a written 0 becomes
	if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 1024 ]
	fi
}

@test "zero resources are not set when given alone too: pids.limit 0 keeps pids.max at max" {
	update_config '.linux.resources.pids = {"limit": 0} | .linux.resources.cpu = {"shares": 0}'
	set_cmd sleep 1000
	run_d "$CTR"
	[ "$(cat "$(cg_dir pids)/pids.max")" = max ]
	if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 1024 ]
	fi
}

@test "memory.swappiness 0 is a value and is written, while an absent one is not" {
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || skip "cgroup v2 has no per-cgroup swappiness"
	update_config '.linux.resources.memory = {"swappiness": 0}'
	set_cmd sleep 1000
	run_d "$CTR"
	[ "$(cat "$(cg_dir memory)/memory.swappiness")" = 0 ]
	run hull delete --force "$CTR"
	update_config 'del(.linux.resources.memory)'
	run_d "$CTR"
	[ "$(cat "$(cg_dir memory)/memory.swappiness")" = "$(cat /proc/sys/vm/swappiness)" ]
}

# with_caps CAP...: add capabilities to every set of the process.
with_caps() {
	local c
	for c in "$@"; do
		update_config --arg c "$c" '.process.capabilities |= with_entries(.value += [$c])'
	done
}

@test "a device rule that denies everything keeps mknod (runc's defaults) and /dev/null, but not the node's use" {
	update_config '.root.readonly = false'
	with_caps CAP_MKNOD CAP_SYSLOG
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	# the nodes go in /dev, the container's own tmpfs: /tmp may be mounted nodev (the VM lane's overlay is)
	set_cmd sh -c 'echo x > /dev/null && echo null-ok; mknod /dev/x c 1 3 && echo x > /dev/x && echo mknod-null-ok;
		mknod /dev/kmsg2 c 1 11 && echo mknod-ok; head -n 1 /dev/kmsg2 >/dev/null && echo read-ok'
	run hull run "$CTR"
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *mknod-null-ok* ]]
	[[ "$output" == *mknod-ok* ]]
	[[ "$output" != *read-ok* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	# and with a rule allowing it, the same read works: what refused it was the device rules
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
	run hull run "$CTR"
	[[ "$output" == *read-ok* ]]
}

@test "update changes a live pids limit, and the new limit is enforced" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull update --pids-limit 3 "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 3 ]
	echo '{"pids": {"limit": 9}}' >"$TESTDIR/res.json"
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 9 ]
}

@test "update --memory accepts runc's size suffixes" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull update --memory 64m "$CTR"
	[ "$status" -eq 0 ]
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[ "$(cat "$(cg_dir memory)/memory.max")" = 67108864 ]
	else
		[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes")" = 67108864 ]
	fi
}

@test "pause freezes the processes and resume lets them run again" {
	bind_out
	set_cmd sh -c 'i=0; while true; do i=$((i+1)); echo $i > /out/count; sleep 0.05; done'
	run_d "$CTR"
	wait_for_file "$OUT/count"
	run hull pause "$CTR"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR")" = paused ]
	a=$(cat "$OUT/count")
	sleep 0.5
	[ "$(cat "$OUT/count")" = "$a" ]
	run hull resume "$CTR"
	[ "$status" -eq 0 ]
	[ "$(status_of "$CTR")" = running ]
	for i in $(seq "$(tries 50)"); do [ "$(cat "$OUT/count")" != "$a" ] && break; sleep 0.1; done
	[ "$(cat "$OUT/count")" != "$a" ]
}

@test "pause of a container that is not running fails" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull pause "$CTR"
	[ "$status" -ne 0 ]
	run hull resume "$CTR"
	[ "$status" -ne 0 ]
}

@test "delete --force of a paused container kills it and removes its cgroup" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	dir=$(cg_dir pids)
	run hull pause "$CTR"
	[ "$status" -eq 0 ]
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	wait_gone "$pid"
	[ ! -d "$dir" ]
}

@test "ps lists the container's processes like runc, and --format json gives their pids" {
	set_cmd sh -c 'sleep 1000 & exec sleep 999'
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	for i in $(seq "$(tries 30)"); do [ "$(wc -l < "$(cg_dir pids)/cgroup.procs")" -ge 2 ] && break; sleep 0.1; done
	run hull ps "$CTR"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[[ "$output" == *"sleep 999"* ]]
	[[ "$output" == *"sleep 1000"* ]]
	[ "${#lines[@]}" -eq 3 ]
	run hull ps --format json "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --argjson p "$pid" 'length == 2 and index($p) != null'
}

@test "create, start and delete cycles leave no cgroup directory behind" {
	local cycles=$HULL_CGROUP_CYCLES i
	set_cmd true
	for ((i = 1; i <= cycles; i++)); do
		timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" create "${CTR}_$i" >/dev/null 2>&1 || fail "create $i failed"
		timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" start "${CTR}_$i" || fail "start $i failed"
		timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" delete --force "${CTR}_$i" || fail "delete $i failed"
	done
	[ "$i" -eq $((cycles + 1)) ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "${CTR}_*")" ]
	[ -z "$(ls "$ROOT")" ]
}

@test "update, pause, resume, ps and events --stats behave and print like runc's" {
	command -v runc >/dev/null || skip "runc is not installed"
	set_cmd sleep 1000
	local r
	for r in "$HULL" runc; do
		local root="$TESTDIR/cmp-$(basename "$r")" id="${CTR}_cmp"
		"$r" --root "$root" run -d "$id" </dev/null >/dev/null 2>&1 || fail "$r run -d failed"
		"$r" --root "$root" update --pids-limit 20 --memory 64m "$id" || fail "$r update failed"
		"$r" --root "$root" ps --format json "$id" | jq -e 'type == "array" and length == 1 and (.[0] | type) == "number"' ||
			fail "$r ps --format json"
		"$r" --root "$root" ps "$id" | head -n 1 | grep -q PID || fail "$r ps table has no header"
		"$r" --root "$root" events --stats "$id" | jq -e --arg id "$id" \
			'.type == "stats" and .id == $id and (.data.cpu.usage.total | type) == "number" and
			 .data.pids.current == 1 and .data.pids.limit == 20 and .data.memory.usage.limit == 67108864' ||
			fail "$r events --stats"
		"$r" --root "$root" pause "$id" || fail "$r pause failed"
		[ "$("$r" --root "$root" state "$id" | jq -r .status)" = paused ] || fail "$r state is not paused"
		"$r" --root "$root" resume "$id" || fail "$r resume failed"
		[ "$("$r" --root "$root" state "$id" | jq -r .status)" = running ] || fail "$r state is not running"
		run "$r" --root "$root" resume "$id"
		[ "$status" -ne 0 ] || fail "$r resume of a running container succeeded"
		"$r" --root "$root" delete --force "$id" || fail "$r delete --force failed"
	done
}

# cpu_share_of ID SECONDS: the CPU time the container used over SECONDS of wall time, in percent of one CPU
cpu_share_of() {
	local a b
	a=$(hull events --stats "$1" | jq '.data.cpu.usage.total')
	sleep "$2"
	b=$(hull events --stats "$1" | jq '.data.cpu.usage.total')
	echo $(((b - a) / ($2 * 10000000)))
}

@test "cpu quota caps a busy loop's CPU time" {
	set_cmd sh -c 'while :; do :; done'
	update_config '.linux.resources.cpu = {"quota": 20000, "period": 100000}'
	run_d "$CTR"
	capped=$(cpu_share_of "$CTR" 2)
	run hull delete --force "$CTR"
	# the same loop without a quota takes a whole CPU: the measure can tell the two apart
	update_config 'del(.linux.resources.cpu)'
	run_d "$CTR"
	free=$(cpu_share_of "$CTR" 2)
	echo "capped ${capped}% free ${free}%"
	# 20% asked; an emulated VM (lane A under TCG) has been seen at 38%: far from the free loop all the same
	[ "$capped" -le 45 ]
	# a busy machine may give the free loop less than a CPU, never as little as the quota
	[ "$free" -ge 60 ] || [ "$free" -ge $((capped * 2)) ]
}

@test "cpu.cpus pins the container to the configured CPUs" {
	[ "$(nproc --all)" -ge 2 ] || skip "a single-CPU machine cannot show the difference"
	update_config '.linux.resources.cpu = {"cpus": "1", "mems": "0"}'
	set_cmd sh -c 'grep Cpus_allowed_list /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Cpus_allowed_list:"*"1" ]]
	# and without the setting both CPUs are allowed
	update_config 'del(.linux.resources.cpu)'
	run hull run "$CTR"
	[[ "$output" != *"Cpus_allowed_list:	1" ]]
}

@test "exec joins every cgroup of the init (born there on v2)" {
	set_cmd sleep 1000
	run_d "$CTR"
	pid=$(pid_of "$CTR")
	run hull exec "$CTR" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	# seen from the host, the init's cgroups; the exec'd process sees them through its own /proc
	host=$(hull exec -d --pid-file "$TESTDIR/e.pid" "$CTR" sleep 999 && cat "/proc/$(cat "$TESTDIR/e.pid")/cgroup")
	[ "$host" = "$(cat "/proc/$pid/cgroup")" ] || fail "exec'd: $host; init: $(cat "/proc/$pid/cgroup")"
}

@test "exec --cgroup runs the process in a sub-cgroup, and delete removes it with its processes" {
	set_cmd sleep 1000
	run_d "$CTR"
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		sub=$(cg_dir pids)/sub spec=sub
	else
		sub=$(cg_dir pids)/sub spec=pids:sub
		# on v1 a path without a controller names a sub-cgroup in every hierarchy: here only pids has one
		mkdir "$sub"
		run hull exec --cgroup sub "$CTR" true
		[ "$status" -ne 0 ]
		[[ "$output" == *" adding pid "*"/sub/cgroup.procs: no such file "* ]] || fail "$output"
		rmdir "$sub"
	fi
	mkdir "$sub"
	run hull exec -d --cgroup "$spec" --pid-file "$TESTDIR/e.pid" "$CTR" sleep 999
	[ "$status" -eq 0 ] || fail "$output"
	e=$(cat "$TESTDIR/e.pid")
	grep -qx "$e" "$sub/cgroup.procs" || fail "not in $sub: $(cat "/proc/$e/cgroup")"
	# ps sees processes in sub-cgroups too
	run hull ps --format json "$CTR"
	[[ "$output" == *"$e"* ]] || fail "ps: $output"
	# runc's words for each refusal
	run hull exec --cgroup ../escape "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *" ../escape is not a sub cgroup path"* ]] || fail "$output"
	run hull exec --cgroup "$spec/../../.." "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *" is not a sub cgroup path"* ]] || fail "$output"
	run hull exec --cgroup whaaat:/ "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown controller whaaat"* ]] || fail "$output"
	run hull exec --cgroup sub --cgroup pids:sub "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"invalid --cgroup argument: sub (missing <controller>: prefix)"* ]] || fail "$output"
	# a path that climbs and comes back down stays below
	run hull exec --cgroup "${spec%sub}x/../sub" "$CTR" cat /proc/self/cgroup
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"/sub"* ]] || fail "$output"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ ! -d "$sub" ]
	wait_gone "$e"
}

@test "exec --ignore-paused starts a process that runs once the container is resumed" {
	bind_out
	set_cmd sleep 1000
	run_d "$CTR"
	run hull pause "$CTR"
	[ "$status" -eq 0 ]
	run hull exec -d --ignore-paused --pid-file "$TESTDIR/e.pid" "$CTR" sh -c 'echo ran > /out/ran'
	[ "$status" -eq 0 ] || fail "$output"
	e=$(cat "$TESTDIR/e.pid")
	# it joined the frozen cgroup before it could exec: nothing ran yet
	sleep 0.3
	[ ! -e "$OUT/ran" ]
	[ "$(cat "/proc/$e/cgroup")" = "$(cat "/proc/$(pid_of "$CTR")/cgroup")" ]
	[[ "$(tr '\0' ' ' <"/proc/$e/cmdline")" != "sh -c"* ]] || fail "it ran while paused"
	run hull resume "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/ran"
}

@test "update refuses an invalid resources object with a one-line error and changes nothing" {
	update_config '.linux.resources.pids = {"limit": 20}'
	set_cmd sleep 1000
	run_d "$CTR"
	echo '{"memory": {"limit": 67108864}, "pids": {"limit": "abc"}}' >"$TESTDIR/res.json"
	before=$(cat "$(cg_dir memory)/memory.limit_in_bytes" 2>/dev/null || cat "$(cg_dir memory)/memory.max")
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -eq 1 ]
	[ -n "$output" ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 20 ]
	[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes" 2>/dev/null || cat "$(cg_dir memory)/memory.max")" = "$before" ]
	if is_hull; then
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *pids.limit* ]]
	fi
}

@test "update refuses resources of the wrong JSON type or range and changes nothing, as runc's JSON decoder does" {
	update_config '.linux.resources.pids = {"limit": 20} | .linux.resources.cpu = {"shares": 512}'
	set_cmd sleep 1000
	run_d "$CTR"
	mem_file() { cat "$(cg_dir memory)/memory.limit_in_bytes" 2>/dev/null || cat "$(cg_dir memory)/memory.max"; }
	mem=$(mem_file)
	# FIELD=OBJECT; each object also carries a valid memory limit, which must not be written either
	for c in 'pids.limit={"pids": {"limit": "abc"}}' 'pids.limit={"pids": {"limit": 3.5}}' \
		'pids.limit={"pids": {"limit": true}}' 'pids={"pids": "x"}' 'pids={"pids": [20]}' \
		'cpu.shares={"cpu": {"shares": -1}}' 'cpu.period={"cpu": {"period": -1}}' 'cpu.cpus={"cpu": {"cpus": 1}}' \
		'blockIO.weight={"blockIO": {"weight": 70000}}' 'unified.pids.max={"unified": {"pids.max": 5}}'; do
		field=${c%%=*} bad=${c#*=}
		jq -c '.memory.limit = 67108864' <<<"$bad" >"$TESTDIR/res.json" || fail "bad test object $bad"
		run hull update --resources "$TESTDIR/res.json" "$CTR"
		[ "$status" -eq 1 ] || fail "$bad: exit $status, expected 1"
		[ -n "$output" ] || fail "$bad: no error message"
		[ "$(cat "$(cg_dir pids)/pids.max")" = 20 ] || fail "$bad: pids.max changed"
		[ "$(mem_file)" = "$mem" ] || fail "$bad: the memory limit changed"
		if is_hull; then
			[ "${#lines[@]}" -eq 1 ] || fail "$bad: more than one line: $output"
			[[ "$output" == *"$field:"* ]] || fail "$bad: the error does not name $field: $output"
		fi
	done
	[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || [ "$(cat "$(cg_dir cpu)/cpu.shares")" = 512 ]
}

@test "update ignores unknown resources fields and a null limit, as runc's JSON decoder does" {
	update_config '.linux.resources.pids = {"limit": 20}'
	set_cmd sleep 1000
	run_d "$CTR"
	echo '{"pids": {"limit": null}}' >"$TESTDIR/res.json"
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 20 ]
	echo '{"pids": {"limit": 7, "bogus": "x"}, "notAResource": 1, "cpu": {"bogus": [1]}}' >"$TESTDIR/res.json"
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 7 ]
}

@test "update with Docker's full resources object (zero cpu period and quota) changes only the memory limit" {
	update_config '.linux.resources.cpu = {"shares": 512}'
	set_cmd sleep 1000
	run_d "$CTR"
	jq '.memory.limit = 134217728' <<<"$DOCKER_ZERO_RESOURCES" >"$TESTDIR/res.json"
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -eq 0 ]
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[ "$(cat "$(cg_dir memory)/memory.max")" = 134217728 ]
	else
		[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes")" = 134217728 ]
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 512 ]
		[ "$(cat "$(cg_dir cpu)/cpu.cfs_period_us")" = 100000 ]
	fi
	[ "$(cat "$(cg_dir pids)/pids.max")" = max ]
}

@test "an update that fails midway restores the values it wrote before the failure" {
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || skip "needs cgroup v1's cpu.shares read-back"
	# runc 1.1.5 fails the same update but restores from the config its update already overwrote: it warns
	# "Setting back cgroup configs failed ... state.json and actual configs might be inconsistent"
	requires_hull "runc 1.1.5 does not restore (its own warning says so)"
	update_config '.linux.resources.memory = {"limit": 134217728} | .linux.resources.cpu = {"shares": 512, "cpus": "0-1"}'
	set_cmd sleep 1000
	run_d "$CTR"
	cpus=$(cat "$(cg_dir cpuset)/cpuset.cpus")
	# memory and cpuset are written before cpu.shares, which the kernel clamps from 1 to 2: a failure
	echo '{"memory": {"limit": 67108864}, "cpu": {"shares": 1, "cpus": "0"}}' >"$TESTDIR/res.json"
	run hull update --resources "$TESTDIR/res.json" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *cpu-shares* ]]
	[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes")" = 134217728 ]
	[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 512 ]
	[ "$(cat "$(cg_dir cpuset)/cpuset.cpus")" = "$cpus" ]
}

@test "update takes its flags after the container id too, as runc does" {
	set_cmd sleep 1000
	run_d "$CTR"
	run hull update "$CTR" --pids-limit 11
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 11 ]	# runc's flag is --cpu-share
	run hull update "$CTR" --cpu-share 300
	[ "$status" -eq 0 ]
	if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 300 ]
	fi
}

@test "with its own cgroup namespace the container's cgroup is each hierarchy's root, and its sub-cgroups go with delete --force" {
	add_ns cgroup
	update_config '.mounts |= map((select(.type == "cgroup") | .options -= ["ro"]) // .)'
	set_cmd sleep 1000
	run_d "$CTR"
	local ctl=memory sub
	[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && ctl=""
	sub=$(cg_dir "${ctl:-pids}")/foo
	# every cgroup mount is rooted at the namespace's root (runc mounts them afresh there)
	run hull exec "$CTR" sh -c 'grep -E " - cgroup2? " /proc/self/mountinfo'
	[ "$status" -eq 0 ] && [ -n "$output" ] || fail "$output"
	[ -z "$(echo "$output" | awk '$4 != "/"')" ] || fail "a cgroup mount not at the namespace's root: $output"
	# a process makes its sub-cgroup and moves itself there, as systemd in a container does
	hull exec -d --pid-file "$TESTDIR/e.pid" "$CTR" sh -c "mkdir /sys/fs/cgroup/$ctl/foo && echo \$\$ > /sys/fs/cgroup/$ctl/foo/cgroup.procs && exec sleep 999"
	e=$(cat "$TESTDIR/e.pid")
	for _ in $(seq "$(tries 50)"); do grep -qx "$e" "$sub/cgroup.procs" && break; sleep 0.1; done
	grep -qx "$e" "$sub/cgroup.procs" || fail "$e not moved into $sub"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ ! -d "$sub" ]
	wait_gone "$e"
}

@test "linux.resources.unified on cgroup v1 fails with runc's invalid configuration error" {
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || skip "cgroup v2 host: unified is valid there"
	update_config '.linux.resources.unified = {"memory.min": "131072"}'
	set_cmd true
	run hull run "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"invalid configuration: cannot use unified on cgroup v1"* ]] || fail "$output"
	[ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "$CTR")" ] || fail "cgroup left: $(find /sys/fs/cgroup -maxdepth 2 -name "$CTR")"
}

@test "a hugepageLimits pageSize or unified key naming a path outside the cgroup is refused at create, and nothing is made" {
	requires_hull "the parser's error names the field; runc joins the path and writes where it leads"
	victim="$TESTDIR/victim"
	for c in '.linux.resources.hugepageLimits = [{"pageSize": "../../../../../../../..'"$victim"'", "limit": 1}]@@hugepageLimits[0].pageSize' \
		'.linux.resources.unified = {"../cgroup.procs": "1"}@@unified: invalid key'; do
		filter=${c%%@@*} want=${c#*@@}
		cp "$BUNDLE/config.json" "$TESTDIR/config.orig"
		update_config "$filter"
		run hull run "$CTR"
		cp "$TESTDIR/config.orig" "$BUNDLE/config.json"
		[ "$status" -ne 0 ] || fail "$filter: accepted"
		[ "${#lines[@]}" -eq 1 ] || fail "$filter: more than one line: $output"
		[[ "$output" == *"config.json: linux.resources.$want"* ]] || fail "$filter: $output"
		[ ! -e "$victim" ] && [ ! -e "$victim.limit_in_bytes" ] && [ ! -e "$victim.max" ] || fail "$filter: wrote outside the cgroup"
		[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name "$CTR")" ] || fail "$filter: cgroup left: $(find /sys/fs/cgroup -maxdepth 3 -name "$CTR")"
		[ ! -e "$ROOT/$CTR" ] || fail "$filter: state left"
	done
}

@test "a container put into a cgroup that already holds processes gets runc's warning" {
	update_config --arg p "/hull-test-$CTR" '.linux.cgroupsPath = $p'
	set_cmd sleep 1000
	run_d "$CTR"
	run hull_detached run -d "$CTR-2"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"container's cgroup is not empty: 1 process(es) found"* ]] || fail "$output"
	hull delete --force "$CTR-2"
	hull delete --force "$CTR"
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name "hull-test-$CTR")" ]
}

# events_start: `hull events` of $CTR in the background (EV_PID), once its first line shows it is listening
# (runc prints its first stats after one interval, hull at once).
events_start() {
	hull_bg events --interval 1s "$CTR"
	EV_PID=$BG_PID
	for _ in $(seq "$(tries 50)"); do [ -s "$TESTDIR/bg.$EV_PID.out" ] && return 0; sleep 0.1; done
	fail "events printed nothing: $(cat "$TESTDIR/bg.$EV_PID.err")"
}

@test "events reports an OOM kill in the container as runc's {\"type\":\"oom\",\"id\":ID} line" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_cmd sleep 1000
	run_d "$CTR"
	events_start
	run hull exec "$CTR" sh -c 'a=$(head -c 134217728 /dev/zero | tr "\\000" x)'
	[ "$status" -eq 137 ] || fail "the hog was not OOM-killed: $status $output"
	for _ in $(seq "$(tries 50)"); do grep -q oom "$TESTDIR/bg.$EV_PID.out" && break; sleep 0.1; done
	hull delete --force "$CTR"
	bg_wait "$EV_PID"
	[ "$status" -eq 0 ] || fail "events: $status $output"
	grep -qx "{\"type\":\"oom\",\"id\":\"$CTR\"}" <<<"$output" || fail "no oom line: $output"
}

@test "events reports an OOM the killer is disabled for (cgroup v1's oom_control notification)" {
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || skip "cgroup v2 cannot disable the OOM killer"
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432, "disableOOMKiller": true}'
	set_cmd sleep 1000
	run_d "$CTR"
	events_start
	# the hog stops in the OOM, not killed: only the notification can tell
	hull exec -d "$CTR" sh -c 'a=$(head -c 134217728 /dev/zero | tr "\\000" x)'
	for _ in $(seq "$(tries 100)"); do grep -q oom "$TESTDIR/bg.$EV_PID.out" && break; sleep 0.1; done
	hull delete --force "$CTR"
	bg_wait "$EV_PID"
	grep -qx "{\"type\":\"oom\",\"id\":\"$CTR\"}" <<<"$output" || fail "no oom line: $output"
}

@test "events --interval takes Go durations as runc does" {
	set_cmd sleep 1000
	run_d "$CTR"
	run timeout $((3 * ${HULL_TIME_SCALE:-1})) "$HULL" --root "$ROOT" events --interval 1m30s "$CTR"
	[[ "$output" != *"--interval"* ]] || fail "1m30s refused: $output"
	[[ "$output" == *'"type":"stats"'* ]] || [ "$(runtime_name)" != hull ] || fail "$output"
	run timeout $((3 * ${HULL_TIME_SCALE:-1})) "$HULL" --root "$ROOT" events --interval 2x "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"2x"* ]] || fail "$output"
}

@test "device access letters other than r, w and m are ignored as by runc, and update never denies an allowed device" {
	# runc's "update devices [minimal transition rules]": /dev/kmsg denied ("rwa" is "rw"), /dev/null used
	# all along; any error of the loop would reach the container's stderr
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}, {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "rwa"}]
		| .linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}]
		| .process.capabilities[] += ["CAP_SYSLOG"]'
	set_cmd sh -c 'while true; do head -c 100 /dev/kmsg 2>/dev/null; done'
	run_d "$CTR"
	for _ in $(seq 30); do
		run hull update --pids-limit 30 "$CTR"
		[ "$status" -eq 0 ] || fail "update: $output"
	done
	run hull exec "$CTR" sh -c 'echo ok > /dev/null && echo null-ok; head -c 1 /dev/kmsg >/dev/null 2>&1 || echo kmsg-denied'
	[ "$output" = "$(printf 'null-ok\nkmsg-denied')" ] || fail "$output"
	hull delete --force "$CTR"
	[ ! -s "$TESTDIR/ctr.stdout" ] && [ ! -s "$TESTDIR/ctr.stderr" ] ||
		fail "the container printed: $(cat "$TESTDIR/ctr.stdout" "$TESTDIR/ctr.stderr")"
}

@test "a create refused for an already frozen cgroup makes no directory in any other hierarchy" {
	[ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer"
	local rel="hull-it-frozen-$CTR" made d
	mkdir "/sys/fs/cgroup/freezer/$rel"
	echo FROZEN >"/sys/fs/cgroup/freezer/$rel/freezer.state"
	update_config --arg p "/$rel" '.linux.cgroupsPath = $p'
	set_cmd true
	run hull_detached create "$CTR"
	made=$(ls -d /sys/fs/cgroup/*/"$rel" | grep -v "^/sys/fs/cgroup/freezer/" || true)
	echo THAWED >"/sys/fs/cgroup/freezer/$rel/freezer.state"
	hull delete --force "$CTR" >/dev/null 2>&1 || true
	for d in /sys/fs/cgroup/*/"$rel"; do rmdir "$d" 2>/dev/null || true; done
	[ "$status" -ne 0 ] && [[ "$output" == *"container's cgroup unexpectedly frozen"* ]] || fail "create: $status $output"
	[ -z "$made" ] || fail "create made $made"
}
