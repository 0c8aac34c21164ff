# expect: linux.sysctl
.linux.sysctl = {"/proc/sys/kernel/hostname": "hostile"}
