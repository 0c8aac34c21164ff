# expect: process.args
.process.args = "sh -c true"
