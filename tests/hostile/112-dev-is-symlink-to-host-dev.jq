# expect: dev
# /dev in the rootfs is a symlink to the host's /dev: must not end up creating or mounting on the host.
.
