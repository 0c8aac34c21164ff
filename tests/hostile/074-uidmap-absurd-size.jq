# expect: uid
.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 4294967294, "hostID": 4294967294, "size": 4294967295}] | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
