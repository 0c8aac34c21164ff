#!/usr/bin/env bats
# --log FILE, --log-format text|json, --debug.

load helpers

rfc3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
not_exist='not exist|not found|no such'

@test "--log writes errors to the file in text format" {
	run hull --log "$TESTDIR/log" state nosuchcontainer
	[ "$status" -ne 0 ]
	[ -s "$TESTDIR/log" ]
	grep -E '^time="[^"]+" level=error msg=".+"' "$TESTDIR/log"
	grep -iE "$not_exist" "$TESTDIR/log"
}

@test "--log-format text is the default format" {
	run hull --log "$TESTDIR/log" --log-format text state nosuchcontainer
	[ "$status" -ne 0 ]
	grep -E '^time="[^"]+" level=error msg=".+"' "$TESTDIR/log"
}

@test "--log-format json writes runc's JSON log lines" {
	run hull --log "$TESTDIR/log" --log-format json state nosuchcontainer
	[ "$status" -ne 0 ]
	[ -s "$TESTDIR/log" ]
	# every line is a JSON object
	while read -r line; do
		echo "$line" | jq -e 'type == "object"' >/dev/null || fail "not a JSON object: $line"
	done <"$TESTDIR/log"
	err=$(jq -c 'select(.level == "error")' "$TESTDIR/log" | head -n 1)
	[ -n "$err" ]
	[ "$(echo "$err" | jq -c 'keys')" = '["level","msg","time"]' ]
	echo "$err" | jq -r .msg | grep -iE "$not_exist"
	[[ "$(echo "$err" | jq -r .time)" =~ $rfc3339 ]]
}

@test "--log-format json also applies to errors of other commands" {
	run hull --log "$TESTDIR/log" --log-format json kill nosuchcontainer KILL
	[ "$status" -ne 0 ]
	jq -e 'select(.level == "error") | .msg | length > 0' "$TESTDIR/log"
}

@test "--log appends to an existing file" {
	echo "first line" >"$TESTDIR/log"
	run hull --log "$TESTDIR/log" state nosuchcontainer
	[ "$status" -ne 0 ]
	[ "$(head -n 1 "$TESTDIR/log")" = "first line" ]
	[ "$(wc -l <"$TESTDIR/log")" -ge 2 ]
}

@test "an invalid --log-format is rejected" {
	run hull --log-format xml list
	[ "$status" -ne 0 ]
	[[ "$output" == *xml* ]]
}

@test "--debug logs debug messages" {
	set_cmd true
	run hull --debug --log "$TESTDIR/log" run "$CTR"
	[ "$status" -eq 0 ]
	grep -E 'level=debug' "$TESTDIR/log"
}

@test "--debug with --log-format json logs debug messages as JSON" {
	set_cmd true
	run hull --debug --log "$TESTDIR/log" --log-format json run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.level == "debug") | .msg' "$TESTDIR/log" | wc -l)" -ge 1 ]
}

@test "without --debug nothing is logged at debug level" {
	set_cmd true
	run hull --log "$TESTDIR/log" run "$CTR"
	[ "$status" -eq 0 ]
	run grep -c 'level=debug' "$TESTDIR/log"
	[ "$output" = 0 ]
}

@test "errors go to stderr when there is no --log" {
	run --separate-stderr hull state nosuchcontainer
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	echo "$stderr" | grep -iE "$not_exist"
	[ "${#stderr_lines[@]}" -eq 1 ]
}
