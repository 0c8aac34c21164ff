/* test_spec.c - spec_parse/spec_load/spec_parse_process: parsed values, and every rejection naming its JSON path.
 * Must never depend on the host: configs are built in memory, bundles live in scratch directories. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <json-c/json.h>

#include "unit.h"
#include "spec.h"

#define BUNDLE "/run/bundle"
#define NO_ERROR "(no error)"
#define MSG_MAX 1024

/* Every test edits this smallest valid config. Single quotes are turned into double quotes. */
static const char BASE[] = "{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'},"
			   "'linux':{'namespaces':[{'type':'mount'}]}}";
/* An edit value that removes the key instead of setting it. */
static const char DELETE[] = "(delete)";

/* ---- building configs ---- */

/* Set (or delete) the dotted `path` in doc to the single-quoted JSON `value`, creating missing objects. */
static void edit(json_object *doc, const char *path, const char *value, const char *file, int line)
{
	char *copy = strdup(path);
	char *save = NULL;
	json_object *cur = doc;
	char *key = strtok_r(copy, ".", &save);
	for (char *next = strtok_r(NULL, ".", &save); next; key = next, next = strtok_r(NULL, ".", &save)) {
		json_object *child = NULL;
		if (!json_object_object_get_ex(cur, key, &child) || !json_object_is_type(child, json_type_object)) {
			child = json_object_new_object();
			json_object_object_add(cur, key, child);
		}
		cur = child;
	}
	if (value == DELETE) {
		json_object_object_del(cur, key);
		free(copy);
		return;
	}
	char *text = unit_json(value);
	enum json_tokener_error jerr = json_tokener_success;
	json_object *v = json_tokener_parse_verbose(text, &jerr);
	free(text);
	if (jerr != json_tokener_success) {
		print_error("test bug: the value for %s is not JSON: %s\n", path, value);
		free(copy);
		_fail(file, line);
	}
	json_object_object_add(cur, key, v);
	free(copy);
}

/* BASE with the (path, value) pairs of `edits` applied; `edits` ends with NULL. */
static char *config_text(const char *const *edits, const char *file, int line)
{
	char *base = unit_json(BASE);
	json_object *doc = json_tokener_parse(base);
	free(base);
	assert_non_null(doc);
	for (size_t i = 0; edits && edits[i]; i += 2)
		edit(doc, edits[i], edits[i + 1], file, line);
	char *text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return text;
}

/* What a rejected parse left behind, copied out so that nothing leaks when an assertion fails. */
struct outcome {
	int ret;
	bool spec_set;
	char msg[MSG_MAX];
};

static struct outcome parse_text(const char *text, size_t len, const char *name)
{
	struct outcome o = { 0 };
	struct hull_spec *spec = NULL;
	hull_err err = NULL;
	o.ret = spec_parse(text, len, name, BUNDLE, &spec, &err);
	o.spec_set = spec != NULL;
	snprintf(o.msg, sizeof(o.msg), "%s", err ? err->msg : NO_ERROR);
	spec_free(spec);
	hull_err_free(&err);
	return o;
}

static struct outcome parse_edited(const char *const *edits, const char *file, int line)
{
	char *text = config_text(edits, file, line);
	struct outcome o = parse_text(text, strlen(text), "config.json");
	free(text);
	return o;
}

static void check_rejected(const struct outcome *o, const char *expected, const char *file, int line)
{
	_assert_string_equal(o->msg, expected, file, line);
	_assert_int_equal((uintmax_t)o->ret, (uintmax_t)-1, file, line);
	_assert_int_equal(o->spec_set, false, file, line);
}

#define EDITS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define assert_text_rejected(text, expected)                                         \
	do {                                                                         \
		struct outcome o_ = parse_text((text), strlen(text), "config.json"); \
		check_rejected(&o_, (expected), __FILE__, __LINE__);                 \
	} while (0)

static void prefix_at(const char *s, const char *prefix, const char *file, int line)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0) {
		print_error("\"%s\" does not start with \"%s\"\n", s, prefix);
		_fail(file, line);
	}
}
#define assert_prefix(s, prefix) prefix_at((s), (prefix), __FILE__, __LINE__)

/* The spec of the test that passed, freed by the teardown even when an assertion fails. */
static struct hull_spec *parsed;

static int free_parsed(void **state)
{
	(void)state;
	spec_free(parsed);
	parsed = NULL;
	return 0;
}

static struct hull_spec *parse_config_at(const char *const *edits, const char *file, int line)
{
	char *text = config_text(edits, file, line);
	hull_err err = NULL;
	spec_free(parsed);
	parsed = NULL;
	int ret = spec_parse(text, strlen(text), "config.json", BUNDLE, &parsed, &err);
	char msg[MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err ? err->msg : NO_ERROR);
	hull_err_free(&err);
	free(text);
	_assert_string_equal(msg, NO_ERROR, file, line);
	_assert_int_equal((uintmax_t)ret, 0, file, line);
	_assert_true(parsed != NULL, "parsed != NULL", file, line);
	return parsed;
}
#define parse_config(...) parse_config_at(EDITS(__VA_ARGS__), __FILE__, __LINE__)
#define parse_base() parse_config_at(NULL, __FILE__, __LINE__)

/* A NULL-terminated vector equals the expected one, element by element. */
static void strv_equal_at(char *const *v, const char *const *expected, const char *file, int line)
{
	_assert_true(v != NULL, "vector != NULL", file, line);
	size_t i = 0;
	for (; expected[i]; i++) {
		_assert_true(v[i] != NULL, "vector is too short", file, line);
		_assert_string_equal(v[i], expected[i], file, line);
	}
	_assert_true(v[i] == NULL, "vector is too long", file, line);
}
#define assert_strv_equal(v, ...) strv_equal_at((v), (const char *const[]){ __VA_ARGS__, NULL }, __FILE__, __LINE__)
#define assert_strv_empty(v) strv_equal_at((v), (const char *const[]){ NULL }, __FILE__, __LINE__)

/* ---- accepted configs and their values ---- */

static void minimal_config_parses_with_defaults(void **state)
{
	(void)state;
	struct hull_spec *s = parse_base();
	assert_string_equal(s->oci_version, "1.2.0");
	assert_string_equal(s->bundle, BUNDLE);
	assert_string_equal(s->root_path, BUNDLE "/rootfs");
	assert_false(s->root_readonly);
	assert_null(s->hostname);
	assert_null(s->domainname);
	assert_int_equal(s->n_mounts, 0);
	assert_non_null(s->json);
	assert_null(s->annotations);
	assert_non_null(s->process);
	assert_strv_equal(s->process->args, "sh");
	assert_strv_empty(s->process->env);
	assert_string_equal(s->process->cwd, "/");
	assert_int_equal(s->process->uid, 0);
	assert_int_equal(s->process->gid, 0);
	assert_false(s->process->terminal);
	assert_false(s->process->has_caps);
	assert_false(s->process->has_umask);
	assert_false(s->process->no_new_privileges);
	assert_false(s->process->has_oom_score_adj);
	assert_int_equal(s->process->n_rlimits, 0);
	assert_int_equal(s->process->n_additional_gids, 0);
	for (int k = 0; k < NS_COUNT; k++) {
		assert_int_equal(s->ns[k].enabled, k == NS_MNT);
		assert_null(s->ns[k].path);
	}
	for (int k = 0; k < HOOK_KIND_COUNT; k++)
		assert_int_equal(s->hooks[k].n, 0);
	assert_int_equal(s->n_uid_mappings, 0);
	assert_int_equal(s->n_gid_mappings, 0);
	assert_int_equal(s->n_devices, 0);
	assert_int_equal(s->n_sysctl, 0);
	assert_null(s->masked_paths);
	assert_null(s->readonly_paths);
	assert_int_equal(s->rootfs_propagation, 0);
	assert_false(s->has_personality);
	assert_false(s->has_time_offsets);
}

static void relative_root_path_is_joined_with_the_bundle(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("root", "{'path':'images/rootfs','readonly':true}");
	assert_string_equal(s->root_path, BUNDLE "/images/rootfs");
	assert_true(s->root_readonly);
}

static void absolute_root_path_is_kept_as_is(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("root.path", "'/srv/rootfs'");
	assert_string_equal(s->root_path, "/srv/rootfs");
}

static void config_without_process_has_no_process(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("process", DELETE);
	assert_null(s->process);
}

static void namespaces_are_enabled_with_their_paths(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'pid'},{'type':'network','path':'/proc/1/ns/net'},"
							      "{'type':'mount'},{'type':'ipc'},{'type':'uts'},{'type':'cgroup'}]");
	static const bool want[NS_COUNT] = { [NS_PID] = true, [NS_NET] = true, [NS_MNT] = true,
					     [NS_IPC] = true, [NS_UTS] = true, [NS_CGROUP] = true };
	for (int k = 0; k < NS_COUNT; k++)
		assert_int_equal(s->ns[k].enabled, want[k]);
	assert_string_equal(s->ns[NS_NET].path, "/proc/1/ns/net");
	assert_null(s->ns[NS_PID].path);
	assert_null(s->ns[NS_MNT].path);
}

/* An empty path is how Go-built configs say "no path": it means a new namespace, as in runc. */
static void empty_namespace_path_means_a_new_namespace(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount'},{'type':'network','path':''}]");
	assert_true(s->ns[NS_NET].enabled);
	assert_null(s->ns[NS_NET].path);
}

/* An empty hostname is no hostname (the uts check above already treats it so), even when joining a uts namespace. */
static void empty_hostname_when_joining_a_uts_namespace_is_accepted(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hostname", "''", "linux.namespaces",
					   "[{'type':'mount'},{'type':'uts','path':'/proc/1/ns/uts'}]");
	assert_string_equal(s->ns[NS_UTS].path, "/proc/1/ns/uts");
}

