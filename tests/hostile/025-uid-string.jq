# expect: process.user.uid
.process.user.uid = "0"
