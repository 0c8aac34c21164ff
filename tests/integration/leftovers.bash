# leftovers.bash - what the fault, exhaustion and concurrency tests check after hull died, failed or raced:
# nothing of the test's containers is left. Loaded after helpers.bash; never removes anything itself.

# cgroup_dirs_named PATTERN: cgroup directories, in every hierarchy, whose name matches the glob PATTERN. (find fails
# when another lane's container directory vanishes under it: what it printed is the answer all the same)
cgroup_dirs_named() {
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$1" 2>/dev/null || true
}

# no_leftovers [WHAT]: --root is empty, no cgroup is named after the test's ids, and (helpers.bash's
# assert_nothing_left) no mount but TEST_MOUNTS and no process of the test is left. WHAT names the
# step in the failure message.
no_leftovers() {
	local what=${1:+$1: } c
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || fail "${what}left in --root: $(ls -A "$ROOT")"
	c=$(cgroup_dirs_named "*$CTR*")
	[ -z "$c" ] || fail "${what}cgroups left: $c"
	assert_nothing_left "$CTR" || fail "${what}see above"
}
