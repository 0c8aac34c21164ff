# expect: duplicate
.linux.namespaces += [{"type": "pid"}]
