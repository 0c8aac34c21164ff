# expect: linux.netDevices.lo.name: invalid interface name "../eth0"
.linux.netDevices = {"lo": {"name": "../eth0"}}
