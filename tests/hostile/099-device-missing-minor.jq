# expect: linux.devices[0]
.linux.devices = [{"path": "/dev/hostile", "type": "b", "major": 8}]
