#!/usr/bin/env bats
# Known container-runtime CVEs, each attack replayed against the runtime under test and asserted to fail.
# The attacker is tests/helpers/sectool (static, copied into the rootfs) or busybox.  tests/security/mutants.sh
# proves each test can fail: it removes the matching defence from a scratch copy of hull and expects a failure.

load helpers

# sectool from the build the runtime comes from (build/ when the runtime under test is not ours)
if [ -z "${SECTOOL:-}" ]; then
	SECTOOL=$(dirname "$HULL")/tests/helpers/sectool
	[ -x "$SECTOOL" ] || SECTOOL=$REPO_ROOT/build/tests/helpers/sectool
fi

setup() {
	setup_hull
	ORIG_HULL=$HULL
	[ -x "$SECTOOL" ] || fail "no sectool at $SECTOOL (ninja -C build)"
	cp "$SECTOOL" "$BUNDLE/rootfs/bin/sectool"
}

teardown() {
	HULL=$ORIG_HULL
	teardown_hull
}

# runc_fixed_in VERSION CVE: skip on a runc older than VERSION, which is known to be vulnerable.
runc_fixed_in() {
	[ "$(runtime_name)" = runc ] || return 0
	local v
	v=$("$HULL" --version | awk 'NR == 1 {print $3}' | sed 's/[+~-].*//')
	[ "$(printf '%s\n%s\n' "$1" "$v" | sort -V | head -1)" = "$1" ] || skip "runc $v is older than $1, which fixed $2"
}

# use_binary_copy: run the runtime from a copy in TESTDIR, so that an attack that overwrites the binary
# damages the copy only; RT_SUM is its sha256 and RT_DEV/RT_INO identify it (st_dev is the same inside).
use_binary_copy() {
	mkdir -p "$TESTDIR/rt"
	cp "$ORIG_HULL" "$TESTDIR/rt/$(basename "$ORIG_HULL")"
	HULL=$TESTDIR/rt/$(basename "$ORIG_HULL")
	RT_SUM=$(sha256sum <"$HULL")
	read -r RT_DEV RT_INO < <(stat -L -c '%d %i' "$HULL")
}

assert_binary_unchanged() {
	[ "$(sha256sum <"$HULL")" = "$RT_SUM" ] || fail "the runtime's binary was modified: $(head -c 40 "$HULL" | od -c | head -2)"
}

