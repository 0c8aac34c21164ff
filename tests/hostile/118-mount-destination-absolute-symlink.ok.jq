# A destination through an absolute symlink to the host canary: it must land in rootfs/<canary path>.
.mounts += [{"destination": "/escape/hostile-canary-abs", "type": "tmpfs", "source": "tmpfs"}]
