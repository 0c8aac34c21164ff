#!/usr/bin/env bats
# container.bats - `hull container` through a container's life, side by side with podman (runc as its runtime) on
# the same image and flags: output, exit codes, logs, states, errors, and nothing left behind after rm.
# Must never use a network of the host's: every container here runs with --network none.

bats_require_minimum_version 1.5.0
load lib/engine

setup_file() { engine_setup_file; }
teardown_file() { engine_teardown_file; }

@test "run_prints_stdout_and_stderr_and_exits_with_the_command's_code" {
	both "$IMAGE" sh -c 'echo out; echo err >&2; exit 3'
	same
	[ "$hrc" = 3 ]
	[ "$hout" = out ]
	[ "$herr" = err ]
	no_leftovers
}

@test "run_gives_the_process_what_podman_gives_it: user, cwd, argv, hostname file" {
	both -w /tmp -e FOO=bar -u 1000:1000 "$IMAGE" sh -c 'id -u; id -g; id -G; pwd; echo "$FOO $0 $1"; cat /proc/self/cmdline | tr "\0" " "' x y
	same
	both --entrypoint /bin/echo "$IMAGE" a b
	same
	[ "$hout" = "a b" ]
	both --hostname box "$IMAGE" sh -c 'hostname; cat /etc/hostname'
	same
	[ "$hout" = "box"$'\n'"box" ]
	no_leftovers
}

@test "run_sees_the_same_devices_and_mounts_kinds_as_podman" {
	both "$IMAGE" sh -c 'ls /dev | sort | tr "\n" " "'
	same
	both "$IMAGE" sh -c 'ip -o link | cut -d: -f2 | tr -d " "'
	same
	[ "$hout" = lo ]
	both "$IMAGE" sh -c 'cat /proc/1/status | grep -E "^(NoNewPrivs|Seccomp):"'
	[ "$hrc" = 0 ]
	grep -q 'Seccomp:.2' <<<"$hout" || fail "no seccomp filter in hull's container: $hout"
}

@test "missing_and_unrunnable_commands_exit_127_and_126_as_podman" {
	both "$IMAGE" /no/such/command
	[ "$hrc" = 127 ] && [ "$prc" = 127 ] || fail "hull $hrc ($herr), podman $prc ($perr)"
	both "$IMAGE" /etc/passwd
	[ "$hrc" = 126 ] && [ "$prc" = 126 ] || fail "hull $hrc ($herr), podman $prc ($perr)"
	no_leftovers
}

@test "detached_run_then_wait_logs_and_rm" {
	id=$(hc run -d --name det --network none "$IMAGE" sh -c 'echo one; echo two >&2; sleep 0.3; exit 5')
	[ "${#id}" = 64 ]
	[ "$(hc wait det)" = 5 ]
	[ "$(state_of det)" = exited ]
	[ "$(hc logs det 2>/dev/null)" = one ]
	[ "$(hc logs det 2>&1 >/dev/null)" = two ]
	hc ls -a | grep -q 'Exited (5)'
	run hc ls
	! grep -q det <<<"$output"
	hc rm det
	no_leftovers
}

@test "containers_are_found_by_name_and_id_prefix; unknown ones exit 125" {
	id=$(hc create --name byname --network none "$IMAGE" true)
	[ "$(state_of byname)" = created ]
	[ "$(state_of "${id:0:12}")" = created ]
	[ "$(hc inspect "${id:0:5}" | jq -r '.[0].Name')" = byname ]
	run hc inspect nosuchcontainer
	[ "$status" = 125 ]
	[[ "$output" == *'no container with name or ID "nosuchcontainer" found: no such container'* ]]
	run hc create --name byname --network none "$IMAGE" true
	[ "$status" = 125 ]
	[[ "$output" == *'the container name "byname" is already in use'* ]]
	hc rm byname
	no_leftovers
}

@test "start_runs_a_created_container; restart runs it again" {
	hc create --name st --network none "$IMAGE" sh -c 'echo ran; exit 4' >/dev/null
	hc start st
	[ "$(hc wait st)" = 4 ]
	hc restart st
	[ "$(hc wait st)" = 4 ]
	[ "$(hc logs st)" = "ran"$'\n'"ran" ]
	hc rm st
	no_leftovers
}

