# expect: process.rlimits[0]
.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": -1, "hard": -1}]
