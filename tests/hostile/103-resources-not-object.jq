# expect: linux.resources
.linux.resources = "unlimited"