@test "stop_sends_the_stop_signal_then_SIGKILL_after_the_timeout, as podman" {
	hc run -d --name trapper --network none "$IMAGE" sh -c 'trap "echo got TERM; exit 42" TERM; while :; do sleep 0.05; done' >/dev/null
	wait_for sh -c "$HULL container --storage $STORE logs trapper; true"
	sleep 0.3
	hc stop -t 5 trapper
	[ "$(hc inspect trapper | jq -r '.[0].State.ExitCode')" = 42 ]
	[ "$(hc logs trapper)" = "got TERM" ]
	hc run -d --name stubborn --network none "$IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.05; done' >/dev/null
	sleep 0.3
	start=$SECONDS
	hc stop -t 1 stubborn
	[ "$(hc inspect stubborn | jq -r '.[0].State.ExitCode')" = 137 ]
	[ $((SECONDS - start)) -lt 5 ]
	pm run -d --name stubborn "$IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.05; done' >/dev/null
	sleep 0.3
	pm stop -t 1 stubborn >/dev/null
	[ "$(pm inspect stubborn --format '{{.State.ExitCode}}')" = 137 ]
	pm rm stubborn >/dev/null
	hc rm trapper stubborn
	no_leftovers
}

@test "kill_sends_the_signal_to_the_container's_process" {
	hc run -d --name killme --network none "$IMAGE" sh -c 'trap "echo usr1; exit 7" USR1; while :; do sleep 0.05; done' >/dev/null
	sleep 0.3
	hc kill -s USR1 killme
	[ "$(hc wait killme)" = 7 ]
	[ "$(hc logs killme)" = usr1 ]
	run hc kill killme
	[ "$status" = 125 ]
	[[ "$output" == *"can only kill running containers"* ]]
	hc rm killme
	no_leftovers
}

@test "rm_refuses_a_running_container_without_force; rm -f stops and removes it" {
	hc run -d --name busy --network none "$IMAGE" sleep 1000 >/dev/null
	run hc rm busy
	[ "$status" = 2 ] || fail "rm of a running container: $status (podman: 2)"
	[[ "$output" == *"cannot remove container"*"as it is running"* ]]
	[ "$(state_of busy)" = running ]
	hc rm -f busy
	no_leftovers
}

@test "rm_exits_as_podman's_rm: 1 for a container not found, 0 with -f, 2 for a running one" {
	local e codes=()
	for e in hc pm; do
		$e run -d --name busy2 --network none "$IMAGE" sleep 1000 >/dev/null
		local c1=0 c2=0 c3=0
		$e rm nosuch 2>/dev/null || c1=$?
		$e rm -f nosuch 2>/dev/null || c2=$?
		$e rm busy2 2>/dev/null || c3=$?
		codes+=("$c1 $c2 $c3")
		[ $e = hc ] && hc rm -f busy2 >/dev/null || pm rm -f -t 0 busy2 >/dev/null
	done
	[ "${codes[0]}" = "${codes[1]}" ] || fail "hull: ${codes[0]}, podman: ${codes[1]}"
	[ "${codes[0]}" = "1 0 2" ]
	no_leftovers
}

@test "exec_runs_in_the_running_container_with_podman's_output_and_exit_code" {
	hc run -d --name ex --network none "$IMAGE" sleep 1000 >/dev/null
	pm run -d --name ex "$IMAGE" sleep 1000 >/dev/null
	hrc=0 prc=0
	hout=$(hc exec -e X=1 -w /tmp ex sh -c 'echo "$X $(pwd) $(hostname | wc -c)"; exit 6') || hrc=$?
	pout=$(pm exec -e X=1 -w /tmp ex sh -c 'echo "$X $(pwd) $(hostname | wc -c)"; exit 6') || prc=$?
	same
	status=0
	hc exec ex /no/such 2>/dev/null || status=$?
	[ "$status" = 127 ] || [ "$status" = 126 ] || fail "exec of a missing command: $status"
	pm rm -f -t 0 ex >/dev/null
	hc rm -f ex
	run hc exec ex true
	[ "$status" = 125 ]
	no_leftovers
}

@test "rm_flag_removes_the_container_when_it_exits, also detached" {
	hc run -d --rm --name gone --network none "$IMAGE" sh -c 'sleep 0.2' >/dev/null
	wait_for sh -c "! $HULL container --storage $STORE inspect gone >/dev/null 2>&1"
	no_leftovers
}

