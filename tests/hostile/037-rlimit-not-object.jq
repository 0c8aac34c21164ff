# expect: process.rlimits[0]
.process.rlimits = ["RLIMIT_NOFILE"]
