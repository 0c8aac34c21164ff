# expect: /dev/hostile
# A device node whose path is a directory, so mknod cannot replace it.
.linux.devices = [{"path": "/dev/hostile", "type": "c", "major": 1, "minor": 3}] | .mounts = [.mounts[] | select(.destination != "/dev" and (.destination | startswith("/dev/") | not))]
