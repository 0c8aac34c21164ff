#!/bin/bash
# demo.sh - from a fresh Debian 12 machine (as root) to a running container: deps, build, busybox bundle, run.
# As a non-root user, once hull is built: the same container, rootless (`hull spec --rootless`), hull alone.
# Must never touch the network beyond Debian's package archive; everything it makes is removed at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
hull=$top/build/hull
if [ "$(id -u)" = 0 ]; then
	"$top/tools/bootstrap.sh" build -Dtests=false
elif [ ! -x "$hull" ]; then
	echo "demo.sh: $hull is not built: as root, run tools/bootstrap.sh (or this script) once" >&2
	exit 1
fi
bundle=$(mktemp -d /tmp/hull-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
cmd=(sh -c 'echo "hello from hull"; echo "hostname: $(hostname)"; echo "pid: $$"; echo "uid: $(id -u)"')
"$top/tests/lib/make-bundle.sh" "$bundle" "${cmd[@]}"
if [ "$(id -u)" != 0 ]; then
	# runc's rootless config: the user mapped to root in a user namespace, no network namespace
	args=$(jq -c .process.args "$bundle/config.json")
	rm "$bundle/config.json"
	(cd "$bundle" && "$hull" spec --rootless)
	jq --argjson a "$args" '.process.args = $a | .process.terminal = false' "$bundle/config.json" >"$bundle/config.new"
	mv "$bundle/config.new" "$bundle/config.json"
fi
"$hull" run --bundle "$bundle" "demo-$$"
