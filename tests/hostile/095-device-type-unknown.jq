# expect: linux.devices[0]
.linux.devices = [{"path": "/dev/hostile", "type": "x", "major": 1, "minor": 3}]
