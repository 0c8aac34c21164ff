# rootless.bash - a real non-root user for the rootless tests (rootless.bats, podman-rootless.bats):
# made in setup_file with its own /etc/subuid and /etc/subgid range and an XDG_RUNTIME_DIR (0700, theirs),
# removed whole in teardown_file (user, home, subid lines, runtime dir), so the machine is left as found.

# How many subordinate ids the user gets (podman's --userns=auto wants 65536 at least).
RL_SUBIDS=131072

# A subordinate id range no line of /etc/subuid or /etc/subgid uses yet.
rl_free_subid_start() {
	cat /etc/subuid /etc/subgid 2>/dev/null |
		awk -F: 'NF >= 3 { e = $2 + $3; if (e > m) m = e } END { print (m > 1000000 ? m : 1000000) }'
}

# rl_user_create: the user RL_USER (uid RL_UID, gid RL_GID), its range RL_SUBID (size RL_SUBIDS) and its
# runtime dir RL_XDG.  The name carries the pid of this bats run: a run never removes another's user.
rl_user_create() {
	RL_USER=hullrl$$
	useradd --create-home --user-group --shell /bin/sh "$RL_USER"
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	RL_HOME=$(getent passwd "$RL_USER" | cut -d: -f6)
	# useradd may have given a range of its own (login.defs SUB_UID_COUNT): one range, ours, known
	sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
	RL_SUBID=$(rl_free_subid_start)
	echo "$RL_USER:$RL_SUBID:$RL_SUBIDS" >>/etc/subuid
	echo "$RL_USER:$RL_SUBID:$RL_SUBIDS" >>/etc/subgid
	RL_XDG=/run/user/$RL_UID
	RL_XDG_MADE=0
	RL_RUN_USER_MADE=0
	[ -d /run/user ] || RL_RUN_USER_MADE=1
	if [ ! -d "$RL_XDG" ]; then
		mkdir -p "$RL_XDG"
		RL_XDG_MADE=1
	fi
	chown "$RL_USER:$RL_USER" "$RL_XDG"
	chmod 700 "$RL_XDG"
	export RL_USER RL_UID RL_GID RL_HOME RL_SUBID RL_XDG RL_XDG_MADE RL_RUN_USER_MADE
}

# rl_user_remove: everything rl_user_create added; what the user's processes left is killed by uid first
# (only this user's: pkill -U names one uid, never a pattern).
rl_user_remove() {
	[ -n "${RL_USER:-}" ] || return 0
	if id -u "$RL_USER" >/dev/null 2>&1; then
		pkill -KILL -U "$RL_UID" 2>/dev/null
		local i
		for i in $(seq 50); do
			pgrep -U "$RL_UID" >/dev/null || break
			sleep 0.1
		done
		userdel --remove "$RL_USER" 2>/dev/null
		# files of the user's subordinate ids (podman's storage) are not the user's: userdel leaves them
		[ -n "$RL_HOME" ] && [ "$RL_HOME" != / ] && rm -rf --one-file-system "$RL_HOME"
	fi
	sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
	getent group "$RL_USER" >/dev/null && groupdel "$RL_USER" 2>/dev/null
	[ "$RL_XDG_MADE" = 1 ] && rm -rf --one-file-system "$RL_XDG"
	[ "$RL_RUN_USER_MADE" = 1 ] && rmdir /run/user 2>/dev/null
	[ -n "${RL_BIN:-}" ] && rm -rf "$RL_BIN"
	return 0
}

# as_user CMD...: CMD as RL_USER with its runtime dir, tagged for teardown (unless RL_UNTAGGED is set: rootless
# podman leaves its pause process behind on purpose), bounded in time; from / when the user cannot enter the
# current directory (a checkout under /root).
as_user() (
	local tag=("$TAG")
	[ -z "${RL_UNTAGGED:-}" ] || tag=()
	[ -x "$PWD" ] && runuser -u "$RL_USER" -- test -x "$PWD" || cd / || return
	runuser -u "$RL_USER" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RL_HOME" USER="$RL_USER" \
		XDG_RUNTIME_DIR="$RL_XDG" "${tag[@]}" ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} timeout -k 5 "$HULL_CMD_TIMEOUT" "$@"
)

# rl_reachable_hull: HULL as the user can run it.  A checkout in a directory others cannot search (a CI
# clone under /root) is no reason to skip: the binary is copied to RL_BIN (removed by rl_user_remove).
rl_reachable_hull() {
	runuser -u "$RL_USER" -- test -x "$HULL" && return 0
	RL_BIN=$(mktemp -d /tmp/hull-rootless-bin.XXXXXX)
	chmod 755 "$RL_BIN"
	cp "$HULL" "$RL_BIN/hull"
	export RL_HULL_SOURCE=$HULL HULL=$RL_BIN/hull RL_BIN
}
