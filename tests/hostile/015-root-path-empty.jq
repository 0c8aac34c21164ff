# expect: root.path
.root.path = ""
