# expect: devices
.linux.resources.devices = [{"allow": true, "type": "x", "major": 1, "minor": 3, "access": "rwm"}]
