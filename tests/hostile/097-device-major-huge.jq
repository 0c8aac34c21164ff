# expect: linux.devices[0].major
.linux.devices = [{"path": "/dev/hostile", "type": "c", "major": 1099511627776, "minor": 3}]
