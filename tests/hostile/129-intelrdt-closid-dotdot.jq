# expect: linux.intelRdt.closID: invalid resctrl group name "../hostile-canary"
# a group name that would climb out of /sys/fs/resctrl
.linux.intelRdt = {"closID": "../hostile-canary"}
