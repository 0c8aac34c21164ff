#!/usr/bin/env bats
# faults.bats - `hull container` killed -9 at each of its steps (the command's and its monitor's fault points, which a
# -Dfault_injection=true build has): ls still answers, rm -f removes what is left, and nothing leaks (no container,
# mount, runtime state, namespace file, process). Must never use the host's network.

load lib/engine

setup_file() {
	engine_setup_file
	SRC_DIR=$(cd "$BATS_TEST_DIRNAME/../../src" && pwd)
	export SRC_DIR
}
teardown_file() { engine_teardown_file; }

points() { grep -rhoE 'fault_point\("container\.[a-z_]+"\)' "$SRC_DIR" | sed -E 's/fault_point\("(.*)"\)/\1/' | sort -u; }

# after_kill NAME: ls works, rm -f of NAME (when it still exists) works, nothing is left
after_kill() {
	hc ls -a >/dev/null || fail "ls failed after the kill"
	if hc inspect "$1" >/dev/null 2>&1; then
		hc rm -f "$1" >/dev/null || fail "rm -f $1 failed after the kill"
	fi
	no_leftovers # (it waits for a monitor still deleting a --rm container's files)
}

@test "the_build_has_the_engine's_fault_points" {
	[ "$(points | wc -l)" -ge 8 ] || fail "points: $(points)"
	run env HULL_FAULT=container.name_taken "$HULL" container --storage "$STORE" create --network none "$IMAGE" true
	[ "$status" = 137 ] || fail "not killed at container.name_taken: $status $output (a build without -Dfault_injection?)"
	after_kill nothing
}

@test "run_-d_killed_at_every_step: ls answers, rm -f cleans, nothing leaks" {
	for p in $(points); do
		case $p in container.unmounted | container.unmade) continue ;; esac
		HULL_FAULT=$p "$HULL" container --storage "$STORE" run -d --name "k-${p#container.}" --network none "$IMAGE" \
			sh -c 'sleep 0.3; exit 3' >/dev/null 2>&1 || true
		sleep 0.5
		after_kill "k-${p#container.}" || fail "after a kill at $p"
	done
}

@test "run_--rm_in_the_foreground_killed_at_every_step: nothing leaks" {
	for p in $(points); do
		[ "$p" = container.unmounted ] && continue
		HULL_FAULT=$p "$HULL" container --storage "$STORE" run --rm --name "f-${p#container.}" --network none "$IMAGE" \
			sh -c 'sleep 0.3' >/dev/null 2>&1 || true
		sleep 0.5
		after_kill "f-${p#container.}" || fail "after a kill at $p"
	done
}

@test "rm_killed_between_unmount_and_removal: the next command finishes it" {
	for p in container.unmounted container.unmade; do
		hc create --name halfgone --network none "$IMAGE" true >/dev/null
		run env HULL_FAULT=$p "$HULL" container --storage "$STORE" rm halfgone
		[ "$status" = 137 ] || fail "not killed at $p: $status $output"
		# moved out of sight: the name is free, the files wait for the next command's sweep
		[ $p = container.unmade ] && { ls -A "$STORE/containers" | grep -q '^\.removed-' || fail "nothing left to sweep at $p"; }
		after_kill halfgone || fail "after a kill at $p"
	done
}
