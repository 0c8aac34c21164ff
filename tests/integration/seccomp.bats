#!/usr/bin/env bats
# linux.seccomp: every action and operator observed from inside the container (errno values, death by
# SIGSYS, arguments), the notify agent of tests/helpers/seccomp_agent, flags, errors for what hull does
# not know, no_new_privs and unprivileged processes, exec, and Docker's and podman's default profiles.

load helpers

SECCOMP_AGENT=$(dirname "$TTYHELPER")/seccomp_agent

# seccomp JSON: the linux.seccomp object
set_seccomp() {
	update_config --argjson s "$1" '.linux.seccomp = $s'
}

# A profile allowing everything but RULES (a JSON array of syscalls entries).
allow_but() {
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": $1}"
}

@test "SCMP_ACT_ERRNO returns errnoRet (default EPERM) and leaves other syscalls alone" {
	allow_but '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
		    {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO"}]'
	set_cmd sh -c 'mkdir /tmp/a; mkdir -p /tmp/b 2>/dev/null; rmdir /tmp; echo alive'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"can't create directory '/tmp/a': Permission denied"* ]] || fail "$output"
	[[ "$output" == *"'/tmp': Operation not permitted"* ]] || fail "$output"
	[[ "$output" == *alive* ]]
}

@test "SCMP_ACT_KILL, _KILL_PROCESS, _KILL_THREAD and _TRAP end the process with SIGSYS" {
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD SCMP_ACT_TRAP; do
		allow_but "[{\"names\": [\"mkdirat\", \"mkdir\"], \"action\": \"$action\"}]"
		# the container's process itself makes the call (a shell would run mkdir in a child)
		set_cmd sh -c 'echo before; exec mkdir /tmp/x'
		run hull run "$CTR"
		# 128 + SIGSYS (31)
		[ "$status" -eq 159 ] || fail "$action: status $status: $output"
		[ "$output" = before ] || fail "$action: $output"
	done
}

@test "SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS; SCMP_ACT_LOG allows it" {
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_TRACE"}, {"names": ["rmdir"], "action": "SCMP_ACT_LOG"}]'
	set_cmd sh -c 'mkdir /tmp/x; mkdir -p /tmp/y/z 2>/dev/null; echo; rmdir /tmp/y/z 2>&1 || echo rmdir-failed; echo done'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"Function not implemented"* ]] || fail "$output"
	[[ "$output" == *done* ]]
}

@test "a default action of SCMP_ACT_ERRNO with defaultErrnoRet, and an allow list" {
	# Docker's profile turned around: everything not listed fails with ENOTSUP (95)
	names=$(jq -c '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | select(.args == null or .args == []) | .names[]
		| select(. != "mkdir" and . != "mkdirat" and . != "rmdir")]' "$(docker_profile)")
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 95, \"syscalls\": [{\"names\": $names, \"action\": \"SCMP_ACT_ALLOW\"},
		{\"names\": [\"mkdirat\", \"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}"
	set_cmd sh -c 'mkdir /tmp/x; rmdir /tmp; echo done'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *done* ]]
	[[ "$output" == *"/tmp/x': Operation not permitted"* ]] || fail "$output"
	# rmdir is not on the list: the default action's errno
	[[ "$output" == *"'/tmp': Operation not supported"* ]] || fail "$output"
}

