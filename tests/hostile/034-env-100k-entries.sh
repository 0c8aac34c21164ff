# expect: "NOEQUALS" is not of the form
# 100000 valid entries and one bad one at the end: the error must still point at it.
jq '.process.env += ([range(100000) | "HOSTILE_\(.)=x"] + ["NOEQUALS"])' "$1"
