#!/usr/bin/env bats
# Terminals: the pty master over --console-socket (received by tests/helpers/ttyhelper, as conmon or
# runc's recvtty would), and hull as the console itself for a person at a terminal (run -t, exec -t).
# Each is checked from both ends: what the container sees (tty, stty size, /dev/console) and what the
# receiver gets (the fd, its name, the bytes).

load helpers

terminal_on() {
	update_config '.process.terminal = true'
}

@test "create --console-socket sends a pty master that talks to the container" {
	terminal_on
	update_config '.process.consoleSize = {"height": 33, "width": 77}'
	set_cmd sh -c 'echo tty=$(tty); stty size; read line; echo got=$line'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console" -i 'hello there\n'
	run hull_detached create --console-socket "$TESTDIR/console.sock" "$CTR"
	[ "$status" -eq 0 ] || fail "create: $output"
	hull start "$CTR"
	tty_wait "$TESTDIR/console"
	out=$(tr -d '\r' <"$TESTDIR/console")
	[[ "$out" == *"tty=/dev/pts/0"* ]] || fail "the process's tty: $out"
	[[ "$out" == *$'\n33 77\n'* ]] || fail "consoleSize not applied: $out"
	[[ "$out" == *"got=hello there"* ]] || fail "typed input did not arrive: $out"
	# runc's protocol: the name is sent as the message, the fd is a pty master (TIOCGPTN works)
	[ "$(sed -n 1p "$TESTDIR/console.name")" = /dev/ptmx ]
	[[ "$(sed -n 2p "$TESTDIR/console.name")" =~ ^[0-9]+$ ]]
	hull delete "$CTR"
}

# create, start; the receiver sees the terminal close when the process is gone
create_start_console() {
	run hull_detached create --console-socket "$TESTDIR/console.sock" "$CTR"
	[ "$status" -eq 0 ] || fail "create: $output"
	hull start "$CTR"
	tty_wait "$TESTDIR/console"
}

@test "a shell session over the console socket" {
	terminal_on
	set_cmd sh
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console" -i 'echo $((6 * 7))x\nexit 5\n'
	create_start_console
	grep -q '^42x' "$TESTDIR/console" || fail "the shell did not answer: $(cat "$TESTDIR/console")"
	wait_for_status "$CTR" stopped
}

@test "run --console-socket in the foreground returns the process's status" {
	requires_hull "runc takes a console socket only when it detaches"
	terminal_on
	set_cmd sh -c 'exit 5'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console"
	run hull run --console-socket "$TESTDIR/console.sock" "$CTR"
	[ "$status" -eq 5 ]
	tty_wait "$TESTDIR/console"
}

@test "/dev/console is the container's pty and the process leads its session" {
	terminal_on
	set_cmd sh -c 'echo console=$(stat -c %t:%T /dev/console) tty=$(stat -c %t:%T $(tty)); echo sid=$(cut -d" " -f6 /proc/self/stat) pid=$$'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console"
	create_start_console
	out=$(tr -d '\r' <"$TESTDIR/console")
	line=$(echo "$out" | grep '^console=')
	[ "${line#console=* }" = "tty=${line#console=}" ] || [ "${line%% *}" = "console=${line##*tty=}" ] || fail "$line"
	# pts devices are major 136 (0x88)
	[[ "$line" == "console=88:"* ]] || fail "/dev/console is not a pts: $line"
	sid=$(echo "$out" | sed -n 's/^sid=\([0-9]*\) pid=\([0-9]*\)$/\1 \2/p')
	[ "${sid% *}" = "${sid#* }" ] || fail "not a session leader: $out"
}

@test "a window size change through the console socket reaches the process as SIGWINCH" {
	terminal_on
	set_cmd sh -c 'trap "stty size; exit 0" WINCH; echo READY; while :; do sleep 0.1; done'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console" -s 20x60 -W READY -w 50x120
	create_start_console
	grep -q '^50 120' "$TESTDIR/console" || fail "$(cat "$TESTDIR/console")"
}

@test "run -t without a console socket: hull relays the terminal, returns the status, restores the terminal" {
	terminal_on
	set_cmd sh -c 'echo tty=$(tty); stty size; read line; echo got=$line; exit 4'
	tty_run -s 20x60 -i 'abc\n' -r "$TESTDIR/restored" -- run "$CTR"
	[ "$status" -eq 4 ] || fail "status $status: $output"
	[[ "$output" == *"tty=/dev/pts/0"* ]]
	# the size of hull's own terminal is copied to the container's before the process starts (runc
	# copies it later, racing the process)
	if is_hull; then
		[[ "$output" == *$'\n20 60\n'* ]] || fail "$output"
	fi
	[[ "$output" == *"got=abc"* ]]
	[ "$(cat "$TESTDIR/restored")" = restored ]
	assert_nothing_left "$CTR"
}

@test "run -t: a resize of hull's terminal reaches the container" {
	terminal_on
	set_cmd sh -c 'trap "stty size; exit 0" WINCH; echo READY; while :; do sleep 0.1; done'
	tty_run -s 20x60 -W READY -w 50x120 -- run "$CTR"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[[ "$output" == *$'\n50 120'* ]] || fail "$output"
}

