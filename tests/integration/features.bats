#!/usr/bin/env bats
# features: what the runtime supports, as JSON.

load helpers

setup() {
	setup_hull
	run hull features
	[ "$status" -eq 0 ]
	FEATURES=$output
}

@test "features prints a JSON object" {
	echo "$FEATURES" | jq -e 'type == "object"'
}

@test "features gives ociVersionMin and ociVersionMax, min not above max" {
	min=$(echo "$FEATURES" | jq -r .ociVersionMin)
	max=$(echo "$FEATURES" | jq -r .ociVersionMax)
	[[ "$min" =~ ^1\.[0-9]+\.[0-9]+ ]]
	[[ "$max" =~ ^1\.[0-9]+\.[0-9]+ ]]
	[ "$(printf '%s\n' "${min%%-*}" "${max%%-*}" | sort -V | head -n 1)" = "${min%%-*}" ]
}

@test "features gives ociVersionMax 1.2.0" {
	requires_hull "runc 1.1 and crun 1.8 implement older specs"
	[ "$(echo "$FEATURES" | jq -r .ociVersionMax)" = 1.2.0 ]
	[ "$(echo "$FEATURES" | jq -r .ociVersionMin)" = 1.0.0 ]
}

@test "features lists all six hooks" {
	[ "$(echo "$FEATURES" | jq -c '.hooks | sort')" = '["createContainer","createRuntime","poststart","poststop","prestart","startContainer"]' ]
}

@test "features lists the mount options tests rely on" {
	echo "$FEATURES" | jq -e '.mountOptions | type == "array"'
	for o in ro rw nosuid nodev noexec bind rbind rro private rprivate shared rshared slave rslave tmpcopyup; do
		echo "$FEATURES" | jq -e --arg o "$o" '.mountOptions | index($o) != null' >/dev/null || fail "mountOptions lacks $o"
	done
}

@test "features lists the linux namespaces" {
	for ns in cgroup ipc mount network pid user uts; do
		echo "$FEATURES" | jq -e --arg ns "$ns" '.linux.namespaces | index($ns) != null' >/dev/null || fail "namespaces lacks $ns"
	done
}

@test "features lists the time namespace" {
	requires_feature "the time namespace"
	echo "$FEATURES" | jq -e '.linux.namespaces | index("time") != null'
}

@test "features lists the capabilities by name" {
	echo "$FEATURES" | jq -e '.linux.capabilities | length >= 38'
	echo "$FEATURES" | jq -e '.linux.capabilities | all(startswith("CAP_"))'
	for c in CAP_CHOWN CAP_KILL CAP_NET_ADMIN CAP_SYS_ADMIN CAP_AUDIT_WRITE CAP_NET_BIND_SERVICE; do
		echo "$FEATURES" | jq -e --arg c "$c" '.linux.capabilities | index($c) != null' >/dev/null || fail "capabilities lacks $c"
	done
}

@test "features needs no container and writes nothing to the root" {
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}
