# expect: root.path
.root.path = "a-file"
