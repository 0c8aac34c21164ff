#!/usr/bin/env bats
# Docker (dockerd 20.10 and its containerd) driving hull as a registered runtime, checked against runc:
# every check runs with --runtime runc and --runtime hull, and hull must behave as runc does.

load docker

setup_file() {
	docker_setup_file || {
		[ -n "${DT:-}" ] && [ -f "$DT/dockerd.log" ] && tail -40 "$DT/dockerd.log" >&2
		docker_teardown_file
		return 1
	}
}

teardown_file() {
	docker_teardown_file
}

setup() {
	docker_setup
}

teardown() {
	docker_teardown
}

@test "docker run prints the command's stdout and stderr" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run --separate-stderr drun "$rt" "$IMG" sh -c 'echo out-$((6 * 7)); echo err >&2'
		[ "$status" -eq 0 ] || fail "$rt: status $status: $output $stderr"
		[ "$output" = out-42 ] || fail "$rt: stdout: $output"
		[ "$stderr" = err ] || fail "$rt: stderr: $stderr"
	done
}

@test "docker run returns the container's exit code" {
	local rt code
	for rt in "${RUNTIMES[@]}"; do
		for code in 0 3 255; do
			run drun "$rt" "$IMG" sh -c "exit $code"
			[ "$status" -eq "$code" ] || fail "$rt: exit $code gave $status: $output"
		done
	done
}

@test "docker run of a missing command exits 127, of a non-executable file 126, as with runc" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		status=0
		output=$(drun "$rt" "$IMG" /no/such/cmd 2>&1) || status=$?
		[ "$status" -eq 127 ] || fail "$rt: missing absolute command gave $status: $output"
		status=0
		output=$(drun "$rt" "$IMG" nosuchcmd 2>&1) || status=$?
		[ "$status" -eq 127 ] || fail "$rt: missing command in PATH gave $status: $output"
		status=0
		output=$(drun "$rt" "$IMG" /etc/passwd 2>&1) || status=$?
		[ "$status" -eq 126 ] || fail "$rt: non-executable command gave $status: $output"
	done
}

@test "docker exec of a missing or non-executable command fails as with runc" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sleep 1000
		run dk exec "$CID" /no/such/cmd
		res[$rt]="missing=$status"
		[ "$status" -eq 126 ] || [ "$status" -eq 127 ] || fail "$rt: exec of a missing command gave $status: $output"
		run dk exec "$CID" /etc/passwd
		res[$rt]+=" noexec=$status"
		[ "$status" -eq 126 ] || fail "$rt: exec of a non-executable file gave $status: $output"
		run dk exec "$CID" sh -c 'exit 5'
		[ "$status" -eq 5 ] || fail "$rt: exec exit code $status: $output"
		dk rm -f "$CID" >/dev/null
	done
	same "exec failures" "${res[runc]}" "${res[hull]}"
}

@test "docker run -i passes stdin to the container" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run dk run --rm -i --runtime "$rt" "$IMG" sh -c 'cat; echo done' <<<"from stdin"
		[ "$status" -eq 0 ] || fail "$rt: status $status: $output"
		[ "$output" = $'from stdin\ndone' ] || fail "$rt: $output"
		# without -i the container's stdin is empty
		run dk run --rm --runtime "$rt" "$IMG" sh -c 'cat; echo done' <<<"from stdin"
		[ "$output" = done ] || fail "$rt: without -i: $output"
	done
}

@test "docker run -it on a terminal: a pty of the terminal's size, typed input and a resize reach the shell" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		# the window is made 30x90 once the prompt is there; docker relays the resize asynchronously, so
		# the shell looks for it for up to 3 s
		in_terminal "$TMP/tty.$rt" $'tty; i=0; while [ "$(stty size)" != "30 90" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done; stty size\recho hi-$((6 * 7))\rexit 9\r' \
			run --rm -it --runtime "$rt" "$IMG" sh
		[ "$status" -eq 9 ] || fail "$rt: status $status: $output"
		[[ "$output" == *$'\n/dev/pts/0\n'* ]] || fail "$rt: no pty: $output"
		# the terminal's size, 40x100, or 30x90 once docker relayed the resize (asynchronous: with runc
		# too it sometimes comes later than 3 s)
		[[ "$output" =~ $'\n'(40\ 100|30\ 90)$'\n' ]] || fail "$rt: the terminal's size did not reach the container: $output"
		[[ "$output" == *$'\nhi-42\n'* ]] || fail "$rt: no input: $output"
	done
}

