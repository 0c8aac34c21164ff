#!/usr/bin/env bats
# differential.bats - every engine-generated config in configs/ run under runc and under hull: the kernel
# state each gives the container must be the same, except for the differences listed in configs/known-differences.
# Must never skip a fixture: one that runc cannot run here is adapted in differential.bash (and documented).

load differential

setup_file() {
	diff_setup_file
}

setup() {
	diff_setup
}

teardown() {
	diff_teardown
}

@test "every fixture has a test and every test a fixture" {
	local fixtures tests
	fixtures=$(cd "$CONFIGS" && ls -- *.json | sed 's/\.json$//' | sort)
	tests=$(sed -n 's/^@test "\([a-z]*-[^"]*\)" {$/\1/p' "$BATS_TEST_FILENAME" | grep -v '^every ' | sort)
	[ "$fixtures" = "$tests" ] || { diff <(echo "$fixtures") <(echo "$tests"); return 1; }
	[ "$(echo "$fixtures" | wc -l)" -ge 40 ]
}

@test "every known difference names a fixture and gives a reason" {
	local pat key reason n=0
	while read -r pat key reason; do
		case "$pat" in '' | '#'*) continue ;; esac
		[ -n "$reason" ] || { echo "no reason: $pat $key"; return 1; }
		compgen -G "$CONFIGS/$pat.json" >/dev/null || { echo "no fixture matches $pat"; return 1; }
		n=$((n + 1))
	done <"$KNOWN"
	echo "$n known differences"
}

# --- one test per fixture (regenerated from configs/*.json by lib/gen-tests.sh; see configs/README.md)
@test "ctr-allow-new-privs" {
	replay ctr-allow-new-privs
}

@test "ctr-cap-add" {
	replay ctr-cap-add
}

@test "ctr-cap-drop" {
	replay ctr-cap-drop
}

@test "ctr-cpu-period-quota" {
	replay ctr-cpu-period-quota
}

@test "ctr-cpu-shares" {
	replay ctr-cpu-shares
}

@test "ctr-cpus" {
	replay ctr-cpus
}

@test "ctr-cwd" {
	replay ctr-cwd
}

@test "ctr-default" {
	replay ctr-default
}

@test "ctr-device-loop" {
	replay ctr-device-loop
}

@test "ctr-env" {
	replay ctr-env
}

@test "ctr-memory" {
	replay ctr-memory
}

@test "ctr-mount-bind-ro" {
	replay ctr-mount-bind-ro
}

@test "ctr-net-host" {
	replay ctr-net-host
}

@test "ctr-privileged" {
	replay ctr-privileged
}

@test "ctr-read-only" {
	replay ctr-read-only
}

@test "ctr-rootfs-propagation" {
	replay ctr-rootfs-propagation
}

@test "ctr-seccomp" {
	replay ctr-seccomp
}

@test "ctr-tty" {
	replay ctr-tty
}

@test "docker-blkio-weight" {
	replay docker-blkio-weight
}

@test "docker-cap-add" {
	replay docker-cap-add
}

@test "docker-cap-drop-all-add-chown" {
	replay docker-cap-drop-all-add-chown
}

@test "docker-cap-drop-all" {
	replay docker-cap-drop-all
}

@test "docker-cgroupns-private" {
	replay docker-cgroupns-private
}

@test "docker-cpu-period-quota" {
	replay docker-cpu-period-quota
}

@test "docker-cpu-shares" {
	replay docker-cpu-shares
}

@test "docker-cpus" {
	replay docker-cpus
}

@test "docker-cpuset" {
	replay docker-cpuset
}

@test "docker-default" {
	replay docker-default
}

@test "docker-device-bps" {
	replay docker-device-bps
}

@test "docker-device-loop-renamed-r" {
	replay docker-device-loop-renamed-r
}

@test "docker-device-loop" {
	replay docker-device-loop
}

@test "docker-env" {
	replay docker-env
}

@test "docker-hostname" {
	replay docker-hostname
}

@test "docker-init" {
	replay docker-init
}

@test "docker-ipc-host" {
	replay docker-ipc-host
}

@test "docker-ipc-shareable" {
	replay docker-ipc-shareable
}

@test "docker-kernel-memory" {
	replay docker-kernel-memory
}

@test "docker-memory-reservation" {
	replay docker-memory-reservation
}

@test "docker-memory-swap" {
	replay docker-memory-swap
}

