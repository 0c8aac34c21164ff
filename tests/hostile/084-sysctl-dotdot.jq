# expect: linux.sysctl
.linux.sysctl = {"kernel/../../../../etc/hostile-canary": "1"}