@test "docker run -t without -i: the container gets a terminal" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" -t "$IMG" sh -c 'tty; test -t 0 && echo stdin-is-tty; test -t 1 && echo stdout-is-tty'
		[ "$status" -eq 0 ] || fail "$rt: status $status: $output"
		res[$rt]=${output//$'\r'/}
		[ "${res[$rt]}" = $'/dev/pts/0\nstdin-is-tty\nstdout-is-tty' ] || fail "$rt: ${res[$rt]}"
	done
}

@test "docker run -e -u -w and the image's Env/User/WorkingDir reach the process" {
	local rt
	declare -A res
	"$ENGINES_DIR/lib/make-image.sh" "$TMP/cfg.tar" hull-test/config:latest \
		'.Env += ["FROM_IMAGE=yes"] | .User = "65534:65534" | .WorkingDir = "/tmp"' >/dev/null
	dk load -i "$TMP/cfg.tar" >/dev/null
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" -e A=b -e 'SP=with space' -u 1000:1001 -w /var "$IMG" sh -c 'id; pwd; echo "$A/$SP"; echo $HOME'
		[ "$status" -eq 0 ] || fail "$rt: status $status: $output"
		[ "$output" = $'uid=1000 gid=1001 groups=1001\n/var\nb/with space\n/' ] || fail "$rt: $output"
		run drun "$rt" hull-test/config:latest sh -c 'id -u; id -g; pwd; echo $FROM_IMAGE'
		[ "$status" -eq 0 ] || fail "$rt: image config: status $status: $output"
		[ "$output" = $'65534\n65534\n/tmp\nyes' ] || fail "$rt: image config: $output"
		# a workdir that does not exist is made
		run drun "$rt" -w /new/dir "$IMG" pwd
		[ "$output" = /new/dir ] || fail "$rt: new workdir: $output"
		run drun "$rt" --group-add 7 -u nobody "$IMG" id
		res[$rt]=$output
	done
	same "id with --group-add" "${res[runc]}" "${res[hull]}"
	dk rmi hull-test/config:latest >/dev/null
}

@test "docker run --hostname and the default hostname (the short id)" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --hostname box-1 "$IMG" hostname
		[ "$output" = box-1 ] || fail "$rt: $output"
		run_d "$rt" "$IMG" sh -c 'hostname; cat /etc/hostname; sleep 1000'
		wait_for 60 logs_have "$CID" "${CID:0:12}"
		run dk logs "$CID"
		[ "$output" = "${CID:0:12}"$'\n'"${CID:0:12}" ] || fail "$rt: $output"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker run --read-only: the root filesystem is read-only, volumes and --tmpfs stay writable" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --read-only --tmpfs /scratch "$IMG" sh -c \
			'touch /x 2>&1; echo rootfs=$?; touch /scratch/x && echo tmpfs-ok; touch /dev/shm/x && echo shm-ok; grep " / " /proc/mounts | grep -o "ro,"'
		res[$rt]=$output
		[[ "$output" == *"Read-only file system"*$'\nrootfs=1\ntmpfs-ok\nshm-ok\nro,' ]] || fail "$rt: $output"
	done
	same "--read-only" "${res[runc]}" "${res[hull]}"
}

@test "docker run --cap-add/--cap-drop set the effective capabilities as with runc" {
	local rt opts
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		res[$rt]=
		for opts in "" "--cap-add SYS_ADMIN" "--cap-drop ALL" "--cap-drop CHOWN --cap-drop NET_RAW" "--cap-drop ALL --cap-add KILL"; do
			# shellcheck disable=SC2086
			run drun "$rt" $opts "$IMG" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
			[ "$status" -eq 0 ] || fail "$rt $opts: $output"
			res[$rt]+="[$opts] $(echo $output)"$'\n'
		done
		# Docker's default set is 0x00000000a80425fb: chown dac_override fowner fsetid kill setgid setuid
		# setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap
		[[ "${res[$rt]}" == "[] "*"CapEff: 00000000a80425fb"* ]] || fail "$rt: default caps: ${res[$rt]}"
		[[ "${res[$rt]}" == *"[--cap-drop ALL] "*"CapEff: 0000000000000000"* ]] || fail "$rt: ${res[$rt]}"
		# a non-root user keeps none in effect
		run drun "$rt" -u 1000 "$IMG" grep CapEff /proc/self/status
		[ "$output" = $'CapEff:\t0000000000000000' ] || fail "$rt: user 1000: $output"
	done
	same "capabilities" "${res[runc]}" "${res[hull]}"
}

