# expect: linux.timeOffsets
.linux.timeOffsets = {"monotonic": {"secs": 1, "nanosecs": 0}}
