#!/usr/bin/env bats
# hostname and domainname.

load helpers

@test "hostname is set in the container's uts namespace" {
	host=$(hostname)
	set_cmd sh -c 'hostname; cat /proc/sys/kernel/hostname'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hull ]
	[ "${lines[1]}" = hull ]
	[ "$(hostname)" = "$host" ]
}

@test "hostname follows the config" {
	update_config '.hostname = "another-name"'
	set_cmd hostname
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = another-name ]
}

@test "a hostname without a uts namespace is refused and leaves nothing" {
	host=$(hostname)
	del_ns uts
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	[ "$(hostname)" = "$host" ]
	assert_nothing_left "$CTR"
}

@test "without hostname a new uts namespace keeps the host's name" {
	update_config 'del(.hostname)'
	set_cmd hostname
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "$(hostname)" ]
}

@test "domainname is set in the container's uts namespace" {
	requires_feature "domainname (runtime-spec 1.2)"
	host=$(cat /proc/sys/kernel/domainname)
	update_config '.domainname = "example.org"'
	set_cmd cat /proc/sys/kernel/domainname
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = example.org ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$host" ]
}

@test "a domainname without a uts namespace is refused" {
	requires_feature "domainname (runtime-spec 1.2)"
	host=$(cat /proc/sys/kernel/domainname)
	del_ns uts
	update_config 'del(.hostname) | .domainname = "example.org"'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$host" ]
	assert_nothing_left "$CTR"
}

# A uts namespace joined by path may be the host's own: a hostname set there would rename the host.
# The name written is the host's current one, so a runtime that wrongly accepts it changes nothing.
@test "a hostname with the host's uts namespace joined by path is refused and leaves nothing" {
	local host
	host=$(hostname)
	update_config --arg h "$host" '.hostname = $h'
	refused_in_host_ns uts "unable to set hostname without a private UTS namespace" \
		"runc 1.1.5 sets the hostname in any uts namespace joined by path, the host's too"
	[ "$(hostname)" = "$host" ]
}
