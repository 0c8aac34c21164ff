# expect: linux.cgroupsPath
.linux.cgroupsPath = 42
