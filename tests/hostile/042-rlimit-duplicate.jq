# expect: duplicate
.process.rlimits += [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}]