# The host's bounding set (CapBnd of this shell) holds every capability the kernel knows.
host_bounding_set_is_full() {
	local last bnd
	last=$(cat /proc/sys/kernel/cap_last_cap)
	bnd=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
	[ "$((16#$bnd))" -eq "$(((1 << (last + 1)) - 1))" ]
}

@test "docker run --privileged: all capabilities, the host's devices and a writable /sys, or the same refusal as runc's where the host's bounding set lacks some" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --privileged "$IMG" sh -c \
			'grep -E "^Cap(Eff|Bnd)|^Seccomp:|NoNewPrivs" /proc/self/status; test -e /dev/loop0 && echo has-loop0; grep " /sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1'
		if host_bounding_set_is_full; then
			[ "$status" -eq 0 ] || fail "$rt: $output"
			[[ "$output" == *$'Seccomp:\t0'*has-loop0*rw* ]] || fail "$rt: $output"
			res[$rt]=$output
		else
			# Docker asks for every capability; one outside the bounding set cannot be raised
			[ "$status" -ne 0 ] || fail "$rt: --privileged ran with a partial bounding set: $output"
			res[$rt]="status=$status"
		fi
	done
	same "--privileged" "${res[runc]}" "${res[hull]}"
}

@test "docker run applies the default seccomp profile, and none with seccomp=unconfined" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" "$IMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs)" /proc/self/status; unshare -U true 2>/dev/null; echo unshare=$?'
		[[ "$output" == $'NoNewPrivs:\t0\nSeccomp:\t2\n'* ]] || fail "$rt: default profile: $output"
		# unshare(CLONE_NEWUSER) is refused by the default profile (EPERM)
		[[ "$output" == *"unshare=1" ]] || fail "$rt: default profile allowed unshare: $output"
		res[$rt]=$output
		run drun "$rt" --security-opt seccomp=unconfined "$IMG" sh -c 'grep -E "^Seccomp:" /proc/self/status'
		[ "$output" = $'Seccomp:\t0' ] || fail "$rt: unconfined: $output"
		res[$rt]+=" / $output"
		run drun "$rt" --security-opt no-new-privileges "$IMG" grep NoNewPrivs /proc/self/status
		[ "$output" = $'NoNewPrivs:\t1' ] || fail "$rt: no-new-privileges: $output"
	done
	same "seccomp" "${res[runc]}" "${res[hull]}"
}

@test "docker run masks /proc/kcore and friends and makes /proc/sys read-only" {
	local rt p
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" "$IMG" sh -c '
			for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats /proc/timer_stats; do
				[ -e $p ] && echo "$p $(wc -c <$p)"
			done
			for d in /proc/acpi /proc/scsi /sys/firmware; do [ -d $d ] && echo "$d $(ls $d | wc -l)"; done
			{ echo 1 >/proc/sys/kernel/ns_last_pid; } 2>/dev/null || echo proc-sys-ro
			{ echo x >/proc/sysrq-trigger; } 2>/dev/null || echo sysrq-ro
			# the container'"'"'s mounts: mount point, type, options; for the masked paths and the cgroup
			# tmpfs the point only (hull masks and mounts them differently: tests/engines/configs/known-differences)
			awk "\$5 ~ /^\/(proc\/(kcore|keys|timer_list|sched_debug|latency_stats|timer_stats|acpi|scsi)|sys\/firmware|sys\/fs\/cgroup)\$/ {print \$5; next}
			     \$5 != \"/sys/fs/cgroup/unified\" {print \$5, \$(NF - 2), \$6}" /proc/self/mountinfo | sort'
		[ "$status" -eq 0 ] || fail "$rt: $output"
		# those the host has are empty in the container
		for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
			[ ! -e "$p" ] || [[ "$output" == *"$p 0"* ]] || fail "$rt: $p not masked: $output"
		done
		for p in /proc/acpi /sys/firmware; do
			[ ! -d "$p" ] || [[ "$output" == *"$p 0"* ]] || fail "$rt: $p not masked: $output"
		done
		[[ "$output" == *proc-sys-ro*sysrq-ro* ]] || fail "$rt: $output"
		res[$rt]=$output
	done
	same "masked paths" "${res[runc]}" "${res[hull]}"
}

