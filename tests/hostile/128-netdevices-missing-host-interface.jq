# expect: linux.netDevices.hcanary0: no such interface in the runtime's network namespace
.linux.netDevices = {"hcanary0": {"name": "eth0"}}
