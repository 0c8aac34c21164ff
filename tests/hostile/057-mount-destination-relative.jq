# expect: destination
.mounts += [{"destination": "../../../tmp", "type": "tmpfs", "source": "tmpfs"}]
