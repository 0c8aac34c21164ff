#!/usr/bin/env bats
# Idmapped mounts (mounts[].uidMappings/gidMappings, the idmap and ridmap options), as containerd sets up a
# Kubernetes pod with hostUsers: false: the ownership seen through the mount from inside, and the
# ownership that files created through it get on the host. Also a pod-like pair sharing one user namespace.

load helpers

USERNS='[{"containerID": 0, "hostID": 100000, "size": 65536}]'

# in_userns: the container in a new user namespace, its root being host uid/gid 100000
in_userns() {
	add_ns user
	update_config --argjson m "$USERNS" '.linux.uidMappings = $m | .linux.gidMappings = $m'
}

# idmapped_bind SRC DEST OPTIONS-JSON [MAPPINGS-JSON]: a bind of SRC at DEST, idmapped by MAPPINGS (the same
# for uids and gids) or, without them, by the options alone
idmapped_bind() {
	# made here: the container's root may not write the rootfs of host root
	mkdir -p "$BUNDLE/rootfs$2"
	update_config --arg s "$1" --arg d "$2" --argjson o "$3" --argjson m "${4:-null}" \
		'.mounts += [{"destination": $d, "type": "bind", "source": $s, "options": $o}
			+ (if $m then {"uidMappings": $m, "gidMappings": $m} else {} end)]'
}

# map1 CONTAINER-ID HOST-ID: a one-id mapping (container side: the id on disk; host side: the id seen)
map1() { echo "[{\"containerID\": $1, \"hostID\": $2, \"size\": 1}]"; }

# make_src: SRC, a directory owned by 1000:1000 holding a file of 1000:1000 and one of root's. On a
# filesystem that can be idmapped: /tmp's here; in the VM lane (Linux 6.1 cannot idmap its tmpfs /tmp)
# below HULL_IDMAP_DIR, an ext4 that tests/vmlane/cgroup2.sh mounts.
make_src() {
	SRC=$(mktemp -d "${HULL_IDMAP_DIR:-$TESTDIR}/src.XXXXXX")
	touch "$SRC/mine" "$SRC/roots"
	chmod 755 "$SRC"
	chown 1000:1000 "$SRC" "$SRC/mine"
}

teardown() {
	teardown_hull
	[ -z "${HULL_IDMAP_DIR:-}" ] || [ -z "${SRC:-}" ] || rm -rf "$SRC"
}

# kernel_has VERSION: the running kernel is VERSION or newer
kernel_has() { [ "$(printf '%s\n' "$(uname -r)" "$1" | sort -V | head -n 1)" = "$1" ]; }

@test "features reports idmapped mounts and the idmap and ridmap options" {
	requires_hull "hull's features"
	run hull features
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.linux.mountExtensions.idmap.enabled')" = true ]
	echo "$output" | jq -e '.mountOptions | index("idmap") and index("ridmap")' >/dev/null ||
		fail "idmap or ridmap not in mountOptions"
}

@test "in a user namespace, host uid 1000 on an idmapped bind is root inside, and files made inside land as 1000" {
	make_src
	in_userns
	# disk 1000 is host 100000 through the mount, which the container's namespace maps to 0
	idmapped_bind "$SRC" /data '["bind", "idmap"]' "$(map1 1000 100000)"
	idmapped_bind "$SRC" /plain '["bind"]'
	set_cmd sh -c 'stat -c "%u:%g %n" /data /data/mine /plain/mine; touch /data/new; echo made $?;
		grep " /data " /proc/self/mountinfo'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "0:0 /data" ]
	[ "${lines[1]}" = "0:0 /data/mine" ]
	# the same directory without the idmap: 1000 is not mapped in the container's namespace
	[ "${lines[2]}" = "65534:65534 /plain/mine" ]
	[ "${lines[3]}" = "made 0" ]
	[[ "${lines[4]}" == *idmapped* ]] || fail "no idmapped flag in mountinfo: ${lines[4]}"
	[ "$(stat -c %u:%g "$SRC/new")" = 1000:1000 ]
	assert_nothing_left "$CTR"
}

