#!/bin/sh
# crun-hybrid.sh ARGS... - crun ($CRUN, default "crun") with all its arguments, runnable on a hybrid cgroup layout.
# crun 1.8 refuses hybrid cgroups (v1 controllers plus the cgroup2 "unified" mount at /sys/fs/cgroup/unified): on such
# a host each call runs in a private mount namespace where that mount is replaced by an empty tmpfs, so crun sees plain
# cgroup v1. crun then writes an ID/cgroup.procs file for the "0::" line of /proc/self/cgroup into whatever directory is
# at /sys/fs/cgroup/unified: on the tmpfs it dies with the namespace (on the host's /sys/fs/cgroup tmpfs, under the
# unified mount, it would stay behind, hidden). The container's mount namespace is made from that private one.
# Must never unmount or mount anything in the host's mount namespace: the mounts are made private first.
crun=${CRUN:-crun}
if [ -d /sys/fs/cgroup/unified ] && ! [ -e /sys/fs/cgroup/cgroup.controllers ] && mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	exec unshare --mount --propagation unchanged sh -c '
		mount --make-private /sys/fs/cgroup 2>/dev/null
		mount --make-private /sys/fs/cgroup/unified || exit 125
		umount /sys/fs/cgroup/unified || exit 125
		mount -t tmpfs -o size=1m,mode=755 crun-hybrid /sys/fs/cgroup/unified || exit 125
		exec "$0" "$@"' "$crun" "$@"
fi
exec "$crun" "$@"
