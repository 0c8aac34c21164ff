#!/usr/bin/env bats
# Mounts and their options.

load helpers

# add_mount JSON: append a mount to the config.
add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

# mnt_opts MOUNTPOINT: the per-mount options of MOUNTPOINT in the container's
# mountinfo ($output of a run of `cat /proc/self/mountinfo`); the last one wins.
mnt_opts() {
	echo "$output" | awk -v m="$1" '$5 == m {o = $6} END {print o}'
}

# super_opts MOUNTPOINT: the superblock options of MOUNTPOINT.
super_opts() {
	echo "$output" | awk -v m="$1" '$5 == m {for (i = 7; $i != "-"; i++); o = $(i + 3)} END {print o}'
}

has_opt() { [[ ",$1," == *",$2,"* ]]; }

@test "bind mount shows the host directory's files" {
	mkdir "$TESTDIR/src"
	echo hello >"$TESTDIR/src/file"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\"]}"
	set_cmd cat /mnt/file
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
}

@test "bind mount without type is recognised by the bind option" {
	mkdir "$TESTDIR/src"
	echo hello >"$TESTDIR/src/file"
	add_mount "{\"destination\": \"/mnt\", \"source\": \"$TESTDIR/src\", \"options\": [\"rbind\"]}"
	set_cmd cat /mnt/file
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
}

@test "a writable bind mount writes through to the host" {
	mkdir "$TESTDIR/src"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\", \"rw\"]}"
	set_cmd sh -c 'echo written > /mnt/new'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$(cat "$TESTDIR/src/new")" = written ]
}

@test "ro bind mount is read-only" {
	mkdir "$TESTDIR/src"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\", \"ro\"]}"
	set_cmd sh -c 'cat /proc/self/mountinfo; touch /mnt/new && echo WROTE'
	run hull run "$CTR"
	[[ "$output" != *WROTE* ]]
	has_opt "$(mnt_opts /mnt)" ro
	[ ! -e "$TESTDIR/src/new" ]
}

@test "nosuid, nodev and noexec are applied" {
	add_mount '{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec"]}'
	set_cmd cat /proc/self/mountinfo
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	o=$(mnt_opts /mnt)
	has_opt "$o" nosuid
	has_opt "$o" nodev
	has_opt "$o" noexec
	has_opt "$o" rw
}

@test "noexec forbids running a program from the mount" {
	mkdir "$TESTDIR/src"
	cp "$BUNDLE/rootfs/bin/busybox" "$TESTDIR/src/busybox"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\", \"noexec\"]}"
	set_cmd sh -c '/mnt/busybox true && echo RAN; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *RAN* ]]
	# and without noexec it runs
	update_config '.mounts[-1].options = ["bind"]'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *RAN* ]]
}

@test "a bind mount without rbind leaves out submounts, rbind brings them" {
	mkdir -p "$TESTDIR/src/sub"
	mount -t tmpfs -o size=1m tmpfs "$TESTDIR/src/sub"
	TEST_MOUNTS+=("$TESTDIR/src/sub")
	echo in-submount >"$TESTDIR/src/sub/file"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\"]}"
	set_cmd sh -c 'cat /mnt/sub/file 2>/dev/null || echo MISSING'
	run hull run "$CTR"
	[ "$output" = MISSING ]
	update_config '.mounts[-1].options = ["rbind"]'
	run hull run "$CTR2"
	[ "$status" -eq 0 ]
	[ "$output" = in-submount ]
}

@test "tmpfs size and mode are applied" {
	add_mount '{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700"]}'
	set_cmd sh -c 'cat /proc/self/mountinfo; stat -c "mode %a" /mnt'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "mode 700"
	has_opt "$(super_opts /mnt)" size=1024k
}

@test "tmpfs size limits what can be written" {
	add_mount '{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	set_cmd sh -c 'dd if=/dev/zero of=/mnt/big bs=1k count=2048 2>/dev/null; du -k /mnt/big'
	run hull run "$CTR"
	size=$(echo "$output" | awk '{print $1}' | tail -n 1)
	[ "$size" -le 1024 ]
}

@test "rro makes a recursive bind read-only, submounts included" {
	mkdir -p "$TESTDIR/src/sub"
	mount -t tmpfs -o size=1m tmpfs "$TESTDIR/src/sub"
	TEST_MOUNTS+=("$TESTDIR/src/sub")
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"rbind\", \"rro\"]}"
	set_cmd sh -c 'cat /proc/self/mountinfo; touch /mnt/sub/x && echo WROTE-SUB; touch /mnt/x && echo WROTE-TOP; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" != *WROTE* ]]
	has_opt "$(mnt_opts /mnt)" ro
	has_opt "$(mnt_opts /mnt/sub)" ro
}

