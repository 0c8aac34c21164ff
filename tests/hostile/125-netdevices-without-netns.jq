# expect: linux.netDevices: needs the container's own network namespace
# the host's loopback asked for with the host's network namespace: refused before anything moves
.linux.netDevices = {"lo": {"name": "lo"}} | del(.linux.namespaces[] | select(.type == "network"))
