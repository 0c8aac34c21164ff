#!/usr/bin/env bats
# run-flags.bats - `hull container run`'s flags measured from inside the container, beside podman with the same flags
# where podman has them: volumes, mounts, tmpfs, read-only, capabilities, seccomp, devices, limits, --init.
# Must never use a network of the host's, nor leave a volume or host directory it made.

load lib/engine

setup_file() { engine_setup_file; }
teardown_file() { engine_teardown_file; }

@test "bind_volumes_read_and_write_the_host's_directory; :ro refuses writes" {
	dir="$BATS_TEST_TMPDIR/host"
	mkdir "$dir"
	echo from-host >"$dir/in"
	both -v "$dir:/mnt" "$IMAGE" sh -c 'cat /mnt/in; echo from-ctr > /mnt/out'
	same
	[ "$(cat "$dir/out")" = from-ctr ]
	both -v "$dir:/mnt:ro" "$IMAGE" sh -c 'touch /mnt/x 2>/dev/null && echo wrote || echo refused'
	same
	[ "$hout" = refused ]
	both --mount "type=bind,source=$dir,target=/m,readonly" "$IMAGE" cat /m/in
	same
	no_leftovers
}

@test "named_volumes_outlive_the_container_and_start_with_the_image's_content" {
	hc run --rm --network none -v vol1:/data "$IMAGE" sh -c 'echo kept > /data/f'
	[ "$(hc run --rm --network none -v vol1:/data "$IMAGE" cat /data/f)" = kept ]
	[ -f "$STORE/volumes/vol1/_data/f" ]
	[ "$(hc run --rm --network none -v vol2:/etc "$IMAGE" sh -c 'test -f /etc/passwd && echo copied')" = copied ]
	rm -rf "$STORE/volumes/vol1" "$STORE/volumes/vol2"
	no_leftovers
}

@test "tmpfs_and_read_only_root" {
	both --tmpfs /scratch "$IMAGE" sh -c 'grep " /scratch " /proc/mounts | cut -d" " -f3'
	same
	[ "$hout" = tmpfs ]
	both --read-only "$IMAGE" sh -c 'touch /x 2>/dev/null && echo wrote || echo refused; touch /tmp/y && echo tmp-ok'
	same
	[ "$hout" = "refused"$'\n'"tmp-ok" ]
}

@test "capabilities_added_and_dropped_as_docker_spells_them" {
	hout=$(hc run --rm --network none --cap-drop ALL --cap-add NET_ADMIN "$IMAGE" grep CapEff /proc/self/status)
	[ "$hout" = "CapEff:	0000000000001000" ]
	hout=$(hc run --rm --network none --cap-drop CHOWN "$IMAGE" sh -c 'chown 1 /tmp && echo chowned || echo refused')
	[ "$hout" = refused ]
	run hc run --rm --network none --cap-add NOPE "$IMAGE" true
	[ "$status" = 125 ]
	[[ "$output" == *'unknown capability: "CAP_NOPE"'* ]]
	no_leftovers
}

@test "the_default_seccomp_profile_denies_what_docker's_does; unconfined lifts it" {
	# unshare(CLONE_NEWNS) needs CAP_SYS_ADMIN, which the default set lacks: the profile's EPERM either way, so
	# reboot (denied by the profile even with the capability) shows the filter
	hout=$(hc run --rm --network none --cap-add SYS_BOOT "$IMAGE" sh -c 'grep Seccomp: /proc/self/status')
	[ "$hout" = "Seccomp:	2" ]
	hout=$(hc run --rm --network none --security-opt seccomp=unconfined "$IMAGE" sh -c 'grep Seccomp: /proc/self/status')
	[ "$hout" = "Seccomp:	0" ]
	both --security-opt no-new-privileges "$IMAGE" sh -c 'grep NoNewPrivs: /proc/self/status'
	same
	[ "$hout" = "NoNewPrivs:	1" ]
}

@test "privileged_sees_the_host's_devices_and_every_capability_we_have" {
	hout=$(hc run --rm --network none --privileged "$IMAGE" sh -c 'test -e /dev/loop-control && echo dev; grep Seccomp: /proc/self/status')
	[ "$hout" = "dev"$'\n'"Seccomp:	0" ]
}

