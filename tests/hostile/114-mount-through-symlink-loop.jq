# expect: /loop/x
.mounts += [{"destination": "/loop/x", "type": "tmpfs", "source": "tmpfs"}]
