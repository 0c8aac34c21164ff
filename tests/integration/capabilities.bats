#!/usr/bin/env bats
# process.capabilities, read back from /proc/self/status.

load helpers

CAPS_SCRIPT='grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb):" /proc/self/status'

# cap NAME: the container's mask for NAME (CapEff...) from $output, as hex.
cap() { echo "$output" | awk -v n="$1:" '$1 == n {print $2}'; }

# set_caps JSON-ARRAY [SETS...]: the given capabilities in the given sets
# (default: bounding, effective, permitted); other sets emptied.
set_caps() {
	local caps=$1
	shift
	local sets=${*:-bounding effective permitted}
	update_config '.process.capabilities = {}'
	for s in $sets; do
		update_config --argjson c "$caps" --arg s "$s" '.process.capabilities[$s] = $c'
	done
}

@test "the default config's capabilities are the expected masks" {
	# AUDIT_WRITE(29), KILL(5), NET_BIND_SERVICE(10); no inheritable set, so
	# the kernel allows no ambient capabilities.
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cap CapEff)" = 0000000020000420 ]
	[ "$(cap CapPrm)" = 0000000020000420 ]
	[ "$(cap CapBnd)" = 0000000020000420 ]
	[ "$(cap CapInh)" = 0000000000000000 ]
	[ "$(cap CapAmb)" = 0000000000000000 ]
}

@test "configured capabilities give their masks" {
	# CHOWN(0), NET_RAW(13), SYS_ADMIN(21)
	set_caps '["CAP_CHOWN", "CAP_NET_RAW", "CAP_SYS_ADMIN"]'
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cap CapEff)" = 0000000000202001 ]
	[ "$(cap CapPrm)" = 0000000000202001 ]
	[ "$(cap CapBnd)" = 0000000000202001 ]
	[ "$(cap CapInh)" = 0000000000000000 ]
}

@test "empty capability sets leave root with no capabilities" {
	update_config '.process.capabilities = {"bounding": [], "effective": [], "permitted": [], "inheritable": [], "ambient": []}'
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	for c in CapEff CapPrm CapBnd CapInh CapAmb; do
		[ "$(cap "$c")" = 0000000000000000 ] || fail "$c is $(cap "$c")"
	done
}

@test "every capability of the host's bounding set can be granted" {
	# Capability names in bit order.
	names=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL
		CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE
		CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE
		CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT
		CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE
		CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG
		CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE)
	host=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	caps=()
	for i in "${!names[@]}"; do
		(((0x$host >> i) & 1)) && caps+=("${names[i]}")
	done
	set_caps "$(printf '%s\n' "${caps[@]}" | jq -R . | jq -s -c .)"
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cap CapEff)" = "$host" ]
	[ "$(cap CapPrm)" = "$host" ]
	[ "$(cap CapBnd)" = "$host" ]
}

@test "a non-root user without ambient capabilities has no effective ones" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cap CapEff)" = 0000000000000000 ]
	[ "$(cap CapPrm)" = 0000000000000000 ]
	[ "$(cap CapBnd)" = 0000000020000420 ]
}

@test "ambient capabilities reach a non-root user" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_caps '["CAP_NET_BIND_SERVICE"]' bounding effective permitted inheritable ambient
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cap CapAmb)" = 0000000000000400 ]
	[ "$(cap CapInh)" = 0000000000000400 ]
	[ "$(cap CapEff)" = 0000000000000400 ]
	[ "$(cap CapPrm)" = 0000000000000400 ]
}

@test "a missing CAP_CHOWN makes chown fail, granting it makes it work" {
	set_cmd sh -c 'touch /dev/shm/f; chown 1234 /dev/shm/f 2>/dev/null && echo CHOWNED; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *CHOWNED* ]]
	update_config '.process.capabilities.bounding += ["CAP_CHOWN"] | .process.capabilities.effective += ["CAP_CHOWN"] | .process.capabilities.permitted += ["CAP_CHOWN"]'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *CHOWNED* ]]
}

@test "an unknown capability is ignored with a warning naming it" {
	# runtime-spec: capabilities that cannot be granted MUST be logged as a
	# warning; runtimes SHOULD NOT fail.
	set_caps '["CAP_KILL", "CAP_NO_SUCH_THING"]'
	set_cmd sh -c "$CAPS_SCRIPT"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *CAP_NO_SUCH_THING* ]]
	[ "$(cap CapEff)" = 0000000000000020 ]
}
