# A bind of the canary onto a dangling absolute symlink to /etc/shadow: resolved inside the rootfs (rootfs/etc/shadow), never the host file.
.mounts += [{"destination": "/etc/hostile", "type": "bind", "source": $canary, "options": ["rbind"]}]