@test "crun sees an idmapped bind as hull does" {
	command -v crun >/dev/null || skip "no crun installed"
	make_src
	in_userns
	idmapped_bind "$SRC" /data '["bind", "idmap"]' "$(map1 1000 100000)"
	# crun 1.8.1 refuses ociVersion 1.2.0
	update_config '.ociVersion = "1.0.2"'
	set_cmd sh -c 'stat -c "%u:%g %n" /data /data/mine /data/roots; touch /data/new; echo made $?'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "hull: $output"
	local ours=$output
	rm -f "$SRC/new"
	run env "$TAG" timeout 60 "$CRUN_WRAPPER" --root "$TESTDIR/root-crun" run "${CTR}_crun"
	[ "$status" -eq 0 ] || fail "crun: $output"
	[ "$output" = "$ours" ] || fail "crun: $output; hull: $ours"
	[ "$(stat -c %u:%g "$SRC/new")" = 1000:1000 ]
}

@test "without a user namespace, the mount's mappings alone idmap the bind" {
	make_src
	idmapped_bind "$SRC" /data '["rbind"]' "$(map1 1000 0)"
	set_cmd sh -c 'stat -c "%u:%g %n" /data/mine /data/roots; touch /data/new; echo made $?'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "0:0 /data/mine" ]
	# root's file: disk 0 is not in the mount's mappings
	[ "${lines[1]}" = "65534:65534 /data/roots" ]
	[ "${lines[2]}" = "made 0" ]
	[ "$(stat -c %u:%g "$SRC/new")" = 1000:1000 ]
}

@test "idmap without mappings of its own maps through the container's user namespace" {
	make_src
	in_userns
	idmapped_bind "$SRC" /data '["rbind", "idmap"]'
	set_cmd sh -c 'stat -c "%u:%g %n" /data/roots /data/mine; touch /data/roots; echo touched $?'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	# disk 0 is host 100000 through the mount, the container's root
	[ "${lines[0]}" = "0:0 /data/roots" ]
	[ "${lines[1]}" = "1000:1000 /data/mine" ]
	[ "${lines[2]}" = "touched 0" ]
}

@test "ridmap idmaps the mounts below the bind, idmap only the bind itself" {
	make_src
	mkdir "$SRC/sub"
	mount -t tmpfs -o mode=755 tmpfs "$SRC/sub"
	TEST_MOUNTS+=("$SRC/sub")
	in_userns
	idmapped_bind "$SRC" /one '["rbind", "idmap"]'
	idmapped_bind "$SRC" /all '["rbind", "ridmap"]'
	set_cmd sh -c 'stat -c "%u %n" /one/sub /all/sub /all/roots'
	run hull run "$CTR"
	if ! kernel_has 6.3; then # the tmpfs below cannot be idmapped: ridmap says so
		[ "$status" -ne 0 ]
		[[ "$output" == *"idmap $SRC on "*"/all: the kernel cannot idmap this filesystem or one mounted below it"* ]] ||
			fail "$output"
		return
	fi
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "65534 /one/sub" ]
	[ "${lines[1]}" = "0 /all/sub" ]
	[ "${lines[2]}" = "0 /all/roots" ]
}

@test "an idmapped tmpfs is owned by the mapped id, or a kernel without idmapped tmpfs gets one clear line" {
	update_config --argjson m "$(map1 0 5000)" \
		'.mounts += [{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["idmap", "mode=700"],
			"uidMappings": $m, "gidMappings": $m}]'
	set_cmd stat -c '%u:%g %a' /t
	run hull run "$CTR"
	# idmapped tmpfs came with Linux 6.3
	if kernel_has 6.3; then
		[ "$status" -eq 0 ] || fail "$output"
		[ "$output" = "5000:5000 700" ]
	else
		[ "$status" -ne 0 ]
		[[ "$output" == *"idmap tmpfs on "*"/t: the kernel cannot idmap this filesystem"* ]] || fail "$output"
		[ "$(echo "$output" | wc -l)" -eq 1 ] || fail "not one line: $output"
	fi
	assert_nothing_left "$CTR"
}