# field NAME TEXT: the number after NAME= in TEXT (sectool's summary line)
field() { echo "$2" | sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" | tail -1; }

# race_exec_probe: a container whose init is sectool exe-probe, watching every process named after the
# runtime (hull, runc:[2:INIT]) for EXECS execs; leaves the probe's report in $output.
race_exec_probe() {
	local execs=${1:-40} i
	use_binary_copy
	bind_out
	set_cmd /bin/sectool exe-probe "$RT_DEV" "$RT_INO" 50 /out/stop hull runc
	run_d "$CTR"
	for i in $(seq "$execs"); do
		hull exec "$CTR" true >/dev/null 2>&1 || true
	done
	touch "$OUT/stop"
	for i in $(seq "$(tries 100)"); do
		grep -q '^seen=' "$TESTDIR/ctr.stdout" 2>/dev/null && break
		sleep 0.1
	done
	output=$(cat "$TESTDIR/ctr.stdout")
	echo "probe: $output" >&2
	[[ "$output" == *seen=* ]] || fail "the probe did not report: $output $(cat "$TESTDIR/ctr.stderr")"
	if [ "$(field seen "$output")" = 0 ]; then
		is_hull || skip "the probe never saw $(runtime_name)'s joining process"
		fail "the probe never saw a joining process in $execs execs: the test proves nothing"
	fi
	assert_binary_unchanged
}

# --- CVE-2019-5736 -----------------------------------------------------------------------------------------
# The attack: a process in the container opens /proc/PID/exe of a runtime process that has entered the
# container but not yet exec'd (it still runs the runtime's binary), keeps the fd, and later reopens it for
# writing to overwrite the host's runtime.  hull: the joining process (and exec's helper) are non-dumpable
# from their first instruction, so the kernel denies /proc/PID/exe to the container; the init is the only
# other hull process the container can see, and it must be out of reach as well (next tests).

@test "CVE-2019-5736: a process joining the container (exec) cannot be opened through /proc/PID/exe" {
	race_exec_probe 40
	[ "$(field exe "$output")" = 0 ] || fail "the container opened the runtime's binary: $output"
}

# The attack: `create` leaves the init waiting for `start` while it still is a clone of the runtime;
# a process exec'd into the created container holds /proc/1/exe with O_PATH and, once start made the init
# exec the container's program and the runtime exited, reopens it for writing.  hull: the binary is run
# from a copy here, so a successful attack damages only the copy; the test asserts the copy is intact and
# that /proc/1/exe was refused or is not the runtime's binary.
@test "CVE-2019-5736: the init of a created container cannot be reached through /proc/1/exe" {
	use_binary_copy
	set_cmd sleep 30
	create_ctr "$CTR"
	run hull_detached exec -d "$CTR" /bin/sectool steal-exe 1 "$RT_DEV" "$RT_INO" 5
	if [ "$status" -ne 0 ]; then
		# runc and hull both allow exec into a created container; refusing it also defeats the attack
		echo "exec into a created container refused: $output" >&2
		return 0
	fi
	# start only once the probe holds /proc/1/exe (or was refused it): the attack is on the waiting init
	for i in $(seq "$(tries 100)"); do
		grep -q '^open /proc/1/exe' "$TESTDIR/ctr.stdout" && break
		sleep 0.1
	done
	hull start "$CTR"
	for i in $(seq "$(tries 100)"); do
		grep -qE '^(open /proc/1/exe: [^o]|open /proc/1/exe: ok, not|BREACH: reopened|reopen for writing: gave up)' \
			"$TESTDIR/ctr.stdout" && break
		sleep 0.1
	done
	out=$(cat "$TESTDIR/ctr.stdout")
	echo "steal-exe: $out" >&2
	[[ "$out" == *"open /proc/1/exe"* ]] || fail "sectool did not report: $out"
	assert_binary_unchanged
	if ! is_hull && [[ "$out" != *"BREACH: reopened"* ]]; then
		# runc runs its init from a sealed memfd or a read-only bind of its binary: reachable, not writable
		skip "$(runtime_name)'s created init exposes its binary read-only (the write was refused): $out"
	fi
	[[ "$out" != *BREACH* ]] || fail "the created container's init exposed the runtime's binary: $out"
	assert_binary_unchanged
}

# After start nothing of the runtime is left in the container: no process's exe is the runtime's binary.
@test "CVE-2019-5736: after start no process in the container runs the runtime's binary" {
	use_binary_copy
	set_cmd sleep 30
	run_d "$CTR"
	run hull exec "$CTR" /bin/sectool exe-probe "$RT_DEV" "$RT_INO" 0.3 /nonexistent ""
	[ "$status" -eq 0 ]
	echo "$output" >&2
	[ "$(field seen "$output")" -gt 0 ]
	[ "$(field exe "$output")" = 0 ] || fail "a process in the container runs the runtime's binary: $output"
	assert_binary_unchanged
}

# The window during create: from clone3 until it takes the user namespace's root as its identity, a
# userns init is a clone of the runtime's binary with the host's uid 0, in a user namespace owned by the
# host's uid 0.  Every host process with euid 0 - a root that dropped all its capabilities, a container
# sharing the host's user namespace - holds CAP_SYS_PTRACE in that namespace (its owner), so only the
# init's dumpable flag keeps it from /proc/PID/exe (the host's binary) and from ptrace.  The init must be
# non-dumpable from its first instruction, as runc's (nsexec) is.  The attacker: sectool exe-probe on the
# host as uid 0 without any capability, while user-namespaced containers are created and deleted.
@test "CVE-2019-5736: during create a userns init cannot be reached through /proc/PID/exe by a capability-less host root" {
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	set_cmd true
	# our own copy under a name of its own: the probe watches no one else's runtime
	local name=hullprobe
	is_hull || name=runc
	mkdir -p "$TESTDIR/rt"
	cp "$ORIG_HULL" "$TESTDIR/rt/$name"
	HULL=$TESTDIR/rt/$name
	RT_SUM=$(sha256sum <"$HULL")
	read -r RT_DEV RT_INO < <(stat -L -c '%d %i' "$HULL")
	local prefix=$name
	is_hull || prefix="runc:["
	timeout 120 setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \
		"$SECTOOL" exe-probe "$RT_DEV" "$RT_INO" 100 "$OUT/stop" "$prefix" >"$OUT/probe" 2>&1 &
	# runc's create and delete take longer: fewer rounds keep it inside the test's time limit
	local probe=$! i rounds=40
	is_hull || rounds=12
	for i in $(seq "$rounds"); do
		hull_detached create "$CTR" >/dev/null 2>&1 || { touch "$OUT/stop"; wait "$probe"; fail "create $i failed: $(cat "$TESTDIR/last.err")"; }
		hull delete --force "$CTR" >/dev/null 2>&1
	done
	touch "$OUT/stop"
	wait "$probe" || true
	output=$(cat "$OUT/probe")
	echo "probe: $output" >&2
	[[ "$output" == *seen=* ]] || fail "the probe did not report: $output"
	[ "$(field seen "$output")" -gt 0 ] || fail "the probe never saw an init in $rounds creates: the test proves nothing"
	if ! is_hull && [ "$(field exe "$output")" != 0 ]; then
		# runc 1.1.5's stage-1 child is dumpable again while its parent writes the id maps (SYNC_USERMAP_PLS)
		skip "$(runtime_name) exposes its init while the user namespace is mapped: $output"
	fi
	[ "$(field exe "$output")" = 0 ] || fail "a capability-less host root opened the init's binary during create: $output"
	[ "$(field ptrace "$output")" = 0 ] || fail "a capability-less host root ptrace-attached the init during create: $output"
	assert_binary_unchanged
}

# --- CVE-2016-9962 -----------------------------------------------------------------------------------------
# The attack: ptrace(PTRACE_ATTACH) from the container to the runtime's process while it joins the
# container (runc's exec was dumpable until execve), then read its memory and fds (host fds!).
# hull: exec's processes call PR_SET_DUMPABLE 0 first thing, so the attach fails with EPERM for anyone
# without CAP_SYS_PTRACE over the host (the container has none).
@test "CVE-2016-9962: a process joining the container cannot be ptrace-attached from inside" {
	race_exec_probe 40
	[ "$(field ptrace "$output")" = 0 ] || fail "the container ptrace-attached to the joining process: $output"
}

# --- CVE-2024-21626 ----------------------------------------------------------------------------------------
# The attack: a host fd (cgroup directory, state directory, bundle) leaked into the container, reached
# through process.cwd = /proc/self/fd/N, puts the process's cwd outside its root; `..` then walks the host.
# hull: every fd above the preserved ones is close-on-exec before execve, and a cwd that getcwd() cannot
# express inside the root ("(unreachable)") is refused.

# fd_list OUTPUT: the fds sectool fds printed, one "N -> target" a line, without 0-2.
extra_fds() { echo "$1" | awk '$2 == "->" && $1 > 2'; }

@test "CVE-2024-21626: no host fd leaks into the container's process (run)" {
	set_cmd /bin/sectool fds
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ -z "$(extra_fds "$output")" ] || fail "fds leaked into the container: $(extra_fds "$output")"
}

