# expect: SCMP_ARCH_HOSTILE
.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_HOSTILE"], "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}
