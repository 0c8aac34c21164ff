# expect: linux.seccomp
.linux.seccomp = "strict"
