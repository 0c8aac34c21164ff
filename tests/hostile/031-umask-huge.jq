# expect: umask
.process.user.umask = 99999