@test "CVE-2024-21626: no host fd leaks into an exec'd process" {
	set_cmd sleep 30
	run_d "$CTR"
	run hull exec "$CTR" /bin/sectool fds
	[ "$status" -eq 0 ]
	[ -z "$(extra_fds "$output")" ] || fail "fds leaked into the exec'd process: $(extra_fds "$output")"
}

# escape_script: from the cwd, climb and look for the host's marker (TESTDIR is not in the rootfs).
escape_script() {
	echo "cd ../../../../../../../../../../.. 2>/dev/null; cat .$TESTDIR/HOST_MARKER 2>/dev/null; pwd; true"
}

@test "CVE-2024-21626: process.cwd through /proc/self/fd/N cannot leave the root (run)" {
	echo "host-marker-$$" >"$TESTDIR/HOST_MARKER"
	local n
	for n in 3 4 5 6 7 8 9 10; do
		update_config --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		set_cmd sh -c "$(escape_script)"
		run hull run "${CTR}_$n"
		[[ "$output" != *host-marker-* ]] || fail "cwd /proc/self/fd/$n reached the host: $output"
	done
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N cannot leave the root" {
	echo "host-marker-$$" >"$TESTDIR/HOST_MARKER"
	set_cmd sleep 30
	run_d "$CTR"
	local n
	for n in 3 4 5 6 7 8 9 10; do
		run hull exec --cwd "/proc/self/fd/$n" "$CTR" sh -c "$(escape_script)"
		[[ "$output" != *host-marker-* ]] || fail "exec --cwd /proc/self/fd/$n reached the host: $output"
	done
}

# --- CVE-2019-16884, CVE-2025-52881 ------------------------------------------------------------------------
# The attack: the runtime writes security-relevant files under the container's /proc (sysctls, LSM
# labels) after the config's mounts ran; a mount (or an image symlink) puts a fake /proc there, so the
# write lands in a file the attacker controls and the real setting is never made.  hull: /proc/sys is
# opened inside the root and checked with fstatfs to be procfs, and each key below it is opened without
# crossing mounts or following symlinks; LSM attributes are opened on the host's procfs before pivoting,
# also checked with fstatfs (no LSM on this host to try it: apparmor/selinux labels are refused as such).

# fake_proc DIR: a directory that looks like /proc/sys to a careless runtime.
fake_proc() {
	mkdir -p "$1/sys/kernel" "$1/sys/net/ipv4"
	echo FAKE >"$1/sys/kernel/domainname"
	echo FAKE >"$1/sys/net/ipv4/ip_forward"
}