@test "docker run -v: a bind mount and a named volume are shared with the host and between containers" {
	local rt
	mkdir "$TMP/bind"
	echo from-host >"$TMP/bind/in"
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" -v "$TMP/bind:/data" "$IMG" sh -c "cat /data/in; echo from-$rt >/data/out"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		[ "$output" = from-host ] || fail "$rt: $output"
		[ "$(cat "$TMP/bind/out")" = "from-$rt" ] || fail "$rt: nothing written through the bind mount"
		run drun "$rt" -v "$TMP/bind:/data:ro" "$IMG" sh -c 'echo x >/data/out'
		[ "$status" -ne 0 ] || fail "$rt: a :ro bind mount was writable"
		run drun "$rt" -v "vol-$rt:/vol" "$IMG" sh -c "echo kept-$rt >/vol/f"
		[ "$status" -eq 0 ] || fail "$rt: $output"
		run drun "$rt" -v "vol-$rt:/vol" "$IMG" cat /vol/f
		[ "$output" = "kept-$rt" ] || fail "$rt: named volume: $output"
		dk volume rm "vol-$rt" >/dev/null
	done
}

@test "docker run --network none has only lo, --network host the host's interfaces and hostname" {
	local rt
	declare -A res
	local host_ifs
	host_ifs=$(awk -F: 'NR > 2 {gsub(/ /, "", $1); print $1}' /proc/net/dev | sort | tr '\n' ' ')
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --network none "$IMG" sh -c 'awk -F: "NR > 2 {print \$1}" /proc/net/dev | tr -d " "'
		[ "$output" = lo ] || fail "$rt: --network none: $output"
		res[$rt]=$output
		run drun "$rt" --network host "$IMG" sh -c 'awk -F: "NR > 2 {gsub(/ /, \"\", \$1); print \$1}" /proc/net/dev | sort | tr "\n" " "; echo; hostname'
		[ "${lines[0]}" = "${host_ifs% }" ] || [ "${lines[0]}" = "$host_ifs" ] || fail "$rt: --network host: $output (host: $host_ifs)"
		[ "${lines[1]}" = "$(hostname)" ] || fail "$rt: --network host hostname: $output"
		res[$rt]+=" $output"
	done
	same "networks" "${res[runc]}" "${res[hull]}"
}

@test "docker run --init runs docker-init as pid 1, which reaps and forwards signals" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --init "$IMG" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo $$'
		[ "$status" -eq 0 ] || fail "$rt: $output"
		[[ "${lines[0]}" == "/sbin/docker-init -- sh -c "* ]] || fail "$rt: pid 1: $output"
		[ "${lines[1]}" != 1 ] || fail "$rt: the shell is pid 1: $output"
		run drun "$rt" --init "$IMG" sh -c 'exit 4'
		[ "$status" -eq 4 ] || fail "$rt: exit code through docker-init: $status"
	done
}

@test "docker run -d, exec, logs and stop" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sh -c 'trap "echo got-term; exit 7" TERM; echo started; while :; do sleep 0.1; done'
		wait_for 60 logs_have "$CID" started || fail "$rt: no log"
		state_is "$CID" running || fail "$rt: not running"
		run dk exec "$CID" sh -c 'echo in-$(hostname); ps -o comm | sort -u | tr "\n" " "'
		[ "$status" -eq 0 ] || fail "$rt: exec: $output"
		[ "${lines[0]}" = "in-${CID:0:12}" ] || fail "$rt: exec: $output"
		run dk exec -u 1000 -w /tmp -e X=y "$CID" sh -c 'id -u; pwd; echo $X'
		[ "$output" = $'1000\n/tmp\ny' ] || fail "$rt: exec -u -w -e: $output"
		run dk exec -i "$CID" cat <<<"exec stdin"
		[ "$output" = "exec stdin" ] || fail "$rt: exec -i: $output"
		run dk stop -t 5 "$CID"
		[ "$status" -eq 0 ] || fail "$rt: stop: $output"
		[ "$(inspect "$CID" '{{.State.Status}} {{.State.ExitCode}}')" = "exited 7" ] || fail "$rt: $(inspect "$CID" '{{json .State}}')"
		run dk logs "$CID"
		[ "$output" = $'started\ngot-term' ] || fail "$rt: logs: $output"
		dk rm "$CID" >/dev/null
	done
}

