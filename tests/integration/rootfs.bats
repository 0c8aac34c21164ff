#!/usr/bin/env bats
# root.path, root.readonly, maskedPaths and readonlyPaths.

load helpers

@test "root.readonly makes / read-only" {
	set_cmd sh -c 'awk "\$5 == \"/\" {print \"root-opts\", \$6}" /proc/self/mountinfo; touch /newfile 2>/dev/null && echo WROTE; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *WROTE* ]]
	echo "$output" | grep -qE '^root-opts (.*,)?ro(,|$)'
	[ ! -e "$BUNDLE/rootfs/newfile" ]
}

@test "root.readonly false leaves / writable" {
	update_config '.root.readonly = false'
	set_cmd sh -c 'echo written > /newfile'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$BUNDLE/rootfs/newfile")" = written ]
}

@test "an absolute root.path is used as is" {
	mv "$BUNDLE/rootfs" "$TESTDIR/elsewhere"
	update_config --arg p "$TESTDIR/elsewhere" '.root.path = $p'
	set_cmd cat /etc/passwd
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == root:* ]]
}

@test "the mounts of a readonly root stay writable where configured" {
	set_cmd sh -c 'echo x > /dev/shm/f && echo SHM-OK; echo x > /tmp/f && echo TMP-WROTE; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *SHM-OK* ]]
	[[ "$output" != *TMP-WROTE* ]]
}

@test "masked path is unreadable: a masked file reads empty" {
	echo top-secret >"$BUNDLE/rootfs/etc/secret"
	update_config '.linux.maskedPaths += ["/etc/secret"]'
	set_cmd sh -c 'echo "[$(wc -c < /etc/secret)]"'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "[0]" ]
}

@test "masked path is unreadable: a masked directory is empty" {
	mkdir "$BUNDLE/rootfs/etc/secretdir"
	echo top-secret >"$BUNDLE/rootfs/etc/secretdir/file"
	update_config '.linux.maskedPaths += ["/etc/secretdir"]'
	set_cmd sh -c 'ls -A /etc/secretdir | wc -l; ls -A /sys/firmware | wc -l; cat /etc/secretdir/file'
	run hull run "$CTR"
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "$output" != *top-secret* ]]
}

@test "a masked directory cannot be written to" {
	mkdir "$BUNDLE/rootfs/etc/secretdir"
	update_config '.root.readonly = false | .linux.maskedPaths += ["/etc/secretdir"]'
	set_cmd sh -c 'touch /etc/secretdir/x && echo WROTE; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *WROTE* ]]
}

@test "a masked path that does not exist is ignored" {
	update_config '.linux.maskedPaths += ["/no/such/path"]'
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
}

@test "the default maskedPaths hide /proc/keys and /proc/timer_list" {
	set_cmd sh -c 'echo "[$(cat /proc/keys /proc/timer_list 2>/dev/null | wc -c)]"'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = "[0]" ]
}

@test "readonly path is read-only: /proc/sys" {
	set_cmd sh -c 'grep " /proc/sys " /proc/self/mountinfo; echo other 2>/dev/null > /proc/sys/kernel/hostname && echo WROTE; hostname'
	run hull run "$CTR"
	[[ "$output" != *WROTE* ]]
	[ "${lines[-1]}" = hull ]
	echo "${lines[0]}" | awk '{print $6}' | grep -qE '(^|,)ro(,|$)'
}

@test "readonly path is read-only in a writable root" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/var"]'
	set_cmd sh -c 'touch /var/x && echo WROTE-VAR; touch /tmp/x && echo WROTE-TMP; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *WROTE-VAR* ]]
	[[ "$output" == *WROTE-TMP* ]]
	[ ! -e "$BUNDLE/rootfs/var/x" ]
}

@test "a readonly path that does not exist is ignored" {
	update_config '.linux.readonlyPaths += ["/no/such/path"]'
	set_cmd true
	run hull run "$CTR"
	[ "$status" -eq 0 ]
}

@test "a missing rootfs fails create and leaves nothing" {
	update_config '.root.path = "no-such-rootfs"'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}
