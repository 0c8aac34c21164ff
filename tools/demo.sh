#!/bin/bash
# demo.sh - from a fresh Debian 12 machine (as root) to a running container: deps, build, busybox bundle, run; then
# the engine: a busybox image made offline (a docker-archive), loaded into a store and run with `hull container run`.
# As a non-root user, once hull is built: the same bundle container, rootless (`hull spec --rootless`), hull alone.
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
store=$(mktemp -d /tmp/hull-demo-store.XXXXXX)
# the engine part is root's (a user's `hull container` would start the user's pause process, which outlives this)
trap '[ "$(id -u)" != 0 ] || "$hull" container --storage "$store" prune -f >/dev/null 2>&1; rm -rf "$bundle" "$store"' EXIT
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
[ "$(id -u)" = 0 ] || exit 0
# the engine: an image from an archive made offline, run in one line
"$top/tests/engines/lib/make-image.sh" "$bundle/busybox.tar" demo/busybox:latest >/dev/null
"$hull" image --storage "$store" load -i "$bundle/busybox.tar" >/dev/null
"$hull" container --storage "$store" run --rm --network none demo/busybox sh -c 'echo "hello from hull container run: $(hostname), $(id -un)"'
