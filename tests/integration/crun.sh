#!/bin/sh
# crun.sh ARGS... - crun, runnable on this machine's hybrid cgroup layout.
#
# crun 1.8 refuses hybrid cgroups (v1 controllers plus the unified hierarchy
# at /sys/fs/cgroup/unified).  Each call runs in a private mount namespace
# (unshare -m makes every mount private, so nothing leaks back to the host)
# with the unified hierarchy unmounted, where crun sees plain cgroup v1.
# The container's own mount namespace is made from that private one, which
# is all the container needs.
CRUN=${CRUN:-crun}
exec unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"' "$CRUN" "$@"
