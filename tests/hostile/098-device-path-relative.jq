# expect: linux.devices[0]
.linux.devices = [{"path": "dev/hostile", "type": "c", "major": 1, "minor": 3}]
