# expect: process.capabilities
.process.capabilities = ["CAP_SYS_ADMIN"]