# sysctl_went_to_procfs FAKEDIR: after a run with kernel.domainname=hull-sec: the fake is untouched and
# either the runtime refused or the container's real domainname was set.
sysctl_went_to_procfs() {
	[ "$(cat "$1/sys/kernel/domainname")" = FAKE ] || fail "the sysctl was written to the fake /proc"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *"domain=hull-sec"* ]] || fail "run succeeded but the real sysctl was not set: $output"
	fi
}

@test "CVE-2019-16884: a bind mount of a fake directory over /proc never receives the sysctls" {
	fake_proc "$TESTDIR/fakeproc"
	update_config --arg src "$TESTDIR/fakeproc" '.linux.sysctl = {"kernel.domainname": "hull-sec"}
		| .mounts |= map(if .destination == "/proc" then {"destination": "/proc", "type": "bind", "source": $src, "options": ["rbind"]} else . end)'
	set_cmd sh -c 'echo domain=$(cat /proc/sys/kernel/domainname)'
	run hull run "$CTR"
	echo "$output" >&2
	sysctl_went_to_procfs "$TESTDIR/fakeproc"
}

@test "CVE-2025-52881: a volume over /proc/sys never receives the sysctls" {
	fake_proc "$TESTDIR/fakeproc"
	update_config --arg src "$TESTDIR/fakeproc/sys" '.linux.sysctl = {"kernel.domainname": "hull-sec"}
		| .mounts += [{"destination": "/proc/sys", "type": "bind", "source": $src, "options": ["rbind"]}]'
	set_cmd sh -c 'echo domain=$(cat /proc/sys/kernel/domainname)'
	run hull run "$CTR"
	echo "$output" >&2
	sysctl_went_to_procfs "$TESTDIR/fakeproc"
}

# The tmpfs holds a fake kernel/domainname, made by a createContainer hook (it runs after the mounts and
# before the sysctls are written, as runc's): a runtime that does not check /proc/sys is procfs writes the
# sysctl into the fake and the container reads its own value back from a tmpfs.
@test "CVE-2025-52881: a tmpfs over /proc never receives the sysctls" {
	runc_fixed_in 1.2.8 CVE-2025-52881
	update_config '.linux.sysctl = {"kernel.domainname": "hull-sec"}
		| .mounts |= map(if .destination == "/proc" then {"destination": "/proc", "type": "tmpfs", "source": "tmpfs"} else . end)
		| .hooks.createContainer = [{"path": "/bin/sh",
			"args": ["sh", "-c", "mkdir -p proc/sys/kernel && echo FAKE >proc/sys/kernel/domainname"]}]'
	set_cmd sh -c 'echo fs=$(stat -f -c %T /proc/sys/kernel/domainname) domain=$(cat /proc/sys/kernel/domainname)'
	run hull run "$CTR"
	echo "$output" >&2
	if [ "$status" -eq 0 ]; then
		[[ "$output" != *"fs=tmpfs domain=hull-sec"* ]] || fail "the sysctl was written into the tmpfs: $output"
		[[ "$output" == *"fs=tmpfs domain=FAKE"* ]] || fail "the fake /proc is not what the container sees: $output"
		fail "the runtime ran the container with a tmpfs where its sysctls go: $output"
	fi
	! is_hull || [[ "$output" == *"/proc/sys in the container is not procfs"* ]] || fail "$output"
}

# The image's /proc is a symlink to /fakeproc and a later mount of the config binds a fake over /fakeproc: a
# runtime that mounts procfs through the symlink has it covered by the fake, and /proc/sys then leads there.
@test "CVE-2019-16884: an image whose /proc is a symlink to a fake never receives the sysctls" {
	fake_proc "$TESTDIR/fakeproc"
	mkdir "$BUNDLE/rootfs/fakeproc"
	rmdir "$BUNDLE/rootfs/proc"
	ln -s /fakeproc "$BUNDLE/rootfs/proc"
	update_config --arg src "$TESTDIR/fakeproc" '.linux.sysctl = {"kernel.domainname": "hull-sec"}
		| .mounts += [{"destination": "/fakeproc", "type": "bind", "source": $src, "options": ["rbind"]}]'
	set_cmd sh -c 'echo domain=$(cat /proc/sys/kernel/domainname)'
	run hull run "$CTR"
	echo "$output" >&2
	sysctl_went_to_procfs "$TESTDIR/fakeproc"
	# runc (since 1.1.5) and hull refuse procfs through an image's symlink before any sysctl is written
	[ "$status" -ne 0 ] || fail "procfs was mounted through the image's /proc symlink: $output"
	! is_hull || [[ "$output" == *'"proc" must be mounted on an ordinary directory'* ]] || fail "$output"
}

