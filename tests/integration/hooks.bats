#!/usr/bin/env bats
# Hooks: the six kinds, their order, their stdin, timeouts and failures.

load helpers

HOOK_KINDS="prestart createRuntime createContainer startContainer poststart poststop"

setup() {
	setup_hull
	# $OUT is bind-mounted at the same path inside the container, so that a hook
	# writes to the same place whether it runs in the runtime's or the
	# container's mount namespace.
	bind_out "$OUT"
	HOOK_ENV=$(jq -n -c --arg tag "$TAG" '["PATH=/usr/sbin:/usr/bin:/sbin:/bin", $tag]')
}

# hook NAME [SCRIPT]: the JSON of a hook that saves its stdin to $OUT/NAME.json
# and appends NAME to $OUT/order, then runs SCRIPT.
hook() {
	jq -n -c --arg name "$1" --arg out "$OUT" --arg extra "${2:-true}" --argjson env "$HOOK_ENV" \
		'{"path": "/bin/sh", "args": ["sh", "-c", "cat > \($out)/\($name).json; echo \($name) >> \($out)/order; \($extra)"], "env": $env}'
}

# add_hook KIND JSON
add_hook() {
	update_config --arg k "$1" --argjson h "$2" '.hooks[$k] += [$h]'
}

all_hooks() {
	for k in $HOOK_KINDS; do
		add_hook "$k" "$(hook "$k")"
	done
}

order() { tr '\n' ' ' <"$OUT/order" | sed 's/ $//'; }

@test "create runs prestart, createRuntime and createContainer, in that order" {
	all_hooks
	set_cmd sleep 1000
	create_ctr "$CTR"
	[ "$(order)" = "prestart createRuntime createContainer" ]
}

@test "start runs startContainer, then poststart" {
	all_hooks
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/poststart.json"
	[ "$(order)" = "prestart createRuntime createContainer startContainer poststart" ]
}

@test "delete runs poststop, last" {
	all_hooks
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/poststart.json"
	run hull kill "$CTR" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CTR" stopped
	[ ! -e "$OUT/poststop.json" ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$OUT/order")" = poststop ]
	# each hook ran exactly once
	[ "$(sort "$OUT/order" | tr '\n' ' ')" = "createContainer createRuntime poststart poststop prestart startContainer " ]
}

@test "a foreground run runs all six hooks" {
	all_hooks
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(sort "$OUT/order" | tr '\n' ' ')" = "createContainer createRuntime poststart poststop prestart startContainer " ]
	[ "$(tail -n 1 "$OUT/order")" = poststop ]
}

@test "each hook gets the container state on stdin" {
	all_hooks
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	wait_for_file "$OUT/poststart.json"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	for k in $HOOK_KINDS; do
		f=$OUT/$k.json
		jq -e . "$f" >/dev/null || fail "$k got no JSON: $(cat "$f")"
		[ "$(jq -r .id "$f")" = "$CTR" ] || fail "$k: id is $(jq -r .id "$f")"
		[ "$(jq -r .bundle "$f")" = "$BUNDLE" ] || fail "$k: bundle is $(jq -r .bundle "$f")"
		[[ "$(jq -r .ociVersion "$f")" =~ ^1\. ]] || fail "$k: no ociVersion"
		s=$(jq -r .status "$f")
		case $k in
		prestart | createRuntime | createContainer) [[ "$s" =~ ^(creating|created)$ ]] ;;
		startContainer) [ "$s" = created ] ;;
		poststart) [[ "$s" =~ ^(created|running)$ ]] ;;
		poststop) [ "$s" = stopped ] ;;
		esac || fail "$k: status is $s"
	done
	# runtime-namespace hooks see the init's host pid
	[ "$(jq -r .pid "$OUT/createRuntime.json")" = "$pid" ]
	[ "$(jq -r .pid "$OUT/prestart.json")" = "$pid" ]
}