@test "run -t: ^C typed at hull's terminal interrupts the container's foreground process" {
	terminal_on
	set_cmd sh -c 'trap "echo interrupted; exit 9" INT; echo READY; while :; do sleep 0.1; done'
	tty_run -W READY -I '\x03' -- run "$CTR"
	[ "$status" -eq 9 ] || fail "status $status: $output"
	[[ "$output" == *interrupted* ]]
}

@test "exec -t relays a terminal for the new process and follows resizes" {
	set_cmd sleep 1000
	run_d "$CTR"
	tty_run -s 20x60 -W READY -w 44x99 -- exec -t "$CTR" sh -c 'tty; stty size; trap "stty size; exit 6" WINCH; echo READY; while :; do sleep 0.1; done'
	[ "$status" -eq 6 ] || fail "status $status: $output"
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *$'\n20 60\n'* ]] || fail "$output"
	[[ "$output" == *$'\n44 99'* ]] || fail "$output"
}

@test "exec -t ends when its piped stdin ends (^D is typed)" {
	requires_hull "runc leaves the process waiting on its terminal"
	set_cmd sleep 1000
	run_d "$CTR"
	# a reader in the terminal's cooked mode, where ^D is end-of-file (a line editor's raw mode may
	# swallow it, as it does on a real terminal after the line buffer was flushed)
	run bash -c "printf 'a\nb\n' | env '$TAG' timeout -s KILL 20 '$HULL' --root '$ROOT' exec -t '$CTR' sh -c 'while read l; do echo got-\$l; done; echo eof'"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[[ "$output" == *got-b*eof* ]] || fail "$output"
}

@test "exec -d --console-socket hands the master to the receiver and writes --pid-file" {
	set_cmd sleep 1000
	run_d "$CTR"
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console" -i 'ping\n'
	run hull exec -d -t --console-socket "$TESTDIR/console.sock" --pid-file "$TESTDIR/exec.pid" "$CTR" \
		sh -c 'read x; echo pong-$x; tty'
	[ "$status" -eq 0 ] || fail "$output"
	[ -s "$TESTDIR/exec.pid" ]
	tty_wait "$TESTDIR/console"
	grep -q '^pong-ping' "$TESTDIR/console" || fail "$(cat "$TESTDIR/console")"
	grep -q '^/dev/pts/[0-9]' "$TESTDIR/console"
	[ "$(sed -n 1p "$TESTDIR/console.name")" = /dev/ptmx ]
}

@test "exec --process with terminal true uses the console socket" {
	set_cmd sleep 1000
	run_d "$CTR"
	cat >"$TESTDIR/process.json" <<'EOF'
{"terminal": true, "user": {"uid": 0, "gid": 0}, "cwd": "/tmp", "env": ["PATH=/bin:/usr/bin", "X=1"],
 "args": ["sh", "-c", "echo x=$X cwd=$(pwd) tty=$(tty)"]}
EOF
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console"
	run hull exec -d --console-socket "$TESTDIR/console.sock" --process "$TESTDIR/process.json" "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	tty_wait "$TESTDIR/console"
	grep -q '^x=1 cwd=/tmp tty=/dev/pts/' "$TESTDIR/console" || fail "$(cat "$TESTDIR/console")"
}

@test "a terminal without a console socket is refused when detached; a socket without a terminal too" {
	terminal_on
	set_cmd true
	run hull_detached run -d "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *console?socket* ]] || fail "$output"
	assert_nothing_left "$CTR"
	update_config '.process.terminal = false'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console"
	run hull_detached create --console-socket "$TESTDIR/console.sock" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"terminal is false"* || "$output" == *"will not detach or allocate tty"* ]] || fail "$output"
	# refused before connecting: the receiver is still waiting for its first connection
	kill -0 "$(cat "$TESTDIR/console.pid")"
	[ ! -s "$TESTDIR/console.name" ]
	kill "$(cat "$TESTDIR/console.pid")"
	assert_nothing_left "$CTR"
}

@test "a console socket nobody listens on fails create cleanly" {
	terminal_on
	set_cmd true
	run hull_detached create --console-socket "$TESTDIR/nobody.sock" "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *nobody.sock* ]] || fail "$output"
	assert_nothing_left "$CTR"
}

@test "the pty belongs to the process's user, in run and exec, with devpts' tty group" {
	terminal_on
	update_config '.process.user = {uid: 1000, gid: 100}'
	set_cmd sh -c 'stat -c %u:%g $(tty)'
	tty_run -- run "$CTR"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[[ "$output" == *"1000:5"* ]] || fail "$output"
	set_cmd sleep 1000
	update_config '.process.terminal = false | .process.user = {uid: 0, gid: 0}'
	run_d "$CTR2"
	tty_run -- exec -t --user 1000:100 "$CTR2" sh -c 'stat -c %u:%g $(tty)'
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[[ "$output" == *"1000:5"* ]] || fail "$output"
}