@test "docker exec -it on a terminal runs an interactive shell on a new pty" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" -t "$IMG" sleep 1000
		in_terminal "$TMP/tty.$rt" $'i=0; while [ "$(stty size)" != "30 90" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done; stty size\recho exec-$((6 * 7)) $(tty)\rexit 8\r' exec -it "$CID" sh
		[ "$status" -eq 8 ] || fail "$rt: status $status: $output"
		# the terminal's size, 40x100, or 30x90 if docker relayed the resize in time
		[[ "$output" =~ $'\n'(40\ 100|30\ 90)$'\n' ]] || fail "$rt: size: $output"
		[[ "$output" =~ $'\n'exec-42\ /dev/pts/[1-9] ]] || fail "$rt: $output"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker ps, top and stats --no-stream see the container's processes" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --name "ps-$rt" "$IMG" sh -c 'sleep 1000 & sleep 1001'
		wait_for 60 eval '[ "$(dk top "$CID" -o pid,args 2>/dev/null | grep -c "sleep 100")" -eq 2 ]' || fail "$rt: top: $(dk top "$CID" 2>&1)"
		run dk ps --filter "name=ps-$rt" --format '{{.Names}} {{.Status}}'
		[[ "$output" == "ps-$rt Up "* ]] || fail "$rt: ps: $output"
		run dk top "$CID" -o args,pid
		[ "$status" -eq 0 ] || fail "$rt: top: $output"
		res[$rt]=$(echo "$output" | awk '{$NF = ""; print}' | sort | tr '\n' ' ')
		run dk stats --no-stream --format '{{.Name}} {{.PIDs}} {{.MemUsage}}' "$CID"
		[ "$status" -eq 0 ] || fail "$rt: stats: $output"
		[[ "$output" == "ps-$rt 2 "* ]] || fail "$rt: stats: $output"
		[[ "$output" != *" 0B / "* ]] || fail "$rt: stats: no memory use: $output"
		dk rm -f "$CID" >/dev/null
	done
	same "docker top" "${res[runc]}" "${res[hull]}"
}

@test "docker pause freezes the container and unpause thaws it" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		# renamed into place: a reader never meets the file truncated by the next write (CI read "" once)
		run_d "$rt" "$IMG" sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/n.new; mv /tmp/n.new /tmp/n; sleep 0.05; done'
		wait_for 60 dk exec "$CID" test -s /tmp/n
		run dk pause "$CID"
		[ "$status" -eq 0 ] || fail "$rt: pause: $output"
		state_is "$CID" paused || fail "$rt: $(inspect "$CID" '{{.State.Status}}')"
		[ "$(cg freezer "$CID" freezer.state)" = FROZEN ] || fail "$rt: freezer.state $(cg freezer "$CID" freezer.state)"
		run dk exec "$CID" true
		[ "$status" -ne 0 ] || fail "$rt: exec into a paused container worked"
		run dk unpause "$CID"
		[ "$status" -eq 0 ] || fail "$rt: unpause: $output"
		[ "$(cg freezer "$CID" freezer.state)" = THAWED ] || fail "$rt: freezer.state $(cg freezer "$CID" freezer.state)"
		local n1 n2
		n1=$(dk exec "$CID" cat /tmp/n)
		sleep 0.3
		n2=$(dk exec "$CID" cat /tmp/n)
		[ "$n2" -gt "$n1" ] || fail "$rt: not running after unpause ($n1 -> $n2)"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker run writes the memory, cpu and pids limits to the container's cgroups as runc does" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --memory 64m --memory-swap 64m --memory-reservation 32m --cpus 0.5 --cpu-shares 512 \
			--cpuset-cpus 0 --pids-limit 50 "$IMG" sleep 1000
		res[$rt]="$(cg memory "$CID" memory.limit_in_bytes) $(cg memory "$CID" memory.soft_limit_in_bytes) $(cg cpu "$CID" cpu.cfs_quota_us) $(cg cpu "$CID" cpu.cfs_period_us) $(cg cpu "$CID" cpu.shares) $(cg cpuset "$CID" cpuset.cpus) $(cg pids "$CID" pids.max)"
		[ "${res[$rt]}" = "67108864 33554432 50000 100000 512 0 50" ] || fail "$rt: ${res[$rt]}"
		# the container's processes are in those cgroups
		grep -qx "$(inspect "$CID" '{{.State.Pid}}')" "/sys/fs/cgroup/memory/docker/$CID/cgroup.procs" || fail "$rt: init not in its memory cgroup"
		dk rm -f "$CID" >/dev/null
	done
}

