# expect: vm.swappiness
# vm.swappiness belongs to the whole host: a container must never set it (runc refuses it).
.linux.sysctl = {"vm.swappiness": "17"}
