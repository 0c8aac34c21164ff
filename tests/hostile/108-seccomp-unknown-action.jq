# expect: unknown action "SCMP_ACT_HOSTILE"
.linux.seccomp = {"defaultAction": "SCMP_ACT_HOSTILE", "syscalls": []}
