# expect: rsideways
.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["rsideways"]}]
