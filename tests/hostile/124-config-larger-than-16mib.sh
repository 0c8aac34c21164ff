# expect: larger than 16777216 bytes
# A valid config padded past the 16 MiB hull reads of an engine's input (without a bound, a config over 64 MiB
# made a container whose state.json, which repeats its annotations, then read as damaged).
head -c $((17 << 20)) /dev/zero | tr '\0' a >"$1.pad"
jq --rawfile pad "$1.pad" '.annotations["hostile.pad"] = $pad' "$1"
rm -f "$1.pad"
