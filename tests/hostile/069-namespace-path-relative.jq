# expect: linux.namespaces
.linux.namespaces = [.linux.namespaces[] | if .type == "network" then .path = "../../proc/1/ns/net" else . end]