# --- CVE-2019-19921, CVE-2023-27561 ------------------------------------------------------------------------
# The attack: a mount destination (or /proc itself) in the image is a symlink, absolute or climbing with
# `..`, to a path outside the rootfs; a runtime that resolves it against the host mounts over a host path
# or creates host directories.  hull: every destination is resolved with openat2(RESOLVE_IN_ROOT) from the
# rootfs's fd, and missing parts are created inside the root, following dangling links by hand within it.

@test "CVE-2019-19921: mount destinations through symlinks stay inside the rootfs" {
	mkdir "$TESTDIR/outside"
	ln -s ../../outside "$BUNDLE/rootfs/up"
	ln -s "$TESTDIR/outside" "$BUNDLE/rootfs/abs"
	update_config '.mounts += [{"destination": "/up/a", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/abs/b", "type": "tmpfs", "source": "tmpfs"}]'
	set_cmd sh -c 'touch /up/a/x /abs/b/y && echo wrote; cat /proc/self/mountinfo'
	run hull run "$CTR"
	echo "$output" >&2
	[ -z "$(ls -A "$TESTDIR/outside")" ] || fail "the runtime wrote outside the rootfs: $(ls -A "$TESTDIR/outside")"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *wrote* ]] || fail "the mounts are not where the symlinks lead inside the root"
	fi
}

@test "CVE-2023-27561: an image whose /proc is a symlink out of the rootfs is refused, and nothing is mounted outside" {
	mkdir "$TESTDIR/outside"
	rmdir "$BUNDLE/rootfs/proc"
	ln -s ../../outside "$BUNDLE/rootfs/proc"
	set_cmd sh -c 'stat -f -c "procfs=%T" /proc/; cat /proc/self/status | grep -c ^Pid'
	run hull run "$CTR"
	echo "$output" >&2
	[ -z "$(ls -A "$TESTDIR/outside")" ] || fail "the runtime wrote outside the rootfs: $(ls -A "$TESTDIR/outside")"
	# hull, as runc, refuses to mount procfs through a symlink, with an error naming it
	[ "$status" -ne 0 ] || fail "a /proc symlink was accepted: $output"
	! is_hull || [[ "$output" == *'"proc" must be mounted on an ordinary directory'* ]] || fail "$output"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *procfs=proc* ]] || fail "the container's /proc is not procfs: $output"
	fi
}

# --- CVE-2021-30465, CVE-2024-45310 ------------------------------------------------------------------------
# The attack: two containers share a volume; the first swaps (renameat2 RENAME_EXCHANGE) a directory of the
# volume with a symlink to a host path while the second is created with a mount destination inside that
# directory; a runtime that checks the path, then mounts (or mkdirs) by path, follows the symlink to the
# host.  hull: the destination is resolved once, with RESOLVE_IN_ROOT, to an fd, and the mount and the
# mkdirs are made on fds, so a symlink found at any moment resolves inside the second container's root.

