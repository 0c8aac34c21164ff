# expect: process.rlimits[0]
jq '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": "@BIG@"}]' "$1" | sed 's/"@BIG@"/36893488147419103232/'
