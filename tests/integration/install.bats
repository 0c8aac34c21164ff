#!/usr/bin/env bats
# install.bats - `meson install` of hull's build: the binary, hull(8) and a page per command, the bash completion.
# Must never install outside its temp DESTDIR; the flags completion offers and man pages document are the binary's.

load helpers

# The build hull comes from ($HULL's directory, a meson build dir), installed once into a DESTDIR.
setup_file() {
	export INSTALL_BUILD=${INSTALL_BUILD:-$(dirname "$HULL")}
	export DEST=$(mktemp -d /tmp/hull-install.XXXXXX)
	[ -d "$INSTALL_BUILD/meson-info" ] || return 0
	timeout 300 meson install -C "$INSTALL_BUILD" --destdir "$DEST" >"$DEST.log" 2>&1 || echo $? >"$DEST.failed"
	# where each installed file went: {"<build or source path>": "<installed path>"}
	meson introspect "$INSTALL_BUILD" --installed >"$DEST.installed" 2>>"$DEST.log"
	export PREFIX=$(meson introspect "$INSTALL_BUILD" --buildoptions | jq -r '.[] | select(.name == "prefix") | .value')
}

teardown_file() {
	rm -rf "${DEST:?}" "$DEST.log" "$DEST.failed" "$DEST.installed"
}

# Only the container-id test needs a bundle and a state root (setup_hull); the others read installed files.
setup() {
	requires_hull "installs hull's own build"
	[ -d "$INSTALL_BUILD/meson-info" ] || fail "HULL=$HULL is not in a meson build directory"
	[ ! -e "$DEST.failed" ] || fail "meson install --destdir failed: $(cat "$DEST.log")"
	BIN=$DEST$PREFIX/bin/hull
	MAN8=$DEST$PREFIX/share/man/man8
	COMPLETION=$DEST$(jq -r 'to_entries[] | select(.value | endswith("/completions/hull")) | .value' "$DEST.installed")
}

teardown() {
	teardown_hull
}

# commands: the commands `hull --help` lists (runc's layout: under COMMANDS:; "help, h" is no command of
# its own to complete flags for)
commands() {
	"$BIN" --help | awk '/^COMMANDS:/ {on = 1; next} /^$/ {on = 0} on && $1 != "help," {print $1}'
}

# flags_of [CMD]: the flags `hull [CMD] --help` lists (its option lines: "   --name value, -n value   text")
flags_of() {
	"$BIN" $1 --help | awk '/^ +-/ {sub(/^ +/, ""); split($0, col, /  +/); print col[1]}' |
		grep -oE '(^|[ ,])--?[a-z][a-z0-9-]*' | tr -d ' ,' | sort -u
}

# completions WORD...: what the installed completion offers for the last WORD, one per line, from a clean bash
# that sourced it (COMP_WORDS, COMP_CWORD set, _hull called as bash calls it)
completions() {
	env -i PATH="$PATH" HOME="$HOME" bash --norc --noprofile -c '
		source "$1" || exit 99
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_hull "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@" | sed '/^$/d' | sort -u
}

# render PAGE: the man page as man(1) shows it, plain text
render() {
	MANWIDTH=100 man -l "$MAN8/$1.8" 2>&1
}

@test "meson install puts the binary, the man pages and the bash completion under DESTDIR only" {
	[ -x "$BIN" ] || fail "no $BIN; installed: $(cd "$DEST" && find . -type f)"
	run "$BIN" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^hull\ version\  ]] || fail "$output"
	[ -f "$MAN8/hull.8" ] || fail "no hull.8 (go-md2man missing at build time?): $(grep -i md2man "$INSTALL_BUILD/meson-logs/meson-log.txt" | tail -3)"
	[ -f "$MAN8/hull-create.8" ]
	[ -n "$COMPLETION" ] && [ "$COMPLETION" != "$DEST" ] && [ -f "$COMPLETION" ] || fail "no bash completion installed"
	# every file meson says it installs is there, inside DESTDIR
	local n=0 f
	for f in $(jq -r '.[]' "$DEST.installed"); do
		[ -e "$DEST$f" ] || fail "meson installed $f but $DEST$f is missing"
		n=$((n + 1))
	done
	[ "$n" -ge 18 ] || fail "only $n files installed"
}

@test "man -l renders hull(8) and hull-create(8) with their NAME sections" {
	run render hull
	[ "$status" -eq 0 ] || fail "$output"
	[[ "${lines[0]}" =~ ^hull\(8\) ]] || fail "header: ${lines[0]}"
	[[ "$output" == *$'\nNAME\n       hull - an OCI container runtime\n'* ]] || fail "NAME: $output"
	[[ "$output" == *$'\nSYNOPSIS\n'* ]] && [[ "$output" == *$'\nGLOBAL OPTIONS\n'* ]]
	run render hull-create
	[ "$status" -eq 0 ] || fail "$output"
	[[ "${lines[0]}" =~ ^hull-create\(8\) ]] || fail "header: ${lines[0]}"
	[[ "$output" == *$'\nNAME\n       hull-create - create a container\n'* ]] || fail "NAME: $output"
	[[ "$output" == *$'\n       hull create [option ...] container-id\n'* ]] || fail "SYNOPSIS: $output"
}

