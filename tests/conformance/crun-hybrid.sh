#!/bin/sh
# crun-hybrid.sh - runs crun ($CRUN, default "crun") with all its arguments; on a hybrid cgroup layout (which crun refuses) it does so in a private mount namespace where the cgroup2 "unified" mount is gone.
# Must never unmount anything in the host's mount namespace: the parent mounts are made private in the new namespace first, so the umount cannot propagate.
crun=${CRUN:-crun}
if [ -d /sys/fs/cgroup/unified ] && ! [ -e /sys/fs/cgroup/cgroup.controllers ] && mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	exec unshare --mount --propagation unchanged sh -c '
		mount --make-private /sys/fs/cgroup 2>/dev/null
		mount --make-private /sys/fs/cgroup/unified || exit 125
		umount /sys/fs/cgroup/unified || exit 125
		exec "$0" "$@"' "$crun" "$@"
fi
exec "$crun" "$@"
