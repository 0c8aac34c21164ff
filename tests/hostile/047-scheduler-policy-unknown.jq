# expect: SCHED_HOSTILE
.process.scheduler = {"policy": "SCHED_HOSTILE"}
