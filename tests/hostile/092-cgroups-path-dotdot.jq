# expect: cgroupsPath
# A relative cgroupsPath climbing out of the runtime's own cgroup, towards the cgroupfs root and beyond.
.linux.cgroupsPath = "../../../../../../hostile-canary-cgroup"
