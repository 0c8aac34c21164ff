# A device whose path climbs out of /dev: created inside the rootfs, never on the host.
.linux.devices = [{"path": "/dev/../../../../hostile-canary-dev", "type": "c", "major": 1, "minor": 3}]
