# helpers.bash - shared setup, teardown and helpers for hull's integration tests.
#
# Every test gets a private directory TESTDIR (under /tmp) holding:
#   $ROOT    the --root state directory given to every runtime call
#   $BUNDLE  an OCI bundle made by tests/lib/make-bundle.sh (cwd of the test)
#   $OUT     a directory bind-mountable into containers to get results out
# and teardown kills and deletes whatever the test left, then fails the test if
# any mount, process or cgroup it made is still there.
#
# The runtime under test is $HULL (default: <repo>/build/hull).  Set
# HULL=/usr/sbin/runc to check the tests themselves against runc.

bats_require_minimum_version 1.5.0

# A hung runtime must not hang the suite: a hang guard, never a verdict on speed.  A slow build (ASan, an
# emulated VM) sets HULL_TIME_SCALE to widen it.
: "${BATS_TEST_TIMEOUT:=$((60 * ${HULL_TIME_SCALE:-1}))}"

INTEGRATION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(git -C "$INTEGRATION_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$INTEGRATION_DIR/../.." && pwd))
MAKE_BUNDLE=$REPO_ROOT/tests/lib/make-bundle.sh
: "${HULL:=$REPO_ROOT/build/hull}"
RUNC_BIN=${RUNC_BIN:-/usr/sbin/runc}
# tests/helpers/ttyhelper from the build hull comes from (build/ when the runtime under test is not ours)
if [ -z "${TTYHELPER:-}" ]; then
	TTYHELPER=$(dirname "$HULL")/tests/helpers/ttyhelper
	[ -x "$TTYHELPER" ] || TTYHELPER=$REPO_ROOT/build/tests/helpers/ttyhelper
fi
CRUN_WRAPPER=$INTEGRATION_DIR/../lib/crun-hybrid.sh
# tries N: the number of 0.1 s polls of a bounded wait, N on this host, widened by HULL_TIME_SCALE for a slow
# build (ASan, an emulated VM): a wait is a hang guard, never a verdict on speed.
tries() { echo $(($1 * ${HULL_TIME_SCALE:-1})); }

# Per-command bound, so that a runtime that hangs fails with 124 instead.
: "${HULL_CMD_TIMEOUT:=60}"

# Which runtime is under test: hull, runc or crun (from the first line of --version).
runtime_name() {
	if [ -z "${RUNTIME_NAME:-}" ]; then
		RUNTIME_NAME=$("$HULL" --version 2>/dev/null | awk 'NR==1 {print $1; exit}')
		case "$RUNTIME_NAME" in hull | runc | crun) ;; *) RUNTIME_NAME=hull ;; esac
	fi
	echo "$RUNTIME_NAME"
}

is_hull() { [ "$(runtime_name)" = hull ]; }

# requires_hull REASON: the check is about hull's own formats or promises and
# does not apply when the suite is pointed at runc or crun for validation.
requires_hull() {
	is_hull || skip "$(runtime_name) under test: $*"
}