@test "restart_on_failure_restarts_up_to_N_times" {
	hc run -d --name flaky --restart on-failure:2 --network none "$IMAGE" sh -c 'echo try; exit 1' >/dev/null
	wait_for sh -c "[ \"\$($HULL container --storage $STORE inspect flaky | jq -r '.[0].RestartCount')\" = 2 ] && [ \"\$($HULL container --storage $STORE inspect flaky | jq -r '.[0].State.Status')\" = exited ]"
	[ "$(hc logs flaky | grep -c try)" = 3 ]
	hc rm flaky
	no_leftovers
}

@test "logs_tail_and_follow" {
	hc run -d --name chatty --network none "$IMAGE" sh -c 'for i in 1 2 3 4 5; do echo line$i; done; sleep 0.5; echo late' >/dev/null
	wait_for sh -c "$HULL container --storage $STORE logs chatty | grep -q line5"
	[ "$(hc logs --tail 2 chatty)" = "line4"$'\n'"line5" ]
	out=$(timeout 10 "$HULL" container --storage "$STORE" logs -f chatty)
	[ "$(tail -n 1 <<<"$out")" = late ]
	[ "$(wc -l <<<"$out")" = 6 ]
	hc logs -t chatty | head -n 1 | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z line1$'
	hc rm chatty
	no_leftovers
}

@test "logs_keep_100MB_of_stdout_whole" {
	hc run --name big --network none "$IMAGE" sh -c 'head -c 75000000 /dev/urandom | base64' >"$BATS_TEST_TMPDIR/direct"
	size=$(stat -c %s "$BATS_TEST_TMPDIR/direct")
	[ "$size" -gt 100000000 ]
	hc logs big >"$BATS_TEST_TMPDIR/logged"
	cmp "$BATS_TEST_TMPDIR/direct" "$BATS_TEST_TMPDIR/logged"
	hc rm big
	no_leftovers
}

@test "log_rotation_keeps_the_configured_size" {
	hc run --name rot --log-opt max-size=100k --network none "$IMAGE" sh -c 'i=0; while [ $i -lt 5000 ]; do echo "line $i of the rotating log"; i=$((i+1)); done' >/dev/null
	dir=$(hc inspect rot | jq -r '.[0].LogPath')
	[ "$(stat -c %s "$dir")" -le 102400 ]
	hc logs rot | tail -n 1 | grep -q 'line 4999 of'
	hc rm rot
	no_leftovers
}

@test "ls_shows_running_containers; -a all; json has podman's fields" {
	hc run -d --name up1 --network none "$IMAGE" sleep 1000 >/dev/null
	hc create --name made1 --network none "$IMAGE" true >/dev/null
	run hc ls
	[[ "$output" == *up1* ]] && [[ "$output" != *made1* ]]
	[[ "$output" == *"Up "* ]]
	run hc ls -a
	[[ "$output" == *made1*Created* ]] || [[ "$output" == *Created*made1* ]]
	# Docker's table: columns aligned under their heads, at least 3 spaces apart, however long a cell
	awk 'NR == 1 {h = index($0, "NAMES"); c = index($0, "CREATED"); s = index($0, "STATUS"); next}
		substr($0, h - 3, 3) != "   " || substr($0, h, 1) == " " || substr($0, s - 3, 3) != "   " ||
		substr($0, c, 1) == " " {print "misaligned: " $0; bad = 1} END {exit bad}' <<<"$output"
	hc ls -a --format json | jq -e 'length == 2 and all(.[]; has("Id") and has("Names") and has("State") and has("Status") and has("Image") and has("Command"))'
	[ "$(hc ls -a --format json | jq -r '.[] | select(.Names[0] == "up1") | .State')" = running ]
	hc rm -f up1 made1
	no_leftovers
}

@test "prune_removes_every_container_that_does_not_run" {
	hc run --name p1 --network none "$IMAGE" true
	hc create --name p2 --network none "$IMAGE" true >/dev/null
	hc run -d --name p3 --network none "$IMAGE" sleep 1000 >/dev/null
	hc prune -f
	[ "$(hc ls -a -q | wc -l)" = 1 ]
	[ "$(state_of p3)" = running ]
	hc rm -f p3
	no_leftovers
}

@test "a_memory_limit_is_seen_inside_as_podman_sets_it" {
	both -m 64m "$IMAGE" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
	same
	[ "$hout" = 67108864 ]
}

