#!/bin/bash
# bootstrap.sh - install hull's build and test dependencies from Debian (idempotent), then build hull.
# Must never fetch anything but Debian packages. Usage: tools/bootstrap.sh [BUILD_DIR [MESON_ARGS...]]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	gcc pkg-config meson ninja-build libjson-c-dev   # build
	libcmocka-dev bats jq busybox-static             # tests
	runc crun iproute2 util-linux procps file        # side-by-side runtimes, namespace tools
	podman conmon                                    # a real engine driving hull
	clang libclang-rt-dev                            # the libFuzzer lane (tests/fuzz)
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bootstrap: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build=${1:-build}
shift || true
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$@" >&2
fi
ninja -C "$build" >&2
