#!/usr/bin/env bats
# Bad input: one clear line on stderr, a non-zero exit, and after a failed
# create no state, no new mounts and no process left.

load helpers

# create_fails ID: create must fail with exactly one line on stderr and leave nothing.
create_fails() {
	run --separate-stderr hull_detached create "$@"
	[ "$status" -ne 0 ] || fail "create succeeded"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "expected one line on stderr, got: $stderr"
	[ -n "${stderr_lines[0]}" ]
	assert_nothing_left "${@: -1}"
}

@test "a config.json that is not JSON fails create" {
	echo '{"ociVersion": "1.2.0", ' >"$BUNDLE/config.json"
	create_fails "$CTR"
}

@test "a config.json that is not JSON: the error names config.json" {
	requires_hull "runc's message is the bare JSON error"
	echo '{"ociVersion": "1.2.0", ' >"$BUNDLE/config.json"
	create_fails "$CTR"
	[[ "$stderr" == *config.json* ]]
}

@test "process.args of the wrong type fails create, naming config.json and process.args" {
	update_config '.process.args = "sh"'
	create_fails "$CTR"
	[[ "$stderr" == *process.args* ]]
	is_hull || return 0
	[[ "$stderr" == *config.json* ]]
}

@test "empty process.args fails create, naming process.args" {
	update_config '.process.args = []'
	create_fails "$CTR"
	[[ "$stderr" == *args* ]]
	is_hull || return 0
	[[ "$stderr" == *config.json* ]]
	[[ "$stderr" == *process.args* ]]
}

@test "root.path of the wrong type fails create, naming root.path" {
	update_config '.root.path = 5'
	create_fails "$CTR"
	[[ "$stderr" == *root.path* ]]
	is_hull || return 0
	[[ "$stderr" == *config.json* ]]
}

@test "process.user.uid of the wrong type fails create, naming process.user.uid" {
	update_config '.process.user.uid = "zero"'
	create_fails "$CTR"
	[[ "$stderr" == *uid* ]]
	is_hull || return 0
	[[ "$stderr" == *config.json* ]]
	[[ "$stderr" == *process.user.uid* ]]
}

@test "a mount without destination fails create, naming the mounts" {
	update_config '.mounts += [{"type": "tmpfs", "source": "tmpfs"}]'
	create_fails "$CTR"
	is_hull || return 0
	[[ "$stderr" == *config.json* ]]
	[[ "$stderr" == *mounts* ]]
	[[ "$stderr" == *destination* ]]
}

@test "an unknown namespace type fails create, naming linux.namespaces" {
	update_config '.linux.namespaces += [{"type": "nosuchns"}]'
	create_fails "$CTR"
	[[ "$stderr" == *nosuchns* ]]
	is_hull || return 0
	[[ "$stderr" == *linux.namespaces* ]]
}

@test "a missing process fails create" {
	update_config 'del(.process)'
	create_fails "$CTR"
	[[ "$stderr" == *process* ]]
}

@test "a missing bundle directory fails create" {
	create_fails --bundle "$TESTDIR/no-such-bundle" "$CTR"
	[ ! -e "$TESTDIR/no-such-bundle" ]
}

@test "a bundle without config.json fails create, naming config.json" {
	rm "$BUNDLE/config.json"
	create_fails "$CTR"
	[[ "$stderr" == *config.json* ]]
}

@test "invalid container ids are refused without touching the file system" {
	for id in "../escaped" "a/b" "." ".." "a b" "x:y"; do
		run --separate-stderr hull_detached create "$id"
		[ "$status" -ne 0 ] || fail "id '$id' was accepted"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "id '$id': $stderr"
	done
	[ ! -e "$TESTDIR/escaped" ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ -z "$(tagged_pids)" ]
	[ -z "$(unexpected_mounts)" ]
}

@test "an empty container id is refused" {
	run --separate-stderr hull_detached create ""
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "a duplicate id fails create with one line and keeps the first container" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	run --separate-stderr hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$(pid_of "$CTR")" = "$pid" ]
	[ "$(status_of "$CTR")" = created ]
}

@test "an unknown id fails state, start, kill and delete with one line" {
	for cmd in state start kill delete; do
		run --separate-stderr hull "$cmd" nosuchcontainer
		[ "$status" -ne 0 ] || fail "$cmd succeeded"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "$cmd: $stderr"
		[ -z "$output" ] || fail "$cmd wrote to stdout: $output"
	done
}

@test "start twice fails the second time with one line" {
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	run --separate-stderr hull start "$CTR"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$(status_of "$CTR")" = running ]
}