@test "CVE-2021-30465, CVE-2024-45310: racing a symlink swap in a shared volume never mounts or creates outside the root" {
	# runc 1.1.5 creates the destination's directory on the host through the swapped link (CVE-2024-45310)
	runc_fixed_in 1.1.14 CVE-2024-45310
	mkdir -p "$TESTDIR/vol/d" "$TESTDIR/escape"
	ln -s "$TESTDIR/escape" "$TESTDIR/vol/l"
	local racer=$BUNDLE victim=$TESTDIR/victim
	cp -a "$BUNDLE" "$victim"
	update_config --arg v "$TESTDIR/vol" '.mounts += [{"destination": "/vol", "type": "bind", "source": $v, "options": ["rbind"]}]'
	set_cmd /bin/sectool swap /vol/d /vol/l 50 /vol/stop
	run_d "$CTR"
	CONFIG_BUNDLE=$victim update_config --arg v "$TESTDIR/vol" '.mounts += [
		{"destination": "/vol", "type": "bind", "source": $v, "options": ["rbind"]},
		{"destination": "/vol/d/m1", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/vol/d/m2/deeper", "type": "bind", "source": "/etc", "options": ["rbind", "ro"]}]'
	CONFIG_BUNDLE=$victim set_cmd true
	cd "$victim"
	# a fixed number of attempts, however fast the machine (the test's timeout is only a hang guard)
	local i ok=0
	for i in $(seq 40); do
		hull run "${CTR}_v" >/dev/null 2>&1 && ok=$((ok + 1))
		hull delete --force "${CTR}_v" >/dev/null 2>&1 || true
		[ -z "$(ls -A "$TESTDIR/escape")" ] || break
	done
	touch "$TESTDIR/vol/stop"
	echo "attempts=$i succeeded=$ok" >&2
	[ -z "$(ls -A "$TESTDIR/escape")" ] || fail "created on the host through the swapped symlink: $(ls -AR "$TESTDIR/escape")"
	! grep -qF "$TESTDIR/escape" /proc/self/mountinfo || fail "a host mount landed in the escape directory"
	[ ! -e /m1 ] && [ ! -e /m2 ] || fail "created in the host's root"
}

# --- CVE-2025-31133 ----------------------------------------------------------------------------------------
# The attack: maskedPaths are masked by bind-mounting /dev/null over them; the image (or a racing
# container sharing /dev) makes the container's /dev/null a symlink to a procfs file (core_pattern) or a
# regular file, so the "mask" exposes it instead, possibly writable.  hull: masks with the host's
# /dev/null, opened and checked (char 1:3) before pivoting, read-only; the container's /dev/null is never
# consulted.

# dev_dir DIR: a /dev for a bind mount, as an attacker would prepare it.
dev_dir() {
	mkdir -p "$1/pts" "$1/shm" "$1/mqueue"
	echo FAKE-NULL >"$TESTDIR/fake-null"
}

@test "CVE-2025-31133: masked paths get the real null device when /dev/null is a symlink to core_pattern" {
	local core
	core=$(cat /proc/sys/kernel/core_pattern)
	dev_dir "$TESTDIR/dev"
	ln -s /proc/sys/kernel/core_pattern "$TESTDIR/dev/null"
	update_config --arg d "$TESTDIR/dev" '.mounts |= map(if .destination == "/dev" then {"destination": "/dev", "type": "bind", "source": $d, "options": ["rbind"]} else . end)
		| .linux.maskedPaths = ["/proc/keys", "/proc/timer_list"]'
	set_cmd sh -c 'for f in /proc/keys /proc/timer_list; do stat -c "%n %F %t:%T" $f; echo "content=[$(head -c 40 $f)]"; echo pwned >$f 2>/dev/null && echo WROTE $f; done; true'
	run hull run "$CTR"
	echo "$output" >&2
	# the mask is checked below only when the container ran: hull runs it
	! is_hull || [ "$status" -eq 0 ] || fail "create failed: $output"
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$core" ] || fail "the host's core_pattern changed"
	[ -L "$TESTDIR/dev/null" ] || fail "the image's /dev/null was replaced on the host"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *"/proc/keys character special file 1:3"* ]] || fail "/proc/keys not masked with the null device"
		[[ "$output" == *"/proc/timer_list character special file 1:3"* ]] || fail "/proc/timer_list not masked with the null device"
		[[ "$output" != *"content=[$core"* ]] || fail "a masked path shows core_pattern"
		[[ "$output" != *WROTE* ]] || fail "a masked path is writable"
	fi
}

@test "CVE-2025-31133: masked paths get the real null device when /dev/null is a regular file" {
	runc_fixed_in 1.2.8 CVE-2025-31133
	dev_dir "$TESTDIR/dev"
	echo FAKE-NULL >"$TESTDIR/dev/null"
	update_config --arg d "$TESTDIR/dev" '.mounts |= map(if .destination == "/dev" then {"destination": "/dev", "type": "bind", "source": $d, "options": ["rbind"]} else . end)
		| .linux.maskedPaths = ["/proc/keys"]'
	set_cmd sh -c 'stat -c "%n %F %t:%T" /proc/keys; echo "content=[$(cat /proc/keys)]"'
	run hull run "$CTR"
	echo "$output" >&2
	! is_hull || [ "$status" -eq 0 ] || fail "create failed: $output"
	[ "$(cat "$TESTDIR/dev/null")" = FAKE-NULL ] || fail "the image's /dev/null was modified"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *"/proc/keys character special file 1:3"* ]] || fail "/proc/keys not masked with the null device"
		[[ "$output" == *"content=[]"* ]] || fail "a masked path shows the fake /dev/null"
	fi
}

# --- CVE-2025-52565 ----------------------------------------------------------------------------------------
# The attack: with a terminal, the runtime bind-mounts the pty over /dev/console; a /dev/console that is
# a symlink (to core_pattern, or a host file) makes the bind land on its target instead, and the target
# becomes a tty or is exposed writable.  hull: /dev/console is opened inside the root with O_NOFOLLOW and
# the pty is bound on that fd; the pty itself must come from the container's devpts (fstatfs).

