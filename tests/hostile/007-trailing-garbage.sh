# expect: trailing data
# A valid config followed by a second document.
cat "$1"
echo '{"ociVersion": "1.1.0"}'
