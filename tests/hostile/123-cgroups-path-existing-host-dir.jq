# expect: cgroupsPath
# An absolute cgroupsPath that leaves /sys/fs/cgroup and names an existing, empty host directory (the
# canary's dir): a failed create must not remove it.
.linux.cgroupsPath = ("/../../../../.." + $canary + "/dir")