@test "device_flag_adds_the_node_and_its_cgroup_rule" {
	both --device /dev/zero:/dev/myzero "$IMAGE" sh -c 'head -c 3 /dev/myzero | od -An -tx1'
	same
	[ "$(echo $hout)" = "00 00 00" ]
}

@test "pids_limit_and_cpus_are_seen_in_the_container's_cgroup" {
	both --pids-limit 33 "$IMAGE" sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
	same
	[ "$hout" = 33 ]
	both --cpus 0.5 "$IMAGE" sh -c 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d" " -f1 /sys/fs/cgroup/cpu.max'
	same
	[ "$hout" = 50000 ]
}

@test "init_is_pid_1_reaps_orphans_and_passes_the_exit_code" {
	hout=$(hc run --rm --network none --init "$IMAGE" sh -c 'cat /proc/1/comm; (sleep 0.1 &); sleep 0.5; ps -o stat | grep -c Z; exit 9') || hrc=$?
	[ "${hrc:-0}" = 9 ]
	[ "$(sed -n 1p <<<"$hout")" != sh ]
	[ "$(sed -n 2p <<<"$hout")" = 0 ]
	hc run -d --name withinit --init --network none "$IMAGE" sh -c 'trap "exit 3" TERM; while :; do sleep 0.05; done' >/dev/null
	sleep 0.3
	hc stop -t 5 withinit
	[ "$(hc inspect withinit | jq -r '.[0].State.ExitCode')" = 3 ]
	hc rm withinit
	no_leftovers
}

@test "env_file_labels_and_stop_signal" {
	printf 'A=1\n# comment\n\nB=two words\n' >"$BATS_TEST_TMPDIR/env"
	both --env-file "$BATS_TEST_TMPDIR/env" "$IMAGE" sh -c 'echo "$A|$B"'
	same
	[ "$hout" = "1|two words" ]
	hc run -d --name sig --stop-signal USR1 --network none "$IMAGE" sh -c 'trap "exit 5" USR1; while :; do sleep 0.05; done' >/dev/null
	sleep 0.3
	hc stop -t 5 sig
	[ "$(hc inspect sig | jq -r '.[0].State.ExitCode')" = 5 ]
	hc rm sig
	no_leftovers
}

@test "bad_flags_exit_125_with_one_line_and_leave_nothing" {
	for args in "--memory abc" "--cpus x" "-v relative-but-bad:/x:bogus" "--restart sometimes" "--network nosuchnet" \
		"--mount type=nfs,target=/x" "--device /no/such/dev" "-u nosuchuser" "--entrypoint /no/such" "--bogus x" "-Z"; do
		status=0
		output=$(hc run --rm --network none $args "$IMAGE" true 2>&1) || status=$?
		[ "$status" -ge 125 ] || fail "$args: exit $status"
		[ "$(wc -l <<<"$output")" = 1 ] || fail "$args: more than one line: $output"
	done
	no_leftovers
}

@test "uidmap_gives_the_container_its_own_ids_and_the_image's_files_as_its_root's, as podman's" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir -m 777 "$vol"
	both --uidmap 0:200000:65536 --gidmap 0:200000:65536 -v "$vol:/v" "$IMAGE" sh -c \
		'id -u; id -g; tr -s " " </proc/self/uid_map; stat -c "%U:%G" /; stat -c "%U:%G %a" /etc /bin; touch /x && mkdir /etc/y && echo wrote; touch /v/f'
	# (the mode of / differs without --uidmap too: podman's is 555, hull's the image's)
	same
	[ "$(sed -n 3p <<<"$hout")" = " 0 200000 65536" ] || fail "uid_map: $hout"
	[ "$(sed -n 4p <<<"$hout")" = "root:root" ] || fail "/ is not the container root's: $hout"
	# the container's root is 200000 on the host: what it writes is that id's
	[ "$(stat -c %u:%g "$vol/f")" = 200000:200000 ]
	no_leftovers
	# its layers were idmapped only for the overlay's making: no mount of them is left
	! grep -q "$STORE/containers/.*/overlay/layer" /proc/self/mountinfo
}
