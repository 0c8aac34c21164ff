# expect: mounts[10007]
# 10000 valid tmpfs mounts and a bad one at the end.
jq '.mounts += ([range(10000) | {"destination": "/tmp/m\(.)", "type": "tmpfs", "source": "tmpfs"}] + [{"destination": "relative", "type": "tmpfs"}])' "$1"
