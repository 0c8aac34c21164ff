# expect: domainname
.domainname = 42
