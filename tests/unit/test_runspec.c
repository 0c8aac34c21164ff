/* test_runspec.c - `hull container run` flags parsed (values and Docker's error wording) and applied to a small
 * runtime config over a scratch root; the default seccomp profile compiled by hull's compiler and loaded in a child.
 * Must never touch anything but its scratch directories and forked children. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/runspec.h"
#include "engine/seccomp_default.h"
#include "seccomp/compile.h"
#include "seccomp/profile.h"
#include "spec.h"
#include "spec_default.h"
#include "spec_json.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define CAP_BIT(n) (1ULL << (n))
#define SYS_ADMIN_BIT CAP_BIT(21)
#define SYS_BOOT_BIT CAP_BIT(22)
#define SYS_CHROOT_BIT CAP_BIT(18)

static void flag_ok(struct run_spec *s, const char *flag, const char *arg)
{
	hull_err err = NULL;
	if (runspec_flag(s, flag, arg, &err) < 0)
		fail_msg("--%s %s: %s", flag, arg ? arg : "", err->msg);
}

static void flag_bad(const char *flag, const char *arg, const char *words)
{
	struct run_spec s = { 0 };
	hull_err err = NULL;
	assert_int_equal(runspec_flag(&s, flag, arg, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("--%s %s: \"%s\" lacks \"%s\"", flag, arg, err->msg, words);
	hull_err_free(&err);
	runspec_clear(&s);
}

/* o at a path of keys and indices: "process.capabilities.bounding", "mounts.3.type" */
static json_object *at(json_object *o, const char *path)
{
	_cleanup_free_ char *copy = xstrdup(path);
	for (char *save = NULL, *k = strtok_r(copy, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = json_object_is_type(o, json_type_array) ? json_object_array_get_idx(o, (size_t)atoi(k))
							    : json_object_object_get(o, k);
	return o;
}

static const char *str_at(json_object *o, const char *path)
{
	json_object *v = at(o, path);
	if (v == NULL)
		fail_msg("%s: absent", path);
	return json_object_get_string(v);
}

static bool array_has(json_object *a, const char *s)
{
	for (size_t i = 0; json_object_is_type(a, json_type_array) && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0)
			return true;
	return false;
}

static const char *annotation(json_object *config, const char *key)
{
	return json_object_get_string(json_object_object_get(at(config, "annotations"), key));
}

static json_object *mount_at(json_object *config, const char *dst)
{
	json_object *m = at(config, "mounts");
	for (size_t i = 0; i < json_object_array_length(m); i++)
		if (strcmp(str_at(json_object_array_get_idx(m, i), "destination"), dst) == 0)
			return json_object_array_get_idx(m, i);
	return NULL;
}

/* --- parsing ---------------------------------------------------------------------------------------------------- */

static void memory_sizes_are_read_as_docker_reads_them(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int64_t want;
	} cases[] = { { "64m", 64 << 20 }, { "1g", 1 << 30 }, { "512k", 512 << 10 }, { "1.5g", 3LL << 29 },
		      { "100000000", 100000000 }, { "64MB", 64 << 20 }, { "2GiB", 2LL << 30 } };
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int64_t v = 0;
		assert_int_equal(runspec_parse_bytes(cases[i].in, &v), 0);
		assert_int_equal(v, cases[i].want);
	}
	struct run_spec s = { 0 };
	flag_ok(&s, "memory", "64m");
	assert_int_equal(s.memory, 64 << 20);
	flag_bad("memory", "abc", "invalid argument \"abc\" for \"-m, --memory\" flag");
	flag_bad("memory", "12x", "invalid argument \"12x\"");
	flag_bad("memory", "1k", "Minimum memory limit allowed is 6MB");
	flag_bad("memory", NULL, "flag needs an argument: --memory");
	runspec_clear(&s);
}

static void cpus_and_pids_take_numbers(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	flag_ok(&s, "cpus", "1.5");
	assert_int_equal(s.cpus_milli, 1500);
	flag_ok(&s, "pids-limit", "100");
	assert_int_equal(s.pids_limit, 100);
	flag_ok(&s, "pids-limit", "0");
	assert_int_equal(s.pids_limit, -1);
	flag_bad("cpus", "abc", "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number");
	flag_bad("pids-limit", "x", "invalid argument \"x\" for \"--pids-limit\" flag");
	runspec_clear(&s);
}

