#!/bin/bash
# systemd.sh - lane B: inside a vmlane guest booted with systemd as PID 1 (pure cgroup v2), the systemd
# cgroup driver tests (root, and rootless under a user session), and podman.bats under podman's systemd
# cgroup manager (podman's checkpoint and restore among them: criu runs on this 6.1), against the hull built
# on the host. Must never build anything in the guest.
# Usage (from the project root, on the host): tests/vmlane/vm-run.sh --systemd tests/vmlane/systemd.sh [HULL]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
# software emulation is slow, the more so on a busy machine: a bound per test of its own
export HULL=${1:-$top/build/hull} BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-180} PODMAN_CGROUP_MANAGER=systemd
bats --tap tests/vmlane/systemd.bats tests/vmlane/rootless-systemd.bats
rc=$?
# of podman.bats, what podman's systemd cgroup manager changes (the scope, its limits, update, exec into it,
# rm, checkpoint and restore): the host runs the whole file under cgroupfs, and all of it here made CI's
# longest path longer than the 50 minutes it has
bats --tap -f 'applies its memory limit|returns the container.s exit code|podman exec runs|podman update|podman rm leaves|checkpoint and restore' \
	tests/integration/podman.bats || rc=1
exit $rc
