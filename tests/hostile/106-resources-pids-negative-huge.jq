# expect: pids
.linux.resources.pids = {"limit": "-1"}
