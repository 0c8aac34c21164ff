# expect: process.rlimits[0]
.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]
