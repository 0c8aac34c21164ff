#!/bin/bash
# cgroup2.sh - lane A: inside a vmlane guest (pure cgroup v2, no systemd, Debian's Linux 6.1), the cgroup and
# idmapped-mount integration tests, and checkpoint/restore through criu, against the hull built on the host.
# Must never build anything: the guest runs under emulation.
# Usage (from the project root, on the host): tests/vmlane/vm-run.sh tests/vmlane/cgroup2.sh [HULL]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
hull=${1:-$top/build/hull}
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || { echo "cgroup2.sh: /sys/fs/cgroup is not cgroup2 here" >&2; exit 125; }
cd "$top"
# idmap.bats: Linux 6.1 cannot idmap this guest's tmpfs /tmp (6.3 can), so its sources live on an ext4
idmapfs=/mnt/hull-idmapfs
img=$(mktemp /var/tmp/hull-idmapfs.XXXXXX)
trap 'umount "$idmapfs" 2>/dev/null; rmdir "$idmapfs" 2>/dev/null; rm -f "$img"' EXIT
modprobe loop 2>/dev/null
truncate -s 64M "$img" && mkfs.ext4 -q -F "$img" && mkdir -p "$idmapfs" && mount -o loop "$img" "$idmapfs" ||
	echo "cgroup2.sh: no ext4 for idmap.bats: its tests run on /tmp" >&2
mountpoint -q "$idmapfs" && export HULL_IDMAP_DIR=$idmapfs
export HULL=$hull HULL_CGROUP_CYCLES=${HULL_CGROUP_CYCLES:-15} BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-180}
bats --tap tests/integration/cgroups.bats tests/integration/idmap.bats
rc=$?
# of rootless.bats, what a pure v2 host can change (runc's spec there, cgroups without delegation, the run
# itself): the whole file under emulation made this lane the longest of CI's
bats --tap -f 'spec --rootless|cgroup|linux.resources|runs a container as root|processes run as the user' \
	tests/integration/rootless.bats || rc=1
# of checkpoint.bats, what needs a criu that runs (Debian's 3.17 cannot on the hosts' newer kernels; the error
# it gives there is tested on the host)
bats --tap -f 'counter keeps|leave-running|pre-dump' tests/integration/checkpoint.bats || rc=1
exit $rc
