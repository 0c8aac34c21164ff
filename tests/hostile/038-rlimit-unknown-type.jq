# expect: RLIMIT_HOSTILE
.process.rlimits = [{"type": "RLIMIT_HOSTILE", "soft": 1, "hard": 1}]
