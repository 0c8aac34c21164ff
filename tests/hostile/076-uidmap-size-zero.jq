# expect: linux.uidMappings[0]
.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 0}] | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
