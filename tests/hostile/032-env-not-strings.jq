# expect: process.env[0]
.process.env = [1, true]