@test "an unknown signal fails kill with one line" {
	set_cmd sleep 1000
	run_d "$CTR"
	run --separate-stderr hull kill "$CTR" SIGNOPE
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *NOPE* ]]
	[ "$(status_of "$CTR")" = running ]
}

@test "delete of a running container fails with one line" {
	set_cmd sleep 1000
	run_d "$CTR"
	run --separate-stderr hull delete "$CTR"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "a failed foreground run leaves nothing" {
	update_config '.process.args = []'
	run --separate-stderr hull run "$CTR"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	assert_nothing_left "$CTR"
}

@test "a process that cannot be executed fails create or start and leaves nothing" {
	set_cmd /etc/passwd
	run hull_detached create "$CTR"
	# runc reports this at create; a runtime may also defer it to start
	if [ "$status" -eq 0 ]; then
		run hull start "$CTR"
		[ "$status" -ne 0 ]
		run hull delete --force "$CTR"
	fi
	assert_nothing_left "$CTR"
}

# Engines match runc's words, case-sensitively: Docker makes exit code 127 of
# "no such file or directory" / "executable file not found in $PATH" and 126
# of "permission denied" (daemon/start.go), containerd "does not exist" and
# "container not running".  The texts below are runc 1.1.5's.

# exec_fails_with TEXT: the last run failed with TEXT (exact case) on stderr and in the json --log.
exec_fails_with() {
	[ "$status" -ne 0 ] || fail "succeeded"
	[[ "$stderr" == *"$1"* ]] || fail "stderr lacks '$1': $stderr"
	jq -e --arg t "$1" 'select(.level == "error") | .msg | contains($t)' "$TESTDIR/log.json" >/dev/null ||
		fail "json log lacks '$1': $(cat "$TESTDIR/log.json")"
}

@test "run of a missing absolute path says runc's 'no such file or directory'" {
	set_cmd /nonexistent
	run --separate-stderr hull --log "$TESTDIR/log.json" --log-format json run "$CTR"
	exec_fails_with 'exec: "/nonexistent": stat /nonexistent: no such file or directory'
	[[ "$stderr" == *"unable to start container process: "* ]] || fail "$stderr"
	assert_nothing_left "$CTR"
}

@test "run of a bare name not in PATH says runc's 'executable file not found in \$PATH'" {
	set_cmd nosuchcommand
	run --separate-stderr hull --log "$TESTDIR/log.json" --log-format json run "$CTR"
	exec_fails_with 'exec: "nosuchcommand": executable file not found in $PATH'
}

@test "run of a file that is not executable says runc's 'permission denied'" {
	set_cmd /etc/passwd
	run --separate-stderr hull --log "$TESTDIR/log.json" --log-format json run "$CTR"
	exec_fails_with 'exec: "/etc/passwd": permission denied'
}

@test "run of a directory says runc's 'permission denied'" {
	set_cmd /etc
	run --separate-stderr hull --log "$TESTDIR/log.json" --log-format json run "$CTR"
	exec_fails_with 'exec: "/etc": permission denied'
}

@test "exec of a missing path says runc's 'no such file or directory', in the text log too" {
	set_cmd sleep 1000
	run_d "$CTR"
	run --separate-stderr hull --log "$TESTDIR/log.json" --log-format json exec "$CTR" /nonexistent
	# runc's exec puts "exec failed: " before every error (containerd and CRI pass it on)
	exec_fails_with 'exec failed: unable to start container process: exec: "/nonexistent": stat /nonexistent: no such file or directory'
	run --separate-stderr hull --log "$TESTDIR/log.txt" exec "$CTR" /etc
	[ "$status" -ne 0 ]
	[[ "$stderr" == *'exec: "/etc": permission denied'* ]] || fail "$stderr"
	# logrus's text format: the message quoted, its own quotes escaped
	grep -E '^time="[^"]+" level=error msg=".*exec: \\"/etc\\": permission denied"$' "$TESTDIR/log.txt" ||
		fail "$(cat "$TESTDIR/log.txt")"
}

@test "errors about the container's state use runc's words" {
	run --separate-stderr hull state "$CTR"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]] || fail "$stderr"
	set_cmd true
	create_ctr "$CTR"
	run --separate-stderr hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container with given ID already exists"* ]] || fail "$stderr"
	run hull start "$CTR"
	wait_for_status "$CTR" stopped
	run --separate-stderr hull exec "$CTR" true
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"exec failed: cannot exec in a stopped container"* ]] || fail "$stderr"
	run --separate-stderr hull kill "$CTR" KILL
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container not running"* ]] || fail "$stderr"
	run --separate-stderr hull pause "$CTR"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container not running"* ]] || fail "$stderr"
}
