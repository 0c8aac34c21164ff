# expect: /etc/passwd
.linux.namespaces = [.linux.namespaces[] | if .type == "network" then .path = "/etc/passwd" else . end]
