# expect: nosuchns
.linux.namespaces += [{"type": "nosuchns"}]
