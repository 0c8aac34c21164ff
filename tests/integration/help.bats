#!/usr/bin/env bats
# --help and COMMAND --help.

load helpers

COMMANDS="create start run state list kill delete spec features"

@test "--help lists every command and the global options" {
	run hull --help
	[ "$status" -eq 0 ]
	for c in $COMMANDS; do
		echo "$output" | grep -qwE "^ *$c" || fail "--help does not list $c"
	done
	for o in --root --log --log-format --debug; do
		[[ "$output" == *"$o"* ]] || fail "--help does not mention $o"
	done
}

@test "COMMAND --help exits 0 and describes the command" {
	for c in $COMMANDS; do
		run hull "$c" --help
		[ "$status" -eq 0 ] || fail "$c --help exited $status"
		[[ "$output" == *"$c"* ]] || fail "$c --help does not name the command: $output"
	done
	# nothing was created by asking for help
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ ! -e "$BUNDLE/--help" ]
}

@test "kill --help mentions --all and delete --help mentions --force" {
	run hull kill --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--all* ]]
	run hull delete --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--force* ]]
	run hull list --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--format* ]]
	[[ "$output" == *--quiet* ]]
	run hull spec --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--rootless* ]]
	[[ "$output" == *--bundle* ]]
}

@test "spec --help does not write a config.json" {
	mkdir "$TESTDIR/empty"
	cd "$TESTDIR/empty"
	run hull spec --help
	[ "$status" -eq 0 ]
	[ ! -e "$TESTDIR/empty/config.json" ]
}

# runc's help is urfave/cli's layout; scripts take the first lines ("NAME:", "   runc COMMAND - ...")
@test "--help and COMMAND --help are laid out as runc's: NAME:, the name and summary, USAGE:, OPTIONS:" {
	local rt
	rt=$(runtime_name)
	for flag in -h --help; do
		run hull $flag
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "NAME:" ] || fail "$flag: ${lines[0]}"
		[[ "${lines[1]}" == "   $rt - "* ]] || fail "$flag: ${lines[1]}"
		[[ "$output" == *$'\nUSAGE:\n'*$'\nCOMMANDS:\n'*$'\nGLOBAL OPTIONS:\n'* ]] || fail "$output"
	done
	for c in $COMMANDS pause resume ps events update exec; do
		for flag in -h --help; do
			run hull "$c" $flag
			[ "$status" -eq 0 ] || fail "$c $flag exited $status"
			[ "${lines[0]}" = "NAME:" ] || fail "$c $flag: ${lines[0]}"
			[[ "${lines[1]}" == "   $rt $c - "* ]] || fail "$c $flag: ${lines[1]}"
			# (bats drops empty lines from lines[])
			[ "${lines[2]}" = "USAGE:" ] || fail "$c $flag: ${lines[2]}"
			[[ "${lines[3]}" == "   $rt $c"* ]] || fail "$c $flag: ${lines[3]}"
		done
	done
	# the flags are listed under OPTIONS:
	run hull exec --help
	[[ "$output" == *$'\nOPTIONS:\n'*--console-socket*--cwd* || "$output" == *$'\nOPTIONS:\n'*--cwd*--console-socket* ]] || fail "$output"
	# help COMMAND is COMMAND --help
	run hull help kill
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "   $rt kill - "* ]] || fail "${lines[1]}"
	[[ "$output" == *--all* ]]
}

@test "an unknown command fails with runc's \"No help topic\" and exit code 3, also with -h and under help" {
	for args in "nosuchcommand" "nosuchcommand -h" "help nosuchcommand"; do
		run hull $args
		[ "$status" -eq 3 ] || fail "$args: exit $status, runc exits 3"
		[[ "$output" == *"No help topic for 'nosuchcommand'"* ]] || fail "$args: $output"
	done
}

@test "an unknown flag fails and names the flag" {
	run hull create --no-such-flag "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *no-such-flag* ]]
	[ ! -e "$ROOT/$CTR" ]
	run hull --no-such-global-flag list
	[ "$status" -ne 0 ]
	[[ "$output" == *no-such-global-flag* ]]
}

@test "an unknown flag gives one line on stderr" {
	requires_hull "runc prints the usage text after the error"
	run --separate-stderr hull create --no-such-flag "$CTR"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *no-such-flag* ]]
}
