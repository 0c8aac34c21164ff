# expect: hostilefs
.mounts += [{"destination": "/tmp", "type": "hostilefs", "source": "none"}]
