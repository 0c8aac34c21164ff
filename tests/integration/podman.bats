#!/usr/bin/env bats
# podman (with conmon) driving hull as its OCI runtime: a real engine, its console socket and cgroup use.

load helpers

# podman's conmon leaves its own cgroup (libpod_parent/conmon) behind with any runtime: remove it when
# this test made it
setup() {
	setup_hull
	PODMAN_CGROUPS_BEFORE=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null || true)
}

teardown() {
	if [ -z "$PODMAN_CGROUPS_BEFORE" ]; then
		local d
		for d in /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/libpod_parent; do
			[ -d "$d" ] || continue
			find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
			rmdir "$d" 2>/dev/null
		done
	fi
	teardown_hull
}

# podman keeps its storage and run state inside the test's temp dir, so nothing of it outlives the test
podman_() {
	timeout 120 podman --root "$TESTDIR/podman/root" --runroot "$TESTDIR/podman/run" --tmpdir "$TESTDIR/podman/tmp" \
		--storage-driver vfs --runtime "$HULL" --cgroup-manager cgroupfs "$@"
}

@test "podman --runtime hull runs a container and applies its memory limit" {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	# this host caps the hard RLIMIT_NOFILE below podman's default, so runc fails here too without --ulimit
	run podman_ run --rm --network none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --memory 64m --rootfs "$BUNDLE/rootfs" \
		/bin/sh -c 'echo hello from podman; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
	[ "$status" -eq 0 ] || fail "podman: $output"
	[ "${lines[0]}" = "hello from podman" ]
	[ "${lines[1]}" = 67108864 ]
}

@test "podman --runtime hull returns the container's exit code" {
	command -v podman >/dev/null || fail "podman is not installed (tools/bootstrap.sh installs it)"
	run podman_ run --rm --network none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs "$BUNDLE/rootfs" /bin/sh -c 'exit 7'
	[ "$status" -eq 7 ]
}
