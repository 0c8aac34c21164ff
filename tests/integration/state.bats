#!/usr/bin/env bats
# state ID: the runtime-spec state JSON, with runc's keys.

load helpers

# The keys runc 1.1 prints (annotations only when the config has some).
STATE_KEYS='["bundle","created","id","ociVersion","owner","pid","rootfs","status"]'

rfc3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

@test "state of a created container has runc's keys and values" {
	set_cmd sleep 1000
	before=$(date -u +%s)
	create_ctr "$CTR"
	after=$(date -u +%s)
	run hull state "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e . >/dev/null
	[ "$(echo "$output" | jq -c 'keys')" = "$STATE_KEYS" ]
	[ "$(echo "$output" | jq -r .id)" = "$CTR" ]
	[ "$(echo "$output" | jq -r .status)" = created ]
	[ "$(echo "$output" | jq -r '.ociVersion | type')" = string ]
	[[ "$(echo "$output" | jq -r .ociVersion)" =~ ^1\.[0-9]+\.[0-9]+ ]]
	[ "$(echo "$output" | jq -r .bundle)" = "$BUNDLE" ]
	[ "$(echo "$output" | jq -r .rootfs)" = "$BUNDLE/rootfs" ]
	[ "$(echo "$output" | jq -r '.owner | type')" = string ]
	[ "$(echo "$output" | jq -r '.pid | type')" = number ]
	pid=$(echo "$output" | jq -r .pid)
	pid_alive "$pid"
	created=$(echo "$output" | jq -r .created)
	[[ "$created" =~ $rfc3339 ]]
	t=$(date -u -d "$created" +%s)
	[ "$t" -ge $((before - 1)) ] && [ "$t" -le $((after + 1)) ]
}

@test "state of a running container reports running and the same pid" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	created=$(state_of "$CTR" created)
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	run hull state "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c 'keys')" = "$STATE_KEYS" ]
	[ "$(echo "$output" | jq -r .status)" = running ]
	[ "$(echo "$output" | jq -r .pid)" = "$pid" ]
	[ "$(echo "$output" | jq -r .created)" = "$created" ]
}

@test "state of a stopped container reports stopped with pid 0" {
	set_cmd true
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	run hull state "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c 'keys')" = "$STATE_KEYS" ]
	[ "$(echo "$output" | jq -r .pid)" = 0 ]
}

@test "state includes the config's annotations" {
	update_config '.annotations = {"org.example.key": "value", "other": "x y"}'
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull state "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '.annotations')" = '{"org.example.key":"value","other":"x y"}' ]
}

@test "state records an absolute rootfs for a relative root.path" {
	set_cmd sleep 1000
	cd /
	create_ctr -b "$BUNDLE" "$CTR"
	[ "$(state_of "$CTR" rootfs)" = "$BUNDLE/rootfs" ]
}

@test "state of an unknown container fails with an error" {
	run hull state nosuchcontainer
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	echo "$output" | grep -qiE "not exist|not found|no such"
}

@test "state without an id fails" {
	run hull state
	[ "$status" -ne 0 ]
}