@test "a default container's cgroup settings (cpu.shares, memory, pids, devices) equal runc's" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sleep 1000
		res[$rt]="shares=$(cg cpu "$CID" cpu.shares) quota=$(cg cpu "$CID" cpu.cfs_quota_us) mem=$(cg memory "$CID" memory.limit_in_bytes) pids=$(cg pids "$CID" pids.max) blkio=$(cg blkio "$CID" blkio.weight 2>/dev/null || echo none)
devices: $(cg devices "$CID" devices.list | sort | tr '\n' ' ')"
		dk rm -f "$CID" >/dev/null
	done
	[[ "${res[runc]}" == "shares=1024 "* ]] || fail "runc: ${res[runc]}"
	same "default cgroup settings" "${res[runc]}" "${res[hull]}"
}

@test "docker update changes memory, cpus and pids of a running container at once" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --memory 64m --memory-swap 64m --cpus 1 --pids-limit 50 "$IMG" sleep 1000
		run dk update --memory 96m --memory-swap 128m --cpus 0.5 --pids-limit 20 --cpu-shares 256 "$CID"
		[ "$status" -eq 0 ] || fail "$rt: update: $output"
		res[$rt]="$(cg memory "$CID" memory.limit_in_bytes) $(cg memory "$CID" memory.memsw.limit_in_bytes 2>/dev/null) $(cg cpu "$CID" cpu.cfs_quota_us) $(cg cpu "$CID" cpu.shares) $(cg pids "$CID" pids.max)"
		[[ "${res[$rt]}" == "100663296 "*" 50000 256 20" ]] || fail "$rt: after update: ${res[$rt]}"
		[ "$(inspect "$CID" '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}')" = "100663296 500000000 20" ] ||
			fail "$rt: inspect: $(inspect "$CID" '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}')"
		# the container still runs
		dk exec "$CID" true || fail "$rt: exec after update"
		dk rm -f "$CID" >/dev/null
	done
	same "cgroup after update" "${res[runc]}" "${res[hull]}"
}

@test "docker update that the kernel refuses fails and changes nothing" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --memory 64m --memory-swap 64m --pids-limit 50 "$IMG" sleep 1000
		# a memory limit above memory+swap is refused (memory.limit_in_bytes > memsw)
		run dk update --memory 128m --pids-limit 20 "$CID"
		res[$rt]="status=$((status != 0)) $(cg memory "$CID" memory.limit_in_bytes) $(cg pids "$CID" pids.max)"
		dk rm -f "$CID" >/dev/null
	done
	same "refused update" "${res[runc]}" "${res[hull]}"
}

@test "the memory limit is enforced: an allocation above it is OOM-killed and docker inspect says so" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run dk run --name "oom-$rt" --runtime "$rt" --memory 32m --memory-swap 32m "$IMG" dd if=/dev/zero of=/dev/null bs=64M count=1 </dev/null
		[ "$status" -eq 137 ] || fail "$rt: status $status: $output"
		[ "$(inspect "oom-$rt" '{{.State.OOMKilled}} {{.State.ExitCode}}')" = "true 137" ] || fail "$rt: $(inspect "oom-$rt" '{{json .State}}')"
		dk rm "oom-$rt" >/dev/null
		run drun "$rt" --memory 32m --memory-swap 32m "$IMG" dd if=/dev/zero of=/dev/null bs=8M count=1
		[ "$status" -eq 0 ] || fail "$rt: below the limit: $status: $output"
	done
}

@test "the pids limit is enforced: forks beyond it fail" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		# the shell and 7 sleeps fit in 8 pids; busybox sh gives up at the first fork that fails
		run drun "$rt" --pids-limit 8 "$IMG" sh -c 'exec 2>&1; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1000 & echo $i; done'
		res[$rt]="status=$status $(echo $output)"
		[ "${res[$rt]}" = "status=2 1 2 3 4 5 6 7 sh: can't fork: Resource temporarily unavailable" ] || fail "$rt: ${res[$rt]}"
	done
	same "pids limit" "${res[runc]}" "${res[hull]}"
}