@test "ro without rro leaves submounts writable" {
	mkdir -p "$TESTDIR/src/sub"
	mount -t tmpfs -o size=1m tmpfs "$TESTDIR/src/sub"
	TEST_MOUNTS+=("$TESTDIR/src/sub")
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"rbind\", \"ro\"]}"
	set_cmd sh -c 'touch /mnt/sub/x && echo WROTE-SUB; touch /mnt/x && echo WROTE-TOP; exit 0'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *WROTE-SUB* ]]
	[[ "$output" != *WROTE-TOP* ]]
}

# propagation: a shared host directory, then a mount made on the host after
# the container started; seen inside with rslave, not with rprivate.
propagation_setup() {
	mkdir -p "$TESTDIR/shared"
	mount --bind "$TESTDIR/shared" "$TESTDIR/shared"
	TEST_MOUNTS+=("$TESTDIR/shared")
	mount --make-shared "$TESTDIR/shared"
	mkdir "$TESTDIR/shared/later"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/shared\", \"options\": [\"rbind\", \"$1\"]}"
	set_cmd sleep 1000
	run_d "$CTR"
	mount -t tmpfs -o size=1m tmpfs "$TESTDIR/shared/later"
	TEST_MOUNTS+=("$TESTDIR/shared/later")
}

@test "rslave propagation brings later host mounts into the container" {
	propagation_setup rslave
	pid=$(pid_of "$CTR")
	grep -E " /mnt/later .* tmpfs " "/proc/$pid/mountinfo"
	# the container's /mnt is a slave of the host's mount
	grep -E " /mnt .* master:[0-9]+ " "/proc/$pid/mountinfo"
}

@test "rprivate propagation keeps later host mounts out of the container" {
	propagation_setup rprivate
	pid=$(pid_of "$CTR")
	grep -E " /mnt " "/proc/$pid/mountinfo"
	run grep -E " /mnt/later " "/proc/$pid/mountinfo"
	[ "$status" -ne 0 ]
}

@test "rshared propagation makes the container's mount shared" {
	propagation_setup rshared
	pid=$(pid_of "$CTR")
	grep -E " /mnt .* shared:[0-9]+ " "/proc/$pid/mountinfo"
	grep -E " /mnt/later .* tmpfs " "/proc/$pid/mountinfo"
}

# as runc: the bind of a shared host mount is a peer of it (what the container mounts there reaches the host,
# as docker's and podman's rshared volumes need), and rootfsPropagation "shared" leaves the container's /
# as runc leaves it: a private clone of the rootfs's mount
@test "rshared bind with rootfsPropagation shared joins the host's peer group; / is shared, as the spec says" {
	update_config '.linux.rootfsPropagation = "shared"'
	propagation_setup rshared
	pid=$(pid_of "$CTR")
	host_group=$(awk -v m="$TESTDIR/shared" '$5 == m {for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) print $i}' /proc/self/mountinfo)
	[ -n "$host_group" ] || fail "host mount not shared: $(grep -F "$TESTDIR/shared" /proc/self/mountinfo)"
	line=$(awk '$5 == "/mnt"' "/proc/$pid/mountinfo")
	[[ " $line " == *" $host_group "* && "$line" != *master:* ]] || fail "host $host_group, container: $line"
	# the container's / takes rootfsPropagation (runtime-spec, crun; runc 1.1.5 leaves it private: see
	# tests/engines/configs/known-differences), in a peer group of the mount namespace's own
	line=$(awk '$5 == "/"' "/proc/$pid/mountinfo")
	[[ "$line" == *shared:* && "$line" != *master:* ]] || fail "/: $line"
}

@test "tmpcopyup copies the rootfs directory's content into the tmpfs" {
	mkdir -p "$BUNDLE/rootfs/data"
	echo original >"$BUNDLE/rootfs/data/file"
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]}'
	set_cmd sh -c 'cat /data/file; echo changed > /data/file; grep " /data " /proc/self/mountinfo'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = original ]
	[[ "${lines[1]}" == *tmpfs* ]]
	# the copy was changed, not the rootfs
	[ "$(cat "$BUNDLE/rootfs/data/file")" = original ]
}

@test "tmpfs without tmpcopyup hides the rootfs directory's content" {
	mkdir -p "$BUNDLE/rootfs/data"
	echo original >"$BUNDLE/rootfs/data/file"
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs"}'
	set_cmd sh -c 'ls -A /data | wc -l'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
}

@test "a missing mount destination is created" {
	mkdir "$TESTDIR/src"
	echo hello >"$TESTDIR/src/file"
	echo file-src >"$TESTDIR/onefile"
	add_mount "{\"destination\": \"/new/deep/dir\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/new/file\", \"type\": \"bind\", \"source\": \"$TESTDIR/onefile\", \"options\": [\"bind\"]}"
	add_mount '{"destination": "/newtmp", "type": "tmpfs", "source": "tmpfs"}'
	set_cmd sh -c 'cat /new/deep/dir/file; cat /new/file; [ -d /newtmp ] && echo tmp-ok'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = file-src ]
	[ "${lines[2]}" = tmp-ok ]
	# a file bind mount gets a file, not a directory, as its mount point
	[ -f "$BUNDLE/rootfs/new/file" ]
	[ -d "$BUNDLE/rootfs/new/deep/dir" ]
}

