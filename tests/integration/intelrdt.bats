#!/usr/bin/env bats
# linux.intelRdt through resctrl, and update --l3-cache-schema / --mem-bw-schema.
#
# This host has no resctrl. The tests that write stand a tmpfs in for it: a mount namespace of the test's
# own (kept by a bind of its ns file under TESTDIR) where /sys/fs is a tmpfs holding the host's cgroup tree
# (moved there) and a tmpfs at /sys/fs/resctrl with resctrl's info/ directory, root schemata and tasks. hull
# takes a mount at /sys/fs/resctrl with an info/ directory for resctrl (src/lib/linux/intelrdt.c); runc asks
# for the filesystem type, so those tests are hull's alone. The runtime runs in that namespace through a
# wrapper.

load helpers

# In the new mount namespace (every mount private): the host's cgroups kept, resctrl faked.
FAKE_RESCTRL='set -e
cg=$1/cg
mkdir "$cg"
mount --rbind /sys/fs/cgroup "$cg"
umount -R /sys/fs/cgroup
mount -t tmpfs sysfs-fs /sys/fs
mkdir /sys/fs/cgroup /sys/fs/resctrl
mount --move "$cg" /sys/fs/cgroup
rmdir "$cg"
mount -t tmpfs resctrl /sys/fs/resctrl
mkdir -p /sys/fs/resctrl/info/L3 /sys/fs/resctrl/mon_groups
printf "L3:0=fff\nMB:0=100\n" >/sys/fs/resctrl/schemata
: >/sys/fs/resctrl/tasks'

R=/sys/fs/resctrl

# fake_resctrl: the namespace above, and $HULL running in it.
fake_resctrl() {
	requires_hull "hull finds resctrl by its mount point and info/, runc by its filesystem type"
	mkdir "$TESTDIR/ns"
	mount --bind "$TESTDIR/ns" "$TESTDIR/ns"
	TEST_MOUNTS+=("$TESTDIR/ns")
	mount --make-private "$TESTDIR/ns"
	touch "$TESTDIR/ns/mnt"
	unshare --mount="$TESTDIR/ns/mnt" --propagation private sh -c "$FAKE_RESCTRL" sh "$TESTDIR"
	TEST_MOUNTS+=("$TESTDIR/ns/mnt")
	local real=$HULL
	HULL=$TESTDIR/hull-in-fake
	printf '#!/bin/sh\nexec nsenter --mount=%s --wd="$PWD" %s "$@"\n' "$TESTDIR/ns/mnt" "$real" >"$HULL"
	chmod 755 "$HULL"
}

in_fake() { nsenter --mount="$TESTDIR/ns/mnt" "$@"; }

@test "intelrdt: without resctrl, create is refused in one line and leaves nothing" {
	grep -qw resctrl /proc/self/mountinfo && skip "this host has resctrl mounted"
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f"}'
	set_cmd true
	run hull_detached create "$CTR"
	# crun 1.8.1 creates it with no resctrl at all; runc 1.1.5 refuses ("... but Intel RDT/CAT is not enabled")
	! is_hull && [ "$status" -eq 0 ] && skip "$(runtime_name) creates it without resctrl"
	[ "$status" -ne 0 ]
	if is_hull; then
		[ "$output" = "hull: linux.intelRdt: resctrl is not mounted at /sys/fs/resctrl (the host lacks Intel RDT/AMD QoS or it is not mounted)" ] || fail "$output"
	fi
	assert_nothing_left "$CTR"
}

@test "intelrdt: a group named after the container gets the schemata and the init, and goes on delete" {
	fake_resctrl
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f0", "memBwSchema": "MB:0=50", "schemata": ["L2:0=3"]}'
	set_cmd sleep 100
	create_ctr "$CTR"
	[ "$(in_fake cat "$R/$CTR/schemata" | tr '\n' ' ')" = "L3:0=f0 MB:0=50 L2:0=3 " ] || fail "schemata: $(in_fake cat "$R/$CTR/schemata")"
	[ "$(in_fake cat "$R/$CTR/tasks")" = "$(pid_of "$CTR")" ] || fail "tasks: $(in_fake cat "$R/$CTR/tasks")"
	[ "$(jq -c .intel_rdt "$ROOT/$CTR/state.json")" = "{\"group\":\"$CTR\",\"owned\":true,\"monitoring\":false}" ]
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	in_fake test ! -e "$R/$CTR" || fail "the group is left: $(in_fake ls "$R")"
	[ "$(in_fake cat $R/schemata | tr '\n' ' ')" = "L3:0=fff MB:0=100 " ]
}

