#!/usr/bin/env bats
# spec: writes a default config.json like runc's; --rootless, --bundle/-b.

load helpers

setup() {
	setup_hull
	mkdir "$TESTDIR/spec"
	cd "$TESTDIR/spec"
}

# runc_spec DIR [ARGS...]: the reference config from runc, for comparison.
runc_spec() {
	[ -x "$RUNC_BIN" ] || skip "no runc at $RUNC_BIN to compare with"
	local dir=$1
	shift
	mkdir -p "$dir"
	"$RUNC_BIN" spec -b "$dir" "$@"
}

@test "spec writes config.json in the current directory" {
	run hull spec
	[ "$status" -eq 0 ]
	[ -s config.json ]
	jq -e . config.json >/dev/null
	[ "$(jq -c .process.args config.json)" = '["sh"]' ]
	[ "$(jq -r .process.terminal config.json)" = true ]
	[ "$(jq -c .root config.json)" = '{"path":"rootfs","readonly":true}' ]
	[[ "$(jq -r .ociVersion config.json)" =~ ^1\. ]]
}

@test "spec writes the same config as runc, apart from ociVersion and hostname" {
	runc_spec "$TESTDIR/runc"
	run hull spec
	[ "$status" -eq 0 ]
	diff -u <(jq -S 'del(.ociVersion, .hostname)' "$TESTDIR/runc/config.json") \
		<(jq -S 'del(.ociVersion, .hostname)' config.json)
}

@test "spec declares ociVersion 1.3.0" {
	requires_hull "runc and crun write their own spec version"
	run hull spec
	[ "$status" -eq 0 ]
	[ "$(jq -r .ociVersion config.json)" = 1.3.0 ]
}

@test "spec --bundle writes into the given directory" {
	mkdir "$TESTDIR/b1" "$TESTDIR/b2"
	run hull spec --bundle "$TESTDIR/b1"
	[ "$status" -eq 0 ]
	[ -s "$TESTDIR/b1/config.json" ]
	[ ! -e config.json ]
	run hull spec -b "$TESTDIR/b2"
	[ "$status" -eq 0 ]
	[ -s "$TESTDIR/b2/config.json" ]
	jq -e . "$TESTDIR/b2/config.json" >/dev/null
}

@test "spec refuses to overwrite an existing config.json" {
	echo '{"keep": "me"}' >config.json
	run hull spec
	[ "$status" -ne 0 ]
	[[ "$output" == *config.json* ]]
	[ "$(cat config.json)" = '{"keep": "me"}' ]
	run hull spec -b "$TESTDIR/spec"
	[ "$status" -ne 0 ]
	[ "$(cat config.json)" = '{"keep": "me"}' ]
}

@test "spec --rootless writes a config with a user namespace mapping the caller" {
	run hull spec --rootless
	[ "$status" -eq 0 ]
	jq -e '.linux.namespaces | map(.type) | index("user") != null' config.json
	jq -e '.linux.namespaces | map(.type) | index("network") == null' config.json
	[ "$(jq -c '.linux.uidMappings' config.json)" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	[ "$(jq -c '.linux.gidMappings' config.json)" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
	[ "$(jq -c '.linux.resources' config.json)" = null ]
	# /sys cannot be mounted as sysfs without a network namespace: it is bound
	jq -e '.mounts[] | select(.destination == "/sys") | .options | index("rbind") != null' config.json
}

@test "spec --rootless writes the same config as runc --rootless" {
	runc_spec "$TESTDIR/runc" --rootless
	run hull spec --rootless
	[ "$status" -eq 0 ]
	diff -u <(jq -S 'del(.ociVersion, .hostname)' "$TESTDIR/runc/config.json") \
		<(jq -S 'del(.ociVersion, .hostname)' config.json)
}

@test "the config written by spec runs" {
	cp -a "$BUNDLE/rootfs" "$TESTDIR/spec/rootfs"
	run hull spec
	[ "$status" -eq 0 ]
	CONFIG_BUNDLE=$TESTDIR/spec update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo from-spec; hostname"]'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = from-spec ]
}

# A bundle path that fits PATH_MAX while BUNDLE/config.json does not: the file must not be written under a
# cut name ("BUNDLE/conf"); runc changes into the bundle and writes config.json there.
@test "spec --bundle with a path too long for BUNDLE/config.json writes config.json, under no other name" {
	local dir=$TESTDIR/long
	while [ $((${#dir} + 201)) -lt 4090 ]; do dir=$dir/$(printf 'd%.0s' $(seq 200)); done
	dir=$dir/$(printf 'e%.0s' $(seq $((4089 - ${#dir}))))
	[ ${#dir} = 4090 ]
	mkdir -p "$dir"
	run hull spec --bundle "$dir"
	[ "$status" -eq 0 ] || fail "spec: $output"
	[ "$(ls -A "$dir")" = config.json ] || fail "spec wrote $(ls -A "$dir") in the bundle"
	(cd "$dir" && jq -e .process config.json >/dev/null)
}
