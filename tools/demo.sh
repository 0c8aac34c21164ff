#!/bin/bash
# demo.sh - from a fresh Debian 12 machine (as root) to a running container: deps, build, busybox bundle, run.
# Must never touch the network beyond Debian's package archive; everything it makes is removed at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/bootstrap.sh" build -Dtests=false
bundle=$(mktemp -d /tmp/hull-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
"$top/tests/lib/make-bundle.sh" "$bundle" sh -c 'echo "hello from hull"; echo "hostname: $(hostname)"; echo "pid: $$"'
"$top/build/hull" run --bundle "$bundle" "demo-$$"
