# expect: linux
.linux = ["pid"]