@test "intelrdt: an existing closID group is joined as it is and kept; its monitoring group comes and goes" {
	fake_resctrl
	in_fake sh -c "mkdir -p $R/shared/mon_groups && printf 'L3:0=f0\n   MB:0=50\n' >$R/shared/schemata && : >$R/shared/tasks"
	update_config '.linux.intelRdt = {"closID": "shared", "memBwSchema": "MB:0=50", "enableMonitoring": true}'
	set_cmd sleep 100
	create_ctr "$CTR"
	local pid
	pid=$(pid_of "$CTR")
	[ "$(in_fake cat $R/shared/tasks)" = "$pid" ]
	[ "$(in_fake cat "$R/shared/mon_groups/$CTR/tasks")" = "$pid" ]
	[ "$(in_fake cat $R/shared/schemata | tr '\n' ' ')" = "L3:0=f0    MB:0=50 " ] || fail "the joined group was rewritten"
	run hull delete --force "$CTR"
	[ "$status" -eq 0 ]
	in_fake test -d $R/shared || fail "a group hull did not make was removed"
	in_fake test ! -e "$R/shared/mon_groups/$CTR" || fail "the monitoring group is left"
}

@test "intelrdt: a closID group whose schemata differ from the config is refused and left alone" {
	fake_resctrl
	in_fake sh -c "mkdir $R/other && echo 'L3:0=3' >$R/other/schemata && : >$R/other/tasks"
	update_config '.linux.intelRdt = {"closID": "other", "l3CacheSchema": "L3:0=f0"}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.intelRdt: the existing group other does not have the schema "L3:0=f0"'* ]] || fail "$output"
	[ "$(in_fake cat $R/other/schemata)" = "L3:0=3" ]
	[ -z "$(in_fake cat $R/other/tasks)" ]
	assert_nothing_left "$CTR"
}

@test "intelrdt: enableMonitoring without RDT monitoring is refused and removes the group hull made" {
	fake_resctrl
	update_config '.linux.intelRdt = {"enableMonitoring": true}'
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.intelRdt.enableMonitoring: make $R/$CTR/mon_groups/$CTR (the host has no RDT monitoring)"* ]] || fail "$output"
	in_fake test ! -e "$R/$CTR" || fail "group left: $(in_fake find "$R/$CTR")"
	assert_nothing_left "$CTR"
}

@test "intelrdt: update --l3-cache-schema and --mem-bw-schema rewrite the container's schemata" {
	fake_resctrl
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f0"}'
	set_cmd sleep 100
	create_ctr "$CTR"
	run hull update --l3-cache-schema "L3:0=3c" --mem-bw-schema "MB:0=20" "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	# resctrl changes the resources the lines name; the stand-in keeps what was written last
	[ "$(in_fake cat "$R/$CTR/schemata" | tr '\n' ' ')" = "L3:0=3c MB:0=20 " ] || fail "$(in_fake cat "$R/$CTR/schemata")"
	run hull update --mem-bw-schema "MB:0=30" "$CTR"
	[ "$status" -eq 0 ]
	[ "$(in_fake cat "$R/$CTR/schemata")" = "MB:0=30" ]
}

@test "intelrdt: update of a container without linux.intelRdt is refused" {
	fake_resctrl
	set_cmd sleep 100
	create_ctr "$CTR"
	run hull update --l3-cache-schema "L3:0=3" "$CTR"
	[ "$status" -ne 0 ]
	[ "$output" = "hull: container $CTR has no linux.intelRdt: its resctrl schemata cannot be updated" ] || fail "$output"
	in_fake test ! -e "$R/$CTR"
}

@test "intelrdt: update of a container whose resctrl went away is refused in one line" {
	fake_resctrl
	update_config '.linux.intelRdt = {}'
	set_cmd sleep 100
	create_ctr "$CTR"
	in_fake umount $R
	run hull update --l3-cache-schema "L3:0=3" "$CTR"
	[ "$status" -ne 0 ]
	[ "$output" = "hull: linux.intelRdt: resctrl is not mounted at /sys/fs/resctrl (the host lacks Intel RDT/AMD QoS or it is not mounted)" ] || fail "$output"
}

@test "intelrdt: exec joins the container's group and monitoring group" {
	fake_resctrl
	in_fake sh -c "mkdir -p $R/shared/mon_groups && : >$R/shared/schemata && : >$R/shared/tasks"
	update_config '.linux.intelRdt = {"closID": "shared", "enableMonitoring": true}'
	set_cmd sleep 100
	create_ctr "$CTR"
	# the stand-in keeps the last pid written (resctrl would list both)
	run hull exec "$CTR" sh -c 'echo $$ >/dev/null; exec true'
	[ "$status" -eq 0 ] || fail "$output"
	local last
	last=$(in_fake cat $R/shared/tasks)
	[ "$last" != "$(pid_of "$CTR")" ] || fail "exec's process was not written into tasks"
	[ "$(in_fake cat "$R/shared/mon_groups/$CTR/tasks")" = "$last" ]
}
