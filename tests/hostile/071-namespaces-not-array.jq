# expect: linux.namespaces
.linux.namespaces = {"pid": true}