static void env_takes_pairs_and_names_from_our_environment(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	setenv("RUNSPEC_TEST_SET", "from-us", 1);
	unsetenv("RUNSPEC_TEST_UNSET");
	flag_ok(&s, "env", "A=1");
	flag_ok(&s, "env", "RUNSPEC_TEST_SET");
	flag_ok(&s, "env", "RUNSPEC_TEST_UNSET");
	flag_ok(&s, "env", "EMPTY=");
	assert_string_equal(s.env[0], "A=1");
	assert_string_equal(s.env[1], "RUNSPEC_TEST_SET=from-us");
	assert_string_equal(s.env[2], "EMPTY=");
	assert_null(s.env[3]);
	flag_bad("env", "=x", "invalid environment variable: =x");

	char *dir = unit_tmpdir();
	unit_write(dir, "env", "# a comment\n\nB=2\n  C=three words\nRUNSPEC_TEST_SET\nRUNSPEC_TEST_UNSET\r\n");
	_cleanup_free_ char *path = xasprintf("%s/env", dir);
	flag_ok(&s, "env-file", path);
	assert_string_equal(s.env[3], "B=2");
	assert_string_equal(s.env[4], "C=three words");
	assert_string_equal(s.env[5], "RUNSPEC_TEST_SET=from-us");
	assert_null(s.env[6]);
	_cleanup_free_ char *missing = xasprintf("%s/nope", dir);
	flag_bad("env-file", missing, "no such file or directory");
	unsetenv("RUNSPEC_TEST_SET");
	runspec_clear(&s);
	unit_rmtree(dir);
	free(dir);
}

static void volumes_are_binds_named_or_anonymous(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	flag_ok(&s, "volume", "/host/a:/in/a:ro,z");
	flag_ok(&s, "volume", "data:/in/b");
	flag_ok(&s, "volume", "/in/c");
	flag_ok(&s, "volume", "/in/d:rw");
	assert_int_equal(s.n_mounts, 4);
	assert_int_equal(s.mounts[0].kind, MOUNT_BIND);
	assert_string_equal(s.mounts[0].source, "/host/a");
	assert_string_equal(s.mounts[0].destination, "/in/a");
	assert_string_equal(s.mounts[0].options[0], "ro");
	assert_null(s.mounts[0].options[1]);
	assert_int_equal(s.mounts[1].kind, MOUNT_VOLUME);
	assert_string_equal(s.mounts[1].source, "data");
	assert_int_equal(s.mounts[2].kind, MOUNT_VOLUME);
	assert_null(s.mounts[2].source);
	assert_string_equal(s.mounts[3].destination, "/in/d");
	assert_null(s.mounts[3].source);
	flag_bad("volume", "/a:rel", "invalid mode: rel"); /* DST:OPTS */
	flag_bad("volume", "/a:/b:ro:x", "invalid volume specification: '/a:/b:ro:x'");
	flag_bad("volume", "a b:/x", "includes invalid characters for a local volume name");
	flag_bad("volume", "/a:/b:bogus", "invalid mode: bogus");
	flag_bad("volume", "/a:/b:ro:x", "invalid volume specification");
	runspec_clear(&s);
}

static void mount_and_tmpfs_flags_take_docker_keys(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	flag_ok(&s, "mount", "type=bind,source=/h,target=/c,readonly");
	flag_ok(&s, "mount", "type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1777");
	flag_ok(&s, "mount", "src=vol,destination=/v");
	flag_ok(&s, "tmpfs", "/run:exec,size=1m");
	assert_int_equal(s.mounts[0].kind, MOUNT_BIND);
	assert_string_equal(s.mounts[0].options[0], "ro");
	assert_int_equal(s.mounts[1].kind, MOUNT_TMPFS);
	assert_string_equal(s.mounts[1].options[0], "size=67108864");
	assert_string_equal(s.mounts[1].options[1], "mode=1777");
	assert_int_equal(s.mounts[2].kind, MOUNT_VOLUME);
	assert_string_equal(s.mounts[2].source, "vol");
	assert_int_equal(s.mounts[3].kind, MOUNT_TMPFS);
	assert_string_equal(s.mounts[3].options[0], "exec");
	flag_bad("mount", "type=bind,src=/a", "invalid argument \"type=bind,src=/a\" for \"--mount\" flag: target is required");
	flag_bad("mount", "type=nfs,dst=/a", "invalid mount type \"nfs\"");
	flag_bad("mount", "dst=/a,foo=bar", "unexpected key 'foo' in 'foo=bar'");
	flag_bad("mount", "type=bind,dst=/a", "invalid mount config for type \"bind\"");
	flag_bad("tmpfs", "rel", "mount path must be absolute");
	runspec_clear(&s);
}

static void devices_caps_and_security_opts_are_validated(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	flag_ok(&s, "device", "/dev/null");
	flag_ok(&s, "device", "/dev/zero:/dev/z:r");
	flag_ok(&s, "device", "/dev/full:rw");
	_cleanup_free_ char *h = NULL, *c = NULL, *p = NULL;
	assert_int_equal(runspec_split_device("/dev/zero:/dev/z:r", &h, &c, &p), 0);
	assert_string_equal(c, "/dev/z");
	assert_string_equal(p, "r");
	flag_bad("device", "null", "invalid device specification: null");
	flag_bad("device", "/dev/null:/x:q", "invalid device specification");
	flag_ok(&s, "cap-add", "net_admin");
	flag_ok(&s, "cap-add", "CAP_SYS_TIME");
	flag_ok(&s, "cap-drop", "all");
	assert_string_equal(s.cap_add[0], "CAP_NET_ADMIN");
	assert_string_equal(s.cap_add[1], "CAP_SYS_TIME");
	assert_string_equal(s.cap_drop[0], "ALL");
	flag_bad("cap-add", "FOO", "unknown capability: \"CAP_FOO\"");
	flag_ok(&s, "security-opt", "seccomp=unconfined");
	assert_string_equal(s.seccomp, "unconfined");
	flag_ok(&s, "security-opt", "no-new-privileges");
	assert_true(s.no_new_privileges);
	flag_ok(&s, "security-opt", "no-new-privileges:false");
	assert_false(s.no_new_privileges);
	flag_ok(&s, "security-opt", "label=disable");
	flag_bad("security-opt", "bogus", "Invalid --security-opt: \"bogus\"");
	runspec_clear(&s);
}

