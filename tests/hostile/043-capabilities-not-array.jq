# expect: process.capabilities.bounding
.process.capabilities.bounding = "CAP_SYS_ADMIN"
