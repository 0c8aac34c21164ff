#!/bin/bash
# cgroup2.sh - lane A: inside a vmlane guest (pure cgroup v2, no systemd), the cgroup integration tests
# against the hull built on the host. Must never build anything: the guest runs under emulation.
# Usage (from the project root, on the host): tests/vmlane/vm-run.sh tests/vmlane/cgroup2.sh [HULL]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
hull=${1:-$top/build/hull}
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || { echo "cgroup2.sh: /sys/fs/cgroup is not cgroup2 here" >&2; exit 125; }
cd "$top"
HULL=$hull HULL_CGROUP_CYCLES=${HULL_CGROUP_CYCLES:-30} BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-180} exec bats --tap tests/integration/cgroups.bats