# As runc's patchbpf stub: a syscall above the last one the profile names (on that architecture) is one
# the profile's author could not know, and fails with ENOSYS (programs then fall back to an older call)
# instead of the default action; a known syscall the profile leaves out still gets the default action.
@test "a syscall newer than every syscall of the profile fails with ENOSYS, not with the default action" {
	local sectool=$(dirname "$HULL")/tests/helpers/sectool
	[ -x "$sectool" ] || sectool=$REPO_ROOT/build/tests/helpers/sectool
	[ -x "$sectool" ] || fail "no sectool (ninja -C build)"
	cp "$sectool" "$BUNDLE/rootfs/bin/sectool"
	# acct (163) is left out; the last syscall named is far below 1000 and 0x3fff
	names=$(jq -c '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | select(.args == null or .args == []) | .names[]
		| select(. != "acct")]' "$(docker_profile)")
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],
		\"syscalls\": [{\"names\": $names, \"action\": \"SCMP_ACT_ALLOW\"}]}"
	set_cmd sh -c '/bin/sectool syscall 1000; /bin/sectool syscall 0x3fff; /bin/sectool syscall 163; /bin/sectool syscall 39'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"1000: ENOSYS"* ]] || fail "$output"
	[[ "$output" == *"16383: ENOSYS"* ]] || fail "$output"
	[[ "$output" == *"163: EPERM"* ]] || fail "$output"
	[[ "$output" == *"39: = "* ]] || fail "$output"
	# a default action that allows needs no stub; a defaultErrnoRet of ENOSYS is the answer already
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"architectures\": [\"SCMP_ARCH_X86_64\"],
		\"syscalls\": [{\"names\": $names, \"action\": \"SCMP_ACT_ALLOW\"}]}"
	run hull run "$CTR"
	[[ "$output" == *"1000: ENOSYS"*"163: ENOSYS"* ]] || fail "$output"
}

@test "arguments: every operator selects the calls it should" {
	# kill(pid, sig): the rule matches on the signal number (argument 1)
	for op in "SCMP_CMP_EQ 10 0 10 12" "SCMP_CMP_NE 12 0 10 12" "SCMP_CMP_GT 11 0 12 10" "SCMP_CMP_GE 12 0 12 10" \
		"SCMP_CMP_LT 11 0 10 12" "SCMP_CMP_LE 10 0 10 12" "SCMP_CMP_MASKED_EQ 8 8 10 3"; do
		set -- $op
		allow_but "[{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 1, \"value\": $2, \"valueTwo\": $3, \"op\": \"$1\"}]}]"
		# a signal the rule denies, then one it lets through (both are ignored by the shell)
		set_cmd sh -c "trap '' $4 $5; kill -$4 \$\$ && echo sent-$4; kill -$5 \$\$ && echo sent-$5; true"
		run hull run "$CTR"
		[ "$status" -eq 0 ] || fail "$1: $output"
		[[ "$output" != *sent-$4* ]] || fail "$1 did not deny signal $4: $output"
		[[ "$output" == *sent-$5* ]] || fail "$1 denied signal $5: $output"
	done
}

@test "two conditions on one argument: each is a rule of its own, as runc does" {
	allow_but '[{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [
		{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 12, "op": "SCMP_CMP_EQ"}]}]'
	set_cmd sh -c "trap '' 10 12 15; kill -10 \$\$ && echo sent-10; kill -12 \$\$ && echo sent-12; kill -15 \$\$ && echo sent-15; true"
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(echo $output | grep -o 'sent-[0-9]*' | tr '\n' ' ')" = "sent-15 " ] || fail "$output"
}

@test "SCMP_ACT_NOTIFY: the agent gets the listener and the container process state, and answers" {
	[ -x "$SECCOMP_AGENT" ] || fail "no $SECCOMP_AGENT (ninja -C build)"
	env "$TAG" "$SECCOMP_AGENT" -p "$TESTDIR/agent.pid" "$TESTDIR/agent.sock" "$TESTDIR/agent.state"
	BG_PIDS+=("$(cat "$TESTDIR/agent.pid")")
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TESTDIR/agent.sock\",
		\"listenerMetadata\": \"hello-agent\", \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
	# the agent answers "success" without running the syscall: mkdir succeeds, and nothing is made
	set_cmd sh -c 'mkdir /tmp/notified && echo mkdir-returned-0; [ -d /tmp/notified ] || echo not-made'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *mkdir-returned-0*not-made* ]] || fail "$output"
	st=$TESTDIR/agent.state
	[ "$(jq -r '.fds | join(",")' "$st")" = seccompFd ]
	[ "$(jq -r .metadata "$st")" = hello-agent ]
	[ "$(jq -r .state.id "$st")" = "$CTR" ]
	[ "$(jq -r .state.bundle "$st")" = "$BUNDLE" ]
	[ "$(jq -r .pid "$st")" -gt 1 ]
	grep -q '^syscall 83$' "$st.log" || grep -q '^syscall 258$' "$st.log" || fail "no notification: $(cat "$st.log")"
}

