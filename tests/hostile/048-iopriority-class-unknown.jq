# expect: IOPRIO_CLASS_HOSTILE
.process.ioPriority = {"class": "IOPRIO_CLASS_HOSTILE", "priority": 0}
