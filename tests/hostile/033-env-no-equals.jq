# expect: process.env
.process.env += ["NOEQUALS"]
