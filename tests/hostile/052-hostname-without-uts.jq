# expect: hostname
del(.linux.namespaces[] | select(.type == "uts"))
