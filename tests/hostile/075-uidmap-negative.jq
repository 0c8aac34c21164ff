# expect: linux.uidMappings[0]
.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": -1, "size": 1}] | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
