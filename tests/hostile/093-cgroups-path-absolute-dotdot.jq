# expect: cgroupsPath
# An absolute cgroupsPath that leaves /sys/fs/cgroup and points at the canary directory on the host.
.linux.cgroupsPath = ("/../../../../.." + $canary + "/hostile-canary-cgroup")
