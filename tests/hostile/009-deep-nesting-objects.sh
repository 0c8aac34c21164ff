# expect: config.json
# An annotation nested 10000 objects deep.
deep=$(printf '{"a":%.0s' $(seq 10000); printf '0'; printf '}%.0s' $(seq 10000))
jq '.annotations = "@DEEP@"' "$1" | sed "s/\"@DEEP@\"/$deep/"