/* As runc and crun do: the uts namespace named by path is the caller's choice, hostname included. */
static void hostname_when_joining_a_uts_namespace_is_accepted(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hostname", "'box'", "linux.namespaces",
					   "[{'type':'mount'},{'type':'uts','path':'/proc/1/ns/uts'}]");
	assert_string_equal(s->hostname, "box");
	assert_string_equal(s->ns[NS_UTS].path, "/proc/1/ns/uts");
}

/* Without a mount namespace the container shares the host's mounts (runtime-spec: inherit the type). */
static void config_without_mount_namespace_is_accepted(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'pid'}]");
	assert_false(s->ns[NS_MNT].enabled);
	assert_true(s->ns[NS_PID].enabled);
}

static void joining_a_mount_namespace_is_accepted(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount','path':'/proc/1/ns/mnt'}]");
	assert_string_equal(s->ns[NS_MNT].path, "/proc/1/ns/mnt");
}

/* runc and crun skip capability names they do not know (with a warning) */
static void unknown_capability_is_skipped(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("process.capabilities", "{'bounding':['CAP_KILL','CAP_BOGUS','CAP_CHOWN']}");
	assert_int_equal(s->process->caps.bounding, (1ULL << 5) | (1ULL << 0));
}

static void empty_hostname_without_uts_namespace_is_accepted(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hostname", "''");
	assert_string_equal(s->hostname, "");
}

static void namespace_tables_use_spec_and_proc_names(void **state)
{
	(void)state;
	assert_string_equal(hull_ns_names[NS_NET], "network");
	assert_string_equal(hull_ns_proc_names[NS_NET], "net");
	assert_string_equal(hull_ns_names[NS_MNT], "mount");
	assert_string_equal(hull_ns_proc_names[NS_MNT], "mnt");
	assert_string_equal(hull_ns_names[NS_TIME], "time");
	assert_int_equal(hull_ns_clone_flags[NS_USER], CLONE_NEWUSER);
	assert_int_equal(hull_ns_clone_flags[NS_CGROUP], CLONE_NEWCGROUP);
	assert_string_equal(hull_hook_names[HOOK_CREATE_RUNTIME], "createRuntime");
	assert_string_equal(hull_hook_names[HOOK_POSTSTOP], "poststop");
}

static void capabilities_become_bit_masks(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("process.capabilities",
					   "{'bounding':['CAP_CHOWN','CAP_KILL','CAP_SYS_ADMIN'],'effective':['CAP_CHECKPOINT_RESTORE'],"
					   "'permitted':['CAP_NET_BIND_SERVICE','CAP_NET_BIND_SERVICE'],'ambient':[]}");
	assert_true(s->process->has_caps);
	assert_int_equal(s->process->caps.bounding, (1ULL << 0) | (1ULL << 5) | (1ULL << 21));
	assert_int_equal(s->process->caps.effective, 1ULL << 40);
	assert_int_equal(s->process->caps.permitted, 1ULL << 10);
	assert_int_equal(s->process->caps.inheritable, 0);
	assert_int_equal(s->process->caps.ambient, 0);
}

static void rlimits_keep_resource_soft_and_hard(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':1024,'hard':4096},"
							      "{'type':'RLIMIT_CORE','soft':18446744073709551615,'hard':18446744073709551615},"
							      "{'type':'RLIMIT_NPROC','soft':0,'hard':0}]");
	struct hull_process *p = s->process;
	assert_int_equal(p->n_rlimits, 3);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(p->rlimits[0].soft, 1024);
	assert_int_equal(p->rlimits[0].hard, 4096);
	assert_int_equal(p->rlimits[1].resource, RLIMIT_CORE);
	assert_int_equal(p->rlimits[1].soft, UINT64_MAX);
	assert_int_equal(p->rlimits[1].hard, UINT64_MAX);
	assert_int_equal(p->rlimits[2].resource, RLIMIT_NPROC);
	assert_int_equal(p->rlimits[2].hard, 0);
}

static void user_ids_umask_and_groups_are_read(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("process.user", "{'uid':1000,'gid':1001,'umask':18,'additionalGids':[5,4294967294]}");
	struct hull_process *p = s->process;
	assert_int_equal(p->uid, 1000);
	assert_int_equal(p->gid, 1001);
	assert_true(p->has_umask);
	assert_int_equal(p->umask, 022);
	assert_int_equal(p->n_additional_gids, 2);
	assert_int_equal(p->additional_gids[0], 5);
	assert_int_equal(p->additional_gids[1], 4294967294U);
}

static void process_env_and_extras_are_read(void **state)
{
	(void)state;
	struct hull_spec *s =
		parse_config("process.env", "['PATH=/bin','EMPTY=']", "process.terminal", "true", "process.consoleSize",
			     "{'height':24,'width':80}", "process.noNewPrivileges", "true", "process.apparmorProfile", "'prof'",
			     "process.selinuxLabel", "'label'", "process.oomScoreAdj", "-500", "process.ioPriority",
			     "{'class':'IOPRIO_CLASS_BE','priority':4}", "process.scheduler",
			     "{'policy':'SCHED_BATCH','nice':-3,'flags':['SCHED_FLAG_RESET_ON_FORK','SCHED_FLAG_KEEP_PARAMS']}");
	struct hull_process *p = s->process;
	assert_strv_equal(p->env, "PATH=/bin", "EMPTY=");
	assert_true(p->terminal);
	assert_int_equal(p->console_height, 24);
	assert_int_equal(p->console_width, 80);
	assert_true(p->no_new_privileges);
	assert_string_equal(p->apparmor_profile, "prof");
	assert_string_equal(p->selinux_label, "label");
	assert_true(p->has_oom_score_adj);
	assert_int_equal(p->oom_score_adj, -500);
	assert_true(p->has_io_priority);
	assert_int_equal(p->io_priority_class, 2);
	assert_int_equal(p->io_priority_level, 4);
	assert_true(p->has_scheduler);
	assert_int_equal(p->sched_policy, 3);
	assert_int_equal(p->sched_nice, -3);
	assert_int_equal(p->sched_flags, 0x01 | 0x10);
}

static void hook_args_default_to_the_path_and_env_to_empty(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hooks.prestart", "[{'path':'/usr/bin/prestart-hook'}]");
	assert_int_equal(s->hooks[HOOK_PRESTART].n, 1);
	struct hull_hook *h = &s->hooks[HOOK_PRESTART].hooks[0];
	assert_string_equal(h->path, "/usr/bin/prestart-hook");
	assert_strv_equal(h->args, "/usr/bin/prestart-hook");
	assert_strv_empty(h->env);
	assert_int_equal(h->timeout, 0);
}

static void hook_empty_args_default_to_the_path(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hooks.poststop", "[{'path':'/bin/cleanup','args':[]}]");
	assert_strv_equal(s->hooks[HOOK_POSTSTOP].hooks[0].args, "/bin/cleanup");
}

static void hook_args_env_and_timeout_are_kept(void **state)
{
	(void)state;
	struct hull_spec *s =
		parse_config("hooks.createRuntime", "[{'path':'/usr/bin/hook','args':['hook','--flag'],'env':['A=1'],'timeout':5},"
						    "{'path':'/usr/bin/second'}]");
	assert_int_equal(s->hooks[HOOK_CREATE_RUNTIME].n, 2);
	struct hull_hook *h = &s->hooks[HOOK_CREATE_RUNTIME].hooks[0];
	assert_strv_equal(h->args, "hook", "--flag");
	assert_strv_equal(h->env, "A=1");
	assert_int_equal(h->timeout, 5);
	assert_string_equal(s->hooks[HOOK_CREATE_RUNTIME].hooks[1].path, "/usr/bin/second");
}

static void hooks_are_filed_under_their_kind(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hooks", "{'prestart':[{'path':'/0'}],'createRuntime':[{'path':'/1'}],"
						    "'createContainer':[{'path':'/2'}],'startContainer':[{'path':'/3'}],"
						    "'poststart':[{'path':'/4'}],'poststop':[{'path':'/5'}]}");
	static const char *const paths[HOOK_KIND_COUNT] = {
		[HOOK_PRESTART] = "/0", [HOOK_CREATE_RUNTIME] = "/1", [HOOK_CREATE_CONTAINER] = "/2",
		[HOOK_START_CONTAINER] = "/3", [HOOK_POSTSTART] = "/4", [HOOK_POSTSTOP] = "/5",
	};
	for (int k = 0; k < HOOK_KIND_COUNT; k++) {
		assert_int_equal(s->hooks[k].n, 1);
		assert_string_equal(s->hooks[k].hooks[0].path, paths[k]);
	}
}

static void device_mode_defaults_to_0666(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.devices", "[{'path':'/dev/fuse','type':'c','major':10,'minor':229},"
							    "{'path':'/dev/sda','type':'b','major':8,'minor':0,'fileMode':384,'uid':1,'gid':2},"
							    "{'path':'/dev/pipe','type':'p'}]");
	assert_int_equal(s->n_devices, 3);
	assert_string_equal(s->devices[0].path, "/dev/fuse");
	assert_int_equal(s->devices[0].type, 'c');
	assert_int_equal(s->devices[0].major, 10);
	assert_int_equal(s->devices[0].minor, 229);
	assert_int_equal(s->devices[0].mode, 0666);
	assert_int_equal(s->devices[0].uid, 0);
	assert_int_equal(s->devices[1].type, 'b');
	assert_int_equal(s->devices[1].mode, 0600);
	assert_int_equal(s->devices[1].uid, 1);
	assert_int_equal(s->devices[1].gid, 2);
	assert_int_equal(s->devices[2].type, 'p');
	assert_int_equal(s->devices[2].mode, 0666);
}