@test "kill_-9_of_the_monitor: ls, stop and rm -f still work, nothing leaks" {
	hc run -d --name orphan --network none "$IMAGE" sleep 1000 >/dev/null
	mon=$(hc inspect orphan | jq -r '.[0].State.Pid')
	monitor=$(jq -r .monitor "$STORE/containers/$(hc inspect orphan | jq -r '.[0].Id')/status.json")
	[ "$(cat /proc/$monitor/comm)" = hull-monitor ]
	kill -9 "$monitor"
	sleep 0.2
	[ "$(state_of orphan)" = running ]
	kill -0 "$mon"
	hc rm -f orphan
	! kill -0 "$mon" 2>/dev/null
	no_leftovers
}

@test "kill_-9_of_a_foreground_run: the container goes on under its monitor; rm -f cleans up" {
	"$HULL" container --storage "$STORE" run --name fg --network none "$IMAGE" sleep 1000 >/dev/null 2>&1 &
	pid=$!
	wait_for sh -c "[ \"\$($HULL container --storage $STORE inspect fg 2>/dev/null | jq -r '.[0].State.Status')\" = running ]"
	kill -9 "$pid"
	wait "$pid" || true
	[ "$(state_of fg)" = running ]
	hc rm -f fg
	no_leftovers
}

@test "a_half_made_container_whose_maker_died_is_removed_by_the_next_command" {
	id=$(hc create --name half --network none "$IMAGE" true)
	rm "$STORE/containers/$id/status.json"
	run hc ls -a
	[[ "$output" != *half* ]]
	no_leftovers
}

@test "runtime_flag_runs_the_container_under_runc's_command_line" {
	command -v runc >/dev/null || skip "no runc"
	hrc=0
	hout=$(hc run --rm --runtime runc --network none "$IMAGE" sh -c 'echo via runc; exit 4') || hrc=$?
	[ "$hrc" = 4 ] && [ "$hout" = "via runc" ]
	hc run -d --name viarunc --runtime runc --network none "$IMAGE" sleep 1000 >/dev/null
	[ -n "$(runc --root "$STORE/runtime-runc" list -q)" ] || fail "runc does not know the container"
	[ "$(hc exec viarunc sh -c 'echo $((2 + 3))')" = 5 ]
	[ "$(hc inspect viarunc | jq -r '.[0].HostConfig.Runtime')" = "$(command -v runc)" ]
	hc rm -f viarunc
	[ -z "$(runc --root "$STORE/runtime-runc" list -q)" ]
	run -127 hc run --rm --runtime runc --network none "$IMAGE" /no/such
	run hc run --rm --runtime /no/such/runtime --network none "$IMAGE" true
	[ "$status" = 125 ]
	no_leftovers
}

@test "an_image_a_container_stands_on_is_kept_by_image_rm_and_prune" {
	hc create --name onimage --network none "$IMAGE" true >/dev/null
	run "$HULL" image --storage "$STORE" rm "$IMAGE"
	[ "$status" != 0 ]
	[[ "$output" == *"is in use by container onimage"* ]]
	"$HULL" image --storage "$STORE" prune -a 2>/dev/null
	"$HULL" image --storage "$STORE" inspect "$IMAGE" >/dev/null
	hc start onimage >/dev/null
	[ "$(hc wait onimage)" = 0 ]
	hc rm onimage
	no_leftovers
}

@test "top_and_stats_show_the_container's_processes_and_use" {
	hc run -d --name tp --network none "$IMAGE" sleep 1000 >/dev/null
	hc top tp | grep -q 'sleep 1000'
	out=$(hc stats --no-stream tp)
	grep -q 'CONTAINER ID' <<<"$out"
	[ "$(awk '$2 == "tp" {print $NF}' <<<"$out")" = 1 ]
	hc rm -f tp
	no_leftovers
}

@test "attach_relays_stdin_and_output_and_ends_with_the_exit_code" {
	hc run -d -i --name at --network none "$IMAGE" sh -c 'read line; echo "got $line"; exit 6' >/dev/null
	status=0
	out=$(echo hello | timeout 20 "$HULL" container --storage "$STORE" attach at) || status=$?
	[ "$status" = 6 ]
	[ "$out" = "got hello" ]
	[ "$(hc logs at)" = "got hello" ]
	hc rm at
	no_leftovers
}

@test "tty_gives_the_process_a_terminal, as podman's -t" {
	command -v script >/dev/null || skip "no script(1)"
	out=$(script -qec "$HULL container --storage $STORE run --rm -t --network none $IMAGE sh -c 'tty; test -t 0 && echo stdin-tty'" /dev/null </dev/null | tr -d '\r')
	grep -qx '/dev/pts/0' <<<"$out" || fail "no terminal: $out"
	grep -qx 'stdin-tty' <<<"$out"
	no_leftovers
}

