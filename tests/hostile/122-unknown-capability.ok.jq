# runc and crun ignore capability names they do not know (newer configs still run); hull warns and goes on.
.process.capabilities.bounding += ["CAP_HOSTILE"]
