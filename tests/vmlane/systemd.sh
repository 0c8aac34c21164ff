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
HULL=${1:-$top/build/hull} BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-180} PODMAN_CGROUP_MANAGER=systemd \
	exec bats --tap tests/vmlane/systemd.bats tests/vmlane/rootless-systemd.bats tests/integration/podman.bats