@test "every command has a man page naming it and documenting each flag its --help lists" {
	local cmds c f top
	cmds=$(commands)
	top=$(render hull)
	[ "$(echo "$cmds" | wc -l)" -ge 15 ] || fail "commands: $cmds"
	for c in $cmds; do
		[ -f "$MAN8/hull-$c.8" ] || fail "no man page for $c"
		run render "hull-$c"
		[ "$status" -eq 0 ] || fail "hull-$c.8: $output"
		[[ "$output" =~ $'\nNAME\n       hull-'$c' - ' ]] || fail "hull-$c.8 NAME: $output"
		for f in $(flags_of "$c"); do
			grep -qE -- "(^|[ ,])$f( |,|$)" <<<"$output" || fail "hull-$c(8) does not document $f"
		done
		# hull(8) names every page
		grep -q "hull-$c(8)" <<<"$top" || fail "hull(8) does not refer to hull-$c(8)"
	done
	for f in $(flags_of); do
		grep -qE -- "(^|[ ,])$f( |,|$)" <<<"$top" || fail "hull(8) does not document the global $f"
	done
	# no page for a command that is not there
	for f in "$MAN8"/hull-*.8; do
		c=${f##*/hull-}
		grep -qx "${c%.8}" <<<"$cmds" || fail "$f documents no command of hull --help"
	done
}

@test "man hull and man hull-create find the installed pages through MANPATH" {
	run env MANPATH="$DEST$PREFIX/share/man" MANWIDTH=100 man 8 hull
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"hull - an OCI container runtime"* ]]
	run env MANPATH="$DEST$PREFIX/share/man" MANWIDTH=100 man hull-create
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"hull-create - create a container"* ]]
}

@test "the bash completion registers _hull for hull and completes the commands" {
	run env -i PATH="$PATH" bash --norc --noprofile -c 'source "$1" && complete -p hull' _ "$COMPLETION"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "complete -F _hull hull" ]
	run completions hull ''
	[ "$output" = "$( (commands; echo help) | sort)" ] || fail "commands offered: $output"
	run completions hull help up
	[ "$output" = update ] || fail "help's topics: $output"
	run completions hull de
	[ "$output" = delete ]
	# after global flags and --root's value, still the commands
	run completions hull --debug --root /tmp ex
	[ "$output" = exec ] || fail "$output"
	run completions hull --log-
	[ "$output" = --log-format ]
	run completions hull --log-format ''
	[ "$output" = "json
text" ]
}

@test "the bash completion completes a command's flags" {
	run completions hull exec --c
	[ "$output" = "--cap
--cgroup
--console-socket
--cwd" ] || fail "$output"
	run completions hull --root /tmp run -d --
	grep -qx -- --keep <<<"$output" && grep -qx -- --bundle <<<"$output" || fail "$output"
	run completions hull list --format ''
	[ "$output" = "json
table" ]
	# a flag's value is not taken for the container id: the flags are still offered after it
	run completions hull exec --user 1000 -
	grep -qx -- --tty <<<"$output" || fail "$output"
	# after exec's container id, the words belong to the process
	run completions hull exec someid ls --
	[[ "$output" != *--tty* ]] || fail "$output"
}

@test "the bash completion completes container ids from hull list -q under the --root given on the line" {
	setup_hull
	create_ctr "$CTR"
	run completions "$BIN" --root "$ROOT" kill ''
	[ "$output" = "$CTR" ] || fail "ids under --root $ROOT: $output"
	run completions "$BIN" --root "$ROOT" exec -t "${CTR:0:6}"
	[ "$output" = "$CTR" ] || fail "$output"
	# --root=DIR, as bash splits it at '='
	run completions "$BIN" --root = "$ROOT" state ''
	[ "$output" = "$CTR" ] || fail "$output"
	# kill's second argument is a signal
	run completions "$BIN" --root "$ROOT" kill "$CTR" KI
	[ "$output" = KILL ]
	# the default root does not hold this test's container
	run completions "$BIN" delete ''
	[[ "$output" != *"$CTR"* ]] || fail "--root not honoured: $output"
	# create and run name a new container: no ids
	run completions "$BIN" --root "$ROOT" create ''
	[ -z "$output" ] || fail "$output"
	hull delete --force "$CTR"
}

@test "every flag the completion offers is one hull --help lists, and every listed flag is offered" {
	local c f out offered listed
	for c in '' $(commands); do
		if [ -z "$c" ]; then
			offered=$(completions hull -)
		else
			offered=$(completions hull "$c" -)
		fi
		[ -n "$offered" ] || fail "no flags offered for '$c'"
		# --help and -h are every command's (cli_parse), though only `hull --help` lists them
		listed=$( (flags_of $c; echo --help; echo -h) | sort -u)
		[ "$offered" = "$listed" ] || fail "hull $c: completion and --help differ: $(diff <(echo "$listed") <(echo "$offered") | grep '^[<>]' | tr '\n' ' ')"
		# and the binary takes each of them: not "flag provided but not defined"
		for f in $offered; do
			out=$(cd "$BATS_TEST_TMPDIR" && "$BIN" --root "$BATS_TEST_TMPDIR/root" $c "$f" x y z 2>&1 </dev/null) || true
			[[ "$out" != *"flag provided but not defined"* ]] || fail "hull $c $f: $out"
		done
	done
}
