# expect: linux.namespaces[5].type
.linux.namespaces += [{"type": 1}]
