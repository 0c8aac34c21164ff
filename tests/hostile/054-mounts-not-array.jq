# expect: mounts
.mounts = {"destination": "/tmp"}
