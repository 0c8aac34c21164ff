#!/usr/bin/env bats
# --version: "hull version X", "commit: Y", "spec: 1.2.0".

load helpers

@test "--version prints the version, commit and spec lines" {
	run hull --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^$(runtime_name)\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
	[[ "${lines[1]}" =~ ^commit:\ .+ ]]
	[[ "${lines[2]}" =~ ^spec:\ 1\.[0-9]+\.[0-9]+ ]]
}

@test "--version prints exactly three lines with spec 1.2.0" {
	requires_hull "runc and crun print more lines and an older spec"
	run hull --version
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" =~ ^hull\ version\ [0-9]+\.[0-9]+\.[0-9]+[^\ ]*$ ]]
	[[ "${lines[1]}" =~ ^commit:\ [^\ ]+$ ]]
	[ "${lines[2]}" = "spec: 1.2.0" ]
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
