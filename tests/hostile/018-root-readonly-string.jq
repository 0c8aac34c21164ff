# expect: root.readonly
.root.readonly = "yes"
