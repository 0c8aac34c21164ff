#!/bin/bash
# bootstrap.sh - install hull's build (and, with --tests, test) dependencies from Debian (idempotent), then build hull.
# Must never fetch anything but Debian packages. Usage: tools/bootstrap.sh [--tests] [BUILD_DIR [MESON_ARGS...]]
# (--tests: the test suite's tools and engines too)
set -euo pipefail
cd "$(dirname "$0")/.."

# what building hull and running a container need (the README's first command)
packages=(
	gcc pkg-config meson ninja-build libjson-c-dev   # build
	libseccomp-dev libseccomp2                       # seccomp (headers at build time, dlopen'ed at run time)
	busybox-static jq file                           # tests/lib/make-bundle.sh: the demo's busybox bundle
	libssl-dev libcurl4-openssl-dev libarchive-dev   # images: digests, registries, layers (headers at build time,
	libssl3 libcurl4 libarchive13                    # each library dlopen'ed by the image commands that need it)
)
# what the test suite needs besides (tests/run.sh passes --tests)
test_packages=(
	golang-github-containers-common                  # podman's default seccomp profile, for the tests
	libcmocka-dev bats                               # unit and integration tests
	runc crun iproute2 util-linux procps             # side-by-side runtimes, namespace tools
	podman conmon                                    # a real engine driving hull
	uidmap                                           # newuidmap/newgidmap: rootless maps beyond the own id (rootless.bats)
	dbus-user-session                                # the user bus of a systemd user session (vmlane/rootless-systemd.bats)
	docker.io containerd skopeo docker-registry      # tests/engines: Docker, containerd (ctr, CRI), a registry
	python3-grpcio python3-protobuf                  # tests/engines/cri: the project's CRI client
	go-md2man bash-completion man-db                 # man pages and completion (meson install)
	tini                                             # podman --init (tests/integration/podman.bats)
	umoci openssl apache2-utils python3              # tests/images: umoci's unpack to compare with, a test CA,
	                                                 # htpasswd, the bearer-token server
	zlib1g-dev                                       # tests/unit/test_unpack gzips its tars
	debootstrap                                      # tests/images/debian.bats: a minimal Debian as a test image
	criu                                             # checkpoint/restore (checkpoint.bats; runs in the VM lane)
	containernetworking-plugins iptables slirp4netns # tests/engine: hull container's bridge (CNI), rootless network
	curl time                                        # tests/engine: published ports answer; bench/engine-run.sh
	gnuplot-nox                                      # bench/runtime.sh's plot
	clang libclang-rt-dev                            # the libFuzzer lane (tests/fuzz)
)
tests=0
if [ "${1:-}" = --tests ]; then
	tests=1
	shift
	packages+=("${test_packages[@]}")
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bootstrap: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	# installing docker.io or containerd must not start their daemons on the host's default paths: the
	# engine suites start private ones. policy-rc.d (exit 101) tells invoke-rc.d not to start services.
	policy=/usr/sbin/policy-rc.d
	made_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
	fi
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
	[ "$made_policy" = 1 ] && rm -f "$policy"
	[ "${rc:-0}" = 0 ] || exit "$rc"
fi

# Docker's default seccomp profile (moby's profiles/seccomp/default.json) for the tests: the one file,
# taken from Debian's source package of Docker without installing its 250 dependencies.
docker_profile=/var/cache/hull/docker-default-seccomp.json
if [ "$tests" = 1 ] && [ ! -s "$docker_profile" ]; then
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
