# expect: mounts[7]
.mounts += ["/tmp"]