@test "the cpu quota is enforced: a busy loop is throttled" {
	local rt t
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --cpus 0.2 "$IMG" sh -c 'while :; do :; done'
		sleep 1
		t=$(awk '$1 == "nr_throttled" {print $2}' "/sys/fs/cgroup/cpu/docker/$CID/cpu.stat")
		[ "$t" -gt 3 ] || fail "$rt: nr_throttled $t: $(cat "/sys/fs/cgroup/cpu/docker/$CID/cpu.stat")"
		# at most about 0.2 s of cpu per second
		local u1 u2
		u1=$(cg cpuacct "$CID" cpuacct.usage)
		sleep 0.5
		u2=$(cg cpuacct "$CID" cpuacct.usage)
		[ $((u2 - u1)) -lt 200000000 ] || fail "$rt: used $((u2 - u1)) ns of cpu in 0.5 s"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker run --restart on-failure:2 restarts twice, then leaves the container exited" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --restart on-failure:2 "$IMG" sh -c 'echo run; exit 3'
		wait_for 60 eval '[ "$(inspect "$CID" "{{.RestartCount}} {{.State.Status}}")" = "2 exited" ]' ||
			fail "$rt: $(inspect "$CID" '{{.RestartCount}} {{json .State}}')"
		[ "$(inspect "$CID" '{{.State.ExitCode}}')" = 3 ] || fail "$rt: exit code"
		[ "$(dk logs "$CID" | grep -c run)" -eq 3 ] || fail "$rt: logs: $(dk logs "$CID")"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker restart starts the container anew, --restart always brings it back after its process died" {
	local rt pid1 pid2
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sleep 1000
		pid1=$(inspect "$CID" '{{.State.Pid}}')
		run dk restart -t 0 "$CID"
		[ "$status" -eq 0 ] || fail "$rt: restart: $output"
		state_is "$CID" running || fail "$rt: not running after restart"
		pid2=$(inspect "$CID" '{{.State.Pid}}')
		[ "$pid1" != "$pid2" ] || fail "$rt: same pid after restart"
		kill -0 "$pid1" 2>/dev/null && fail "$rt: the old process survived the restart"
		dk rm -f "$CID" >/dev/null

		run_d "$rt" --restart always "$IMG" sleep 1000
		pid1=$(inspect "$CID" '{{.State.Pid}}')
		kill -9 "$pid1"
		wait_for 60 eval '[ "$(inspect "$CID" "{{.RestartCount}} {{.State.Status}}")" = "1 running" ]' ||
			fail "$rt: not restarted: $(inspect "$CID" '{{.RestartCount}} {{json .State}}')"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker run --health-cmd: the container turns healthy, then unhealthy" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" --health-cmd 'cat /tmp/ok' --health-interval 200ms --health-retries 1 --health-timeout 5s \
			"$IMG" sh -c 'touch /tmp/ok; sleep 1000'
		wait_for 60 eval '[ "$(inspect "$CID" "{{.State.Health.Status}}")" = healthy ]' ||
			fail "$rt: $(inspect "$CID" '{{json .State.Health}}')"
		dk exec "$CID" rm /tmp/ok
		wait_for 60 eval '[ "$(inspect "$CID" "{{.State.Health.Status}}")" = unhealthy ]' ||
			fail "$rt: $(inspect "$CID" '{{json .State.Health}}')"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker kill sends the signal asked for to the container's process" {
	local rt
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sh -c 'trap "echo got-usr1" USR1; trap "echo got-hup; exit 5" HUP; echo ready; while :; do sleep 0.1; done'
		wait_for 60 logs_have "$CID" ready
		dk kill -s USR1 "$CID" >/dev/null
		wait_for 60 logs_have "$CID" got-usr1 || fail "$rt: no USR1: $(dk logs "$CID" 2>&1)"
		state_is "$CID" running || fail "$rt: died of USR1"
		dk kill -s HUP "$CID" >/dev/null
		wait_for 60 state_is "$CID" exited || fail "$rt: HUP did not end it"
		[ "$(inspect "$CID" '{{.State.ExitCode}}')" = 5 ] || fail "$rt: exit code $(inspect "$CID" '{{.State.ExitCode}}')"
		dk rm -f "$CID" >/dev/null
		run_d "$rt" "$IMG" sleep 1000
		dk kill "$CID" >/dev/null
		wait_for 60 state_is "$CID" exited || fail "$rt: SIGKILL did not end it"
		[ "$(inspect "$CID" '{{.State.ExitCode}}')" = 137 ] || fail "$rt: exit code $(inspect "$CID" '{{.State.ExitCode}}')"
		dk rm -f "$CID" >/dev/null
	done
}

