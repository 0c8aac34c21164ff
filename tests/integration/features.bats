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

@test "features gives ociVersionMax 1.3.0" {
	requires_hull "runc 1.1 and crun 1.8 implement older specs"
	[ "$(echo "$FEATURES" | jq -r .ociVersionMax)" = 1.3.0 ]
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

# what features lists, a config may use: each listed value is taken (it may still be refused by this host's
# kernel, in words naming the kernel, never as an unknown value)
@test "every namespace, memoryPolicy mode and flag features lists is one hull takes" {
	requires_hull "runc 1.1 and crun 1.8 list other sets"
	for ns in $(echo "$FEATURES" | jq -r '.linux.namespaces[]'); do
		[ "$ns" = user ] || [ "$ns" = cgroup ] || [ "$ns" = time ] && continue # userns.bats, timens.bats: need maps, offsets
		update_config --arg ns "$ns" '.linux.namespaces |= (map(select(.type != $ns)) + [{"type": $ns}])'
		set_cmd true
		run hull run "$CTR"
		[ "$status" -eq 0 ] || fail "namespace $ns: $output"
	done
	for m in $(echo "$FEATURES" | jq -r '.linux.memoryPolicy.modes[]'); do
		case $m in MPOL_DEFAULT | MPOL_LOCAL) p='{"mode": $m}' ;; *) p='{"mode": $m, "nodes": "0"}' ;; esac
		update_config --arg m "$m" ".linux.memoryPolicy = $p"
		run hull run "$CTR"
		[[ "$output" != *"unknown mode"* ]] || fail "memoryPolicy mode $m: $output"
		[ "$status" -eq 0 ] || [[ "$output" == *"this kernel does not take"* ]] || fail "memoryPolicy mode $m: $output"
	done
	for f in $(echo "$FEATURES" | jq -r '.linux.memoryPolicy.flags[]'); do
		update_config --arg f "$f" '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": [$f]}'
		run hull run "$CTR"
		[[ "$output" != *"unknown flag"* ]] || fail "memoryPolicy flag $f: $output"
		[ "$status" -eq 0 ] || [[ "$output" == *"this kernel does not take"* ]] || fail "memoryPolicy flag $f: $output"
	done
	# mountOptions: each is taken by hull's option parser (tests/unit/test_mount_opts.c; a create each here
	# took 40 s)
}
