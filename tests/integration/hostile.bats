#!/usr/bin/env bats
# Hostile configs (tests/hostile/, described in its README.md): each case must
# make create fail with one clear error (or, for the few .ok cases, succeed with
# its effect inside the rootfs), leave no state, process, mount or cgroup, and
# change nothing on the host.

# The corpus runs in one test, which reports every failing case at once.
: "${BATS_TEST_TIMEOUT:=$((900 * ${HULL_TIME_SCALE:-1}))}"
load helpers

HOSTILE_DIR=$REPO_ROOT/tests/hostile
MIN_CASES=50
# A create that has not answered by then hangs.
: "${HOSTILE_CMD_TIMEOUT:=$((30 * ${HULL_TIME_SCALE:-1}))}"
# Host-wide sysctls (and the host's own uts names) a runtime could write through the container's /proc/sys.
HOST_SYSCTLS=(kernel/hostname kernel/domainname vm/swappiness vm/overcommit_memory kernel/pid_max fs/file-max
	kernel/shmmax kernel/msgmax net/ipv4/ip_forward)
# Host files whose owner, mode, size or mtime must not change, and device nodes (whose
# mtime changes with use, e.g. /dev/ptmx whenever anyone opens a pty) whose type, owner and mode must not.
HOST_FILES=(/ /etc /etc/passwd /etc/shadow /etc/group /etc/hostname /etc/hosts /bin/sh /root /sys/fs/cgroup)
HOST_DEVICES=(/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/ptmx)

hostile_cases() {
	find "$HOSTILE_DIR" -maxdepth 1 -type f -regextype egrep -regex '.*/[0-9]+-[^/]*\.(jq|json|sh)' -printf '%f\n' | sort
}

# What a hostile config could change on the host.  Mounts below /tmp, /run and
# /var/lib are left out: other tests and sessions on this machine make and
# remove theirs meanwhile (this test's own are checked through TESTDIR).
host_snapshot() {
	stat -c '%n %F %u %g %a %s %Y %i' "${HOST_FILES[@]}" 2>&1
	stat -c '%n %F %u %g %a %t:%T %i' "${HOST_DEVICES[@]}" 2>&1
	local f v
	for f in "${HOST_SYSCTLS[@]}"; do
		v="(unreadable)"
		read -r v 2>/dev/null <"/proc/sys/$f"
		echo "$f=$v"
	done
	find "$CANARY" -printf '%p %y %m %u %g %s %T@\n' | sort
	awk '$5 !~ "^/(tmp|run|var/lib)/" {print $5, $6}' /proc/self/mountinfo | sort
	hostile_droppings
}

# Paths the cases name "hostile-canary..." that must never appear on the host.
hostile_droppings() {
	# (find fails when a directory of another test vanishes under it)
	find / /etc /tmp /dev /root /sys/fs/cgroup -maxdepth 1 -name '*hostile-canary*' 2>/dev/null || true
	find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -name '*hostile-canary*' 2>/dev/null || true
}

save_sysctls() {
	local f
	SAVED_SYSCTLS=()
	for f in "${HOST_SYSCTLS[@]}"; do
		SAVED_SYSCTLS+=("$f=$(cat "/proc/sys/$f" 2>/dev/null)")
	done
}

# Puts back host sysctls a case changed, so that one bug does not spoil the host for the others.
restore_sysctls() {
	local kv
	for kv in "${SAVED_SYSCTLS[@]}"; do
		[ "$(cat "/proc/sys/${kv%%=*}" 2>/dev/null)" = "${kv#*=}" ] || echo "${kv#*=}" >"/proc/sys/${kv%%=*}" 2>/dev/null
	done
}

PROBLEMS=()
problem() { PROBLEMS+=("$*"); }