# exec -u beside podman's: names resolved in the container's own /etc/passwd and /etc/group (a group added to the
# running container's /etc/group after start counts, as podman reads the files at exec time), numeric ids passed
# through, a missing user or group refused with podman's words and exit code (255: its exec's, not 125)
@test "exec_user_names_resolve_in_the_container's_passwd_and_group_as_podman" {
	hc run -d --name xu --network none "$IMAGE" sleep 1000 >/dev/null
	pm run -d --name xu "$IMAGE" sleep 1000 >/dev/null
	hc exec xu sh -c 'echo "extra:x:4242:nobody,root" >>/etc/group'
	pm exec xu sh -c 'echo "extra:x:4242:nobody,root" >>/etc/group'
	local u
	for u in nobody root 65534 1000:1000 1000 root:nogroup nobody:tty 0:65534; do
		hrc=0 prc=0
		hout=$(hc exec -u "$u" xu sh -c 'id; id -G; echo "$HOME"' 2>&1) || hrc=$?
		pout=$(pm exec -u "$u" xu sh -c 'id; id -G; echo "$HOME"' 2>&1) || prc=$?
		same || fail "-u $u"
	done
	# the supplementary group really is there, and -e HOME wins over the passwd entry's
	[ "$(hc exec -u nobody xu id -G)" = "65534 4242" ]
	[ "$(hc exec -u nobody -e HOME=/h xu sh -c 'echo $HOME')" = /h ]
	for u in nosuchuser nobody:nosuchgroup; do
		hrc=0 prc=0
		hout=$(hc exec -u "$u" xu id 2>&1) || hrc=$?
		pout=$(pm exec -u "$u" xu id 2>&1) || prc=$?
		[ "$hrc" = "$prc" ] || fail "-u $u: hull $hrc ($hout), podman $prc ($pout)"
		[ "${hout#hull: }" = "${pout#Error: }" ] || fail "-u $u: hull [$hout], podman [$pout]"
	done
	[ "$hrc" = 255 ]
	pm rm -f -t 0 xu >/dev/null
	hc rm -f xu
	no_leftovers
}

# exec_codes_as_podman HULL_CTR PODMAN_CTR: a missing command (a path, a bare name) and unrunnable files (a file
# without x, a directory) exit as podman's exec makes them; the last codes in $hrc, $prc
exec_codes_as_podman() {
	local cmd
	for cmd in /no/such nosuch /etc/passwd /tmp; do
		hrc=0 prc=0
		hc exec "$1" "$cmd" 2>/dev/null || hrc=$?
		pm exec "$2" "$cmd" 2>/dev/null || prc=$?
		[ "$hrc" = "$prc" ] || fail "exec $cmd in $1: hull $hrc, podman $prc"
	done
}

@test "exec_of_a_missing_command_exits_127_and_of_an_unrunnable_file_126_as_podman" {
	hc run -d --name xc --network none "$IMAGE" sleep 1000 >/dev/null
	pm run -d --name xc "$IMAGE" sleep 1000 >/dev/null
	exec_codes_as_podman xc xc
	[ "$hrc" = 126 ]
	hrc=0
	hc exec xc /no/such 2>/dev/null || hrc=$?
	[ "$hrc" = 127 ]
	# the container's own exit code is passed on, not mapped
	hrc=0
	hc exec xc sh -c 'exit 127' || hrc=$?
	[ "$hrc" = 127 ]
	# the same under --runtime runc, whose exec hull runs (the codes read from its log)
	hc run -d --name xr --runtime runc --network none "$IMAGE" sleep 1000 >/dev/null
	exec_codes_as_podman xr xc
	hrc=0
	hc exec xr sh -c 'exit 7' || hrc=$?
	[ "$hrc" = 7 ]
	[ "$(hc exec -u nobody xr id)" = "$(pm exec -u nobody xc id)" ]
	[ -z "$(ls "$STORE/containers"/*/ | grep '^exec-')" ] || fail "exec logs left"
	hc rm -f xr >/dev/null
	pm rm -f -t 0 xc >/dev/null
	hc rm -f xc
	no_leftovers
}