@test "a read-only host mount stays read-only under its idmapped bind, also to a remount inside" {
	make_src
	mkdir "$TESTDIR/ro"
	mount --bind -o ro "$SRC" "$TESTDIR/ro"
	TEST_MOUNTS+=("$TESTDIR/ro")
	in_userns
	idmapped_bind "$TESTDIR/ro" /data '["bind", "idmap"]' "$(map1 1000 100000)"
	set_cmd sh -c 'mount -o remount,bind,rw /data; echo remount $?; touch /data/new; echo touch $?'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *"remount 1"* ]] || fail "the container made the host's read-only mount writable: $output"
	[[ "$output" == *"touch 1"* ]] || fail "$output"
	[ ! -e "$SRC/new" ]
}

@test "bad idmapped mounts are refused with one line and leave nothing" {
	make_src
	local base
	base=$(cat "$BUNDLE/config.json")
	# cases: jq edit, then a glob the one-line error must match
	local -a edits=(
		'.mounts += [{"destination": "/d", "type": "bind", "source": "'"$SRC"'", "options": ["bind", "idmap"]}]'
		'.mounts += [{"destination": "/d", "type": "bind", "source": "'"$SRC"'", "options": ["bind"], "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]'
		'.mounts += [{"destination": "/d", "type": "bind", "source": "'"$TESTDIR"'/nowhere", "options": ["bind"], "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}], "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]'
		'.mounts += [{"destination": "/d", "type": "cgroup", "source": "cgroup", "options": ["idmap"], "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}], "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]'
		'.mounts += [{"destination": "/d", "type": "bind", "source": "'"$SRC"'", "options": ["bind"], "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 10}, {"containerID": 5, "hostID": 2000, "size": 10}], "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]'
	)
	local -a wants=(
		"*mounts[[]*[]]: an idmapped mount needs uidMappings and gidMappings, or the container's own user namespace"
		"*mounts[[]*[]].gidMappings: uidMappings and gidMappings must be given together"
		"*bind source $TESTDIR/nowhere: no such file or directory"
		"*a cgroup mount cannot be idmapped"
		"*mount /d: write uid_map*invalid argument"
	)
	local i
	for i in "${!edits[@]}"; do
		echo "$base" | jq "${edits[i]}" >"$BUNDLE/config.json"
		run hull_detached create "$CTR"
		[ "$status" -ne 0 ] || fail "case $i was accepted"
		[[ "$output" == ${wants[i]} ]] || fail "case $i: $output"
		[ "$(echo "$output" | wc -l)" -eq 1 ] || fail "case $i: not one line: $output"
		assert_nothing_left "$CTR"
	done
}

@test "a pod: a second container joins the first's user namespace by path, with its mappings, and idmaps through it" {
	make_src
	in_userns
	set_cmd sleep 1000
	run_d "$CTR"
	local pid
	pid=$(pid_of "$CTR")
	# the second container: the same mappings (as containerd sends them), the namespace by path
	add_ns user "/proc/$pid/ns/user"
	idmapped_bind "$SRC" /data '["rbind", "idmap"]'
	# a volume as containerd sends one for hostUsers: false, the pod's mappings on the mount
	idmapped_bind "$SRC" /vol '["rbind", "rprivate"]' "$USERNS"
	set_cmd sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map; stat -c "%u %n" /data/roots /vol/mine'
	run hull run "$CTR2"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/user")" ]
	[ "$(echo "${lines[1]}" | awk '{print $1, $2, $3}')" = "0 100000 65536" ]
	[ "$(echo "$output" | grep -c .)" -eq 4 ] || fail "the mappings were written twice: $output"
	[ "${lines[2]}" = "0 /data/roots" ]
	[ "${lines[3]}" = "1000 /vol/mine" ]
}

@test "joining a user namespace by path with other mappings than its own is refused and leaves nothing" {
	in_userns
	set_cmd sleep 1000
	run_d "$CTR"
	local pid
	pid=$(pid_of "$CTR")
	add_ns user "/proc/$pid/ns/user"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 300000, "size": 65536}]'
	run hull_detached create "$CTR2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.uidMappings: not the mappings of user namespace /proc/$pid/ns/user, which it joins"* ]] || fail "$output"
	# the first container is untouched
	[ "$(status_of "$CTR")" = running ]
	hull delete --force "$CTR"
	assert_nothing_left "$CTR2"
}
