#!/bin/bash
# bootstrap.sh - install hull's build and test dependencies from Debian (idempotent), then build hull.
# Must never fetch anything but Debian packages. Usage: tools/bootstrap.sh [BUILD_DIR [MESON_ARGS...]]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	gcc pkg-config meson ninja-build libjson-c-dev   # build
	libseccomp-dev libseccomp2                       # seccomp (headers at build time, dlopen'ed at run time)
	golang-github-containers-common                  # podman's default seccomp profile, for the tests
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

# Docker's default seccomp profile (moby's profiles/seccomp/default.json) for the tests: the one file,
# taken from Debian's source package of Docker without installing its 250 dependencies.
docker_profile=/var/cache/hull/docker-default-seccomp.json
if [ ! -s "$docker_profile" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq golang-github-docker-docker-dev >&2 && dpkg-deb -x ./*.deb x) &&
		mkdir -p "${docker_profile%/*}" &&
		cp "$tmp/x/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json" "$docker_profile"
	rm -rf "$tmp"
fi

build=${1:-build}
shift || true
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$@" >&2
fi
ninja -C "$build" >&2
