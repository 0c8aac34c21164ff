# expect: cwd
.process.cwd = "/etc/passwd"