static void the_other_flags_keep_their_values(void **state)
{
	(void)state;
	struct run_spec s = { 0 };
	flag_ok(&s, "uidmap", "0:100000:65536");
	assert_int_equal(s.uidmap[0].host_id, 100000);
	assert_int_equal(s.uidmap[0].size, 65536);
	flag_bad("uidmap", "0:1", "invalid argument \"0:1\" for \"--uidmap\" flag");
	flag_bad("gidmap", "0:1:0", "empty or overflowing range");
	flag_ok(&s, "stop-signal", "SIGUSR1");
	flag_bad("stop-signal", "NOPE", "invalid signal: NOPE");
	flag_ok(&s, "entrypoint", "");
	assert_true(s.entrypoint_set);
	assert_null(s.entrypoint[0]);
	flag_ok(&s, "entrypoint", "/bin/echo hi");
	assert_string_equal(s.entrypoint[0], "/bin/echo hi");
	flag_ok(&s, "tty", NULL);
	flag_ok(&s, "read-only", "false");
	assert_true(s.tty);
	assert_false(s.read_only);
	flag_bad("workdir", "rel", "the working directory 'rel' is invalid, it needs to be an absolute path");
	flag_bad("privileged", "maybe", "invalid argument \"maybe\" for \"--privileged\" flag");
	flag_bad("frobnicate", "x", "unknown flag: --frobnicate");
	flag_ok(&s, "label", "a=b");
	flag_ok(&s, "label", "bare");
	assert_string_equal(s.labels[1], "bare=");
	runspec_clear(&s);
}

/* --- apply ------------------------------------------------------------------------------------------------------ */

struct scratch {
	char *dir, *root;
	int rootfd;
	struct runspec_env env;
};

static const char base_config[] =
	"{'ociVersion':'1.0.2','process':{'terminal':false,'user':{'uid':0,'gid':0},'args':['/bin/sh'],"
	"'env':['PATH=/bin','FOO=image'],'cwd':'/','rlimits':[{'type':'RLIMIT_NOFILE','hard':1024,'soft':1024}],"
	"'noNewPrivileges':true},'root':{'path':'rootfs','readonly':false},"
	"'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
	"{'destination':'/sys','type':'sysfs','source':'sysfs','options':['nosuid','noexec','nodev','ro']}],"
	"'linux':{'namespaces':[{'type':'pid'}]},'annotations':{'org.opencontainers.image.stopSignal':'SIGQUIT'}}";