@test "docker run --device gives access to the device, mknod works only as the device rules allow" {
	local rt
	declare -A res
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" --device /dev/loop0:/dev/xloop "$IMG" sh -c \
			'ls -l /dev/xloop | cut -c1; dd if=/dev/xloop of=/dev/null bs=512 count=1 2>/dev/null; echo read=$?'
		[ "$output" = $'b\nread=0' ] || fail "$rt: --device: $output"
		res[$rt]=$output
		# Docker's default rules allow making any node (c *:* m, b *:* m), opening only the usual ones
		run drun "$rt" "$IMG" sh -c 'mknod /tmp/null c 1 3 && echo x >/tmp/null && echo null-ok
			mknod /tmp/loop b 7 0 && echo mknod-b-ok; head -c1 /tmp/loop >/dev/null 2>&1 || echo open-b-refused'
		[ "$output" = $'null-ok\nmknod-b-ok\nopen-b-refused' ] || fail "$rt: mknod: $output"
		res[$rt]+=" $output"
		run drun "$rt" --cap-drop MKNOD "$IMG" sh -c 'mknod /tmp/null c 1 3 2>/dev/null || echo refused'
		[ "$output" = refused ] || fail "$rt: mknod without CAP_MKNOD: $output"
		run drun "$rt" --cap-drop ALL --cap-add MKNOD "$IMG" sh -c 'mknod /tmp/null c 1 3 && echo made'
		[ "$output" = made ] || fail "$rt: mknod with --cap-add MKNOD: $output"
	done
	same "devices" "${res[runc]}" "${res[hull]}"
}

@test "docker pull from a registry (pushed with skopeo) and run the image" {
	local rt ref=127.0.0.1:$REG_PORT/hull-test/pulled:v1
	run timeout 60 skopeo copy --dest-tls-verify=false "docker-archive:$DT/img.tar" "docker://$ref"
	[ "$status" -eq 0 ] || fail "skopeo copy: $output"
	run dk pull "$ref"
	[ "$status" -eq 0 ] || fail "docker pull: $output"
	for rt in "${RUNTIMES[@]}"; do
		run drun "$rt" "$ref" sh -c 'echo pulled-ok'
		[ "$output" = pulled-ok ] || fail "$rt: $output"
	done
	dk rmi "$ref" >/dev/null
}

@test "docker rm leaves nothing: no runtime state, no cgroup, no mount" {
	local rt d merged pid
	pid=$(cat "$DT/docker.pid")
	for rt in "${RUNTIMES[@]}"; do
		run_d "$rt" "$IMG" sleep 1000
		# while it runs: its state under Docker's root for this runtime, its cgroups, its rootfs mount
		# the runtime's --root is $DT/exec/runtime-NAME/moby (NAME depends on the registration)
		ls -d "$DT"/exec/runtime-*/moby/"$CID" >/dev/null 2>&1 || fail "$rt: no state under $DT/exec: $(ls -d "$DT"/exec/runtime-*/moby/* 2>&1)"
		[ -d "/sys/fs/cgroup/memory/docker/$CID" ] || fail "$rt: no cgroup"
		merged=$(inspect "$CID" '{{.GraphDriver.Data.MergedDir}}')
		grep -qF " $merged " "/proc/$pid/mountinfo" || fail "$rt: its rootfs $merged is not mounted in dockerd's namespace"
		run dk rm -f "$CID"
		[ "$status" -eq 0 ] || fail "$rt: rm: $output"
		! ls -d "$DT"/exec/runtime-*/moby/"$CID" 2>/dev/null || fail "$rt: runtime state left"
		for d in /sys/fs/cgroup/*/docker/"$CID"; do
			[ ! -d "$d" ] || fail "$rt: cgroup left: $d"
		done
		! grep -e "$CID" -e " $merged " "/proc/$pid/mountinfo" || fail "$rt: mounts left"
		! ps -eo args | grep -v grep | grep -q "$CID" || fail "$rt: processes left: $(ps -eo pid,args | grep "$CID")"
	done
}