@test "CVE-2025-52565: a /dev/console symlink does not redirect the console bind mount" {
	local core
	core=$(cat /proc/sys/kernel/core_pattern)
	dev_dir "$TESTDIR/dev"
	echo HOST-FILE >"$TESTDIR/hostfile"
	ln -s /proc/sys/kernel/core_pattern "$TESTDIR/dev/console"
	ln -s pts/ptmx "$TESTDIR/dev/ptmx"
	update_config --arg d "$TESTDIR/dev" '.mounts |= map(if .destination == "/dev" then {"destination": "/dev", "type": "bind", "source": $d, "options": ["rbind"]} else . end)
		| .process.terminal = true'
	set_cmd sh -c 'echo tty=$(tty); stat -f -c "core=%T" /proc/sys/kernel/core_pattern; stat -c "console=%F %t" /dev/console; echo ptyfs=$(stat -f -c %T $(tty))'
	tty_recv "$TESTDIR/console.sock" "$TESTDIR/console"
	run hull_detached create --console-socket "$TESTDIR/console.sock" "$CTR"
	if [ "$status" -eq 0 ]; then
		hull start "$CTR"
		tty_wait "$TESTDIR/console"
		out=$(tr -d '\r' <"$TESTDIR/console")
		echo "$out" >&2
		[[ "$out" == *"tty=/dev/pts/"* ]] || fail "the process's tty: $out"
		[[ "$out" == *"ptyfs=devpts"* ]] || fail "the pty is not on devpts: $out"
		[[ "$out" == *"core=proc"* ]] || fail "core_pattern is no longer procfs in the container: $out"
	fi
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$core" ] || fail "the host's core_pattern changed"
	[ -L "$TESTDIR/dev/console" ] || fail "the image's /dev/console was replaced on the host"
}

# --- CVE-2026-41579 ----------------------------------------------------------------------------------------
# The attack: the image's /dev is itself a symlink (to the host's /dev, or out of the rootfs with `..`);
# a runtime following it mounts the container's /dev tmpfs and creates device nodes and /dev symlinks on
# the host.  hull: /dev is resolved inside the root like every destination, so the tmpfs and the nodes
# land inside the rootfs and the container still gets a working /dev.

# dev_symlink_attack TARGET: the image's /dev is a symlink to TARGET, which leads to $TESTDIR/outside;
# nothing may be made there, and hull's container still has its /dev/null
dev_symlink_attack() {
	mkdir "$TESTDIR/outside"
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s "$1" "$BUNDLE/rootfs/dev"
	set_cmd sh -c 'stat -c "null=%F %t:%T" /dev/null; stat -f -c "devfs=%T" /dev/'
	run hull run "$CTR"
	echo "$output" >&2
	if ! is_hull && [ -n "$(ls -A "$TESTDIR/outside")" ]; then
		skip "$(runtime_name) $("$HULL" --version | awk 'NR == 1 {print $3}') follows the image's /dev out of the rootfs (it made $(ls -A "$TESTDIR/outside" | tr '\n' ' ')there): vulnerable"
	fi
	[ -z "$(ls -A "$TESTDIR/outside")" ] || fail "the runtime wrote outside the rootfs: $(ls -A "$TESTDIR/outside")"
	# hull resolves the link inside the root, so the container works, with its /dev where the link leads
	is_hull && { [ "$status" -eq 0 ] || fail "run failed: $output"; }
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *"null=character special file 1:3"* ]] || fail "no null device in the container: $output"
	fi
}

@test "CVE-2026-41579: an image whose /dev is a symlink out of the rootfs still gets its /dev inside" {
	dev_symlink_attack ../../outside
}

@test "CVE-2026-41579: an image whose /dev is an absolute symlink to a host directory still gets its /dev inside" {
	dev_symlink_attack "$TESTDIR/outside"
}

# --- CVE-2023-25809 ----------------------------------------------------------------------------------------
# The attack: a container with a user namespace but no cgroup namespace mounts /sys/fs/cgroup; if the
# runtime makes that writable, root in the user namespace can write the cgroup files it was delegated
# (or create cgroups) beyond what the engine set.  hull: the cgroup mount is read-only as the config says
# (and binds only the container's own cgroup); nothing below /sys/fs/cgroup can be written.

@test "CVE-2023-25809: /sys/fs/cgroup is not writable in a user namespace without a cgroup namespace" {
	add_ns user
	del_ns cgroup
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	chown -R 100000:100000 "$BUNDLE/rootfs"
	set_cmd sh -c 'cat /proc/self/mountinfo | grep cgroup; for d in /sys/fs/cgroup $(find /sys/fs/cgroup -maxdepth 1 -mindepth 1 -type d); do mkdir $d/hull-sec-x 2>/dev/null && echo MKDIR $d; echo 1 > $d/hull-sec-file 2>/dev/null && echo WROTE $d; done; true'
	run hull run "$CTR"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" != *MKDIR* ]] || fail "cgroups can be created in the container: $output"
	[[ "$output" != *WROTE* ]] || fail "/sys/fs/cgroup is writable in the container: $output"
}

