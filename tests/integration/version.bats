#!/usr/bin/env bats
# --version: "hull version X", "commit: Y", "spec: 1.3.0", then the build's features as crun lists them, each
# held to what `features` says and what a container does.

load helpers

@test "--version prints the version, commit and spec lines" {
	run hull --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^$(runtime_name)\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
	[[ "${lines[1]}" =~ ^commit:\ .+ ]]
	[[ "${lines[2]}" =~ ^spec:\ 1\.[0-9]+\.[0-9]+ ]]
}

@test "--version prints four lines: version, commit, spec 1.3.0 and the build's +FEATURES" {
	requires_hull "runc and crun print other lines and an older spec"
	run hull --version
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" =~ ^hull\ version\ [0-9]+\.[0-9]+\.[0-9]+[^\ ]*$ ]]
	[[ "${lines[1]}" =~ ^commit:\ [^\ ]+$ ]]
	[ "${lines[2]}" = "spec: 1.3.0" ]
	[[ "${lines[3]}" =~ ^(\+[A-Z0-9]+)(\ \+[A-Z0-9]+)*$ ]]
}

# each +FEATURE --version lists has a check here: what `features` says of it and a container that uses it
@test "every +FEATURE of --version is true in features and works in a container" {
	requires_hull "crun's list names other features"
	run hull --version
	[ "$status" -eq 0 ]
	read -ra listed <<<"${lines[3]}"
	run hull features
	[ "$status" -eq 0 ]
	features=$output
	for f in "${listed[@]}"; do
		case $f in
		+SYSTEMD) echo "$features" | jq -e '.linux.cgroup.systemd == true' >/dev/null ;;
		+APPARMOR) # the profile is applied, or refused in words where the host has no AppArmor: never ignored
			echo "$features" | jq -e '.linux.apparmor.enabled == true' >/dev/null
			update_config '.process.apparmorProfile = "unconfined"'
			set_cmd cat /proc/self/attr/current
			run hull run "$CTR"
			[[ "$output" == *"AppArmor is not enabled on this host"* ]] || [[ "$output" == *unconfined* ]] ||
				fail "+APPARMOR: $output"
			update_config 'del(.process.apparmorProfile)' ;;
		+CAP)
			echo "$features" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") != null' >/dev/null
			update_config '.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
			set_cmd grep CapBnd /proc/self/status
			run hull run "$CTR"
			[ "$status" -eq 0 ] && [[ "$output" == *"0000000000000020"* ]] || fail "+CAP: $output"
			;;
		+SECCOMP)
			echo "$features" | jq -e '.linux.seccomp.enabled == true' >/dev/null
			update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO"}]}'
			set_cmd grep Seccomp: /proc/self/status
			run hull run "$CTR"
			[[ "$output" == *"Seccomp:"*2* ]] || fail "+SECCOMP: $output"
			;;
		+EBPF) # the v2 device filter; a v1 host has the devices controller instead (the VM lanes are v2)
			if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
				update_config 'del(.linux.seccomp) | .linux.resources.devices = [{"allow": false, "access": "rwm"}]'
				set_cmd sh -c 'echo x >/dev/null && echo written'
				run hull run "$CTR"
				[[ "$output" != *written* ]] || fail "+EBPF: $output"
			fi ;;
		+IDMAP) echo "$features" | jq -e '.linux.mountExtensions.idmap.enabled == true and (.mountOptions | index("idmap") != null)' >/dev/null ;;
		+JSONC) ldd "$HULL" | grep -q libjson-c ;;
		+CRIU) # checkpoint.bats (and the VM lane, where criu runs) prove the commands; here, that they are there
			echo "$features" | jq -e '.annotations["org.hull.checkpoint.enabled"] == "true"' >/dev/null
			run hull checkpoint --help
			[ "$status" -eq 0 ] && [[ "$output" == *--image-path* ]] || fail "+CRIU: $output" ;;
		*) fail "--version lists $f, which this test does not know: add its check" ;;
		esac || fail "$f"
	done
}

@test "--version needs no root directory and creates none" {
	rm -rf "$ROOT"
	run hull --version
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT" ]
}

@test "-v is --version" {
	run hull --version
	long=$output
	run hull -v
	[ "$status" -eq 0 ]
	[ "$output" = "$long" ]
}
