# expect: /tmp
.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=hostile"]}]
