# A destination through a relative symlink climbing out: clamped at the rootfs.
.mounts += [{"destination": "/up/hostile-canary-rel", "type": "tmpfs", "source": "tmpfs"}]
