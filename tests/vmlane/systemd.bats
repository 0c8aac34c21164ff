#!/usr/bin/env bats
# The systemd cgroup driver (lane B: systemd as PID 1 on pure cgroup v2): a transient scope per container,
# limited, updated and removed through systemd. Checked with systemctl and the cgroup files.

load ../integration/helpers

scope() { echo "hull-$CTR.scope"; }

setup() {
	[ "$(cat /proc/1/comm)" = systemd ] || fail "lane B needs systemd as PID 1 (run through tests/vmlane/vm-run.sh --systemd)"
	setup_hull
	update_config --arg p "system.slice:hull:$CTR" '.linux.cgroupsPath = $p'
}

@test "systemd driver: the container runs in a transient scope with Delegate=yes" {
	set_cmd sleep 1000
	run hull_detached --systemd-cgroup run -d "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	pid=$(pid_of "$CTR")
	grep -E "^0::/system.slice/$(scope)\$" "/proc/$pid/cgroup"
	[ "$(systemctl show -p Delegate --value "$(scope)")" = yes ]
	[ "$(systemctl show -p ActiveState --value "$(scope)")" = active ]
}

@test "systemd driver: memory and pids limits become unit properties and cgroup limits" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 30} | .linux.resources.cpu = {"shares": 1024, "quota": 50000, "period": 100000}'
	set_cmd sleep 1000
	run hull_detached --systemd-cgroup run -d "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$(systemctl show -p MemoryMax --value "$(scope)")" = 67108864 ]
	[ "$(systemctl show -p TasksMax --value "$(scope)")" = 30 ]
	[ "$(systemctl show -p CPUQuotaPerSecUSec --value "$(scope)")" = 500ms ]
	[ "$(cat "/sys/fs/cgroup/system.slice/$(scope)/memory.max")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/system.slice/$(scope)/pids.max")" = 30 ]
}

@test "systemd driver: the pids limit is enforced" {
	update_config '.linux.resources.pids = {"limit": 4}'
	set_cmd sh -c 'for i in 1 2 3 4 5 6; do sleep 30 & done 2>&1; wait'
	run hull --systemd-cgroup run "$CTR"
	[[ "$output" == *"can't fork"* ]]
}

@test "systemd driver: update changes the unit's properties" {
	update_config '.linux.resources.memory = {"limit": 67108864}'
	set_cmd sleep 1000
	run hull_detached --systemd-cgroup run -d "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	run hull --systemd-cgroup update --memory 128m --pids-limit 40 "$CTR"
	[ "$status" -eq 0 ]
	[ "$(systemctl show -p MemoryMax --value "$(scope)")" = 134217728 ]
	[ "$(systemctl show -p TasksMax --value "$(scope)")" = 40 ]
	[ "$(cat "/sys/fs/cgroup/system.slice/$(scope)/memory.max")" = 134217728 ]
}

@test "systemd driver: delete removes the scope" {
	set_cmd sleep 1000
	run hull_detached --systemd-cgroup run -d "$CTR"
	[ "$status" -eq 0 ] || fail "run: $output"
	run hull --systemd-cgroup delete --force "$CTR"
	[ "$status" -eq 0 ]
	for i in $(seq 50); do
		[ "$(systemctl show -p LoadState --value "$(scope)")" = not-found ] && break
		sleep 0.1
	done
	[ "$(systemctl show -p LoadState --value "$(scope)")" = not-found ]
	[ ! -d "/sys/fs/cgroup/system.slice/$(scope)" ]
}

@test "systemd driver: a cgroupsPath not of the form slice:prefix:name is refused" {
	update_config '.linux.cgroupsPath = "/not/systemd"'
	run hull --systemd-cgroup run "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"slice:prefix:name"* ]]
	assert_nothing_left "$CTR"
}
