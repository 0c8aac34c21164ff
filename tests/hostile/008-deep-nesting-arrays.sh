# expect: config.json
# process.args nested 10000 arrays deep.
deep=$(printf '[%.0s' $(seq 10000); printf ']%.0s' $(seq 10000))
jq '.process.args = "@DEEP@"' "$1" | sed "s/\"@DEEP@\"/$deep/"