# Removes whatever a case left, after it was reported.
clean_case() {
	local id=$1 b=$2 p m i
	timeout 20 "$HULL" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
	for i in $(seq 20); do
		p=$(tagged_pids)
		[ -z "$p" ] && break
		kill -9 $p 2>/dev/null
		sleep 0.1
	done
	for i in $(seq 10); do
		m=$(awk -v d="$b" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
		[ -z "$m" ] && break
		for p in $m; do umount -l "$p" 2>/dev/null; done
	done
	find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -depth -type d \( -name "*$id*" -o -name '*hostile-canary*' \) -exec rmdir {} \; 2>/dev/null || true
	for p in $(hostile_droppings); do
		[ ! -d "$p" ] || rmdir "$p" 2>/dev/null || true
	done
	rm -rf "$CANARY"
	make_canary
	restore_sysctls
	rm -rf --one-file-system "$b" "$b".out "$b".err
}

make_canary() {
	mkdir -p "$CANARY/dir"
	echo "host data" >"$CANARY/file"
	touch -d '2001-01-01' "$CANARY/file" "$CANARY/dir" "$CANARY"
}

# run_case FILE: one case; adds to PROBLEMS what went wrong.
run_case() {
	local name=$1 base=${1%.*} kind=fail
	case "$base" in
	*.ok) kind=ok ;;
	esac
	local n=${name%%-*}
	local id=${CTR}_$n b=$TESTDIR/b$n f=$HOSTILE_DIR/$name
	local cfg=$b/config.json setup=$HOSTILE_DIR/$base.setup check=$HOSTILE_DIR/$base.check
	cp -a "$BUNDLE" "$b"
	case "$name" in
	*.jq) jq --arg canary "$CANARY" --arg id "$id" -f "$f" "$cfg" >"$cfg.new" ;;
	*.json) cp "$f" "$cfg.new" ;;
	*.sh) CANARY=$CANARY bash -e "$f" "$cfg" >"$cfg.new" ;;
	esac || {
		problem "$name: could not make its config"
		rm -rf "$b"
		return
	}
	mv "$cfg.new" "$cfg"
	if [ -f "$setup" ] && ! (cd "$b" && CANARY=$CANARY ID=$id bash -e "$setup"); then
		problem "$name: its setup failed"
		rm -rf "$b"
		return
	fi
	local expect
	expect=$(sed -n 's/^# expect: //p' "$f" "$setup" "$HOSTILE_DIR/$base.expect" 2>/dev/null | head -1)

	local after rc=0 err problems=${#PROBLEMS[@]}
	env "$TAG" timeout -k 5 "$HOSTILE_CMD_TIMEOUT" "$HULL" --root "$ROOT" create --bundle "$b" "$id" \
		</dev/null >"$b.out" 2>"$b.err" 3>&- || rc=$?
	err=$(head -c 600 "$b.err")
	local lines
	lines=$(wc -l <"$b.err")
	echo "\$ create $name => $rc: $err" | head -c 800 >>"$TESTDIR/transcript"
	echo >>"$TESTDIR/transcript"
	# HOSTILE_VERBOSE=1 shows what the runtime said to every case.
	[ -z "${HOSTILE_VERBOSE:-}" ] || echo "# $name => $rc: $(head -1 "$b.err" | cut -c1-300)" >&3

	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		problem "$name: create hung (killed after ${HOSTILE_CMD_TIMEOUT}s)"
	elif [ "$rc" -ge 128 ]; then
		problem "$name: create crashed (exit $rc, signal $((rc - 128))): $err"
	fi
	if grep -qE 'Sanitizer|runtime error:' "$b.err"; then
		problem "$name: sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error:' "$b.err")"
	fi
	case "$kind" in
	fail)
		[ "$rc" -ne 0 ] || problem "$name: create succeeded"
		;;
	ok)
		if [ "$rc" -ne 0 ]; then
			problem "$name: create failed ($rc), it should succeed: $err"
		elif [ -f "$check" ] && ! (cd "$b" && CANARY=$CANARY ID=$id bash -e "$check"); then
			problem "$name: created, but its effect is not inside the rootfs ($(basename "$check") failed)"
		fi
		;;
	esac
	if [ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] && [ "$kind" != ok ] && is_hull; then
		if [ "$rc" -ne 1 ]; then
			problem "$name: create exited $rc, expected 1: $err"
		elif [ "$lines" -ne 1 ] || [[ "$err" != "hull: "?* ]]; then
			problem "$name: expected one line 'hull: ...' on stderr, got $lines: $err"
		elif [ -z "$expect" ]; then
			problem "$name: the case states no '# expect:' text for its error"
		elif [[ "$err" != *"$expect"* ]]; then
			problem "$name: the error does not mention '$expect': $err"
		fi
	fi

	# A container that was created is deleted; after that nothing may be left.
	if [ "$rc" -eq 0 ]; then
		local drc=0
		env "$TAG" timeout -k 5 "$HOSTILE_CMD_TIMEOUT" "$HULL" --root "$ROOT" delete --force "$id" \
			</dev/null >"$b.out" 2>"$b.err" 3>&- || drc=$?
		[ "$drc" -eq 0 ] || problem "$name: delete failed ($drc): $(head -c 300 "$b.err")"
	fi
	local left=() i p
	[ ! -e "$ROOT/$id" ] || left+=("state directory $ROOT/$id")
	for i in $(seq "$(tries 30)"); do
		p=$(tagged_pids)
		[ -z "$p" ] && break
		sleep 0.1
	done
	[ -z "$p" ] || left+=("processes $(for i in $p; do printf '%s(%s) ' "$i" "$(tr '\0' ' ' <"/proc/$i/cmdline" 2>/dev/null)"; done)")
	p=$(awk -v d="$TESTDIR" 'index($5, d) == 1 || index($4, d) == 1 {print $5}' /proc/self/mountinfo)
	[ -z "$p" ] || left+=("mounts $(echo $p)")
	p=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -type d -name "*$id*" 2>/dev/null || true)
	[ -z "$p" ] || left+=("cgroups $(echo $p)")
	[ ${#left[@]} -eq 0 ] || problem "$name: left behind: ${left[*]}"

	after=$(host_snapshot)
	if [ "$HOST_BEFORE" != "$after" ]; then
		problem "$name: the host changed: $(diff <(echo "$HOST_BEFORE") <(echo "$after") | grep '^[<>]' | head -8 | tr '\n' ';')"
	fi
	# a case that was created, or that left or changed anything, is cleaned up after, and the host
	# snapshot the next case is compared with is taken again
	if [ "$rc" -eq 0 ] || [ "${#PROBLEMS[@]}" -ne "$problems" ]; then
		clean_case "$id" "$b"
		HOST_BEFORE=$(host_snapshot)
	else
		rm -rf --one-file-system "$b" "$b".out "$b".err
	fi
}

@test "the hostile corpus has at least $MIN_CASES cases" {
	n=$(hostile_cases | wc -l)
	[ "$n" -ge "$MIN_CASES" ] || fail "only $n cases in $HOSTILE_DIR"
	# Every companion file belongs to a case.
	for c in "$HOSTILE_DIR"/*.setup "$HOSTILE_DIR"/*.check "$HOSTILE_DIR"/*.expect; do
		base=${c%.*}
		[ -n "$(ls "$base".jq "$base".json "$base".sh 2>/dev/null)" ] || fail "$(basename "$c") belongs to no case"
	done
}

@test "every hostile config fails create cleanly and leaves the host unchanged" {
	CANARY=$TESTDIR/canary
	make_canary
	save_sysctls
	local c count=0
	# what the host looks like with nothing of the corpus run: each case must leave it so
	HOST_BEFORE=$(host_snapshot)
	for c in $(hostile_cases); do
		run_case "$c"
		count=$((count + 1))
	done
	restore_sysctls
	echo "# $count cases, ${#PROBLEMS[@]} problems" >&3
	if [ ${#PROBLEMS[@]} -gt 0 ]; then
		printf '%s\n' "${PROBLEMS[@]}" >&2
		fail "${#PROBLEMS[@]} problems in $count hostile cases"
	fi
}

@test "hostile container ids are refused, leaving nothing and changing nothing" {
	CANARY=$TESTDIR/canary
	make_canary
	local long id rc before after bad=()
	long=$(printf 'a%.0s' $(seq 5000))
	before=$(host_snapshot)
	for id in "../hostile-canary-id" "../../../../../../hostile-canary-id" "a/b" "/hostile-canary-id" "" "." ".." \
		"$long" $'hostile\ncanary' "hostile canary" "x:y" "~root" '$(touch hostile-canary-id)' "a*"; do
		rc=0
		env "$TAG" timeout -k 5 "$HOSTILE_CMD_TIMEOUT" "$HULL" --root "$ROOT" create --bundle "$BUNDLE" "$id" \
			</dev/null >"$TESTDIR/id.out" 2>"$TESTDIR/id.err" 3>&- || rc=$?
		local shown=${id:0:40}
		if [ "$rc" -eq 0 ]; then
			bad+=("id '$shown' was accepted")
			timeout 20 "$HULL" --root "$ROOT" delete --force "$id" >/dev/null 2>&1
		elif [ "$rc" -ge 124 ]; then
			bad+=("id '$shown': create exited $rc")
		elif is_hull && { [ "$(wc -l <"$TESTDIR/id.err")" -ne 1 ] || [[ "$(cat "$TESTDIR/id.err")" != "hull: "?* ]]; }; then
			bad+=("id '$shown': not one 'hull: ' line: $(head -c 300 "$TESTDIR/id.err")")
		fi
		grep -qE 'Sanitizer|runtime error:' "$TESTDIR/id.err" && bad+=("id '$shown': sanitizer report")
	done
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || bad+=("left in the state root: $(ls -A "$ROOT")")
	[ ! -e "$TESTDIR/hostile-canary-id" ] || bad+=("$TESTDIR/hostile-canary-id was made")
	[ ! -e "$BUNDLE/hostile-canary-id" ] || bad+=("$BUNDLE/hostile-canary-id was made")
	[ -z "$(tagged_pids)" ] || bad+=("processes left: $(tagged_pids)")
	[ -z "$(unexpected_mounts)" ] || bad+=("mounts left: $(unexpected_mounts)")
	after=$(host_snapshot)
	[ "$before" = "$after" ] || bad+=("the host changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -8 | tr '\n' ';')")
	if [ ${#bad[@]} -gt 0 ]; then
		printf '%s\n' "${bad[@]}" >&2
		fail "${#bad[@]} problems with hostile ids"
	fi
}
