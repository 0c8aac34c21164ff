# expect: destination
.mounts += [{"type": "tmpfs", "source": "tmpfs"}]