/* podman's --device and --privileged send S_IFCHR|0600 (8576): the type bits agree and only 0600 is the mode */
static void device_mode_may_carry_the_matching_type_bits(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.devices", "[{'path':'/dev/fuse','type':'c','major':10,'minor':229,'fileMode':8576},"
							    "{'path':'/dev/sda','type':'b','major':8,'minor':0,'fileMode':25056},"
							    "{'path':'/dev/tty9','type':'u','major':4,'minor':9,'fileMode':10694},"
							    "{'path':'/dev/pipe','type':'p','fileMode':4532}]");
	assert_int_equal(s->n_devices, 4);
	assert_int_equal(s->devices[0].mode, 0600);
	assert_int_equal(s->devices[1].mode, 0740);
	assert_int_equal(s->devices[2].mode, 04706);
	assert_int_equal(s->devices[3].mode, 0664);
}

static void sysctl_keys_and_values_are_kept_in_order(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount'},{'type':'network'},{'type':'ipc'}]",
					   "linux.sysctl", "{'kernel.shmmax':'4096','net.ipv4.ip_forward':'1'}");
	assert_int_equal(s->n_sysctl, 2);
	assert_string_equal(s->sysctl[0].key, "kernel.shmmax");
	assert_string_equal(s->sysctl[0].value, "4096");
	assert_string_equal(s->sysctl[1].key, "net.ipv4.ip_forward");
	assert_string_equal(s->sysctl[1].value, "1");
}

static void personality_domains_map_to_persona_values(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.personality", "{'domain':'LINUX32'}");
	assert_true(s->has_personality);
	assert_int_equal(s->personality, PER_LINUX32);
	s = parse_config("linux.personality", "{'domain':'LINUX','flags':[]}");
	assert_true(s->has_personality);
	assert_int_equal(s->personality, PER_LINUX);
}

static void memory_policy_maps_to_mode_flags_and_nodes(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.memoryPolicy",
					   "{'mode':'MPOL_INTERLEAVE','nodes':'0-2,7','flags':['MPOL_F_STATIC_NODES']}");
	assert_true(s->has_memory_policy);
	assert_int_equal(s->mempolicy_mode, 3 | (1 << 15));
	assert_true(s->mempolicy_nodes.set);
	assert_int_equal(s->mempolicy_nodes.bits[0], 0x87);
	s = parse_config("linux.memoryPolicy", "{'mode':'MPOL_LOCAL'}");
	assert_int_equal(s->mempolicy_mode, 4);
	assert_false(s->mempolicy_nodes.set);
}

static void exec_cpu_affinity_lists_become_masks(void **state)
{
	(void)state;
	const size_t word = 8 * sizeof(unsigned long);
	struct hull_spec *s = parse_config("process.execCPUAffinity", "{'initial':'1','final':'0,2-3,1023'}");
	assert_true(s->process->exec_cpus_initial.set);
	assert_int_equal(s->process->exec_cpus_initial.bits[0], 0x2);
	assert_int_equal(s->process->exec_cpus_final.bits[0], 0xd);
	assert_int_equal(s->process->exec_cpus_final.bits[SJ_MASK_BITS / word - 1] >> (word - 1), 1);
	/* "" is not set: the runtime leaves the affinity as it is */
	s = parse_config("process.execCPUAffinity", "{'final':''}");
	assert_false(s->process->exec_cpus_final.set);
}

/* runtime-spec 1.3's meanings apply from ociVersion 1.3 on: pids.limit 0 is a limit there only */
static void oci_version_decides_the_1_3_meanings(void **state)
{
	(void)state;
	static const struct {
		const char *version;
		bool spec_1_3;
	} cases[] = { { "'1.3.0'", true }, { "'1.3.0-rc.1'", true }, { "'1.10.0'", true }, { "'1.2.1'", false },
		      { "'1.0.2-dev'", false }, { "'1.x'", false } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_spec *s = parse_config("ociVersion", cases[i].version, "linux.resources", "{'pids':{'limit':0}}");
		assert_int_equal(s->spec_1_3, cases[i].spec_1_3);
		assert_int_equal(s->resources.pids.limit.set, cases[i].spec_1_3);
		assert_int_equal(s->resources.pids.limit.v, 0);
	}
	struct hull_spec *s = parse_config("ociVersion", "'1.3.0'", "linux.resources", "{'pids':{'limit':-5}}");
	assert_true(s->resources.pids.limit.set);
	assert_int_equal(s->resources.pids.limit.v, -1);
}

static void rootfs_propagation_maps_to_ms_flags(void **state)
{
	(void)state;
	static const struct {
		const char *value;
		unsigned long flags;
	} cases[] = {
		{ "'private'", MS_PRIVATE },	   { "'rprivate'", MS_PRIVATE | MS_REC }, { "'shared'", MS_SHARED },
		{ "'rshared'", MS_SHARED | MS_REC }, { "'slave'", MS_SLAVE },	      { "'rslave'", MS_SLAVE | MS_REC },
		{ "'unbindable'", MS_UNBINDABLE }, { "'runbindable'", MS_UNBINDABLE | MS_REC },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_spec *s = parse_config("linux.rootfsPropagation", cases[i].value);
		assert_int_equal(s->rootfs_propagation, cases[i].flags);
	}
	assert_int_equal(parse_config("linux.rootfsPropagation", "''")->rootfs_propagation, 0);
}

static void id_mappings_are_read_with_a_user_namespace(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount'},{'type':'user'}]", "linux.uidMappings",
					   "[{'containerID':0,'hostID':100000,'size':65536}]", "linux.gidMappings",
					   "[{'containerID':0,'hostID':100000,'size':65536},{'containerID':65536,'hostID':5,'size':1}]");
	assert_true(s->ns[NS_USER].enabled);
	assert_int_equal(s->n_uid_mappings, 1);
	assert_int_equal(s->uid_mappings[0].container_id, 0);
	assert_int_equal(s->uid_mappings[0].host_id, 100000);
	assert_int_equal(s->uid_mappings[0].size, 65536);
	assert_int_equal(s->n_gid_mappings, 2);
	assert_int_equal(s->gid_mappings[1].container_id, 65536);
	assert_int_equal(s->gid_mappings[1].host_id, 5);
	assert_int_equal(s->gid_mappings[1].size, 1);
}

static void time_offsets_are_read_with_a_time_namespace(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount'},{'type':'time'}]", "linux.timeOffsets",
					   "{'monotonic':{'secs':-5,'nanosecs':7},'boottime':{'secs':3600}}");
	assert_true(s->has_time_offsets);
	assert_int_equal(s->monotonic_secs, -5);
	assert_int_equal(s->monotonic_nsecs, 7);
	assert_int_equal(s->boottime_secs, 3600);
	assert_int_equal(s->boottime_nsecs, 0);
}

static void mounts_keep_destination_type_source_and_options(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("mounts", "[{'destination':'/proc','type':'proc','source':'proc'},"
						     "{'destination':'/data','source':'/srv/data','options':['rbind','ro']}]");
	assert_int_equal(s->n_mounts, 2);
	assert_string_equal(s->mounts[0].destination, "/proc");
	assert_string_equal(s->mounts[0].type, "proc");
	assert_string_equal(s->mounts[0].source, "proc");
	assert_int_equal(s->mounts[0].n_options, 0);
	assert_string_equal(s->mounts[1].destination, "/data");
	assert_null(s->mounts[1].type);
	assert_string_equal(s->mounts[1].source, "/srv/data");
	assert_int_equal(s->mounts[1].n_options, 2);
	assert_strv_equal(s->mounts[1].options, "rbind", "ro");
}

static void mount_idmapping_comes_from_options_and_mappings(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config(
		"linux.namespaces", "[{'type':'mount'},{'type':'user'}]", "linux.uidMappings",
		"[{'containerID':0,'hostID':100000,'size':65536}]", "linux.gidMappings", "[{'containerID':0,'hostID':100000,'size':65536}]",
		"mounts",
		"[{'destination':'/a','source':'/s','options':['bind']},"
		"{'destination':'/b','source':'/s','options':['rbind','idmap']},"
		"{'destination':'/c','source':'/s','options':['rbind','idmap','ridmap']},"
		"{'destination':'/d','source':'/s','options':['bind'],'uidMappings':[{'containerID':1000,'hostID':0,'size':1}],"
		"'gidMappings':[{'containerID':2000,'hostID':0,'size':2}]}]");
	assert_int_equal(s->mounts[0].idmap, MOUNT_IDMAP_NONE);
	assert_int_equal(s->mounts[1].idmap, MOUNT_IDMAP);
	assert_int_equal(s->mounts[1].n_uid_mappings, 0); /* the container's own, at mount time */
	assert_int_equal(s->mounts[2].idmap, MOUNT_IDMAP_RECURSIVE);
	assert_int_equal(s->mounts[3].idmap, MOUNT_IDMAP); /* mappings alone mean idmap, as runc */
	assert_int_equal(s->mounts[3].n_uid_mappings, 1);
	assert_int_equal(s->mounts[3].uid_mappings[0].container_id, 1000);
	assert_int_equal(s->mounts[3].n_gid_mappings, 1);
	assert_int_equal(s->mounts[3].gid_mappings[0].container_id, 2000);
	assert_int_equal(s->mounts[3].gid_mappings[0].size, 2);
}

static void masked_and_readonly_paths_are_kept(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.maskedPaths", "['/proc/kcore','/sys/firmware']", "linux.readonlyPaths",
					   "['/proc/sys']");
	assert_strv_equal(s->masked_paths, "/proc/kcore", "/sys/firmware");
	assert_strv_equal(s->readonly_paths, "/proc/sys");
}