# requires_feature WHAT: a spec feature that the reference runtimes (runc 1.1,
# crun 1.8) lack.  Never skipped for hull.
requires_feature() {
	is_hull || skip "$(runtime_name) lacks $*"
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# ---------------------------------------------------------------------------
# setup / teardown

# The bundle made by make-bundle.sh is copied from a template built once per
# bats run (making it takes a third of a second; copying it, a few ms).
bundle_template() {
	local tpl=${BATS_RUN_TMPDIR:?}/bundle-template
	if [ ! -f "$tpl/config.json" ]; then
		local tmp
		tmp=$(mktemp -d "$BATS_RUN_TMPDIR/bundle-template.XXXXXX")
		"$MAKE_BUNDLE" "$tmp" >&2 || return 1
		mv -T "$tmp" "$tpl" 2>/dev/null || rm -rf "$tmp"
	fi
	echo "$tpl"
}

# Cgroup directories named after this test's container ids.
cgroup_snapshot() {
	find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -name "*${CTR}*" 2>/dev/null | sort
}

setup_hull() {
	[ -x "$HULL" ] || fail "runtime under test HULL=$HULL is not an executable (build it: meson setup build && ninja -C build)"
	TESTDIR=$(mktemp -d /tmp/hull-it.XXXXXX)
	chmod 755 "$TESTDIR"
	ROOT=$TESTDIR/root
	BUNDLE=$TESTDIR/bundle
	OUT=$TESTDIR/out
	mkdir -p "$OUT"
	chmod 777 "$OUT"
	# Processes started for this test (runtime, container, hooks) carry this
	# variable, so teardown can find any that outlived their container.
	TAG=HULL_TEST_TAG=${TESTDIR##*/}
	# Container ids are unique to the test: the cgroups of a container
	# without cgroupsPath are named after its id, host-wide.
	CTR=hit_${TESTDIR##*.}
	CTR2=${CTR}_2
	TEST_MOUNTS=()
	TEST_NETNS=()
	BG_PIDS=()
	cp -a "$(bundle_template)" "$BUNDLE"
	chmod 755 "$BUNDLE"
	update_config --arg tag "$TAG" '.process.env += [$tag]'
	cgroup_snapshot >"$TESTDIR/cgroups.before"
	cd "$BUNDLE" || return 1
}

# Pids of processes started for this test and still there: their environment
# holds the tag or a state directory below TESTDIR (runc's init, before it
# execs the process, has only _LIBCONTAINER_STATEDIR=$ROOT/ID).  Not TESTDIR
# itself: PWD and OLDPWD of the test's own commands hold it.
tagged_pids() {
	grep -lsF -e "$TAG" -e "$TESTDIR/root" -e "STATEDIR=$TESTDIR/" /proc/[0-9]*/environ 2>/dev/null |
		awk -F/ -v self="$$" '$3 != self {print $3}'
}

# Mount points below TESTDIR in the host mount namespace.
testdir_mounts() {
	awk -v d="$TESTDIR" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo
}

# Mounts in the host mount namespace that involve TESTDIR (as mount point or
# as bind source) and that the test did not make on purpose (TEST_MOUNTS).
# Only TESTDIR is looked at: other tests and sessions may mount things
# elsewhere on this machine at the same time.
unexpected_mounts() {
	grep -F "$TESTDIR" /proc/self/mountinfo | awk '{print $5}' | while read -r m; do
		local known=0 t
		for t in "${TEST_MOUNTS[@]}"; do
			[ "$m" = "$t" ] && known=1
		done
		[ "$known" = 1 ] || echo "$m"
	done
}

teardown_hull() {
	[ -n "${TESTDIR:-}" ] && [ -d "$TESTDIR" ] || return 0
	cd / || true
	local problems=() id p i n
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -s "$TESTDIR/transcript" ]; then
		echo "# runtime commands of this test:" >&2
		tail -c 6000 "$TESTDIR/transcript" >&2
	fi

	for p in "${BG_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
	done

	# Containers the runtime still knows about, in $ROOT and in any other
	# root the test used below TESTDIR.
	local r
	for r in "$ROOT" "$TESTDIR"/root*; do
		[ -d "$r" ] || continue
		for id in $("$HULL" --root "$r" list -q 2>/dev/null) $(ls "$r" 2>/dev/null); do
			[ -d "$r/$id" ] || continue
			timeout 20 "$HULL" --root "$r" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
		done
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done

	# Processes left behind.
	for i in $(seq 50); do
		n=$(tagged_pids)
		[ -z "$n" ] && break
		[ "$i" = 1 ] && problems+=("processes left behind: $(for p in $n; do printf '%s(%s) ' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"; done)")
		kill -9 $n 2>/dev/null
		sleep 0.1
	done

	# Mounts and network namespaces the test made on purpose go first.
	for ((i = ${#TEST_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${TEST_MOUNTS[i]}" 2>/dev/null
	done
	for n in "${TEST_NETNS[@]}"; do
		ip netns delete "$n" 2>/dev/null
	done
	n=$(grep -c "$TESTDIR" /proc/self/mountinfo)
	if [ "$n" != 0 ]; then
		problems+=("$n mounts left below $TESTDIR: $(testdir_mounts | tr '\n' ' ')")
		for i in $(seq 20); do
			p=$(testdir_mounts | sort -r)
			[ -z "$p" ] && break
			for n in $p; do umount -l "$n" 2>/dev/null; done
		done
	fi

	# Cgroups left behind.
	cgroup_snapshot >"$TESTDIR/cgroups.after"
	local leaked
	leaked=$(comm -13 "$TESTDIR/cgroups.before" "$TESTDIR/cgroups.after")
	if [ -n "$leaked" ]; then
		problems+=("cgroups left behind: $(echo $leaked)")
		echo "$leaked" | sort -r | while read -r p; do rmdir "$p" 2>/dev/null; done
	fi

	if [ -z "$(testdir_mounts)" ]; then
		rm -rf --one-file-system "$TESTDIR"
	else
		problems+=("could not unmount everything; left $TESTDIR")
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		printf 'teardown: %s\n' "${problems[@]}" >&2
		return 1
	fi
}

setup() { setup_hull; }
teardown() { teardown_hull; }

# ---------------------------------------------------------------------------
# running the runtime

# hull ARGS...: the runtime with this test's --root, for commands that do not
# leave a container process holding stdout: state, list, kill, delete, start,
# spec, features and a foreground run.  Output is passed on after the command
# ends (stdout, then stderr).
hull() {
	local rc=0
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@" \
		>"$TESTDIR/last.out" 2>"$TESTDIR/last.err" 3>&- || rc=$?
	cat "$TESTDIR/last.out"
	cat "$TESTDIR/last.err" >&2
	log_cmd "$rc" "$@"
	return $rc
}

# log_cmd RC ARGS...: keep a transcript, printed by teardown if the test failed.
log_cmd() {
	local rc=$1
	shift
	{
		echo "\$ hull $* => $rc"
		cat "$TESTDIR/last.out" "$TESTDIR/last.err" | head -c 2000 | awk '{print "  " $0}'
	} >>"$TESTDIR/transcript"
}

# hull_detached ARGS...: for create and run -d.  The container inherits the
# runtime's stdio (terminal is false), so stdout/stderr go to files
# ($TESTDIR/ctr.stdout, $TESTDIR/ctr.stderr) that outlive the runtime, not to a
# pipe that bats would wait on.  Prints what was written during the call.
hull_detached() {
	local o e rc=0
	o=$(stat -c %s "$TESTDIR/ctr.stdout" 2>/dev/null || echo 0)
	e=$(stat -c %s "$TESTDIR/ctr.stderr" 2>/dev/null || echo 0)
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@" \
		</dev/null >>"$TESTDIR/ctr.stdout" 2>>"$TESTDIR/ctr.stderr" 3>&- || rc=$?
	tail -c +$((o + 1)) "$TESTDIR/ctr.stdout" >"$TESTDIR/last.out"
	tail -c +$((e + 1)) "$TESTDIR/ctr.stderr" >"$TESTDIR/last.err"
	cat "$TESTDIR/last.out"
	cat "$TESTDIR/last.err" >&2
	log_cmd "$rc" "$@"
	return $rc
}

# hull_bg ARGS...: start a foreground runtime command in the background (e.g.
# a foreground run to be killed); its pid is in BG_PID and its stdout,
# stderr and exit code end up in $TESTDIR/bg.$BG_PID.{out,err,rc}.
hull_bg() {
	(
		me=$BASHPID rc=0
		env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@" \
			</dev/null >"$TESTDIR/bg.$me.out" 2>"$TESTDIR/bg.$me.err" 3>&- || rc=$?
		echo "$rc" >"$TESTDIR/bg.$me.rc.tmp"
		mv "$TESTDIR/bg.$me.rc.tmp" "$TESTDIR/bg.$me.rc"
	) 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# bg_wait PID: wait for a hull_bg command; sets status and output like run.
bg_wait() {
	wait "$1" 2>/dev/null || true
	status=$(cat "$TESTDIR/bg.$1.rc" 2>/dev/null || echo 255)
	output=$(cat "$TESTDIR/bg.$1.out" "$TESTDIR/bg.$1.err" 2>/dev/null)
	{
		echo "\$ (background hull command, pid $1) => $status"
		echo "$output" | head -c 2000 | awk '{print "  " $0}'
	} >>"$TESTDIR/transcript"
}

# tty_recv SOCKET OUT [ttyhelper options]: a console-socket receiver listening on SOCKET in the
# background; what the container prints goes to OUT, the name sent with the fd and the pty number to
# OUT.name.  Killed by teardown if still there.
tty_recv() {
	local sock=$1 out=$2
	shift 2
	[ -x "$TTYHELPER" ] || fail "no ttyhelper at $TTYHELPER (ninja -C build)"
	env "$TAG" "$TTYHELPER" recv -d -p "$out.pid" -n "$out.name" -o "$out" "$@" "$sock" 3>&- ||
		fail "ttyhelper recv failed"
	BG_PIDS+=("$(cat "$out.pid")")
}

# tty_wait OUT: until the receiver of OUT has seen the terminal close (bounded).
tty_wait() {
	local pid i
	pid=$(cat "$1.pid")
	for i in $(seq "$(tries 150)"); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	fail "the console receiver is still waiting; it got: $(cat "$1")"
}

# split_opts OPTS... -- ARGS...: sets the caller's arrays OPTS (the words before the first --) and ARGS
# (the words after it); the caller declares them local.
split_opts() {
	OPTS=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		OPTS+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	ARGS=("$@")
}

# tty_run [ttyhelper options] -- RUNTIME-ARGS...: the runtime (with this test's --root) on a fresh pty,
# as a person at a terminal would run it; sets status and output (what the terminal showed).
tty_run() {
	local -a OPTS ARGS
	split_opts "$@"
	[ -x "$TTYHELPER" ] || fail "no ttyhelper at $TTYHELPER (ninja -C build)"
	status=0
	env "$TAG" timeout -k 5 "$HULL_CMD_TIMEOUT" "$TTYHELPER" run -o "$TESTDIR/tty.out" "${OPTS[@]}" -- \
		"$HULL" --root "$ROOT" "${ARGS[@]}" </dev/null 2>"$TESTDIR/tty.err" 3>&- || status=$?
	output=$(tr -d '\r' <"$TESTDIR/tty.out")
	{
		echo "\$ (on a pty) hull $* => $status"
		{ echo "$output"; cat "$TESTDIR/tty.err"; } | head -c 2000 | awk '{print "  " $0}'
	} >>"$TESTDIR/transcript"
}

# ---------------------------------------------------------------------------
# bundles

# update_config [JQ-OPTIONS...] FILTER: edit $BUNDLE/config.json (or the
# config.json of the bundle in $CONFIG_BUNDLE) with jq.
update_config() {
	local cfg=${CONFIG_BUNDLE:-$BUNDLE}/config.json
	jq "$@" "$cfg" >"$cfg.new" && mv "$cfg.new" "$cfg"
}

# set_cmd ARG...: the container's process.args.
set_cmd() {
	local args
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -s -c .)
	update_config --argjson a "$args" '.process.args = $a'
}

# bind_out [DEST]: bind-mount $OUT read-write at DEST (default /out).
bind_out() {
	update_config --arg src "$OUT" --arg dst "${1:-/out}" \
		'.mounts += [{"destination": $dst, "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
}

# del_ns TYPE: remove a namespace from the config (the host's is shared).
del_ns() {
	update_config --arg t "$1" 'del(.linux.namespaces[] | select(.type == $t))'
}

# add_ns TYPE [PATH]
add_ns() {
	if [ -n "${2:-}" ]; then
		update_config --arg t "$1" --arg p "$2" 'del(.linux.namespaces[] | select(.type == $t)) | .linux.namespaces += [{"type": $t, "path": $p}]'
	else
		update_config --arg t "$1" 'del(.linux.namespaces[] | select(.type == $t)) | .linux.namespaces += [{"type": $t}]'
	fi
}

# refused_in_host_ns TYPE WANT RUNC_SKIP: with the host's namespace TYPE (network, ipc, uts) joined by path and what
# the test configured before, create is refused with an error matching the glob *WANT* and leaves nothing. A runtime other
# than hull that accepts it (runc 1.1.5 does for some) is skipped with RUNC_SKIP, or fails when that is empty.
refused_in_host_ns() {
	local type=$1 want=$2 runc_skip=$3 ns=$1
	[ "$type" = network ] && ns=net
	add_ns "$type" "/proc/$$/ns/$ns"
	set_cmd true
	run hull_detached create "$CTR"
	if ! is_hull && [ "$status" -eq 0 ] && [ -n "$runc_skip" ]; then
		skip "$runc_skip"
	fi
	[ "$status" -ne 0 ] || fail "create acted in the host's $type namespace"
	[[ "$output" == *$want* ]] || fail "error: $output"
	assert_nothing_left "$CTR"
}

# ---------------------------------------------------------------------------
# containers

# state_of ID [FIELD]: the state JSON, or one field of it (raw).
state_of() {
	if [ -n "${2:-}" ]; then
		hull state "$1" 2>/dev/null | jq -r ".$2"
	else
		hull state "$1"
	fi
}

status_of() { state_of "$1" status; }
pid_of() { state_of "$1" pid; }

# wait_for_status ID STATUS [TRIES]: bounded wait (TRIES x 0.1s, default 100, scaled).
wait_for_status() {
	local i s
	for i in $(seq "${3:-$(tries 100)}"); do
		s=$(status_of "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	fail "container $1 is '$s', not '$2'"
}

# wait_for_file FILE [TRIES]: until FILE exists and is not empty.
wait_for_file() {
	local i
	for i in $(seq "${2:-$(tries 100)}"); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 did not appear"
}

# wait_gone PID [TRIES]: until the process is gone (or a zombie).
wait_gone() {
	local i
	for i in $(seq "${2:-$(tries 100)}"); do
		pid_alive "$1" || return 0
		sleep 0.1
	done
	fail "process $1 still alive"
}

# pid_alive PID: exists and is not a zombie.
pid_alive() {
	[ -n "$1" ] && [ "$1" != 0 ] && [ "$1" != null ] || return 1
	local st
	st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# create_ctr ID [ARGS...]: create in $BUNDLE, asserting success.
create_ctr() {
	run hull_detached create "$@"
	[ "$status" -eq 0 ] || fail "create $* failed ($status): $output"
}

# run_d ID [ARGS...]: run --detach in $BUNDLE, asserting success.
run_d() {
	run hull_detached run -d "$@"
	[ "$status" -eq 0 ] || fail "run -d $* failed ($status): $output"
}

# cg_dir_of ID CONTROLLER: container ID's directory in a v1 hierarchy, or in the v2 tree on a v2 host.
cg_dir_of() {
	local pid line
	pid=$(pid_of "$1")
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		line=$(grep '^0::' "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup${line#0::}"
		return
	fi
	line=$(grep -E "^[0-9]+:([^:]*,)?$2(,[^:]*)?:" "/proc/$pid/cgroup")
	echo "/sys/fs/cgroup/$2${line##*:}"
}

# host_ns NAME: the host's namespace link, e.g. net:[4026531840].
host_ns() { readlink "/proc/self/ns/$1"; }

# assert_nothing_left ID: nothing of ID is left: no state, no mounts, no process.
assert_nothing_left() {
	local id=$1 i
	[ ! -e "$ROOT/$id" ] || fail "state directory $ROOT/$id left behind"
	run hull state "$id"
	[ "$status" -ne 0 ] || fail "state $id still succeeds: $output"
	local m
	m=$(unexpected_mounts)
	[ -z "$m" ] || fail "mounts left behind: $m"
	for i in $(seq "$(tries 30)"); do
		[ -z "$(tagged_pids)" ] && return 0
		sleep 0.1
	done
	fail "processes left behind: $(tagged_pids)"
}
