# expect: hostname
# A 1 MiB hostname.
jq --rawfile h <(head -c 1048576 /dev/zero | tr '\0' h) '.hostname = $h' "$1"
