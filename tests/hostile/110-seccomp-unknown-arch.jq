# hull does not parse linux.seccomp yet (type check only): success is accepted for now.
.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_HOSTILE"], "syscalls": [{"names": 42, "action": "SCMP_ACT_ALLOW"}]}
