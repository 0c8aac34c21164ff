# A tmpfs whose destination climbs with "..": resolved inside the rootfs (as runc's securejoin does).
.mounts += [{"destination": "/../../../../../../hostile-canary-dotdot", "type": "tmpfs", "source": "tmpfs"}]
