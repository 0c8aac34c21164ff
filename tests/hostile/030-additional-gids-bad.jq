# expect: additionalGids
.process.user.additionalGids = [0, -5]