@test "SCMP_ACT_NOTIFY: write is refused and a missing agent fails the run, each in runc's words" {
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TESTDIR/agent.sock\",
		\"syscalls\": [{\"names\": [\"mkdir\", \"write\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
	set_cmd true
	run hull run "$CTR"
	[ "$status" -ne 0 ] || fail "a profile notifying write was taken: $output"
	[[ "$output" == *"SCMP_ACT_NOTIFY cannot be used for the write syscall"* ]] || fail "$output"
	# no agent listens at listenerPath
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TESTDIR/agent.sock\",
		\"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
	run hull run "$CTR"
	[ "$status" -ne 0 ] || fail "ran without its agent: $output"
	[[ "$output" == *"failed to connect with seccomp agent"* ]] || fail "$output"
	[ -z "$(hull list -q)" ]
}

@test "no_new_privs: the filter still applies, to run and to exec" {
	update_config '.process.noNewPrivileges = true'
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	set_cmd sh -c 'mkdir /tmp/a 2>&1; grep NoNewPrivs /proc/self/status; sleep 1000'
	run_d "$CTR"
	run hull exec "$CTR" sh -c 'mkdir /tmp/b; grep Seccomp: /proc/self/status'
	[[ "$output" == *"Permission denied"* ]] || fail "$output"
	[[ "$output" == *"Seccomp:"*2* ]] || fail "$output"
	grep -q "Permission denied" "$TESTDIR/ctr.stdout" || fail "$(cat "$TESTDIR/ctr.stdout")"
}

@test "an unprivileged process without no_new_privs still gets its filter" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.noNewPrivileges = false'
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	set_cmd sh -c 'id -u; mkdir /tmp/a; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = 1000 ]
	[[ "$output" == *"Permission denied"* ]] || fail "$output"
	[[ "$output" == *"NoNewPrivs:"*0* ]] || fail "$output"
}

@test "unknown syscall names are skipped; unknown actions, operators, architectures and flags are errors" {
	allow_but '[{"names": ["no_such_syscall", "mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO"}]'
	set_cmd sh -c 'mkdir /tmp/a'
	run hull run "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]] || fail "unknown names must not void the rule: $output"
	for bad in '"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FROB"}]' \
		'"syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_FROB"}]}]' \
		'"architectures": ["SCMP_ARCH_VAX"]' '"flags": ["SECCOMP_FILTER_FLAG_FROB"]'; do
		# runc 1.1 refuses every flag, known or not
		[[ "$bad" == *flags* ]] && ! is_hull && continue
		set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", $bad}"
		set_cmd true
		run hull_detached create "$CTR"
		[ "$status" -ne 0 ] || fail "accepted: $bad"
		[[ "$output" == *FROB* || "$output" == *VAX* ]] || fail "$output"
		! is_hull || [[ "$output" == "hull: config.json: linux.seccomp."*unknown* ]] || fail "$output"
		assert_nothing_left "$CTR"
	done
}

