# maskedPaths/readonlyPaths climbing with "..": they name paths inside the rootfs.
.linux.maskedPaths += ["/../../../../../etc/passwd"] | .linux.readonlyPaths += ["/../../../../..\($canary)"]