# --- CVE-2022-29162 ----------------------------------------------------------------------------------------
# The attack: `exec --cap X` made X inheritable too, so a file with inheritable file capabilities (or
# ambient set) executed later in that process gains X beyond the bounding set's intent.  hull: --cap adds
# to the bounding, effective, permitted and ambient sets only; CapInh stays what the config says (empty).

@test "CVE-2022-29162: exec --cap never sets inheritable capabilities" {
	runc_fixed_in 1.1.2 CVE-2022-29162
	set_cmd sleep 30
	run_d "$CTR"
	run hull exec --cap CAP_SYS_ADMIN --cap CAP_NET_ADMIN "$CTR" grep -E '^Cap(Inh|Prm|Eff)' /proc/self/status
	[ "$status" -eq 0 ]
	echo "$output" >&2
	[[ "$output" == *"CapInh:	0000000000000000"* ]] || fail "inheritable capabilities set: $output"
	# the flag did take effect elsewhere: CAP_SYS_ADMIN (21) is permitted
	prm=$(echo "$output" | awk '/^CapPrm/ {print $2}')
	(((0x$prm >> 21) & 1)) || fail "--cap CAP_SYS_ADMIN not applied: $output"
}

# Sets cg to a cgroup made on the host's cgroup2 hierarchy, owned by the container's root (as systemd
# delegates user.slice), and the config to a user namespace mapping that root without a cgroup namespace.
delegated_cgroup_in_userns() {
	cg=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
	[ -n "$cg" ] || return 1
	cg=$cg/hull-sec-${CTR}
	mkdir "$cg"
	chown -R 100000:100000 "$cg"
	add_ns user
	del_ns cgroup
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# run_delegated_cgroup_writes DIR HOW: the container tries to create a cgroup in, and to move itself into,
# the delegated cgroup, seen at DIR; both must fail, the container must run. Removes the cgroup.
run_delegated_cgroup_writes() {
	set_cmd sh -c "mkdir $1/escape && echo MKDIR; echo 0 > $1/cgroup.procs && echo WROTE; true"
	run hull run "$CTR"
	echo "$output" >&2
	rmdir "$cg/escape" 2>/dev/null || true
	rmdir "$cg"
	if ! is_hull && [[ "$output" == *MKDIR* ]]; then
		skip "$(runtime_name) $("$HULL" --version | awk 'NR == 1 {print $3}') leaves the delegated cgroup writable $2 too"
	fi
	[ "$status" -eq 0 ] || fail "create failed: $output"
	[[ "$output" != *MKDIR* ]] || fail "a cgroup was created in the host's delegated cgroup: $output"
	[[ "$output" != *WROTE* ]] || fail "the host's delegated cgroup is writable: $output"
}

# The second condition of the advisory: `runc spec --rootless` bind-mounts /sys with "rbind", "ro"; a
# read-only flag on the top mount alone leaves the host's /sys/fs/cgroup submounts writable, and a
# cgroup delegated to the user (as systemd does for user.slice) is then writable from the container.
# Here the delegated cgroup is made by the test, chowned to the container's root.
@test "CVE-2023-25809: a read-only rbind of /sys leaves no delegated host cgroup writable" {
	local cg
	delegated_cgroup_in_userns || skip "no cgroup2 hierarchy on this host"
	update_config '.mounts |= map(select(.destination != "/sys/fs/cgroup"))
		| .mounts |= map(if .destination == "/sys" then {"destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]} else . end)'
	chown -R 100000:100000 "$BUNDLE/rootfs"
	run_delegated_cgroup_writes "$cg" "through a read-only rbind of /sys"
}

# The defence fails closed: a /sys/fs/cgroup it cannot open as it is must not leave the cgroups writable.
# Here the rootfs's /sys/fs/cgroup is a symlink to /cg (no /sys mount hides it): the bind at /sys/fs/cgroup
# lands on /cg, and the read-only step must find it there (hull once opened it with O_NOFOLLOW, failed,
# and went on with the host's cgroups writable).
@test "CVE-2023-25809: a /sys/fs/cgroup symlink in the rootfs still leaves the cgroup bind read-only" {
	local cg
	delegated_cgroup_in_userns || skip "no cgroup2 hierarchy on this host"
	mkdir -p "$BUNDLE/rootfs/cg" "$BUNDLE/rootfs/sys/fs"
	ln -sfn /cg "$BUNDLE/rootfs/sys/fs/cgroup"
	update_config '.mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))
		| .mounts += [{"destination": "/sys/fs/cgroup", "type": "bind", "source": "'"${cg%/*}"'", "options": ["rbind", "nosuid", "noexec", "nodev"]}]'
	chown -R 100000:100000 "$BUNDLE/rootfs"
	run_delegated_cgroup_writes "/cg/${cg##*/}" "behind a /sys/fs/cgroup symlink"
}