@test "hook args and env reach the hook" {
	add_hook prestart "$(jq -n -c --arg out "$OUT" \
		'{"path": "/bin/sh", "args": ["sh", "-c", "echo \"$0 $1 $FOO\" > \($out)/args", "first", "second"], "env": ["FOO=bar baz"]}')"
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$OUT/args")" = "first second bar baz" ]
}

@test "several hooks of one kind run in the configured order" {
	for n in one two three; do
		add_hook createRuntime "$(hook "$n")"
	done
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(order)" = "one two three" ]
}

@test "createRuntime hooks run in the runtime namespace, createContainer in the container's" {
	add_hook createRuntime "$(hook rt 'readlink /proc/self/ns/mnt > '"$OUT"'/rt.ns')"
	add_hook createContainer "$(hook cc 'readlink /proc/self/ns/mnt > '"$OUT"'/cc.ns')"
	set_cmd sleep 1000
	create_ctr "$CTR"
	pid=$(pid_of "$CTR")
	[ "$(cat "$OUT/rt.ns")" = "$(host_ns mnt)" ]
	[ "$(cat "$OUT/cc.ns")" = "$(readlink "/proc/$pid/ns/mnt")" ]
}

@test "hook timeout kills a slow hook and fails create, leaving nothing" {
	add_hook createRuntime "$(hook slow 'exec sleep 1000' | jq -c '.timeout = 1')"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a failing prestart hook fails create and leaves nothing" {
	add_hook prestart "$(hook prestart 'exit 3')"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a failing createRuntime hook fails create and leaves nothing" {
	add_hook createRuntime "$(hook createRuntime 'exit 3')"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a failing createContainer hook fails create and leaves nothing" {
	add_hook createContainer "$(hook createContainer 'exit 3')"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a hook whose path does not exist fails create and leaves nothing" {
	add_hook createRuntime '{"path": "/no/such/hook"}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a failing poststart hook only warns" {
	add_hook poststart "$(hook poststart 'exit 3')"
	set_cmd sleep 1000
	create_ctr "$CTR"
	run hull start "$CTR"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ -s "$OUT/poststart.json" ]
	[ "$(status_of "$CTR")" = running ]
}

@test "a failing poststop hook only warns" {
	add_hook poststop "$(hook poststop 'exit 3')"
	set_cmd true
	run hull run --keep "$CTR"
	[ "$status" -eq 0 ]
	run hull delete "$CTR"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ -s "$OUT/poststop.json" ]
	run hull state "$CTR"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$CTR" ]
}

@test "a createContainer hook runs with the container's root as its cwd, as runc's" {
	update_config '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "touch ./hook-cwd-was-here"]}]'
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ -e "$BUNDLE/rootfs/hook-cwd-was-here" ] || fail "not in the rootfs: $(ls "$BUNDLE")"
}

# The state is larger than a pipe's buffer (64 KiB) with large annotations: the hook still reads all of it.
@test "a hook receives the whole state when annotations make it larger than a pipe" {
	update_config '.annotations = {"big": ("x" * 300000)}'
	add_hook createRuntime "$(hook createRuntime)"
	add_hook poststop "$(hook poststop)"
	set_cmd true
	create_ctr "$CTR"
	jq -e '.annotations.big | length == 300000' "$OUT/createRuntime.json" >/dev/null ||
		fail "createRuntime got $(wc -c <"$OUT/createRuntime.json") bytes of state, not valid JSON with the annotation"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	jq -e '.annotations.big | length == 300000' "$OUT/poststop.json" >/dev/null ||
		fail "poststop got $(wc -c <"$OUT/poststop.json") bytes of state"
}

# A hook that exits without reading its stdin does not block the runtime, whatever the state's size.
@test "a hook that does not read a state larger than a pipe does not block create" {
	update_config '.annotations = {"big": ("x" * 300000)}'
	add_hook createRuntime '{"path": "/bin/true"}'
	set_cmd true
	create_ctr "$CTR"
}
