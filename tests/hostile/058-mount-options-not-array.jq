# expect: options
.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": "ro"}]