@test "the flags SECCOMP_FILTER_FLAG_LOG, _SPEC_ALLOW and _TSYNC load" {
	requires_feature "linux.seccomp.flags (runc 1.1: not yet supported)"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
		"syscalls": [{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	set_cmd sh -c 'mkdir /tmp/a; grep Seccomp: /proc/self/status'
	run hull run "$CTR"
	[[ "$output" == *"Operation not permitted"* ]] || fail "$output"
	[[ "$output" == *"Seccomp:"*2* ]]
}

# docker_profile / podman_profile: the engines' default profiles (Debian's packages of them), in the
# engines' own format
docker_profile() {
	local f=/var/cache/hull/docker-default-seccomp.json
	[ -s "$f" ] || fail "no $f: tools/bootstrap.sh extracts it from golang-github-docker-docker-dev"
	echo "$f"
}
podman_profile() {
	local f=/usr/share/containers/seccomp.json
	[ -s "$f" ] || fail "no $f: install golang-github-containers-common (tools/bootstrap.sh)"
	echo "$f"
}

# engine_to_oci FILE: what Docker and podman do before they call the runtime: keep the rules for this
# architecture and for the container's capabilities, drop the engine-only fields.
engine_to_oci() {
	jq -c --argjson caps "$(jq -c '.process.capabilities.bounding // []' "$BUNDLE/config.json")" '
		{defaultAction, defaultErrnoRet,
		 architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64") | .architecture, .subArchitectures[]],
		 syscalls: [.syscalls[]
			| select(((.includes.caps // []) - $caps) == [])
			| select(((.includes.arches // []) | length) == 0 or ((.includes.arches // []) | index(["amd64"]) != null))
			| select(((.excludes.caps // []) | map(select(. as $c | $caps | index([$c]) != null)) | length) == 0)
			| select(((.excludes.arches // []) | index(["amd64"])) == null)
			| del(.includes, .excludes, .comment)]}
		| if .defaultErrnoRet == null then del(.defaultErrnoRet) else . end' "$1"
}

# engine_profile_works FILE UNSHARE: under the engine's profile an everyday shell session works, and a
# new user namespace is UNSHARE (Docker's profile denies unshare without CAP_SYS_ADMIN, podman's
# allows it: the difference shows which profile is in force)
engine_profile_works() {
	set_seccomp "$(engine_to_oci "$1")"
	update_config '.root.readonly = false'
	set_cmd sh -c 'mkdir /tmp/d && cd /tmp/d && echo x > f && cat f && ls && ps >/dev/null && date >/dev/null && echo ok;
		unshare -U true 2>/dev/null && echo unshare-allowed || echo unshare-denied; grep Seccomp: /proc/self/status'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *$'x\nf\nok'* ]] || fail "$output"
	[[ "$output" == *unshare-$2* ]] || fail "expected unshare $2: $output"
	[[ "$output" == *"Seccomp:"*2* ]]
}

@test "Docker's default seccomp profile loads and a container works under it" {
	engine_profile_works "$(docker_profile)" denied
}

@test "podman's default seccomp profile loads and a container works under it" {
	engine_profile_works "$(podman_profile)" allowed
}

# startContainer hooks run in the container after it is set up: under its filter, as runc runs them, also
# when no_new_privs makes the filter load at the last moment.
@test "startContainer hooks run under the container's filter, and its failure names the hook and the signal" {
	for nnp in true false; do
		allow_but '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL"}]'
		update_config --argjson nnp "$nnp" '.process.noNewPrivileges = $nnp
			| .hooks = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "mkdir /tmp/hooked"]}]}'
		set_cmd true
		run hull run "$CTR"
		[ "$status" -ne 0 ] || fail "noNewPrivileges $nnp: the hook's mkdir was allowed: $output"
		[[ "$output" == *"error running hook"* ]] || fail "noNewPrivileges $nnp: $output"
		[[ "$output" == *"bad system call"* ]] || fail "noNewPrivileges $nnp: $output"
		hull delete -f "$CTR" 2>/dev/null || true
	done
}

@test "exec gets the container's filter" {
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	set_cmd sleep 1000
	run_d "$CTR"
	run hull exec "$CTR" sh -c 'mkdir /tmp/x; grep Seccomp: /proc/self/status'
	[[ "$output" == *"Permission denied"* ]] || fail "$output"
	[[ "$output" == *"Seccomp:"*2* ]]
}

@test "a compiled filter is cached in the state root and used again only for the same profile" {
	requires_hull "hull's cache"
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	set_cmd sh -c 'mkdir /tmp/x'
	run hull run "$CTR"
	[[ "$output" == *"Permission denied"* ]]
	[ "$(ls "$ROOT/.seccomp-cache" | wc -l)" = 1 ]
	run hull run "$CTR"
	[[ "$output" == *"Permission denied"* ]]
	[ "$(ls "$ROOT/.seccomp-cache" | wc -l)" = 1 ]
	# another profile, another entry, another result
	allow_but '[{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]'
	run hull run "$CTR"
	[[ "$output" == *"Operation not permitted"* ]] || fail "$output"
	[ "$(ls "$ROOT/.seccomp-cache" | wc -l)" = 2 ]
	# a corrupt entry is not trusted: it is compiled again
	for f in "$ROOT"/.seccomp-cache/*; do printf 'garbage' >"$f"; done
	run hull run "$CTR"
	[[ "$output" == *"Operation not permitted"* ]] || fail "$output"
	# list does not take the cache for a container
	run hull list -q
	[ -z "$output" ]
}

@test "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV with a notify agent" {
	requires_feature "linux.seccomp.flags (runc 1.1: not yet supported)"
	[ -x "$SECCOMP_AGENT" ] || fail "no $SECCOMP_AGENT (ninja -C build)"
	env "$TAG" "$SECCOMP_AGENT" -p "$TESTDIR/agent.pid" "$TESTDIR/agent.sock" "$TESTDIR/agent.state"
	BG_PIDS+=("$(cat "$TESTDIR/agent.pid")")
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],
		\"listenerPath\": \"$TESTDIR/agent.sock\", \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
	set_cmd sh -c 'mkdir /tmp/notified && echo mkdir-returned-0; [ -d /tmp/notified ] || echo not-made'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *mkdir-returned-0*not-made* ]] || fail "$output"
}

# Calls hull makes while setting up, none of which execve needs: after the filter is loaded hull makes only
# what it must (prctl, setgroups, setresgid, setresuid, capset, the sync with its parent, execve), so a profile
# denying these runs, as on crun. runc (Debian's 1.1.5, with the CVE-2024-21626 cwd check) refuses the
# first without no_new_privs ("failed to verify if current working directory is safe"), and, as it opens
# /proc/self/fd and its exec fifo under the filter, the second with and without.
SETUP_ONLY_CALLS='["getcwd", "openat", "open", "openat2", "newfstatat", "stat", "lstat", "fstat", "statx", "readlink",
	"readlinkat", "access", "faccessat", "faccessat2", "umask", "chdir", "fchdir", "mkdir", "mkdirat", "close_range",
	"getdents64"]'

# seccomp_setup_denied NNP NAMES: run (and exec into) a container whose profile denies NAMES, on hull and crun
seccomp_setup_denied() {
	update_config --argjson nnp "$1" '.process.noNewPrivileges = $nnp | .ociVersion = "1.0.2"'
	allow_but "[{\"names\": $2, \"action\": \"SCMP_ACT_ERRNO\"}]"
	set_cmd echo alive
	run hull run "$CTR"
	[ "$status" -eq 0 ] && [ "$output" = alive ] || fail "hull, noNewPrivileges $1: $output"
	run env "$TAG" timeout 30 "$CRUN_WRAPPER" --root "$TESTDIR/root-crun" run "${CTR}_crun" </dev/null
	[ "$status" -eq 0 ] && [ "$output" = alive ] || fail "crun, noNewPrivileges $1: $output"
	set_cmd sleep 1000
	run_d "$CTR2"
	run hull exec "$CTR2" echo exec-alive
	[ "$status" -eq 0 ] && [ "$output" = exec-alive ] || fail "hull exec, noNewPrivileges $1: $output"
	hull delete --force "$CTR2"
}

@test "a profile denying getcwd runs, without and with no_new_privs: hull checks the cwd before loading the filter (as crun)" {
	seccomp_setup_denied false '["getcwd"]'
	seccomp_setup_denied true '["getcwd"]'
}

@test "a profile denying every call of hull's setup but what execve needs (open, stat, umask, chdir ...) runs, as on crun" {
	seccomp_setup_denied false "$SETUP_ONLY_CALLS"
	seccomp_setup_denied true "$SETUP_ONLY_CALLS"
}