static void hostname_and_cgroups_path_are_kept(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.namespaces", "[{'type':'mount'},{'type':'uts'}]", "hostname", "'box'",
					   "domainname", "'example.org'", "linux.cgroupsPath", "'/hull/c1'", "linux.mountLabel",
					   "'system_u:object_r:container_file_t:s0'");
	assert_string_equal(s->hostname, "box");
	assert_string_equal(s->domainname, "example.org");
	assert_string_equal(s->cgroups_path, "/hull/c1");
	assert_string_equal(s->mount_label, "system_u:object_r:container_file_t:s0");
}

static void annotations_are_borrowed_from_the_document(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("annotations", "{'org.example.key':'value'}");
	assert_non_null(s->annotations);
	json_object *v = NULL;
	assert_true(json_object_object_get_ex(s->annotations, "org.example.key", &v));
	assert_string_equal(json_object_get_string(v), "value");
}

static void init_annotation_true_asks_for_the_reaper(void **state)
{
	(void)state;
	assert_true(parse_config("annotations", "{'hull.init':'true'}")->init_reaper);
}

static void init_annotation_false_or_absent_keeps_the_process_as_init(void **state)
{
	(void)state;
	assert_false(parse_config("annotations", "{'hull.init':'false','other':'true'}")->init_reaper);
	assert_false(parse_base()->init_reaper);
}

static void null_values_count_as_absent(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("hostname", "null", "mounts", "null", "process.env", "null");
	assert_null(s->hostname);
	assert_int_equal(s->n_mounts, 0);
	assert_strv_empty(s->process->env);
}

static void trailing_whitespace_after_the_document_is_accepted(void **state)
{
	(void)state;
	char *base = unit_json(BASE);
	char text[sizeof(BASE) + 16];
	snprintf(text, sizeof(text), "%s\n\n \t\n", base);
	free(base);
	struct outcome o = parse_text(text, strlen(text), "config.json");
	assert_string_equal(o.msg, NO_ERROR);
	assert_int_equal(o.ret, 0);
}

/* ---- documents that are not a config at all ---- */

static void invalid_json_is_reported_with_its_line(void **state)
{
	(void)state;
	assert_text_rejected("{\n  \"ociVersion\": \"1.2.0\",\n  \"root\": }\n",
			     "config.json: invalid JSON at line 3: unexpected character");
}

static void truncated_json_is_an_unexpected_end_of_file(void **state)
{
	(void)state;
	assert_text_rejected("{\n  \"ociVersion\": \"1.2.0\",\n", "config.json: invalid JSON at line 3: unexpected end of file");
}

static void empty_document_is_an_unexpected_end_of_file(void **state)
{
	(void)state;
	assert_text_rejected("", "config.json: invalid JSON at line 1: unexpected end of file");
}

static void trailing_garbage_after_the_document_is_rejected(void **state)
{
	(void)state;
	char *base = unit_json(BASE);
	char text[sizeof(BASE) + 16];
	snprintf(text, sizeof(text), "%s\n\n}", base);
	free(base);
	assert_text_rejected(text, "config.json: invalid JSON at line 3: trailing data after the document");
}

static void second_document_after_the_first_is_rejected(void **state)
{
	(void)state;
	assert_text_rejected("{}{}", "config.json: invalid JSON at line 1: trailing data after the document");
}

static void array_document_is_not_an_object(void **state)
{
	(void)state;
	assert_text_rejected("[{\"ociVersion\": \"1.2.0\"}]", "config.json: the document must be a JSON object");
}

static void string_document_is_not_an_object(void **state)
{
	(void)state;
	assert_text_rejected("\"config\"", "config.json: the document must be a JSON object");
}

static void null_document_is_not_an_object(void **state)
{
	(void)state;
	assert_text_rejected("null", "config.json: the document must be a JSON object");
}

static void number_document_is_not_an_object(void **state)
{
	(void)state;
	assert_text_rejected("42", "config.json: the document must be a JSON object");
}

static void errors_are_prefixed_with_the_given_name(void **state)
{
	(void)state;
	char *text = config_text(EDITS("process.args", "[]"), __FILE__, __LINE__);
	struct outcome o = parse_text(text, strlen(text), "other.json");
	free(text);
	check_rejected(&o, "other.json: process.args: must be a non-empty array", __FILE__, __LINE__);
}

/* ---- integers beyond what int64 can hold ---- */

static void uid_beyond_uint32_is_out_of_range(void **state)
{
	(void)state;
	struct outcome o = parse_edited(EDITS("process.user.uid", "4294967296"), __FILE__, __LINE__);
	check_rejected(&o, "config.json: process.user.uid: 4294967296 is out of range [0, 4294967294]", __FILE__, __LINE__);
}

/* A value above INT64_MAX must be reported as written, not as the clamped 9223372036854775807. */
static void uid_beyond_int64_is_reported_with_its_value(void **state)
{
	(void)state;
	struct outcome o = parse_edited(EDITS("process.user.uid", "18446744073709551615"), __FILE__, __LINE__);
	assert_prefix(o.msg, "config.json: process.user.uid: 18446744073709551615 is out of range");
	assert_int_equal(o.ret, -1);
}

/* A time offset above INT64_MAX must be rejected, not clamped to INT64_MAX. */
static void time_offset_beyond_int64_is_rejected(void **state)
{
	(void)state;
	struct outcome o = parse_edited(EDITS("linux.namespaces", "[{'type':'mount'},{'type':'time'}]", "linux.timeOffsets",
					      "{'monotonic':{'secs':9223372036854775808}}"),
					__FILE__, __LINE__);
	assert_prefix(o.msg, "config.json: linux.timeOffsets.monotonic.secs: ");
	assert_int_equal(o.ret, -1);
}

/* ---- linux.netDevices and linux.intelRdt ---- */

static void net_devices_parse_with_their_container_names(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.netDevices", "{'eth0':{'name':'net0'},'ens1f0':{},'v0':null}",
					   "linux.namespaces", "[{'type':'network','path':'/run/netns/x'}]");
	assert_int_equal(s->n_net_devices, 3);
	assert_string_equal(s->net_devices[0].host_name, "eth0");
	assert_string_equal(s->net_devices[0].name, "net0");
	assert_string_equal(s->net_devices[1].host_name, "ens1f0");
	assert_string_equal(s->net_devices[1].name, "ens1f0");
	assert_string_equal(s->net_devices[2].name, "v0");
	assert_null(s->intel_rdt);
}

static void intel_rdt_parses_every_field(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.intelRdt", "{'closID':'guaranteed','l3CacheSchema':'L3:0=f0','memBwSchema':'MB:0=50',"
							     "'schemata':['L2:0=3','L3CODE:0=f'],'enableMonitoring':true}");
	assert_non_null(s->intel_rdt);
	assert_string_equal(s->intel_rdt->clos_id, "guaranteed");
	assert_string_equal(s->intel_rdt->l3_cache_schema, "L3:0=f0");
	assert_string_equal(s->intel_rdt->mem_bw_schema, "MB:0=50");
	assert_strv_equal(s->intel_rdt->schemata, "L2:0=3", "L3CODE:0=f");
	assert_true(s->intel_rdt->enable_monitoring);
	assert_int_equal(s->n_net_devices, 0);
}

static void empty_intel_rdt_names_no_group(void **state)
{
	(void)state;
	struct hull_spec *s = parse_config("linux.intelRdt", "{}");
	assert_non_null(s->intel_rdt);
	assert_null(s->intel_rdt->clos_id);
	assert_null(s->intel_rdt->l3_cache_schema);
	assert_null(s->intel_rdt->schemata);
	assert_false(s->intel_rdt->enable_monitoring);
}

static void interface_names_follow_the_kernel(void **state)
{
	(void)state;
	assert_true(spec_valid_ifname("eth0"));
	assert_true(spec_valid_ifname("abcdefghijklmno")); /* IFNAMSIZ - 1 */
	assert_false(spec_valid_ifname("abcdefghijklmnop"));
	assert_false(spec_valid_ifname(""));
	assert_false(spec_valid_ifname("."));
	assert_false(spec_valid_ifname(".."));
	assert_true(spec_valid_ifname("..."));
	assert_false(spec_valid_ifname("a b"));
	assert_false(spec_valid_ifname("a\tb"));
	assert_false(spec_valid_ifname("eth0:1"));
	assert_false(spec_valid_ifname("x/y"));
}

/* ---- rejections: one row per rule, each naming config.json and the JSON path ---- */

struct rejection {
	const char *name;      /* the behaviour, as the test name */
	const char *expected;  /* the whole error message */
	const char *edits[9];  /* path, value pairs applied to BASE, NULL-terminated */
};

#define NS_MOUNT_AND(x) "[{'type':'mount'}," x "]"

