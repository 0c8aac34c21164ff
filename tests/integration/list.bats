#!/usr/bin/env bats
# list: --format table|json, -q/--quiet.

load helpers

setup() {
	setup_hull
	set_cmd sleep 1000
}

@test "list shows a table with a header and one row per container" {
	create_ctr "$CTR"
	run_d "$CTR2"
	run hull list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(echo "${lines[0]}" | awk '{$1=$1; print}')" = "ID PID STATUS BUNDLE CREATED OWNER" ]
	row1=$(printf '%s\n' "${lines[@]}" | awk -v id="$CTR" '$1 == id')
	row2=$(printf '%s\n' "${lines[@]}" | awk -v id="$CTR2" '$1 == id')
	[ "$(echo "$row1" | awk '{print $2, $3, $4}')" = "$(pid_of "$CTR") created $BUNDLE" ]
	[ "$(echo "$row2" | awk '{print $2, $3, $4}')" = "$(pid_of "$CTR2") running $BUNDLE" ]
	[ "$(echo "$row1" | awk '{print $5}')" = "$(state_of "$CTR" created)" ]
	[ "$(echo "$row1" | awk '{print $6}')" = root ]
}

@test "list --format table is the default" {
	create_ctr "$CTR"
	run hull list
	default=$output
	run hull list --format table
	[ "$status" -eq 0 ]
	[ "$output" = "$default" ]
}

@test "list --format json prints an array of states" {
	create_ctr "$CTR"
	run_d "$CTR2"
	run hull list --format json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r 'type')" = array ]
	[ "$(echo "$output" | jq 'length')" = 2 ]
	[ "$(echo "$output" | jq -c '[.[] | keys] | unique')" = '[["bundle","created","id","ociVersion","owner","pid","rootfs","status"]]' ]
	[ "$(echo "$output" | jq -r --arg id "$CTR" '.[] | select(.id == $id) | .status')" = created ]
	[ "$(echo "$output" | jq -r --arg id "$CTR2" '.[] | select(.id == $id) | .status')" = running ]
	[ "$(echo "$output" | jq -r --arg id "$CTR2" '.[] | select(.id == $id) | .pid')" = "$(pid_of "$CTR2")" ]
	[ "$(echo "$output" | jq -r --arg id "$CTR2" '.[] | select(.id == $id) | .bundle')" = "$BUNDLE" ]
}

@test "list -f json is --format json" {
	create_ctr "$CTR"
	run hull list -f json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.[0].id')" = "$CTR" ]
}

@test "list -q prints only the ids" {
	create_ctr "$CTR"
	run_d "$CTR2"
	run hull list -q
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$CTR" "$CTR2" | sort | tr '\n' ' ')" ]
	run hull list --quiet
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "list shows stopped containers as stopped" {
	set_cmd true
	run hull run --keep "$CTR"
	[ "$status" -eq 0 ]
	run hull list --format json
	[ "$(echo "$output" | jq -r '.[0].status')" = stopped ]
}

@test "list of an empty root prints only the header, or no JSON entries" {
	mkdir -p "$ROOT"
	run hull list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == ID* ]]
	run hull list --format json
	[ "$status" -eq 0 ]
	# runc prints null, an empty array is as good
	[ "$(echo "$output" | jq 'if . == null then 0 else length end')" = 0 ]
	run hull list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "list with an unknown format fails" {
	run hull list --format yaml
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "list does not show deleted containers" {
	create_ctr "$CTR"
	run_d "$CTR2"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	run hull list -q
	[ "$output" = "$CTR2" ]
}