@test "a bind mount of a missing source fails create and leaves nothing" {
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/no-such-dir\", \"options\": [\"bind\"]}"
	set_cmd true
	run hull_detached create "$CTR"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
	assert_nothing_left "$CTR"
}

@test "a symlink inside the rootfs is followed within the rootfs" {
	# like /var/run -> /run in many images
	rm -rf "$BUNDLE/rootfs/var/run"
	ln -s /run "$BUNDLE/rootfs/var/run"
	add_mount '{"destination": "/var/run/newdir", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	set_cmd sh -c 'grep -E " /run/newdir .* tmpfs " /proc/self/mountinfo && echo FOUND'
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[[ "$output" == *FOUND* ]]
	[ -d "$BUNDLE/rootfs/run/newdir" ]
}

# A symlink in the rootfs that points outside of it, resolved on the host,
# would put the mount (or the directories made for it) on the host.  The
# runtime may refuse the mount or resolve the link inside the rootfs (runc
# does, creating what is missing there); either way the host is untouched.
@test "an absolute symlink in the rootfs cannot take a mount out of it" {
	mkdir "$TESTDIR/host"
	ln -s "$TESTDIR/host" "$BUNDLE/rootfs/escape"
	add_mount '{"destination": "/escape/newdir", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	set_cmd sleep 1000
	run hull_detached run -d "$CTR"
	# nothing was created or mounted in the host directory
	[ -z "$(ls -A "$TESTDIR/host")" ]
	run grep -c " $TESTDIR/host" /proc/self/mountinfo
	[ "$output" = 0 ]
	if [ "$(status_of "$CTR")" = running ]; then
		# the symlink was followed inside the rootfs: the tmpfs is there
		pid=$(pid_of "$CTR")
		grep -E " $TESTDIR/host/newdir .* tmpfs " "/proc/$pid/mountinfo"
		[ -d "$BUNDLE/rootfs/$TESTDIR/host/newdir" ]
	else
		assert_nothing_left "$CTR"
	fi
}

@test "a relative symlink in the rootfs cannot take a mount out of it" {
	mkdir "$TESTDIR/host"
	echo secret >"$TESTDIR/host/secret"
	mkdir "$TESTDIR/src"
	echo from-src >"$TESTDIR/src/file"
	# ../../.. climbs past the rootfs if resolved on the host
	ln -s "../../../../../../../../../../..$TESTDIR/host" "$BUNDLE/rootfs/escape"
	add_mount "{\"destination\": \"/escape\", \"type\": \"bind\", \"source\": \"$TESTDIR/src\", \"options\": [\"bind\"]}"
	set_cmd sleep 1000
	run hull_detached run -d "$CTR"
	# the host directory is untouched and nothing is mounted over it
	[ "$(ls -A "$TESTDIR/host")" = secret ]
	run grep -c " $TESTDIR/host" /proc/self/mountinfo
	[ "$output" = 0 ]
	if [ "$(status_of "$CTR")" = running ]; then
		pid=$(pid_of "$CTR")
		[ "$(cat "/proc/$pid/root/$TESTDIR/host/file")" = from-src ]
		[ ! -e "$BUNDLE/rootfs/$TESTDIR/host/secret" ]
	else
		assert_nothing_left "$CTR"
	fi
}

@test "a symlinked bind-mount source is not followed into the container's rootfs" {
	# the source is resolved on the host, as given: a link to a host directory works
	mkdir "$TESTDIR/src"
	echo via-link >"$TESTDIR/src/file"
	ln -s "$TESTDIR/src" "$TESTDIR/srclink"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$TESTDIR/srclink\", \"options\": [\"bind\"]}"
	set_cmd cat /mnt/file
	run hull run "$CTR"
	[ "$status" -eq 0 ]
	[ "$output" = via-link ]
}

@test "a read-only /dev still gets its devices and /dev/pts, and ends read-only" {
	update_config '.mounts |= map((select(.destination == "/dev") | .options += ["ro"]) // .)'
	set_cmd sh -c 'grep "^tmpfs /dev " /proc/mounts; ls /dev/null /dev/pts/ptmx; touch /dev/x && echo writable; true'
	run hull run "$CTR"
	[ "$status" -eq 0 ] || fail "$output"
	[[ "${lines[0]}" == *" ro,"* ]] || fail "$output"
	[[ "$output" == *"/dev/pts/ptmx"* ]] || fail "$output"
	[[ "$output" != *writable* ]] || fail "$output"
}
