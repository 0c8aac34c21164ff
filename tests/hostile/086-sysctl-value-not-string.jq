# expect: linux.sysctl
.linux.sysctl = {"net.ipv4.ip_forward": 1}
