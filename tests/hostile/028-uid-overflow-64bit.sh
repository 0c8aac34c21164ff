# expect: process.user.uid
# A uid beyond 2^64: json-c clamps it, hull must still refuse it.
jq '.process.user.uid = "@BIG@"' "$1" | sed 's/"@BIG@"/184467440737095516160/'
