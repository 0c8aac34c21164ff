# expect: process.rlimits
.process.rlimits = {"RLIMIT_NOFILE": 1024}
