# expect: process.args[0]
.process.args = [1, 2]