# The monitor takes a client's stdin without blocking: a container that never reads it (several MB behind it, far
# past a pipe's 64 KiB) still has its output logged, stops promptly with its exit code recorded, and is removed; a
# container that reads gets every byte intact, as podman's
@test "stdin_a_container_does_not_read_stalls_nothing_and_a_reader_gets_every_byte" {
	head -c 8000000 /dev/urandom >"$BATS_TEST_TMPDIR/big"
	timeout 60 "$HULL" container --storage "$STORE" run -i --name si --network none "$IMAGE" \
		sh -c 'echo started; sleep 2; echo later; sleep 1000' <"$BATS_TEST_TMPDIR/big" >"$BATS_TEST_TMPDIR/run.out" 2>&1 &
	local run=$!
	wait_for grep -q started "$BATS_TEST_TMPDIR/run.out"
	wait_for sh -c "'$HULL' container --storage '$STORE' logs si | grep -q later"
	local t0=$SECONDS
	timeout 20 "$HULL" container --storage "$STORE" stop -t 1 si >/dev/null
	[ $((SECONDS - t0)) -le 5 ] || fail "stop took $((SECONDS - t0)) s"
	local rc=0
	wait "$run" || rc=$?
	[ "$rc" = 137 ] || fail "run -i exited $rc: $(cat "$BATS_TEST_TMPDIR/run.out")"
	[ "$(hc inspect si | jq -r '.[0].State.ExitCode')" = 137 ]
	[ "$(hc logs si)" = "started"$'\n'"later" ]
	timeout 10 "$HULL" container --storage "$STORE" rm si >/dev/null
	hout=$(hc run -i --rm --network none "$IMAGE" sh -c 'md5sum; wc -c </dev/null' <"$BATS_TEST_TMPDIR/big")
	pout=$(pm run -i --rm --network none "$IMAGE" sh -c 'md5sum; wc -c </dev/null' <"$BATS_TEST_TMPDIR/big")
	[ "$hout" = "$pout" ] || fail "hull [$hout], podman [$pout]"
	[ "${hout%% *}" = "$(md5sum <"$BATS_TEST_TMPDIR/big" | cut -d' ' -f1)" ]
	no_leftovers
}

# --runtime runc with -t: the monitor listens on a console socket, runc create sends it the pty master; the process
# sees a terminal of the starting command's size, as under libhull and podman (whose run -t this is, on runc); exec -t
# is runc's own terminal. (Before: refused.)
# tty_out CMD...: CMD under ttyhelper (a 30x100 terminal), its output without CRs in $out, its exit code in $rc
tty_out() {
	local tty=${TTYHELPER:-$(dirname "$HULL")/tests/helpers/ttyhelper}
	[ -x "$tty" ] || fail "no ttyhelper at $tty (ninja -C build-dev)"
	rc=0
	"$tty" run -s 30x100 -- "$@" </dev/null >"$BATS_TEST_TMPDIR/tty.out" || rc=$?
	out=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
}

@test "run_t_under_runtime_runc_gives_a_terminal_as_libhull_and_podman" {
	local cmd='tty; stty size; test -t 0 && echo stdin-tty; exit 3' want=$'/dev/pts/0\n30 100\nstdin-tty'
	tty_out "$HULL" container --storage "$STORE" run --rm -t --runtime runc --network none "$IMAGE" sh -c "$cmd"
	[ "$rc" = 3 ] && [ "$out" = "$want" ] || fail "runc: exit $rc: [$out]"
	tty_out "$HULL" container --storage "$STORE" run --rm -t --network none "$IMAGE" sh -c "$cmd"
	[ "$rc" = 3 ] && [ "$out" = "$want" ] || fail "libhull: exit $rc: [$out]"
	tty_out env CONTAINERS_CONF="$PODMAN_CONF" podman --root "$PODMAN_ROOT" --runroot "$PODMAN_RUN" --runtime runc \
		--cgroup-manager cgroupfs --events-backend file run --rm -t --network none "$IMAGE" sh -c "$cmd"
	[ "$rc" = 3 ] && [ "$out" = "$want" ] || fail "podman: exit $rc: [$out]"
	hc run -d --name rtt --runtime runc --network none "$IMAGE" sleep 1000 >/dev/null
	tty_out "$HULL" container --storage "$STORE" exec -t rtt sh -c "$cmd"
	[ "$rc" = 3 ] && [ "$out" = "$want" ] || fail "exec -t: exit $rc: [$out]"
	hc rm -f rtt >/dev/null
	no_leftovers
}