@test "docker-memory-swappiness" {
	replay docker-memory-swappiness
}

@test "docker-memory" {
	replay docker-memory
}

@test "docker-network-host" {
	replay docker-network-host
}

@test "docker-network-none" {
	replay docker-network-none
}

@test "docker-no-new-privileges" {
	replay docker-no-new-privileges
}

@test "docker-oom-kill-disable" {
	replay docker-oom-kill-disable
}

@test "docker-pid-host" {
	replay docker-pid-host
}

@test "docker-pids-limit" {
	replay docker-pids-limit
}

@test "docker-privileged" {
	replay docker-privileged
}

@test "docker-read-only" {
	replay docker-read-only
}

@test "docker-seccomp-unconfined" {
	replay docker-seccomp-unconfined
}

@test "docker-shm-size" {
	replay docker-shm-size
}

@test "docker-sysctl" {
	replay docker-sysctl
}

@test "docker-tmpfs" {
	replay docker-tmpfs
}

@test "docker-tty" {
	replay docker-tty
}

@test "docker-ulimit" {
	replay docker-ulimit
}

@test "docker-user-group-add" {
	replay docker-user-group-add
}

@test "docker-user" {
	replay docker-user
}

@test "docker-volume-ro" {
	replay docker-volume-ro
}

@test "docker-volume-rshared" {
	replay docker-volume-rshared
}

@test "docker-workdir" {
	replay docker-workdir
}

@test "podman-blkio-weight" {
	replay podman-blkio-weight
}

@test "podman-cap-add" {
	replay podman-cap-add
}

@test "podman-cap-drop-all-add-chown" {
	replay podman-cap-drop-all-add-chown
}

@test "podman-cap-drop-all" {
	replay podman-cap-drop-all
}

@test "podman-cgroupns-private" {
	replay podman-cgroupns-private
}

@test "podman-cpu-period-quota" {
	replay podman-cpu-period-quota
}

@test "podman-cpu-shares" {
	replay podman-cpu-shares
}

@test "podman-cpus" {
	replay podman-cpus
}

@test "podman-cpuset" {
	replay podman-cpuset
}

@test "podman-default" {
	replay podman-default
}

@test "podman-device-bps" {
	replay podman-device-bps
}

@test "podman-device-loop-renamed-r" {
	replay podman-device-loop-renamed-r
}

@test "podman-device-loop" {
	replay podman-device-loop
}

@test "podman-env" {
	replay podman-env
}

@test "podman-hostname" {
	replay podman-hostname
}

@test "podman-init" {
	replay podman-init
}

@test "podman-ipc-host" {
	replay podman-ipc-host
}

@test "podman-ipc-private" {
	replay podman-ipc-private
}

@test "podman-kernel-memory" {
	replay podman-kernel-memory
}

@test "podman-memory-reservation" {
	replay podman-memory-reservation
}

@test "podman-memory-swap" {
	replay podman-memory-swap
}

@test "podman-memory-swappiness" {
	replay podman-memory-swappiness
}

@test "podman-memory" {
	replay podman-memory
}

@test "podman-network-host" {
	replay podman-network-host
}

@test "podman-network-none" {
	replay podman-network-none
}

@test "podman-no-new-privileges" {
	replay podman-no-new-privileges
}

@test "podman-oom-kill-disable" {
	replay podman-oom-kill-disable
}

@test "podman-pid-host" {
	replay podman-pid-host
}

@test "podman-pids-limit" {
	replay podman-pids-limit
}

@test "podman-privileged" {
	replay podman-privileged
}

@test "podman-read-only" {
	replay podman-read-only
}

@test "podman-seccomp-unconfined" {
	replay podman-seccomp-unconfined
}

@test "podman-shm-size" {
	replay podman-shm-size
}

@test "podman-sysctl" {
	replay podman-sysctl
}

@test "podman-tmpfs" {
	replay podman-tmpfs
}

@test "podman-tty" {
	replay podman-tty
}

@test "podman-uidmap" {
	replay podman-uidmap
}

@test "podman-ulimit" {
	replay podman-ulimit
}

@test "podman-user-group-add" {
	replay podman-user-group-add
}

@test "podman-user" {
	replay podman-user
}

@test "podman-volume-ro" {
	replay podman-volume-ro
}

@test "podman-volume-rshared" {
	replay podman-volume-rshared
}

@test "podman-workdir" {
	replay podman-workdir
}

