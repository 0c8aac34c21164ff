# expect: linux.netDevices.hostile-canary00: invalid interface name
# longer than IFNAMSIZ - 1: the kernel would refuse it, hull does before it asks
.linux.netDevices = {"hostile-canary00": {}}
