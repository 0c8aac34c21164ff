# expect: root.path
.root.path = "no-such-rootfs"