static const struct rejection rejections[] = {
	/* top level */
	{ "missing_oci_version_is_rejected", "config.json: ociVersion: is required", { "ociVersion", DELETE } },
	{ "non_string_oci_version_is_rejected", "config.json: ociVersion: must be a string", { "ociVersion", "1" } },
	{ "oci_version_2_is_unsupported", "config.json: ociVersion: unsupported version \"2.0.0\" (hull implements 1.x)",
	  { "ociVersion", "'2.0.0'" } },
	{ "missing_root_is_rejected", "config.json: root: is required on Linux", { "root", DELETE } },
	{ "non_object_root_is_rejected", "config.json: root: must be an object", { "root", "'rootfs'" } },
	{ "missing_root_path_is_rejected", "config.json: root.path: is required", { "root.path", DELETE } },
	{ "empty_root_path_is_rejected", "config.json: root.path: must not be empty", { "root.path", "''" } },
	{ "non_boolean_root_readonly_is_rejected", "config.json: root.readonly: must be a boolean", { "root.readonly", "'yes'" } },
	{ "non_string_hostname_is_rejected", "config.json: hostname: must be a string", { "hostname", "7" } },
	{ "hostname_without_uts_namespace_is_rejected", "config.json: hostname: setting the hostname needs a new uts namespace",
	  { "hostname", "'box'" } },
	{ "domainname_without_uts_namespace_is_rejected",
	  "config.json: domainname: setting the domainname needs a new uts namespace", { "domainname", "'example.org'" } },
	{ "non_string_annotation_is_rejected", "config.json: annotations.org.example: must be a string",
	  { "annotations", "{'org.example':1}" } },
	{ "init_annotation_other_than_true_or_false_is_rejected",
	  "config.json: annotations.hull.init: must be \"true\" or \"false\"", { "annotations", "{'hull.init':'yes'}" } },
	{ "non_object_annotations_are_rejected", "config.json: annotations: must be an object", { "annotations", "[]" } },

	/* process */
	{ "non_object_process_is_rejected", "config.json: process: must be an object", { "process", "'sh'" } },
	{ "missing_args_are_rejected", "config.json: process.args: must be a non-empty array", { "process.args", DELETE } },
	{ "empty_args_are_rejected", "config.json: process.args: must be a non-empty array", { "process.args", "[]" } },
	{ "string_args_are_rejected", "config.json: process.args: must be a non-empty array", { "process.args", "'sh'" } },
	{ "non_string_arg_is_rejected", "config.json: process.args[1]: must be a string", { "process.args", "['sh',1]" } },
	{ "empty_first_arg_is_rejected", "config.json: process.args[0]: must not be empty", { "process.args", "['']" } },
	{ "missing_cwd_is_rejected", "config.json: process.cwd: is required", { "process.cwd", DELETE } },
	{ "relative_cwd_is_rejected", "config.json: process.cwd: must be an absolute path, got \"tmp\"", { "process.cwd", "'tmp'" } },
	{ "env_entry_without_equals_is_rejected", "config.json: process.env[1]: \"NOEQUALS\" is not of the form KEY=value",
	  { "process.env", "['PATH=/bin','NOEQUALS']" } },
	{ "env_entry_without_key_is_rejected", "config.json: process.env[0]: \"=x\" is not of the form KEY=value",
	  { "process.env", "['=x']" } },
	{ "string_env_is_rejected", "config.json: process.env: must be an array of strings", { "process.env", "'A=1'" } },
	{ "non_boolean_terminal_is_rejected", "config.json: process.terminal: must be a boolean", { "process.terminal", "1" } },
	{ "console_height_beyond_uint16_is_rejected", "config.json: process.consoleSize.height: 65536 is out of range [0, 65535]",
	  { "process.consoleSize", "{'height':65536,'width':80}" } },
	{ "negative_uid_is_rejected", "config.json: process.user.uid: -1 is out of range [0, 4294967294]",
	  { "process.user.uid", "-1" } },
	{ "gid_4294967295_is_rejected", "config.json: process.user.gid: 4294967295 is out of range [0, 4294967294]",
	  { "process.user.gid", "4294967295" } },
	{ "string_uid_is_rejected", "config.json: process.user.uid: must be an integer", { "process.user.uid", "'0'" } },
	{ "fractional_uid_is_rejected", "config.json: process.user.uid: must be an integer", { "process.user.uid", "1.5" } },
	{ "umask_beyond_0777_is_rejected", "config.json: process.user.umask: 512 is out of range [0, 511]",
	  { "process.user.umask", "512" } },
	{ "negative_additional_gid_is_rejected", "config.json: process.user.additionalGids[1]: must be a group id",
	  { "process.user.additionalGids", "[1,-1]" } },
	{ "string_additional_gid_is_rejected", "config.json: process.user.additionalGids[0]: must be a group id",
	  { "process.user.additionalGids", "['wheel']" } },
	{ "username_is_rejected_on_linux", "config.json: process.user: username is for Windows and is not supported on Linux",
	  { "process.user.username", "'root'" } },
	{ "command_line_is_rejected_on_linux", "config.json: process: commandLine is for Windows and is not supported on Linux",
	  { "process.commandLine", "'sh -c true'" } },
	{ "oom_score_adj_beyond_1000_is_rejected", "config.json: process.oomScoreAdj: 1001 is out of range [-1000, 1000]",
	  { "process.oomScoreAdj", "1001" } },
	{ "non_boolean_no_new_privileges_is_rejected", "config.json: process.noNewPrivileges: must be a boolean",
	  { "process.noNewPrivileges", "'true'" } },
	{ "non_array_rlimits_are_rejected", "config.json: process.rlimits: must be an array", { "process.rlimits", "{}" } },
	{ "non_object_rlimit_is_rejected", "config.json: process.rlimits[0]: must be an object",
	  { "process.rlimits", "['RLIMIT_NOFILE']" } },
	{ "rlimit_without_type_is_rejected", "config.json: process.rlimits[0].type: is required",
	  { "process.rlimits", "[{'soft':1,'hard':1}]" } },
	{ "rlimit_with_unknown_type_is_rejected", "config.json: process.rlimits[0]: unknown rlimit type \"RLIMIT_BOGUS\"",
	  { "process.rlimits", "[{'type':'RLIMIT_BOGUS','soft':1,'hard':1}]" } },
	{ "duplicate_rlimit_is_rejected", "config.json: process.rlimits[1]: duplicate rlimit type \"RLIMIT_NOFILE\"",
	  { "process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]" } },
	{ "rlimit_without_hard_is_rejected", "config.json: process.rlimits[0]: soft and hard are required",
	  { "process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':1}]" } },
	{ "rlimit_soft_above_hard_is_rejected", "config.json: process.rlimits[0]: soft limit 10 exceeds hard limit 5",
	  { "process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':10,'hard':5}]" } },
	{ "negative_rlimit_is_rejected", "config.json: process.rlimits[0].soft: must not be negative",
	  { "process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':-1,'hard':5}]" } },
	{ "string_rlimit_is_rejected", "config.json: process.rlimits[0].hard: must be an integer",
	  { "process.rlimits", "[{'type':'RLIMIT_NOFILE','soft':1,'hard':'5'}]" } },
	{ "non_string_capability_is_rejected", "config.json: process.capabilities.ambient[0]: must be a string",
	  { "process.capabilities.ambient", "[7]" } },
	{ "string_capability_set_is_rejected", "config.json: process.capabilities.effective: must be an array of strings",
	  { "process.capabilities.effective", "'CAP_CHOWN'" } },
	{ "non_object_capabilities_are_rejected", "config.json: process.capabilities: must be an object",
	  { "process.capabilities", "[]" } },
	{ "unknown_io_priority_class_is_rejected",
	  "config.json: process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_BOGUS\"",
	  { "process.ioPriority", "{'class':'IOPRIO_CLASS_BOGUS'}" } },
	{ "io_priority_above_7_is_rejected", "config.json: process.ioPriority.priority: 8 is out of range [0, 7]",
	  { "process.ioPriority", "{'class':'IOPRIO_CLASS_RT','priority':8}" } },
	{ "memory_policy_unknown_mode_is_rejected", "config.json: linux.memoryPolicy.mode: unknown mode \"MPOL_X\"",
	  { "linux.memoryPolicy", "{'mode':'MPOL_X'}" } },
	{ "memory_policy_bind_without_nodes_is_rejected", "config.json: linux.memoryPolicy.nodes: MPOL_BIND needs at least one node",
	  { "linux.memoryPolicy", "{'mode':'MPOL_BIND','nodes':''}" } },
	{ "memory_policy_node_beyond_the_mask_is_rejected",
	  "config.json: linux.memoryPolicy.nodes: \"1024\": 1024 is beyond the largest number hull can set (1023)",
	  { "linux.memoryPolicy", "{'mode':'MPOL_BIND','nodes':'1024'}" } },
	{ "exec_cpu_affinity_list_with_a_space_is_rejected",
	  "config.json: process.execCPUAffinity.initial: \"0, 1\": expected a list such as \"0-3,7\"",
	  { "process.execCPUAffinity", "{'initial':'0, 1'}" } },
	{ "exec_cpu_affinity_huge_cpu_is_rejected",
	  "config.json: process.execCPUAffinity.final: \"99999999999999999999\": 18446744073709551615 is beyond the largest number hull can set (1023)",
	  { "process.execCPUAffinity", "{'final':'99999999999999999999'}" } },
	{ "unknown_scheduler_policy_is_rejected", "config.json: process.scheduler.policy: unknown scheduler policy \"SCHED_BOGUS\"",
	  { "process.scheduler", "{'policy':'SCHED_BOGUS'}" } },
	{ "scheduler_nice_above_19_is_rejected", "config.json: process.scheduler.nice: 20 is out of range [-20, 19]",
	  { "process.scheduler", "{'policy':'SCHED_OTHER','nice':20}" } },
	{ "unknown_scheduler_flag_is_rejected", "config.json: process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_BOGUS\"",
	  { "process.scheduler", "{'policy':'SCHED_OTHER','flags':['SCHED_FLAG_BOGUS']}" } },

	/* mounts */
	{ "non_array_mounts_are_rejected", "config.json: mounts: must be an array", { "mounts", "{}" } },
	{ "non_object_mount_is_rejected", "config.json: mounts[0]: must be an object", { "mounts", "['/proc']" } },
	{ "mount_without_destination_is_rejected", "config.json: mounts[1].destination: is required",
	  { "mounts", "[{'destination':'/proc','type':'proc'},{'type':'tmpfs'}]" } },
	{ "relative_mount_destination_is_rejected", "config.json: mounts[1].destination: must be an absolute path, got \"tmp\"",
	  { "mounts", "[{'destination':'/proc','type':'proc'},{'destination':'tmp','type':'tmpfs'}]" } },
	{ "non_string_mount_type_is_rejected", "config.json: mounts[0].type: must be a string",
	  { "mounts", "[{'destination':'/x','type':5}]" } },
	{ "non_string_mount_option_is_rejected", "config.json: mounts[0].options[1]: must be a string",
	  { "mounts", "[{'destination':'/x','options':['ro',5]}]" } },
	{ "mount_uid_mappings_without_gid_mappings_are_rejected",
	  "config.json: mounts[0].gidMappings: uidMappings and gidMappings must be given together",
	  { "mounts", "[{'destination':'/x','type':'bind','source':'/s','uidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]" } },
	{ "idmap_without_mappings_or_user_namespace_is_rejected",
	  "config.json: mounts[0]: an idmapped mount needs uidMappings and gidMappings, or the container's own user namespace",
	  { "mounts", "[{'destination':'/x','type':'bind','source':'/s','options':['rbind','idmap']}]" } },
	{ "malformed_mount_mapping_is_rejected", "config.json: mounts[0].uidMappings[0]: containerID, hostID and size are required",
	  { "mounts", "[{'destination':'/x','type':'bind','source':'/s','uidMappings':[{'containerID':0,'hostID':1}],"
		      "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]}]" } },

	/* linux: namespaces and id mappings */
	{ "non_object_linux_is_rejected", "config.json: linux: must be an object", { "linux", "'x'" } },
	{ "non_array_namespaces_are_rejected", "config.json: linux.namespaces: must be an array", { "linux.namespaces", "{}" } },
	{ "non_object_namespace_is_rejected", "config.json: linux.namespaces[0]: must be an object",
	  { "linux.namespaces", "['mount']" } },
	{ "unknown_namespace_type_is_rejected", "config.json: linux.namespaces[0]: unknown namespace type \"bogus\"",
	  { "linux.namespaces", "[{'type':'bogus'},{'type':'mount'}]" } },
	{ "proc_name_of_a_namespace_is_not_a_spec_type", "config.json: linux.namespaces[1]: unknown namespace type \"net\"",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'net'}") } },
	{ "duplicate_namespace_is_rejected", "config.json: linux.namespaces[1]: duplicate namespace type \"mount\"",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'mount'}") } },
	{ "namespace_without_type_is_rejected", "config.json: linux.namespaces[1].type: is required",
	  { "linux.namespaces", NS_MOUNT_AND("{'path':'/proc/1/ns/net'}") } },
	{ "relative_namespace_path_is_rejected", "config.json: linux.namespaces[1]: path must be absolute, got \"proc/1/ns/net\"",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'network','path':'proc/1/ns/net'}") } },
	{ "uid_mappings_without_user_namespace_are_rejected", "config.json: linux.uidMappings: requires a user namespace",
	  { "linux.uidMappings", "[{'containerID':0,'hostID':1000,'size':1}]" } },
	{ "gid_mappings_without_user_namespace_are_rejected", "config.json: linux.gidMappings: requires a user namespace",
	  { "linux.gidMappings", "[{'containerID':0,'hostID':1000,'size':1}]" } },
	{ "new_user_namespace_without_mappings_is_rejected",
	  "config.json: linux.uidMappings: a new user namespace needs uidMappings and gidMappings",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'user'}"), "linux.uidMappings", "[{'containerID':0,'hostID':1000,'size':1}]" } },
	{ "uid_mappings_without_gid_mappings_when_joining_are_rejected",
	  "config.json: linux.gidMappings: uidMappings and gidMappings must be given together",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'user','path':'/proc/1/ns/user'}"), "linux.uidMappings",
	    "[{'containerID':0,'hostID':1000,'size':1}]" } },
	{ "id_mapping_without_size_is_rejected", "config.json: linux.uidMappings[0]: containerID, hostID and size are required",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'user'}"), "linux.uidMappings", "[{'containerID':0,'hostID':1000}]" } },
	{ "id_mapping_of_size_zero_is_rejected", "config.json: linux.gidMappings[0].size: 0 is out of range [1, 4294967295]",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'user'}"), "linux.gidMappings", "[{'containerID':0,'hostID':1000,'size':0}]" } },
	{ "negative_host_id_is_rejected", "config.json: linux.uidMappings[0].hostID: -1 is out of range [0, 4294967294]",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'user'}"), "linux.uidMappings", "[{'containerID':0,'hostID':-1,'size':1}]" } },
	{ "non_object_id_mapping_is_rejected", "config.json: linux.uidMappings[0]: must be an object",
	  { "linux.uidMappings", "[0]" } },

	/* linux: time offsets, devices, sysctl, paths, propagation, personality */
	{ "time_offsets_without_time_namespace_are_rejected", "config.json: linux.timeOffsets: needs a new time namespace",
	  { "linux.timeOffsets", "{'monotonic':{'secs':1}}" } },
	{ "time_offsets_when_joining_a_time_namespace_are_rejected", "config.json: linux.timeOffsets: needs a new time namespace",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'time','path':'/proc/1/ns/time'}"), "linux.timeOffsets",
	    "{'boottime':{'secs':1}}" } },
	{ "time_offset_nanoseconds_of_a_full_second_are_rejected",
	  "config.json: linux.timeOffsets.boottime.nanosecs: 1000000000 is out of range [0, 999999999]",
	  { "linux.namespaces", NS_MOUNT_AND("{'type':'time'}"), "linux.timeOffsets", "{'boottime':{'nanosecs':1000000000}}" } },
	{ "relative_device_path_is_rejected", "config.json: linux.devices[0]: path must be absolute, got \"dev/null\"",
	  { "linux.devices", "[{'path':'dev/null','type':'c','major':1,'minor':3}]" } },
	{ "unknown_device_type_is_rejected", "config.json: linux.devices[0]: type must be one of c, b, u, p, got \"x\"",
	  { "linux.devices", "[{'path':'/dev/x','type':'x','major':1,'minor':3}]" } },
	{ "char_device_without_minor_is_rejected", "config.json: linux.devices[0]: major and minor are required for type c",
	  { "linux.devices", "[{'path':'/dev/null','type':'c','major':1}]" } },
	{ "device_mode_with_fifo_bits_on_a_char_device_is_rejected",
	  "config.json: linux.devices[0].fileMode: file type bits 010000 do not match type \"c\" (020000)",
	  { "linux.devices", "[{'path':'/dev/null','type':'c','major':1,'minor':3,'fileMode':4096}]" } },
	{ "device_mode_with_block_bits_on_a_char_device_is_rejected",
	  "config.json: linux.devices[0].fileMode: file type bits 060000 do not match type \"u\" (020000)",
	  { "linux.devices", "[{'path':'/dev/null','type':'u','major':1,'minor':3,'fileMode':25008}]" } },
	{ "device_mode_with_regular_file_bits_is_rejected",
	  "config.json: linux.devices[0].fileMode: file type bits 0100000 do not match type \"b\" (060000)",
	  { "linux.devices", "[{'path':'/dev/sda','type':'b','major':8,'minor':0,'fileMode':33188}]" } },
	{ "device_mode_beyond_the_type_bits_is_rejected", "config.json: linux.devices[0].fileMode: 65536 is out of range [0, 65535]",
	  { "linux.devices", "[{'path':'/dev/null','type':'c','major':1,'minor':3,'fileMode':65536}]" } },
	{ "non_string_sysctl_value_is_rejected", "config.json: linux.sysctl.kernel.shmmax: must be a string",
	  { "linux.sysctl", "{'kernel.shmmax':1}" } },
	{ "net_sysctl_without_network_namespace_is_rejected",
	  "config.json: linux.sysctl.net.ipv4.ip_forward: needs the container's own network namespace", { "linux.sysctl", "{'net.ipv4.ip_forward':'1'}" } },
	{ "string_with_embedded_nul_is_rejected", "config.json: linux.namespaces[0].type: must not contain a NUL character",
	  { "linux.namespaces", "[{'type':'mount\\u0000evil'}]" } },
	{ "args_with_embedded_nul_are_rejected", "config.json: process.args[1]: must not contain a NUL character",
	  { "process.args", "['sh','a\\u0000b']" } },
	{ "host_wide_sysctl_is_rejected",
	  "config.json: linux.sysctl.vm.swappiness: not in a namespace of the container's own: it would change the host",
	  { "linux.sysctl", "{'vm.swappiness':'17'}" } },
	{ "cgroups_path_with_dot_dot_is_rejected", "config.json: linux.cgroupsPath: must not contain \"..\"",
	  { "linux.cgroupsPath", "'/../../etc/x'" } },
	{ "resources_pids_limit_as_string_is_rejected", "config.json: linux.resources.pids.limit: must be an integer",
	  { "linux.resources", "{'pids':{'limit':'-1'}}" } },
	{ "resources_negative_cpu_shares_are_rejected", "config.json: linux.resources.cpu.shares: must not be negative",
	  { "linux.resources", "{'cpu':{'shares':-1}}" } },
	{ "resources_pids_limit_as_a_fraction_is_rejected", "config.json: linux.resources.pids.limit: must be an integer",
	  { "linux.resources", "{'pids':{'limit':3.5}}" } },
	{ "resources_non_object_section_is_rejected", "config.json: linux.resources.pids: must be an object",
	  { "linux.resources", "{'pids':[20]}" } },
	{ "resources_blkio_weight_beyond_uint16_is_rejected",
	  "config.json: linux.resources.blockIO.weight: 70000 is out of range [0, 65535]",
	  { "linux.resources", "{'blockIO':{'weight':70000}}" } },
	{ "resources_cpus_as_a_number_is_rejected", "config.json: linux.resources.cpu.cpus: must be a string",
	  { "linux.resources", "{'cpu':{'cpus':1}}" } },
	{ "resources_non_string_unified_value_is_rejected", "config.json: linux.resources.unified.pids.max: must be a string",
	  { "linux.resources", "{'unified':{'pids.max':5}}" } },
	{ "resources_device_rule_of_unknown_type_is_rejected",
	  "config.json: linux.resources.devices[0].type: unknown device type \"x\" (a, b or c)",
	  { "linux.resources", "{'devices':[{'allow':false,'type':'x'}]}" } },
	{ "seccomp_unknown_action_is_rejected",
	  "config.json: linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_FROB\"",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_FROB'}]}" } },
	{ "seccomp_unknown_operator_is_rejected",
	  "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FROB\"",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['kill'],'action':'SCMP_ACT_ERRNO','args':[{'index':1,'value':1,'op':'SCMP_CMP_FROB'}]}]}" } },
	{ "seccomp_arg_index_beyond_5_is_rejected",
	  "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range [0, 5]",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['kill'],'action':'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}" } },
	{ "seccomp_notify_without_listener_is_rejected",
	  "config.json: linux.seccomp.listenerPath: an absolute path is required with SCMP_ACT_NOTIFY",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_NOTIFY'}]}" } },
	{ "seccomp_notify_as_default_action_is_rejected",
	  "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/run/agent.sock'}" } },
	{ "seccomp_unknown_arch_is_rejected",
	  "config.json: linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"",
	  { "linux.seccomp", "{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_VAX']}" } },
	{ "seccomp_without_default_action_is_rejected", "config.json: linux.seccomp.defaultAction: is required",
	  { "linux.seccomp", "{'syscalls':[]}" } },
	{ "sysctl_name_with_dot_dot_is_rejected", "config.json: linux.sysctl.kernel..x: invalid sysctl name",
	  { "linux.sysctl", "{'kernel..x':'1'}" } },
	{ "sysctl_name_as_a_path_is_rejected", "config.json: linux.sysctl./proc/sys/kernel/x: invalid sysctl name",
	  { "linux.sysctl", "{'/proc/sys/kernel/x':'1'}" } },
	{ "relative_masked_path_is_rejected", "config.json: linux.maskedPaths[1]: must be an absolute path, got \"proc/keys\"",
	  { "linux.maskedPaths", "['/proc/kcore','proc/keys']" } },
	{ "relative_readonly_path_is_rejected", "config.json: linux.readonlyPaths[0]: must be an absolute path, got \"sys\"",
	  { "linux.readonlyPaths", "['sys']" } },
	{ "unknown_rootfs_propagation_is_rejected", "config.json: linux.rootfsPropagation: unknown propagation \"sideways\"",
	  { "linux.rootfsPropagation", "'sideways'" } },
	{ "unknown_personality_domain_is_rejected", "config.json: linux.personality.domain: unknown domain \"WINDOWS\"",
	  { "linux.personality", "{'domain':'WINDOWS'}" } },
	{ "personality_without_domain_is_rejected", "config.json: linux.personality.domain: is required",
	  { "linux.personality", "{}" } },
	{ "personality_flags_are_rejected", "config.json: linux.personality.flags: no personality flags are supported",
	  { "linux.personality", "{'domain':'LINUX','flags':['ADDR_NO_RANDOMIZE']}" } },
	{ "non_object_resources_are_rejected", "config.json: linux.resources: must be an object", { "linux.resources", "[]" } },
	{ "non_object_seccomp_is_rejected", "config.json: linux.seccomp: must be an object", { "linux.seccomp", "'x'" } },

	/* hooks */
	{ "non_object_hooks_are_rejected", "config.json: hooks: must be an object", { "hooks", "[]" } },
	{ "non_array_hook_list_is_rejected", "config.json: hooks.prestart: must be an array", { "hooks.prestart", "{}" } },
	{ "non_object_hook_is_rejected", "config.json: hooks.prestart[0]: must be an object", { "hooks.prestart", "['/bin/true']" } },
	{ "relative_hook_path_is_rejected", "config.json: hooks.prestart[1].path: must be an absolute path, got \"true\"",
	  { "hooks.prestart", "[{'path':'/bin/true'},{'path':'true'}]" } },
	{ "hook_without_path_is_rejected", "config.json: hooks.poststop[0].path: is required",
	  { "hooks.poststop", "[{'args':['x']}]" } },
	{ "hook_timeout_of_zero_is_rejected", "config.json: hooks.createRuntime[0].timeout: must be greater than zero",
	  { "hooks.createRuntime", "[{'path':'/bin/true','timeout':0}]" } },
	{ "non_string_hook_env_is_rejected", "config.json: hooks.startContainer[0].env[1]: must be a string",
	  { "hooks.startContainer", "[{'path':'/bin/true','env':['A=1',2]}]" } },
	/* linux.netDevices (runtime-spec 1.3) */
	{ "net_devices_without_network_namespace_are_rejected",
	  "config.json: linux.netDevices: needs the container's own network namespace (a new one, or one joined by path): "
	  "without one the interfaces would stay on the host",
	  { "linux.netDevices", "{'eth0':{}}" } },
	{ "net_devices_not_an_object_are_rejected", "config.json: linux.netDevices: must be an object",
	  { "linux.netDevices", "['eth0']" } },
	{ "net_device_not_an_object_is_rejected", "config.json: linux.netDevices.eth0: must be an object",
	  { "linux.netDevices", "{'eth0':'eth1'}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_name_of_ifnamsiz_is_rejected", "config.json: linux.netDevices.eth0.name: invalid interface name \"abcdefghijklmnop\"",
	  { "linux.netDevices", "{'eth0':{'name':'abcdefghijklmnop'}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_name_with_slash_is_rejected", "config.json: linux.netDevices.eth0.name: invalid interface name \"a/b\"",
	  { "linux.netDevices", "{'eth0':{'name':'a/b'}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_name_dot_is_rejected", "config.json: linux.netDevices.eth0.name: invalid interface name \".\"",
	  { "linux.netDevices", "{'eth0':{'name':'.'}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_empty_name_is_rejected", "config.json: linux.netDevices.eth0.name: invalid interface name \"\"",
	  { "linux.netDevices", "{'eth0':{'name':''}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_host_name_dotdot_is_rejected", "config.json: linux.netDevices...: invalid interface name \"..\"",
	  { "linux.netDevices", "{'..':{}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_host_name_with_colon_is_rejected", "config.json: linux.netDevices.eth0:1: invalid interface name \"eth0:1\"",
	  { "linux.netDevices", "{'eth0:1':{}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_devices_with_one_target_name_are_rejected", "config.json: linux.netDevices.eth1: interface name \"net0\" is already taken by linux.netDevices.eth0 in the container",
	  { "linux.netDevices", "{'eth0':{'name':'net0'},'eth1':{'name':'net0'}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	{ "net_device_renamed_onto_an_unrenamed_one_is_rejected", "config.json: linux.netDevices.eth1: interface name \"eth0\" is already taken by linux.netDevices.eth0 in the container",
	  { "linux.netDevices", "{'eth0':{},'eth1':{'name':'eth0'}}", "linux.namespaces", NS_MOUNT_AND("{'type':'network'}") } },
	/* linux.intelRdt */
	{ "intel_rdt_not_an_object_is_rejected", "config.json: linux.intelRdt: must be an object",
	  { "linux.intelRdt", "'L3:0=f'" } },
	{ "intel_rdt_clos_id_with_slash_is_rejected", "config.json: linux.intelRdt.closID: invalid resctrl group name \"a/b\"",
	  { "linux.intelRdt", "{'closID':'a/b'}" } },
	{ "intel_rdt_clos_id_dotdot_is_rejected", "config.json: linux.intelRdt.closID: invalid resctrl group name \"..\"",
	  { "linux.intelRdt", "{'closID':'..'}" } },
	{ "intel_rdt_clos_id_info_is_rejected", "config.json: linux.intelRdt.closID: invalid resctrl group name \"info\"",
	  { "linux.intelRdt", "{'closID':'info'}" } },
	{ "intel_rdt_l3_schema_of_two_lines_is_rejected", "config.json: linux.intelRdt.l3CacheSchema: must be a single line",
	  { "linux.intelRdt", "{'l3CacheSchema':'L3:0=f\\nMB:0=1'}" } },
	{ "intel_rdt_non_string_mem_bw_schema_is_rejected", "config.json: linux.intelRdt.memBwSchema: must be a string",
	  { "linux.intelRdt", "{'memBwSchema':50}" } },
	{ "intel_rdt_empty_schemata_line_is_rejected", "config.json: linux.intelRdt.schemata[1]: must be a single non-empty line",
	  { "linux.intelRdt", "{'schemata':['L3:0=f','']}" } },
	{ "intel_rdt_non_boolean_monitoring_is_rejected", "config.json: linux.intelRdt.enableMonitoring: must be a boolean",
	  { "linux.intelRdt", "{'enableMonitoring':'yes'}" } },
};

static void config_is_rejected_with_its_message(void **state)
{
	const struct rejection *r = *state;
	struct outcome o = parse_edited(r->edits, __FILE__, __LINE__);
	check_rejected(&o, r->expected, __FILE__, __LINE__);
}

/* ---- spec_load: a bundle on disk ---- */

static char *bundle_dir;

static int make_bundle(void **state)
{
	(void)state;
	bundle_dir = unit_tmpdir();
	return 0;
}

static int remove_bundle(void **state)
{
	free_parsed(state);
	int r = unit_rmtree(bundle_dir);
	free(bundle_dir);
	bundle_dir = NULL;
	return r;
}

static void load_reads_config_json_and_makes_the_bundle_absolute(void **state)
{
	(void)state;
	char *text = config_text(EDITS("root.path", "'rootfs'"), __FILE__, __LINE__);
	unit_write(bundle_dir, "config.json", text);
	free(text);
	char dotted[PATH_MAX], real[PATH_MAX], root[PATH_MAX + 8];
	snprintf(dotted, sizeof(dotted), "%s/./", bundle_dir);
	assert_non_null(realpath(bundle_dir, real));
	snprintf(root, sizeof(root), "%s/rootfs", real);
	hull_err err = NULL;
	int ret = spec_load(dotted, &parsed, &err);
	char msg[MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err ? err->msg : NO_ERROR);
	hull_err_free(&err);
	assert_string_equal(msg, NO_ERROR);
	assert_int_equal(ret, 0);
	assert_string_equal(parsed->bundle, real);
	assert_string_equal(parsed->root_path, root);
}

static void load_reports_errors_as_config_json(void **state)
{
	(void)state;
	char *text = config_text(EDITS("process.args", "[]"), __FILE__, __LINE__);
	unit_write(bundle_dir, "config.json", text);
	free(text);
	hull_err err = NULL;
	int ret = spec_load(bundle_dir, &parsed, &err);
	char msg[MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err ? err->msg : NO_ERROR);
	hull_err_free(&err);
	assert_string_equal(msg, "config.json: process.args: must be a non-empty array");
	assert_int_equal(ret, -1);
	assert_null(parsed);
}

static void load_of_a_missing_bundle_names_the_bundle(void **state)
{
	(void)state;
	char missing[PATH_MAX], expected[PATH_MAX + 64];
	snprintf(missing, sizeof(missing), "%s/absent", bundle_dir);
	snprintf(expected, sizeof(expected), "bundle %s: no such file or directory", missing);
	hull_err err = NULL;
	int ret = spec_load(missing, &parsed, &err);
	char msg[MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err ? err->msg : NO_ERROR);
	int errnum = err ? err->errnum : 0;
	hull_err_free(&err);
	assert_string_equal(msg, expected);
	assert_int_equal(errnum, ENOENT);
	assert_int_equal(ret, -1);
}

static void load_of_a_bundle_without_config_json_fails_with_enoent(void **state)
{
	(void)state;
	hull_err err = NULL;
	int ret = spec_load(bundle_dir, &parsed, &err);
	char msg[MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err ? err->msg : NO_ERROR);
	int errnum = err ? err->errnum : 0;
	hull_err_free(&err);
	assert_int_equal(ret, -1);
	assert_int_equal(errnum, ENOENT);
	assert_non_null(strstr(msg, "/config.json: no such file or directory"));
}

/* ---- spec_parse_process: the exec --process document ---- */

static struct outcome parse_process_json(const char *single_quoted, struct hull_process **out)
{
	struct outcome o = { 0 };
	char *text = unit_json(single_quoted);
	json_object *obj = json_tokener_parse(text);
	free(text);
	hull_err err = NULL;
	struct hull_process *p = NULL;
	o.ret = spec_parse_process(obj, "process.json", &p, &err);
	o.spec_set = p != NULL;
	snprintf(o.msg, sizeof(o.msg), "%s", err ? err->msg : NO_ERROR);
	hull_err_free(&err);
	json_object_put(obj);
	if (out)
		*out = p;
	else
		spec_process_free(p);
	return o;
}

static struct hull_process *exec_process;

static int free_exec_process(void **state)
{
	(void)state;
	spec_process_free(exec_process);
	exec_process = NULL;
	return 0;
}

static void exec_process_parses_on_its_own(void **state)
{
	(void)state;
	struct outcome o = parse_process_json("{'args':['ls','-l'],'cwd':'/tmp','env':['A=1'],'user':{'uid':7}}", &exec_process);
	assert_string_equal(o.msg, NO_ERROR);
	assert_int_equal(o.ret, 0);
	assert_non_null(exec_process);
	assert_strv_equal(exec_process->args, "ls", "-l");
	assert_strv_equal(exec_process->env, "A=1");
	assert_string_equal(exec_process->cwd, "/tmp");
	assert_int_equal(exec_process->uid, 7);
}

static void exec_process_errors_use_its_name_and_top_level_paths(void **state)
{
	(void)state;
	struct outcome o = parse_process_json("{'cwd':'/'}", NULL);
	check_rejected(&o, "process.json: args: must be a non-empty array", __FILE__, __LINE__);
	o = parse_process_json("{'args':['sh'],'cwd':'/','user':{'uid':-2}}", NULL);
	check_rejected(&o, "process.json: user.uid: -2 is out of range [0, 4294967294]", __FILE__, __LINE__);
}

static void exec_process_must_be_an_object(void **state)
{
	(void)state;
	struct outcome o = parse_process_json("['sh']", NULL);
	check_rejected(&o, "process.json: the document must be a JSON object", __FILE__, __LINE__);
}

#define TEST(f) cmocka_unit_test_teardown(f, free_parsed)
#define BUNDLE_TEST(f) cmocka_unit_test_setup_teardown(f, make_bundle, remove_bundle)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		TEST(minimal_config_parses_with_defaults),
		TEST(net_devices_parse_with_their_container_names),
		TEST(intel_rdt_parses_every_field),
		TEST(empty_intel_rdt_names_no_group),
		TEST(interface_names_follow_the_kernel),
		TEST(relative_root_path_is_joined_with_the_bundle),
		TEST(absolute_root_path_is_kept_as_is),
		TEST(config_without_process_has_no_process),
		TEST(namespaces_are_enabled_with_their_paths),
		TEST(empty_namespace_path_means_a_new_namespace),
		TEST(empty_hostname_when_joining_a_uts_namespace_is_accepted),
		TEST(hostname_when_joining_a_uts_namespace_is_accepted),
		TEST(config_without_mount_namespace_is_accepted),
		TEST(joining_a_mount_namespace_is_accepted),
		TEST(unknown_capability_is_skipped),
		TEST(empty_hostname_without_uts_namespace_is_accepted),
		TEST(namespace_tables_use_spec_and_proc_names),
		TEST(capabilities_become_bit_masks),
		TEST(rlimits_keep_resource_soft_and_hard),
		TEST(user_ids_umask_and_groups_are_read),
		TEST(process_env_and_extras_are_read),
		TEST(hook_args_default_to_the_path_and_env_to_empty),
		TEST(hook_empty_args_default_to_the_path),
		TEST(hook_args_env_and_timeout_are_kept),
		TEST(hooks_are_filed_under_their_kind),
		TEST(device_mode_defaults_to_0666),
		TEST(device_mode_may_carry_the_matching_type_bits),
		TEST(sysctl_keys_and_values_are_kept_in_order),
		TEST(personality_domains_map_to_persona_values),
		TEST(memory_policy_maps_to_mode_flags_and_nodes),
		TEST(exec_cpu_affinity_lists_become_masks),
		TEST(oci_version_decides_the_1_3_meanings),
		TEST(rootfs_propagation_maps_to_ms_flags),
		TEST(id_mappings_are_read_with_a_user_namespace),
		TEST(time_offsets_are_read_with_a_time_namespace),
		TEST(mounts_keep_destination_type_source_and_options),
		TEST(mount_idmapping_comes_from_options_and_mappings),
		TEST(masked_and_readonly_paths_are_kept),
		TEST(hostname_and_cgroups_path_are_kept),
		TEST(annotations_are_borrowed_from_the_document),
		TEST(init_annotation_true_asks_for_the_reaper),
		TEST(init_annotation_false_or_absent_keeps_the_process_as_init),
		TEST(null_values_count_as_absent),
		TEST(trailing_whitespace_after_the_document_is_accepted),
		TEST(invalid_json_is_reported_with_its_line),
		TEST(truncated_json_is_an_unexpected_end_of_file),
		TEST(empty_document_is_an_unexpected_end_of_file),
		TEST(trailing_garbage_after_the_document_is_rejected),
		TEST(second_document_after_the_first_is_rejected),
		TEST(array_document_is_not_an_object),
		TEST(string_document_is_not_an_object),
		TEST(null_document_is_not_an_object),
		TEST(number_document_is_not_an_object),
		TEST(errors_are_prefixed_with_the_given_name),
		TEST(uid_beyond_uint32_is_out_of_range),
		TEST(uid_beyond_int64_is_reported_with_its_value),
		TEST(time_offset_beyond_int64_is_rejected),
		BUNDLE_TEST(load_reads_config_json_and_makes_the_bundle_absolute),
		BUNDLE_TEST(load_reports_errors_as_config_json),
		BUNDLE_TEST(load_of_a_missing_bundle_names_the_bundle),
		BUNDLE_TEST(load_of_a_bundle_without_config_json_fails_with_enoent),
		cmocka_unit_test_teardown(exec_process_parses_on_its_own, free_exec_process),
		cmocka_unit_test(exec_process_errors_use_its_name_and_top_level_paths),
		cmocka_unit_test(exec_process_must_be_an_object),
	};
	const size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	const size_t n_rej = sizeof(rejections) / sizeof(rejections[0]);
	/* One named test per rejection row, so that a failure names the rule that broke. */
	struct CMUnitTest *tests = calloc(n_fixed + n_rej, sizeof(*tests));
	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < n_rej; i++)
		tests[n_fixed + i] = (struct CMUnitTest){ .name = rejections[i].name,
							  .test_func = config_is_rejected_with_its_message,
							  .initial_state = (void *)&rejections[i] };
	int failed = _cmocka_run_group_tests("spec", tests, n_fixed + n_rej, NULL, NULL);
	free(tests);
	/* the runner returns the number of failures, which an exit status could wrap to 0 */
	return failed == 0 ? 0 : 1;
}
