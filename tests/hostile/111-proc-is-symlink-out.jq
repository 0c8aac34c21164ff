# expect: proc
# /proc in the rootfs is a symlink to a host directory (CVE-2019-19921 style): refuse, as runc does.
.