static void scratch_make(struct scratch *t)
{
	t->dir = unit_tmpdir();
	t->root = xasprintf("%s/root", t->dir);
	_cleanup_free_ char *etc = xasprintf("%s/etc", t->root), *data = xasprintf("%s/root/data", t->dir);
	_cleanup_free_ char *vols = xasprintf("%s/volumes", t->dir), *hosts = xasprintf("%s/hosts", t->dir);
	assert_int_equal(mkdir(t->root, 0755), 0);
	assert_int_equal(mkdir(etc, 0755), 0);
	assert_int_equal(mkdir(data, 0751), 0);
	assert_int_equal(mkdir(vols, 0755), 0);
	unit_write(etc, "passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
	unit_write(etc, "group", "root:x:0:\nsudo:x:27:alice,bob\nalice:x:1000:\nstaff:x:50:\n");
	unit_write(data, "seed", "from the image\n");
	unit_write(t->dir, "hosts", "127.0.0.1 localhost\n");
	t->rootfd = open(t->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(t->rootfd >= 0);
	static char *ep[] = { "/entry", NULL }, *cmd[] = { "arg1", NULL };
	t->env = (struct runspec_env){ .hosts = xstrdup(hosts), .volumes_dir = take_ptr(vols), .netns = "/run/netns/x",
				       .short_id = "abcdef012345", .image_entrypoint = ep, .image_cmd = cmd };
}

static void scratch_free(struct scratch *t)
{
	close(t->rootfd);
	unit_rmtree(t->dir);
	free((char *)t->env.hosts);
	free((char *)t->env.volumes_dir);
	free(t->root);
	free(t->dir);
}

static json_object *applied(struct scratch *t, struct run_spec *s)
{
	json_object *config = unit_json_object(base_config);
	hull_err err = NULL;
	if (runspec_apply(s, &t->env, t->rootfd, config, &err) < 0)
		fail_msg("apply: %s", err->msg);
	return config;
}

static void apply_fails_with(struct scratch *t, struct run_spec *s, const char *words)
{
	json_object *config = unit_json_object(base_config);
	hull_err err = NULL;
	assert_int_equal(runspec_apply(s, &t->env, t->rootfd, config, &err), -1);
	if (strstr(err->msg, words) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err->msg, words);
	hull_err_free(&err);
	json_object_put(config);
}

static void defaults_are_dockers(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	json_object *c = applied(&t, &s);
	json_object *bounding = at(c, "process.capabilities.bounding");
	assert_int_equal(json_object_array_length(bounding), 14);
	assert_true(array_has(bounding, "CAP_NET_RAW") && array_has(bounding, "CAP_AUDIT_WRITE"));
	assert_false(array_has(bounding, "CAP_SYS_ADMIN"));
	assert_int_equal(json_object_array_length(at(c, "process.capabilities.effective")), 14);
	assert_null(at(c, "process.capabilities.inheritable"));
	assert_null(at(c, "process.capabilities.ambient"));
	assert_null(at(c, "process.rlimits"));
	assert_false(json_object_get_boolean(at(c, "process.noNewPrivileges")));
	assert_string_equal(str_at(c, "hostname"), "abcdef012345");
	json_object *env = at(c, "process.env");
	assert_true(array_has(env, "HOSTNAME=abcdef012345"));
	assert_true(array_has(env, "container=hull"));
	assert_true(array_has(env, "HOME=/root"));
	assert_true(array_has(env, "FOO=image"));
	assert_false(array_has(env, "TERM=xterm"));
	assert_string_equal(str_at(c, "linux.seccomp.defaultAction"), "SCMP_ACT_ERRNO");
	assert_true(array_has(at(c, "linux.maskedPaths"), "/proc/kcore"));
	assert_true(array_has(at(c, "linux.readonlyPaths"), "/proc/sys"));
	json_object *nss = at(c, "linux.namespaces");
	bool net = false;
	for (size_t i = 0; i < json_object_array_length(nss); i++) {
		json_object *ns = json_object_array_get_idx(nss, i);
		if (strcmp(str_at(ns, "type"), "network") == 0)
			net = strcmp(str_at(ns, "path"), "/run/netns/x") == 0;
		assert_string_not_equal(str_at(ns, "type"), "user");
	}
	assert_true(net);
	json_object *hosts = mount_at(c, "/etc/hosts");
	assert_non_null(hosts);
	assert_true(array_has(at(hosts, "options"), "rbind"));
	assert_false(array_has(at(hosts, "options"), "ro"));
	json_object *proc = at(mount_at(c, "/proc"), "options"); /* Docker's and podman's */
	assert_true(array_has(proc, "nosuid") && array_has(proc, "noexec") && array_has(proc, "nodev"));
	assert_null(json_object_object_get(at(c, "annotations"), "hull.privileged"));
	assert_null(json_object_object_get(at(c, "annotations"), "hull.cap-add"));
	assert_string_equal(annotation(c, "hull.stop-signal"), "SIGQUIT"); /* the image's StopSignal */
	assert_null(json_object_object_get(at(c, "annotations"), "hull.init"));
	json_object_put(c);
	scratch_free(&t);
}

static void user_names_resolve_in_the_images_files(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	flag_ok(&s, "user", "alice");
	json_object *c = applied(&t, &s);
	assert_int_equal(json_object_get_int(at(c, "process.user.uid")), 1000);
	assert_int_equal(json_object_get_int(at(c, "process.user.gid")), 1000);
	/* the primary group first, as runc's lookup makes the list (Docker's and podman's `id`: groups=1000,27) */
	assert_int_equal(json_object_array_length(at(c, "process.user.additionalGids")), 2);
	assert_int_equal(json_object_get_int(at(c, "process.user.additionalGids.0")), 1000);
	assert_int_equal(json_object_get_int(at(c, "process.user.additionalGids.1")), 27);
	assert_true(array_has(at(c, "process.env"), "HOME=/home/alice"));
	json_object_put(c);
	runspec_clear(&s);

	flag_ok(&s, "user", "alice:staff");
	c = applied(&t, &s);
	assert_int_equal(json_object_get_int(at(c, "process.user.gid")), 50);
	assert_int_equal(json_object_array_length(at(c, "process.user.additionalGids")), 1);
	assert_int_equal(json_object_get_int(at(c, "process.user.additionalGids.0")), 50);
	json_object_put(c);
	runspec_clear(&s);

	flag_ok(&s, "user", "4242:4343");
	c = applied(&t, &s);
	assert_int_equal(json_object_get_int(at(c, "process.user.uid")), 4242);
	assert_int_equal(json_object_get_int(at(c, "process.user.gid")), 4343);
	assert_true(array_has(at(c, "process.env"), "HOME=/"));
	json_object_put(c);
	runspec_clear(&s);

	flag_ok(&s, "user", "mallory");
	apply_fails_with(&t, &s, "unable to find user mallory: no matching entries in passwd file");
	runspec_clear(&s);
	flag_ok(&s, "user", "alice:nogroup");
	apply_fails_with(&t, &s, "unable to find group nogroup");
	runspec_clear(&s);
	scratch_free(&t);
}

static void passwd_symlink_cannot_leave_the_root(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	_cleanup_free_ char *passwd = xasprintf("%s/etc/passwd", t.root);
	assert_int_equal(unlink(passwd), 0);
	assert_int_equal(symlink("../../../../../../../../etc/passwd", passwd), 0); /* the host's has root */
	struct run_spec s = { 0 };
	flag_ok(&s, "user", "root");
	apply_fails_with(&t, &s, "unable to find user root");
	runspec_clear(&s);
	scratch_free(&t);
}

static void workdir_is_made_inside_the_root(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	/* a link to the scratch directory's absolute path: outside the root unless resolved in it */
	_cleanup_free_ char *link = xasprintf("%s/escape", t.root), *outside = xasprintf("%s/outside", t.dir);
	assert_int_equal(symlink(outside, link), 0);
	struct run_spec s = { 0 };
	flag_ok(&s, "workdir", "/escape/made/here");
	json_object *c = applied(&t, &s);
	assert_string_equal(str_at(c, "process.cwd"), "/escape/made/here");
	_cleanup_free_ char *inside = xasprintf("%s%s/made/here", t.root, outside);
	struct stat st;
	assert_int_equal(stat(inside, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(access(outside, F_OK), -1);
	json_object_put(c);
	runspec_clear(&s);
	scratch_free(&t);
}

static void privileged_lifts_every_restriction(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	flag_ok(&s, "privileged", NULL);
	flag_ok(&s, "security-opt", "no-new-privileges");
	json_object *c = applied(&t, &s);
	assert_string_equal(annotation(c, "hull.privileged"), "true"); /* for inspect's HostConfig.Privileged */
	assert_true(array_has(at(c, "process.capabilities.bounding"), "CAP_SYS_ADMIN"));
	assert_null(at(c, "linux.seccomp"));
	assert_null(at(c, "linux.maskedPaths"));
	assert_null(at(c, "linux.readonlyPaths"));
	assert_false(json_object_get_boolean(at(c, "process.noNewPrivileges")));
	assert_false(array_has(at(mount_at(c, "/sys"), "options"), "ro"));
	assert_true(json_object_get_boolean(at(c, "linux.resources.devices.1.allow")));
	assert_null(at(c, "linux.resources.devices.1.type"));
	bool null_dev = false;
	json_object *devs = at(c, "linux.devices");
	for (size_t i = 0; i < json_object_array_length(devs); i++)
		null_dev |= strcmp(str_at(json_object_array_get_idx(devs, i), "path"), "/dev/null") == 0;
	assert_true(null_dev);
	json_object_put(c);
	runspec_clear(&s);
	scratch_free(&t);
}

static void caps_add_and_drop_as_docker(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	flag_ok(&s, "cap-drop", "ALL");
	flag_ok(&s, "cap-add", "NET_ADMIN");
	json_object *c = applied(&t, &s);
	assert_int_equal(json_object_array_length(at(c, "process.capabilities.bounding")), 1);
	assert_string_equal(str_at(c, "process.capabilities.bounding.0"), "CAP_NET_ADMIN");
	json_object_put(c);
	runspec_clear(&s);
	flag_ok(&s, "cap-drop", "chown");
	flag_ok(&s, "cap-add", "sys_admin");
	c = applied(&t, &s);
	json_object *b = at(c, "process.capabilities.bounding");
	assert_int_equal(json_object_array_length(b), 14);
	assert_false(array_has(b, "CAP_CHOWN"));
	assert_true(array_has(b, "CAP_SYS_ADMIN"));
	/* the profile follows the capabilities: with CAP_SYS_ADMIN, mount is allowed and clone3 is not ENOSYS */
	assert_true(strstr(json_object_to_json_string(at(c, "linux.seccomp")), "\"umount2\"") != NULL);
	json_object_put(c);
	runspec_clear(&s);
	scratch_free(&t);
}

static void mounts_volumes_and_read_only(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	flag_ok(&s, "volume", "named:/data");
	flag_ok(&s, "volume", "/anon");
	flag_ok(&s, "volume", "/tmp:/hostdir:ro");
	flag_ok(&s, "tmpfs", "/scratch:size=1m");
	flag_ok(&s, "read-only", NULL);
	json_object *c = applied(&t, &s);
	json_object *m = mount_at(c, "/data");
	_cleanup_free_ char *want = xasprintf("%s/named/_data", t.env.volumes_dir);
	assert_string_equal(str_at(m, "source"), want);
	assert_true(array_has(at(m, "options"), "rbind") && array_has(at(m, "options"), "rprivate"));
	_cleanup_free_ char *seed = xasprintf("%s/seed", want);
	assert_int_equal(access(seed, F_OK), 0); /* filled from the image */
	struct stat st;
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0751); /* the image directory's mode */
	const char *anon = str_at(mount_at(c, "/anon"), "source");
	assert_int_equal(strlen(anon) - strlen(t.env.volumes_dir) - strlen("//_data"), 64);
	_cleanup_free_ char *anon_name = xstrndup(anon + strlen(t.env.volumes_dir) + 1, 64);
	assert_non_null(strstr(annotation(c, "hull.anonymous-volumes"), anon_name)); /* for the engine's --rm */
	json_object *h = mount_at(c, "/hostdir");
	assert_string_equal(str_at(h, "source"), "/tmp");
	assert_true(array_has(at(h, "options"), "ro"));
	json_object *tm = mount_at(c, "/scratch");
	assert_string_equal(str_at(tm, "type"), "tmpfs");
	assert_true(array_has(at(tm, "options"), "size=1m") && array_has(at(tm, "options"), "noexec"));
	assert_true(json_object_get_boolean(at(c, "root.readonly")));
	assert_non_null(mount_at(c, "/tmp"));
	assert_non_null(mount_at(c, "/run"));
	assert_true(array_has(at(mount_at(c, "/etc/hosts"), "options"), "ro"));
	json_object_put(c);
	runspec_clear(&s);

	/* the image's volumes become anonymous ones, unless a flag mounts something there */
	static char *image_volumes[] = { "/data", "/covered", NULL };
	t.env.image_volumes = image_volumes;
	flag_ok(&s, "tmpfs", "/covered");
	c = applied(&t, &s);
	const char *from_image = str_at(mount_at(c, "/data"), "source");
	assert_int_equal(strncmp(from_image, t.env.volumes_dir, strlen(t.env.volumes_dir)), 0);
	_cleanup_free_ char *copied = xasprintf("%s/seed", from_image);
	assert_int_equal(access(copied, F_OK), 0);
	assert_string_equal(str_at(mount_at(c, "/covered"), "type"), "tmpfs");
	assert_int_equal(strlen(annotation(c, "hull.anonymous-volumes")), 64 + 4); /* ["..."]: one name */
	json_object_put(c);
	runspec_clear(&s);
	t.env.image_volumes = NULL;

	_cleanup_free_ char *missing = xasprintf("%s/missing:/x", t.dir);
	flag_ok(&s, "volume", missing);
	apply_fails_with(&t, &s, "invalid mount config for type \"bind\": bind source path does not exist");
	runspec_clear(&s);
	scratch_free(&t);
}

static void resources_args_and_annotations(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	struct run_spec s = { 0 };
	flag_ok(&s, "memory", "64m");
	flag_ok(&s, "cpus", "1.5");
	flag_ok(&s, "pids-limit", "10");
	flag_ok(&s, "device", "/dev/null:/dev/mynull:r");
	flag_ok(&s, "entrypoint", "/bin/echo");
	flag_ok(&s, "label", "k=v");
	flag_ok(&s, "init", NULL);
	flag_ok(&s, "stop-signal", "10");
	flag_ok(&s, "tty", NULL);
	flag_ok(&s, "env", "FOO=flag");
	flag_ok(&s, "hostname", "box");
	flag_ok(&s, "uidmap", "0:100000:65536");
	flag_ok(&s, "cap-add", "NET_ADMIN");
	flag_ok(&s, "cap-add", "CAP_SYS_TIME");
	flag_ok(&s, "cap-drop", "ALL");
	flag_ok(&s, "user", "1000:1001");
	json_object *c = applied(&t, &s);
	/* what inspect shows of the flags, as given */
	assert_string_equal(annotation(c, "hull.cap-add"), "[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"]");
	assert_string_equal(annotation(c, "hull.cap-drop"), "[\"ALL\"]");
	assert_string_equal(annotation(c, "hull.user"), "1000:1001");
	assert_int_equal(json_object_get_int64(at(c, "linux.resources.memory.limit")), 64 << 20);
	assert_int_equal(json_object_get_int64(at(c, "linux.resources.cpu.quota")), 150000);
	assert_int_equal(json_object_get_int64(at(c, "linux.resources.cpu.period")), 100000);
	assert_int_equal(json_object_get_int64(at(c, "linux.resources.pids.limit")), 10);
	json_object *devs = at(c, "linux.devices");
	assert_string_equal(str_at(devs, "0.path"), "/dev/mynull");
	assert_int_equal(json_object_get_int(at(devs, "0.major")), 1);
	assert_int_equal(json_object_get_int(at(devs, "0.minor")), 3);
	json_object *rules = at(c, "linux.resources.devices");
	json_object *last = json_object_array_get_idx(rules, json_object_array_length(rules) - 1);
	assert_string_equal(str_at(last, "access"), "r");
	assert_false(json_object_get_boolean(at(rules, "0.allow")));
	assert_int_equal(json_object_array_length(at(c, "process.args")), 1); /* --entrypoint drops the image's Cmd */
	assert_string_equal(str_at(c, "process.args.0"), "/bin/echo");
	assert_string_equal(annotation(c, "k"), "v");
	assert_string_equal(annotation(c, "hull.init"), "true");
	assert_string_equal(annotation(c, "hull.stop-signal"), "SIGUSR1");
	assert_true(json_object_get_boolean(at(c, "process.terminal")));
	json_object *env = at(c, "process.env");
	assert_true(array_has(env, "TERM=xterm") && array_has(env, "FOO=flag") && !array_has(env, "FOO=image"));
	assert_true(array_has(env, "HOSTNAME=box"));
	assert_string_equal(str_at(c, "hostname"), "box");
	assert_int_equal(json_object_get_int64(at(c, "linux.uidMappings.0.hostID")), 100000);
	assert_int_equal(json_object_get_int64(at(c, "linux.gidMappings.0.hostID")), 100000);
	json_object_put(c);
	runspec_clear(&s);

	s.command = xcalloc(2, sizeof(char *));
	s.command[0] = xstrdup("cmd2");
	t.env.rootless = true;
	flag_ok(&s, "memory", "64m");
	c = applied(&t, &s);
	assert_string_equal(str_at(c, "process.args.0"), "/entry");
	assert_string_equal(str_at(c, "process.args.1"), "cmd2");
	assert_null(at(c, "linux.resources"));
	assert_null(at(c, "linux.uidMappings")); /* the engine's pause namespace maps the user */
	json_object_put(c);
	runspec_clear(&s);
	flag_ok(&s, "entrypoint", "");
	t.env.image_cmd = NULL;
	apply_fails_with(&t, &s, "no command specified");
	runspec_clear(&s);
	scratch_free(&t);
}

/* Every config apply makes must be one the runtime takes: hull's own parser over spec_default's base. */
static void applied_configs_pass_hulls_own_config_parser(void **state)
{
	(void)state;
	struct scratch t;
	scratch_make(&t);
	static const char *const runs[][12] = {
		{ NULL },
		{ "privileged", NULL, NULL },
		{ "read-only", NULL, "volume", "vv:/data", "tmpfs", "/t:size=1m", "device", "/dev/null:/dev/n:r", "memory", "64m", NULL },
		{ "uidmap", "0:100000:65536", "cpus", "0.5", "pids-limit", "-1", "user", "alice", "cap-drop", "ALL", NULL },
		{ "security-opt", "seccomp=unconfined", "security-opt", "no-new-privileges", "tty", NULL, "workdir", "/w", NULL },
	};
	for (size_t r = 0; r < ARRAY_SIZE(runs); r++) {
		struct run_spec s = { 0 };
		for (size_t i = 0; runs[r][i]; i += 2)
			flag_ok(&s, runs[r][i], runs[r][i + 1]);
		json_object *c = spec_default(r == 3);
		hull_err err = NULL;
		if (runspec_apply(&s, &t.env, t.rootfd, c, &err) < 0)
			fail_msg("run %zu: apply: %s", r, err->msg);
		const char *text = json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN);
		struct hull_spec *spec = NULL;
		if (spec_parse(text, strlen(text), "config.json", t.dir, &spec, &err) < 0)
			fail_msg("run %zu: %s", r, err->msg);
		spec_free(spec);
		json_object_put(c);
		runspec_clear(&s);
	}
	scratch_free(&t);
}

/* --- seccomp ---------------------------------------------------------------------------------------------------- */

static void compile_profile(json_object *linux_seccomp, struct hull_seccomp **prof, struct seccomp_program *prog)
{
	hull_err err = NULL;
	struct ctx c = { "test", &err };
	if (seccomp_profile_parse(&c, linux_seccomp, prof) < 0)
		fail_msg("parse: %s", err->msg);
	if (seccomp_compile(*prof, NULL, prog, &err) < 0)
		fail_msg("compile: %s", err->msg);
}

/* The errno a call gets in a child under the filter (0: it succeeded). */
static int errno_under(const struct seccomp_program *prog, long nr, long a0, long a1)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_fprog fp = { .len = prog->len, .filter = prog->insns };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
			_exit(255);
		_exit(syscall(nr, a0, a1, 0L, 0L) < 0 ? errno : 0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_not_equal(WEXITSTATUS(status), 255);
	return WEXITSTATUS(status);
}

static void default_seccomp_denies_what_the_caps_do_not_allow(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip(); /* allowed calls must fail on their arguments, not on the kernel's own capability check */
	uint64_t defaults = 0x7ffULL; /* any set without SYS_ADMIN and SYS_BOOT */
	static const char target[] = "/nonexistent-hull-runspec-test";
	for (int with = 0; with < 2; with++) {
		json_object *p = seccomp_default_profile(with ? defaults | SYS_ADMIN_BIT | SYS_BOOT_BIT | SYS_CHROOT_BIT : defaults);
		struct hull_seccomp *prof = NULL;
		struct seccomp_program prog;
		compile_profile(p, &prof, &prog);
		/* reboot with bad magic: EINVAL when allowed; umount2 of a missing path: ENOENT when allowed */
		assert_int_equal(errno_under(&prog, SYS_reboot, 0, 0), with ? EINVAL : EPERM);
		assert_int_equal(errno_under(&prog, SYS_umount2, (long)target, 0), with ? ENOENT : EPERM);
		assert_int_equal(errno_under(&prog, SYS_clone3, 0, 0), with ? EINVAL : ENOSYS);
		assert_int_equal(errno_under(&prog, SYS_chroot, (long)target, 0), with ? ENOENT : EPERM);
		/* clone with a namespace flag is refused without CAP_SYS_ADMIN (EINVAL: CLONE_NEWNS with CLONE_FS) */
		assert_int_equal(errno_under(&prog, SYS_clone, CLONE_NEWNS | CLONE_FS, 0), with ? EINVAL : EPERM);
		assert_int_equal(errno_under(&prog, SYS_getpid, 0, 0), 0);
		assert_int_equal(errno_under(&prog, SYS_personality, 0xffffffffL, 0), 0);
		seccomp_program_free(&prog);
		seccomp_profile_free(prof);
		json_object_put(p);
	}
}

static void default_profile_compiles_with_every_cap_and_none(void **state)
{
	(void)state;
	uint64_t sets[] = { 0, ~0ULL };
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		json_object *p = seccomp_default_profile(sets[i]);
		assert_string_equal(str_at(p, "defaultAction"), "SCMP_ACT_ERRNO");
		assert_int_equal(json_object_get_int(at(p, "defaultErrnoRet")), EPERM);
		struct hull_seccomp *prof = NULL;
		struct seccomp_program prog;
		compile_profile(p, &prof, &prog);
		assert_true(prog.len > 100);
		seccomp_program_free(&prog);
		seccomp_profile_free(prof);
		json_object_put(p);
	}
}

static void docker_profile_files_keep_entries_for_our_caps(void **state)
{
	(void)state;
	char *dir = unit_tmpdir();
	unit_write(dir, "p.json",
		   "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
		   "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]},"
		   "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}],"
		   "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		   "{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_BOOT\"]}},"
		   "{\"name\":\"clone3\",\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		   "{\"names\":[\"uname\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"99.0\"}}]}");
	_cleanup_free_ char *path = xasprintf("%s/p.json", dir);
	json_object *p = NULL;
	hull_err err = NULL;
	assert_int_equal(seccomp_docker_profile(path, SYS_BOOT_BIT, &p, &err), 0);
	const char *text = json_object_to_json_string(p);
	assert_non_null(strstr(text, "\"reboot\""));
	assert_non_null(strstr(text, "\"clone3\""));
	assert_null(strstr(text, "\"uname\""));
	assert_null(strstr(text, "includes"));
#if defined(__x86_64__)
	assert_string_equal(str_at(p, "architectures.0"), "SCMP_ARCH_X86_64");
	assert_string_equal(str_at(p, "architectures.1"), "SCMP_ARCH_X86");
#endif
	struct hull_seccomp *prof = NULL;
	struct seccomp_program prog;
	compile_profile(p, &prof, &prog);
	seccomp_program_free(&prog);
	seccomp_profile_free(prof);
	json_object_put(p);
	assert_int_equal(seccomp_docker_profile(path, SYS_ADMIN_BIT, &p, &err), 0);
	assert_null(strstr(json_object_to_json_string(p), "\"reboot\""));
	assert_null(strstr(json_object_to_json_string(p), "\"clone3\""));
	json_object_put(p);
	_cleanup_free_ char *missing = xasprintf("%s/none.json", dir);
	assert_int_equal(seccomp_docker_profile(missing, 0, &p, &err), -1);
	assert_non_null(strstr(err->msg, "opening seccomp profile"));
	hull_err_free(&err);
	unit_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memory_sizes_are_read_as_docker_reads_them),
		cmocka_unit_test(cpus_and_pids_take_numbers),
		cmocka_unit_test(env_takes_pairs_and_names_from_our_environment),
		cmocka_unit_test(volumes_are_binds_named_or_anonymous),
		cmocka_unit_test(mount_and_tmpfs_flags_take_docker_keys),
		cmocka_unit_test(devices_caps_and_security_opts_are_validated),
		cmocka_unit_test(the_other_flags_keep_their_values),
		cmocka_unit_test(defaults_are_dockers),
		cmocka_unit_test(user_names_resolve_in_the_images_files),
		cmocka_unit_test(passwd_symlink_cannot_leave_the_root),
		cmocka_unit_test(workdir_is_made_inside_the_root),
		cmocka_unit_test(privileged_lifts_every_restriction),
		cmocka_unit_test(caps_add_and_drop_as_docker),
		cmocka_unit_test(mounts_volumes_and_read_only),
		cmocka_unit_test(resources_args_and_annotations),
		cmocka_unit_test(applied_configs_pass_hulls_own_config_parser),
		cmocka_unit_test(default_seccomp_denies_what_the_caps_do_not_allow),
		cmocka_unit_test(default_profile_compiles_with_every_cap_and_none),
		cmocka_unit_test(docker_profile_files_keep_entries_for_our_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
