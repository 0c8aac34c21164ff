# expect: linux.devices[0].major
.linux.devices = [{"path": "/dev/hostile", "type": "c", "major": -1, "minor": 3}]
