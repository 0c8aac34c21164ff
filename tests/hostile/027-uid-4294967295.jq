# expect: process.user.uid
.process.user.uid = 4294967295
