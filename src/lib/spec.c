/* spec.c - config.json -> struct hull_spec, with validation whose errors carry the JSON path.
 * Must never touch the system beyond reading the config file itself. */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "linux/caps.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const char *const hull_ns_names[NS_COUNT] = { "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time" };
const char *const hull_ns_proc_names[NS_COUNT] = { "pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time" };
const int hull_ns_clone_flags[NS_COUNT] = { CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWIPC,
					    CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME };
const char *const hull_hook_names[HOOK_KIND_COUNT] = { "prestart", "createRuntime", "createContainer",
						       "startContainer", "poststart", "poststop" };

#include "spec_json.h"
#include "seccomp/profile.h"

/* ---- process ---- */

static const struct {
	const char *name;
	int resource;
} rlimit_table[] = {
	{ "RLIMIT_AS", RLIMIT_AS },	    { "RLIMIT_CORE", RLIMIT_CORE },	      { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },	    { "RLIMIT_FSIZE", RLIMIT_FSIZE },	      { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },	      { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },     { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static const struct {
	const char *name;
	uint32_t policy;
} sched_table[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 }, { "SCHED_BATCH", 3 },
	{ "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

static const struct {
	const char *name;
	uint64_t flag;
} sched_flag_table[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },	    { "SCHED_FLAG_DL_OVERRUN", 0x04 },
	{ "SCHED_FLAG_KEEP_POLICY", 0x08 },   { "SCHED_FLAG_KEEP_PARAMS", 0x10 },   { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static const struct {
	const char *name;
	int class;
} ioprio_table[] = { { "IOPRIO_CLASS_RT", 1 }, { "IOPRIO_CLASS_BE", 2 }, { "IOPRIO_CLASS_IDLE", 3 } };

static int parse_caps(struct ctx *c, json_object *caps, const char *path, struct hull_caps *out)
{
	static const struct {
		const char *key;
		size_t off;
	} sets[] = {
		{ "bounding", offsetof(struct hull_caps, bounding) },
		{ "effective", offsetof(struct hull_caps, effective) },
		{ "inheritable", offsetof(struct hull_caps, inheritable) },
		{ "permitted", offsetof(struct hull_caps, permitted) },
		{ "ambient", offsetof(struct hull_caps, ambient) },
	};
	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		_cleanup_strv_ char **names = NULL;
		size_t n = 0;
		if (sj_get_strv(c, caps, sets[s].key, path, false, &names, &n) < 0)
			return -1;
		uint64_t mask = 0;
		for (size_t i = 0; i < n; i++) {
			int cap = caps_from_name(names[i]);
			if (cap < 0) {
				/* runc and crun skip names they do not know, so that newer configs still run */
				_cleanup_free_ char *p = sj_join(path, sets[s].key);
				_cleanup_free_ char *ip = sj_idx(p, i);
				hull_warn("%s: %s: unknown capability \"%s\" ignored", c->name, ip, names[i]);
				continue;
			}
			mask |= 1ULL << cap;
		}
		*(uint64_t *)((char *)out + sets[s].off) = mask;
	}
	return 0;
}

static int parse_user(struct ctx *c, json_object *user, const char *path, struct hull_process *p)
{
	int64_t v = 0;
	bool has = false;
	if (sj_get_int(c, user, "uid", path, 0, UINT32_MAX - 1, NULL, &v) < 0)
		return -1;
	p->uid = (uid_t)v;
	v = 0;
	if (sj_get_int(c, user, "gid", path, 0, UINT32_MAX - 1, NULL, &v) < 0)
		return -1;
	p->gid = (gid_t)v;
	if (sj_get_int(c, user, "umask", path, 0, 0777, &has, &v) < 0)
		return -1;
	p->has_umask = has;
	p->umask = (mode_t)v;
	int ret;
	size_t n;
	json_object *gids = sj_get_array(c, user, "additionalGids", path, &n, &ret);
	if (ret < 0)
		return -1;
	if (n) {
		p->additional_gids = xcalloc(n, sizeof(gid_t));
		for (size_t i = 0; i < n; i++) {
			json_object *g = json_object_array_get_idx(gids, i);
			_cleanup_free_ char *gp = sj_join(path, "additionalGids");
			_cleanup_free_ char *ip = sj_idx(gp, i);
			if (g == NULL || json_object_get_type(g) != json_type_int || json_object_get_int64(g) < 0 ||
			    json_object_get_int64(g) >= UINT32_MAX)
				return sj_bad(c, ip, "must be a group id");
			p->additional_gids[i] = (gid_t)json_object_get_int64(g);
		}
		p->n_additional_gids = n;
	}
	if (sj_field(user, "username"))
		return sj_bad(c, path, "username is for Windows and is not supported on Linux");
	return 0;
}

static int parse_rlimits(struct ctx *c, json_object *proc, const char *path, struct hull_process *p)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, proc, "rlimits", path, &n, &ret);
	if (ret < 0 || n == 0)
		return ret;
	_cleanup_free_ char *ap = sj_join(path, "rlimits");
	p->rlimits = xcalloc(n, sizeof(*p->rlimits));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx(ap, i);
		if (sj_check_element_object(c, e, ip) < 0)
			return -1;
		_cleanup_free_ char *type = NULL;
		if (sj_get_string(c, e, "type", ip, true, &type) < 0)
			return -1;
		int res = -1;
		for (size_t k = 0; k < ARRAY_SIZE(rlimit_table); k++)
			if (strcmp(rlimit_table[k].name, type) == 0)
				res = rlimit_table[k].resource;
		if (res < 0)
			return sj_bad(c, ip, "unknown rlimit type \"%s\"", type);
		for (size_t k = 0; k < i; k++)
			if (p->rlimits[k].resource == res)
				return sj_bad(c, ip, "duplicate rlimit type \"%s\"", type);
		struct hull_rlimit *r = &p->rlimits[i];
		r->resource = res;
		if (sj_field(e, "soft") == NULL || sj_field(e, "hard") == NULL)
			return sj_bad(c, ip, "soft and hard are required");
		if (sj_get_u64(c, e, "soft", ip, &r->soft) < 0 || sj_get_u64(c, e, "hard", ip, &r->hard) < 0)
			return -1;
		if (r->soft > r->hard)
			return sj_bad(c, ip, "soft limit %llu exceeds hard limit %llu", (unsigned long long)r->soft,
				   (unsigned long long)r->hard);
		p->n_rlimits = i + 1;
	}
	return 0;
}

static int parse_scheduler(struct ctx *c, json_object *s, const char *path, struct hull_process *p)
{
	_cleanup_free_ char *policy = NULL;
	if (sj_get_string(c, s, "policy", path, true, &policy) < 0)
		return -1;
	bool found = false;
	for (size_t k = 0; k < ARRAY_SIZE(sched_table); k++)
		if (strcmp(sched_table[k].name, policy) == 0) {
			p->sched_policy = sched_table[k].policy;
			found = true;
		}
	if (!found) {
		_cleanup_free_ char *pp = sj_join(path, "policy");
		return sj_bad(c, pp, "unknown scheduler policy \"%s\"", policy);
	}
	int64_t v = 0;
	if (sj_get_int(c, s, "nice", path, -20, 19, NULL, &v) < 0)
		return -1;
	p->sched_nice = (int32_t)v;
	v = 0;
	if (sj_get_int(c, s, "priority", path, 0, 99, NULL, &v) < 0)
		return -1;
	p->sched_priority = (uint32_t)v;
	if (sj_get_u64(c, s, "runtime", path, &p->sched_runtime) < 0 || sj_get_u64(c, s, "deadline", path, &p->sched_deadline) < 0 ||
	    sj_get_u64(c, s, "period", path, &p->sched_period) < 0)
		return -1;
	_cleanup_strv_ char **flags = NULL;
	size_t n = 0;
	if (sj_get_strv(c, s, "flags", path, false, &flags, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool ok = false;
		for (size_t k = 0; k < ARRAY_SIZE(sched_flag_table); k++)
			if (strcmp(sched_flag_table[k].name, flags[i]) == 0) {
				p->sched_flags |= sched_flag_table[k].flag;
				ok = true;
			}
		if (!ok) {
			_cleanup_free_ char *fp = sj_join(path, "flags");
			_cleanup_free_ char *ip = sj_idx(fp, i);
			return sj_bad(c, ip, "unknown scheduler flag \"%s\"", flags[i]);
		}
	}
	p->has_scheduler = true;
	return 0;
}

/* ---- linux.memoryPolicy ---- */

#define MPOL_F_NUMA_BALANCING_ (1 << 13) /* <linux/mempolicy.h>'s, which glibc's headers lack */
#define MPOL_F_RELATIVE_NODES_ (1 << 14)
#define MPOL_F_STATIC_NODES_ (1 << 15)
enum mpol_nodes { NODES_NONE, NODES_ANY, NODES_SOME };
static const struct {
	const char *name;
	int mode;
	enum mpol_nodes nodes; /* what set_mempolicy(2) takes with the mode */
} mpol_modes[] = {
	{ "MPOL_DEFAULT", 0, NODES_NONE },  { "MPOL_PREFERRED", 1, NODES_ANY },	   { "MPOL_BIND", 2, NODES_SOME },
	{ "MPOL_INTERLEAVE", 3, NODES_SOME }, { "MPOL_LOCAL", 4, NODES_NONE },	   { "MPOL_PREFERRED_MANY", 5, NODES_SOME },
	{ "MPOL_WEIGHTED_INTERLEAVE", 6, NODES_SOME },
};
static const struct {
	const char *name;
	int flag;
} mpol_flags[] = {
	{ "MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING_ },
	{ "MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES_ },
	{ "MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES_ },
};

const char *spec_mempolicy_mode_name(size_t i)
{
	return i < ARRAY_SIZE(mpol_modes) ? mpol_modes[i].name : NULL;
}

const char *spec_mempolicy_flag_name(size_t i)
{
	return i < ARRAY_SIZE(mpol_flags) ? mpol_flags[i].name : NULL;
}

static int parse_memory_policy(struct ctx *c, json_object *o, struct hull_spec *s)
{
	const char *path = "linux.memoryPolicy";
	_cleanup_free_ char *mode = NULL;
	_cleanup_strv_ char **flags = NULL;
	size_t nf = 0, k = 0;
	if (sj_get_string(c, o, "mode", path, true, &mode) < 0 ||
	    sj_get_id_list(c, o, "nodes", path, &s->mempolicy_nodes) < 0 ||
	    sj_get_strv(c, o, "flags", path, false, &flags, &nf) < 0)
		return -1;
	while (k < ARRAY_SIZE(mpol_modes) && strcmp(mpol_modes[k].name, mode) != 0)
		k++;
	if (k == ARRAY_SIZE(mpol_modes))
		return sj_bad(c, "linux.memoryPolicy.mode", "unknown mode \"%s\"", mode);
	if (mpol_modes[k].nodes == NODES_NONE && s->mempolicy_nodes.set)
		return sj_bad(c, "linux.memoryPolicy.nodes", "%s takes no nodes", mode);
	if (mpol_modes[k].nodes == NODES_SOME && !s->mempolicy_nodes.set)
		return sj_bad(c, "linux.memoryPolicy.nodes", "%s needs at least one node", mode);
	s->mempolicy_mode = mpol_modes[k].mode;
	for (size_t i = 0; i < nf; i++) {
		size_t f = 0;
		while (f < ARRAY_SIZE(mpol_flags) && strcmp(mpol_flags[f].name, flags[i]) != 0)
			f++;
		if (f == ARRAY_SIZE(mpol_flags)) {
			_cleanup_free_ char *ip = sj_idx("linux.memoryPolicy.flags", i);
			return sj_bad(c, ip, "unknown flag \"%s\"", flags[i]);
		}
		s->mempolicy_mode |= mpol_flags[f].flag;
	}
	if ((s->mempolicy_mode & MPOL_F_RELATIVE_NODES_) && (s->mempolicy_mode & MPOL_F_STATIC_NODES_))
		return sj_bad(c, "linux.memoryPolicy.flags", "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	s->has_memory_policy = true;
	return 0;
}

static int parse_process(struct ctx *c, json_object *proc, const char *path, struct hull_process **out)
{
	struct hull_process *p = xcalloc(1, sizeof(*p));
	int ret;
	json_object *o;

	if (sj_get_bool(c, proc, "terminal", path, &p->terminal) < 0)
		goto fail;
	if ((o = sj_get_object(c, proc, "consoleSize", path, &ret)) != NULL || ret < 0) {
		if (ret < 0)
			goto fail;
		_cleanup_free_ char *cp = sj_join(path, "consoleSize");
		int64_t h = 0, w = 0;
		if (sj_get_int(c, o, "height", cp, 0, UINT16_MAX, NULL, &h) < 0 || sj_get_int(c, o, "width", cp, 0, UINT16_MAX, NULL, &w) < 0)
			goto fail;
		p->console_height = (unsigned)h;
		p->console_width = (unsigned)w;
	}
	if ((o = sj_get_object(c, proc, "user", path, &ret)) != NULL || ret < 0) {
		_cleanup_free_ char *up = sj_join(path, "user");
		if (ret < 0 || parse_user(c, o, up, p) < 0)
			goto fail;
	}
	if (sj_get_strv(c, proc, "args", path, true, &p->args, NULL) < 0)
		goto fail;
	if (p->args[0][0] == '\0') {
		_cleanup_free_ char *ap = sj_join(path, "args[0]");
		sj_bad(c, ap, "must not be empty");
		goto fail;
	}
	if (sj_field(proc, "commandLine"))
		{ sj_bad(c, path, "commandLine is for Windows and is not supported on Linux"); goto fail; }
	if (sj_get_strv(c, proc, "env", path, false, &p->env, NULL) < 0)
		goto fail;
	if (p->env == NULL)
		p->env = xcalloc(1, sizeof(char *));
	for (size_t i = 0; p->env[i]; i++)
		if (strchr(p->env[i], '=') == NULL || p->env[i][0] == '=') {
			_cleanup_free_ char *ep = sj_join(path, "env");
			_cleanup_free_ char *ip = sj_idx(ep, i);
			sj_bad(c, ip, "\"%s\" is not of the form KEY=value", p->env[i]);
			goto fail;
		}
	if (sj_get_string(c, proc, "cwd", path, true, &p->cwd) < 0)
		goto fail;
	if (p->cwd[0] != '/') {
		_cleanup_free_ char *cp = sj_join(path, "cwd");
		sj_bad(c, cp, "must be an absolute path, got \"%s\"", p->cwd);
		goto fail;
	}
	if ((o = sj_get_object(c, proc, "capabilities", path, &ret)) != NULL || ret < 0) {
		_cleanup_free_ char *cp = sj_join(path, "capabilities");
		if (ret < 0 || parse_caps(c, o, cp, &p->caps) < 0)
			goto fail;
		p->has_caps = true;
	}
	if (parse_rlimits(c, proc, path, p) < 0)
		goto fail;
	if (sj_get_bool(c, proc, "noNewPrivileges", path, &p->no_new_privileges) < 0)
		goto fail;
	if (sj_get_string(c, proc, "apparmorProfile", path, false, &p->apparmor_profile) < 0 ||
	    sj_get_string(c, proc, "selinuxLabel", path, false, &p->selinux_label) < 0)
		goto fail;
	int64_t v = 0;
	bool has = false;
	if (sj_get_int(c, proc, "oomScoreAdj", path, -1000, 1000, &has, &v) < 0)
		goto fail;
	p->has_oom_score_adj = has;
	p->oom_score_adj = (int)v;
	if ((o = sj_get_object(c, proc, "ioPriority", path, &ret)) != NULL || ret < 0) {
		_cleanup_free_ char *ip = sj_join(path, "ioPriority");
		_cleanup_free_ char *cls = NULL;
		if (ret < 0 || sj_get_string(c, o, "class", ip, true, &cls) < 0)
			goto fail;
		for (size_t k = 0; k < ARRAY_SIZE(ioprio_table); k++)
			if (strcmp(ioprio_table[k].name, cls) == 0)
				p->io_priority_class = ioprio_table[k].class;
		if (p->io_priority_class == 0) {
			_cleanup_free_ char *cp = sj_join(ip, "class");
			sj_bad(c, cp, "unknown I/O priority class \"%s\"", cls);
			goto fail;
		}
		v = 0;
		if (sj_get_int(c, o, "priority", ip, 0, 7, NULL, &v) < 0)
			goto fail;
		p->io_priority_level = (int)v;
		p->has_io_priority = true;
	}
	if ((o = sj_get_object(c, proc, "scheduler", path, &ret)) != NULL || ret < 0) {
		_cleanup_free_ char *sp = sj_join(path, "scheduler");
		if (ret < 0 || parse_scheduler(c, o, sp, p) < 0)
			goto fail;
	}
	if ((o = sj_get_object(c, proc, "execCPUAffinity", path, &ret)) != NULL || ret < 0) {
		_cleanup_free_ char *ap = sj_join(path, "execCPUAffinity");
		if (ret < 0 || sj_get_id_list(c, o, "initial", ap, &p->exec_cpus_initial) < 0 ||
		    sj_get_id_list(c, o, "final", ap, &p->exec_cpus_final) < 0)
			goto fail;
	}
	*out = p;
	return 0;
fail:
	spec_process_free(p);
	return -1;
}

/* ---- hooks ---- */

static int parse_hooks(struct ctx *c, json_object *hooks, struct hull_spec *s)
{
	for (int k = 0; k < HOOK_KIND_COUNT; k++) {
		int ret;
		size_t n;
		json_object *arr = sj_get_array(c, hooks, hull_hook_names[k], "hooks", &n, &ret);
		if (ret < 0)
			return -1;
		if (n == 0)
			continue;
		_cleanup_free_ char *kp = sj_join("hooks", hull_hook_names[k]);
		s->hooks[k].hooks = xcalloc(n, sizeof(struct hull_hook));
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(arr, i);
			_cleanup_free_ char *ip = sj_idx(kp, i);
			struct hull_hook *h = &s->hooks[k].hooks[i];
			s->hooks[k].n = i + 1;
			if (sj_check_element_object(c, e, ip) < 0 || sj_get_string(c, e, "path", ip, true, &h->path) < 0)
				return -1;
			if (h->path[0] != '/') {
				_cleanup_free_ char *pp = sj_join(ip, "path");
				return sj_bad(c, pp, "must be an absolute path, got \"%s\"", h->path);
			}
			if (sj_get_strv(c, e, "args", ip, false, &h->args, NULL) < 0 || sj_get_strv(c, e, "env", ip, false, &h->env, NULL) < 0)
				return -1;
			if (h->args == NULL || h->args[0] == NULL) {
				free(h->args);
				h->args = xcalloc(2, sizeof(char *));
				h->args[0] = xstrdup(h->path);
			}
			if (h->env == NULL)
				h->env = xcalloc(1, sizeof(char *));
			int64_t t = 0;
			bool has = false;
			if (sj_get_int(c, e, "timeout", ip, INT32_MIN, INT32_MAX, &has, &t) < 0)
				return -1;
			if (has && t <= 0) {
				_cleanup_free_ char *tp = sj_join(ip, "timeout");
				return sj_bad(c, tp, "must be greater than zero");
			}
			h->timeout = (int)t;
		}
	}
	return 0;
}

/* ---- linux ---- */

/* parent[key] (parent at path `where`): an array of {containerID, hostID, size}. */
static int parse_idmaps(struct ctx *c, json_object *parent, const char *where, const char *key, struct hull_idmap **out,
			size_t *n_out)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, parent, key, where, &n, &ret);
	if (ret < 0 || n == 0)
		return ret;
	_cleanup_free_ char *kp = sj_join(where, key);
	*out = xcalloc(n, sizeof(struct hull_idmap));
	*n_out = n;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx(kp, i);
		int64_t cid = -1, hid = -1, size = -1;
		if (sj_check_element_object(c, e, ip) < 0 || sj_get_int(c, e, "containerID", ip, 0, UINT32_MAX - 1, NULL, &cid) < 0 ||
		    sj_get_int(c, e, "hostID", ip, 0, UINT32_MAX - 1, NULL, &hid) < 0 || sj_get_int(c, e, "size", ip, 1, UINT32_MAX, NULL, &size) < 0)
			return -1;
		if (cid < 0 || hid < 0 || size < 0)
			return sj_bad(c, ip, "containerID, hostID and size are required");
		(*out)[i] = (struct hull_idmap){ (uint32_t)cid, (uint32_t)hid, (uint32_t)size };
	}
	return 0;
}

static int parse_namespaces(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, lin, "namespaces", "linux", &n, &ret);
	if (ret < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx("linux.namespaces", i);
		_cleanup_free_ char *type = NULL, *path = NULL;
		if (sj_check_element_object(c, e, ip) < 0 || sj_get_string(c, e, "type", ip, true, &type) < 0 ||
		    sj_get_string(c, e, "path", ip, false, &path) < 0)
			return -1;
		int kind = -1;
		for (int k = 0; k < NS_COUNT; k++)
			if (strcmp(hull_ns_names[k], type) == 0)
				kind = k;
		if (kind < 0)
			return sj_bad(c, ip, "unknown namespace type \"%s\"", type);
		if (s->ns[kind].enabled)
			return sj_bad(c, ip, "duplicate namespace type \"%s\"", type);
		if (path && *path && path[0] != '/')
			return sj_bad(c, ip, "path must be absolute, got \"%s\"", path);
		s->ns[kind].enabled = true;
		s->ns[kind].path = path && *path ? take_ptr(path) : NULL;
	}
	return 0;
}

static const struct {
	const char *name;
	unsigned long flags;
} propagation_table[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC }, { "shared", MS_SHARED },
	{ "rshared", MS_SHARED | MS_REC }, { "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static int parse_devices(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, lin, "devices", "linux", &n, &ret);
	if (ret < 0 || n == 0)
		return ret;
	s->devices = xcalloc(n, sizeof(struct hull_device));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx("linux.devices", i);
		struct hull_device *d = &s->devices[i];
		s->n_devices = i + 1;
		_cleanup_free_ char *type = NULL;
		if (sj_check_element_object(c, e, ip) < 0 || sj_get_string(c, e, "path", ip, true, &d->path) < 0 ||
		    sj_get_string(c, e, "type", ip, true, &type) < 0)
			return -1;
		if (d->path[0] != '/')
			return sj_bad(c, ip, "path must be absolute, got \"%s\"", d->path);
		if (strlen(type) != 1 || strchr("cbup", type[0]) == NULL)
			return sj_bad(c, ip, "type must be one of c, b, u, p, got \"%s\"", type);
		d->type = type[0];
		bool has_major = false, has_minor = false, has = false;
		int64_t v = 0;
		if (sj_get_int(c, e, "major", ip, 0, UINT32_MAX, &has_major, &d->major) < 0 ||
		    sj_get_int(c, e, "minor", ip, 0, UINT32_MAX, &has_minor, &d->minor) < 0)
			return -1;
		if (d->type != 'p' && (!has_major || !has_minor))
			return sj_bad(c, ip, "major and minor are required for type %c", d->type);
		/* podman sends S_IFCHR|0600: type bits may come along if they name the node's type; only the
		 * permission bits make the mode (runc: fileMode &^ S_IFMT) */
		d->mode = 0666;
		if (sj_get_int(c, e, "fileMode", ip, 0, S_IFMT | 07777, &has, &v) < 0)
			return -1;
		mode_t want = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
		if (has && (v & S_IFMT) != 0 && (mode_t)(v & S_IFMT) != want) {
			_cleanup_free_ char *mp = sj_join(ip, "fileMode");
			return sj_bad(c, mp, "file type bits 0%llo do not match type \"%c\" (0%o)", (unsigned long long)(v & S_IFMT),
				      d->type, (unsigned)want);
		}
		if (has)
			d->mode = (mode_t)(v & 07777);
		v = 0;
		if (sj_get_int(c, e, "uid", ip, 0, UINT32_MAX - 1, NULL, &v) < 0)
			return -1;
		d->uid = (uid_t)v;
		v = 0;
		if (sj_get_int(c, e, "gid", ip, 0, UINT32_MAX - 1, NULL, &v) < 0)
			return -1;
		d->gid = (gid_t)v;
	}
	return 0;
}

static int parse_time_offsets(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	json_object *o = sj_get_object(c, lin, "timeOffsets", "linux", &ret);
	if (ret < 0 || o == NULL)
		return ret;
	static const char *const clocks[] = { "monotonic", "boottime" };
	for (size_t k = 0; k < ARRAY_SIZE(clocks); k++) {
		_cleanup_free_ char *cp = sj_join("linux.timeOffsets", clocks[k]);
		json_object *clk = sj_get_object(c, o, clocks[k], "linux.timeOffsets", &ret);
		if (ret < 0)
			return -1;
		int64_t secs = 0, nsecs = 0;
		if (sj_get_int(c, clk, "secs", cp, INT64_MIN, INT64_MAX, NULL, &secs) < 0 ||
		    sj_get_int(c, clk, "nanosecs", cp, 0, 999999999, NULL, &nsecs) < 0)
			return -1;
		if (k == 0) {
			s->monotonic_secs = secs;
			s->monotonic_nsecs = (uint32_t)nsecs;
		} else {
			s->boottime_secs = secs;
			s->boottime_nsecs = (uint32_t)nsecs;
		}
	}
	s->has_time_offsets = true;
	return 0;
}

/* ---- linux.netDevices and linux.intelRdt (runtime-spec 1.3) ---- */

bool spec_valid_ifname(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= IF_NAMESIZE || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return false;
	return true;
}

bool spec_valid_rdt_group(const char *name)
{
	/* resctrl's root holds these itself: a group of that name would be theirs, not a container's */
	static const char *const reserved[] = { ".", "..", "info", "mon_groups", "mon_data", "tasks", "cpus",
						"cpus_list", "schemata", "mode", "size" };
	if (name[0] == '\0' || strchr(name, '/'))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
		if (strcmp(name, reserved[i]) == 0)
			return false;
	return true;
}

static int parse_net_devices(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	json_object *o = sj_get_object(c, lin, "netDevices", "linux", &ret);
	if (ret < 0 || o == NULL)
		return ret;
	s->net_devices = xcalloc((size_t)json_object_object_length(o) + 1, sizeof(struct hull_net_device));
	json_object_object_foreach(o, key, val)
	{
		_cleanup_free_ char *kp = sj_join("linux.netDevices", key);
		struct hull_net_device *d = &s->net_devices[s->n_net_devices];
		if (!spec_valid_ifname(key))
			return sj_bad(c, kp, "invalid interface name \"%s\"", key);
		if (sj_want_type(c, val, json_type_object, kp, "an object") < 0)
			return -1;
		d->host_name = xstrdup(key);
		s->n_net_devices++;
		if (sj_get_string(c, val, "name", kp, false, &d->name) < 0)
			return -1;
		if (d->name && !spec_valid_ifname(d->name)) {
			_cleanup_free_ char *np = sj_join(kp, "name");
			return sj_bad(c, np, "invalid interface name \"%s\"", d->name);
		}
		if (d->name == NULL)
			d->name = xstrdup(key);
		for (size_t i = 0; i + 1 < s->n_net_devices; i++)
			if (strcmp(s->net_devices[i].name, d->name) == 0)
				return sj_bad(c, kp, "interface name \"%s\" is already taken by linux.netDevices.%s in the container",
					      d->name, s->net_devices[i].host_name);
	}
	return 0;
}

static int parse_intel_rdt(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	json_object *o = sj_get_object(c, lin, "intelRdt", "linux", &ret);
	if (ret < 0 || o == NULL)
		return ret;
	struct hull_intel_rdt *r = s->intel_rdt = xcalloc(1, sizeof(*r));
	if (sj_get_string(c, o, "closID", "linux.intelRdt", false, &r->clos_id) < 0 ||
	    sj_get_string(c, o, "l3CacheSchema", "linux.intelRdt", false, &r->l3_cache_schema) < 0 ||
	    sj_get_string(c, o, "memBwSchema", "linux.intelRdt", false, &r->mem_bw_schema) < 0 ||
	    sj_get_strv(c, o, "schemata", "linux.intelRdt", false, &r->schemata, NULL) < 0 ||
	    sj_get_bool(c, o, "enableMonitoring", "linux.intelRdt", &r->enable_monitoring) < 0)
		return -1;
	if (r->clos_id && !spec_valid_rdt_group(r->clos_id))
		return sj_bad(c, "linux.intelRdt.closID", "invalid resctrl group name \"%s\"", r->clos_id);
	/* each is one line of the schemata file: a newline inside would smuggle in another */
	const char *lines[] = { r->l3_cache_schema, r->mem_bw_schema };
	const char *keys[] = { "linux.intelRdt.l3CacheSchema", "linux.intelRdt.memBwSchema" };
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		if (lines[i] && strchr(lines[i], '\n'))
			return sj_bad(c, keys[i], "must be a single line");
	for (size_t i = 0; r->schemata && r->schemata[i]; i++)
		if (strchr(r->schemata[i], '\n') || r->schemata[i][0] == '\0') {
			_cleanup_free_ char *ip = sj_idx("linux.intelRdt.schemata", i);
			return sj_bad(c, ip, "must be a single non-empty line");
		}
	return 0;
}

static int parse_linux(struct ctx *c, json_object *lin, struct hull_spec *s)
{
	int ret;
	if (parse_namespaces(c, lin, s) < 0 || parse_idmaps(c, lin, "linux", "uidMappings", &s->uid_mappings, &s->n_uid_mappings) < 0 ||
	    parse_idmaps(c, lin, "linux", "gidMappings", &s->gid_mappings, &s->n_gid_mappings) < 0 || parse_devices(c, lin, s) < 0 ||
	    parse_time_offsets(c, lin, s) < 0 || parse_net_devices(c, lin, s) < 0 || parse_intel_rdt(c, lin, s) < 0)
		return -1;
	json_object *sysctl = sj_get_object(c, lin, "sysctl", "linux", &ret);
	if (ret < 0)
		return -1;
	if (sysctl) {
		s->sysctl = xcalloc(json_object_object_length(sysctl) + 1, sizeof(struct hull_sysctl));
		json_object_object_foreach(sysctl, key, val)
		{
			_cleanup_free_ char *kp = sj_join("linux.sysctl", key);
			if (json_object_get_type(val) != json_type_string)
				return sj_bad(c, kp, "must be a string");
			if (sj_has_nul(val))
				return sj_bad(c, kp, "must not contain a NUL character");
			if (key[0] == '\0' || strstr(key, "..") || key[0] == '/' || key[0] == '.')
				return sj_bad(c, kp, "invalid sysctl name");
			s->sysctl[s->n_sysctl].key = xstrdup(key);
			s->sysctl[s->n_sysctl].value = xstrdup(json_object_get_string(val));
			s->n_sysctl++;
		}
	}
	if (sj_get_strv(c, lin, "maskedPaths", "linux", false, &s->masked_paths, NULL) < 0 ||
	    sj_get_strv(c, lin, "readonlyPaths", "linux", false, &s->readonly_paths, NULL) < 0)
		return -1;
	char **lists[] = { s->masked_paths, s->readonly_paths };
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++)
			if (lists[l][i][0] != '/') {
				_cleanup_free_ char *ip = sj_idx(l ? "linux.readonlyPaths" : "linux.maskedPaths", i);
				return sj_bad(c, ip, "must be an absolute path, got \"%s\"", lists[l][i]);
			}
	_cleanup_free_ char *prop = NULL;
	if (sj_get_string(c, lin, "rootfsPropagation", "linux", false, &prop) < 0)
		return -1;
	if (prop && *prop) {
		for (size_t k = 0; k < ARRAY_SIZE(propagation_table); k++)
			if (strcmp(propagation_table[k].name, prop) == 0)
				s->rootfs_propagation = propagation_table[k].flags;
		if (s->rootfs_propagation == 0)
			return sj_bad(c, "linux.rootfsPropagation", "unknown propagation \"%s\"", prop);
	}
	if (sj_get_string(c, lin, "mountLabel", "linux", false, &s->mount_label) < 0 ||
	    sj_get_string(c, lin, "cgroupsPath", "linux", false, &s->cgroups_path) < 0)
		return -1;
	json_object *pers = sj_get_object(c, lin, "personality", "linux", &ret);
	if (ret < 0)
		return -1;
	if (pers) {
		_cleanup_free_ char *domain = NULL;
		if (sj_get_string(c, pers, "domain", "linux.personality", true, &domain) < 0)
			return -1;
		if (strcmp(domain, "LINUX") == 0)
			s->personality = PER_LINUX;
		else if (strcmp(domain, "LINUX32") == 0)
			s->personality = PER_LINUX32;
		else
			return sj_bad(c, "linux.personality.domain", "unknown domain \"%s\"", domain);
		_cleanup_strv_ char **flags = NULL;
		size_t nf = 0;
		if (sj_get_strv(c, pers, "flags", "linux.personality", false, &flags, &nf) < 0)
			return -1;
		if (nf)
			return sj_bad(c, "linux.personality.flags", "no personality flags are supported");
		s->has_personality = true;
	}
	json_object *mp = sj_get_object(c, lin, "memoryPolicy", "linux", &ret);
	if (ret < 0 || (mp && parse_memory_policy(c, mp, s) < 0))
		return -1;
	json_object *res = sj_get_object(c, lin, "resources", "linux", &ret);
	if (ret < 0 || (res && resources_parse(res, c->name, "linux.resources", s->spec_1_3 ? RES_SPEC_1_3 : RES_RUNC_1_1,
					       &s->resources, c->err) < 0))
		return -1;
	s->has_resources = res != NULL;
	json_object *sec = sj_get_object(c, lin, "seccomp", "linux", &ret);
	if (ret < 0 || seccomp_profile_parse(c, sec, &s->seccomp) < 0)
		return -1;
	return 0;
}

enum hull_ns_kind spec_sysctl_namespace(const char *name)
{
	/* "net/ipv4/ip_forward" is "net.ipv4.ip_forward" */
	char key[256];
	snprintf(key, sizeof(key), "%s", name);
	for (char *p = key; *p; p++)
		if (*p == '/')
			*p = '.';
	static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
					   "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced" };
	for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
		if (strcmp(key, ipc[i]) == 0)
			return NS_IPC;
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		return NS_IPC;
	if (strncmp(key, "net.", 4) == 0)
		return NS_NET;
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return NS_UTS;
	return NS_COUNT;
}

static int validate(struct ctx *c, struct hull_spec *s)
{
	if (s->n_uid_mappings && !s->ns[NS_USER].enabled)
		return sj_bad(c, "linux.uidMappings", "requires a user namespace");
	if (s->n_gid_mappings && !s->ns[NS_USER].enabled)
		return sj_bad(c, "linux.gidMappings", "requires a user namespace");
	if (s->ns[NS_USER].enabled && !s->ns[NS_USER].path && (s->n_uid_mappings == 0 || s->n_gid_mappings == 0))
		return sj_bad(c, "linux.uidMappings", "a new user namespace needs uidMappings and gidMappings");
	/* joined by path, the mappings (as containerd sends a pod's) must be the namespace's own: the
	 * joiner compares them (ns_check_joined_idmaps), and nothing is written */
	if ((s->n_uid_mappings == 0) != (s->n_gid_mappings == 0))
		return sj_bad(c, s->n_uid_mappings ? "linux.gidMappings" : "linux.uidMappings",
			      "uidMappings and gidMappings must be given together");
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct hull_mount *m = &s->mounts[i];
		if (m->idmap == MOUNT_IDMAP_NONE || m->n_uid_mappings || s->ns[NS_USER].enabled)
			continue;
		_cleanup_free_ char *ip = sj_idx("mounts", i);
		return sj_bad(c, ip, "an idmapped mount needs uidMappings and gidMappings, or the container's own user namespace");
	}
	if (s->hostname && *s->hostname && !s->ns[NS_UTS].enabled)
		return sj_bad(c, "hostname", "setting the hostname needs a new uts namespace");
	if (s->domainname && *s->domainname && !s->ns[NS_UTS].enabled)
		return sj_bad(c, "domainname", "setting the domainname needs a new uts namespace");
	if (s->has_time_offsets && (!s->ns[NS_TIME].enabled || s->ns[NS_TIME].path))
		return sj_bad(c, "linux.timeOffsets", "needs a new time namespace");
	for (size_t i = 0; i < s->n_sysctl; i++) {
		_cleanup_free_ char *kp = sj_join("linux.sysctl", s->sysctl[i].key);
		enum hull_ns_kind need = spec_sysctl_namespace(s->sysctl[i].key);
		if (need == NS_COUNT)
			return sj_bad(c, kp, "not in a namespace of the container's own: it would change the host");
		if (!s->ns[need].enabled)
			return sj_bad(c, kp, "needs the container's own %s namespace", hull_ns_names[need]);
	}
	if (s->cgroups_path && fs_path_has_dotdot(s->cgroups_path))
		return sj_bad(c, "linux.cgroupsPath", "must not contain \"..\"");
	if (s->n_net_devices && !s->ns[NS_NET].enabled)
		return sj_bad(c, "linux.netDevices", "needs the container's own network namespace (a new one, or one joined by path): "
			      "without one the interfaces would stay on the host");
	return 0;
}

/* A mount's idmapping: the "idmap"/"ridmap" options and uidMappings/gidMappings (runtime-spec 1.2; as
 * runc, mappings without either option mean "idmap"). The container's own mappings, when the mount has
 * none, are checked in validate(): the namespaces are not parsed yet. */
static int parse_mount_idmap(struct ctx *c, json_object *e, const char *ip, struct hull_mount *m)
{
	for (size_t k = 0; k < m->n_options; k++) {
		if (strcmp(m->options[k], "ridmap") == 0)
			m->idmap = MOUNT_IDMAP_RECURSIVE;
		else if (strcmp(m->options[k], "idmap") == 0 && m->idmap == MOUNT_IDMAP_NONE)
			m->idmap = MOUNT_IDMAP;
	}
	if (parse_idmaps(c, e, ip, "uidMappings", &m->uid_mappings, &m->n_uid_mappings) < 0 ||
	    parse_idmaps(c, e, ip, "gidMappings", &m->gid_mappings, &m->n_gid_mappings) < 0)
		return -1;
	if ((m->n_uid_mappings == 0) != (m->n_gid_mappings == 0)) {
		_cleanup_free_ char *kp = sj_join(ip, m->n_uid_mappings ? "gidMappings" : "uidMappings");
		return sj_bad(c, kp, "uidMappings and gidMappings must be given together");
	}
	if (m->n_uid_mappings && m->idmap == MOUNT_IDMAP_NONE)
		m->idmap = MOUNT_IDMAP;
	return 0;
}

static int parse_mounts(struct ctx *c, json_object *root, struct hull_spec *s)
{
	int ret;
	size_t n;
	json_object *arr = sj_get_array(c, root, "mounts", "", &n, &ret);
	if (ret < 0 || n == 0)
		return ret;
	s->mounts = xcalloc(n, sizeof(struct hull_mount));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		_cleanup_free_ char *ip = sj_idx("mounts", i);
		struct hull_mount *m = &s->mounts[i];
		s->n_mounts = i + 1;
		if (sj_check_element_object(c, e, ip) < 0 || sj_get_string(c, e, "destination", ip, true, &m->destination) < 0 ||
		    sj_get_string(c, e, "type", ip, false, &m->type) < 0 || sj_get_string(c, e, "source", ip, false, &m->source) < 0 ||
		    sj_get_strv(c, e, "options", ip, false, &m->options, &m->n_options) < 0)
			return -1;
		if (m->destination[0] != '/') {
			_cleanup_free_ char *dp = sj_join(ip, "destination");
			return sj_bad(c, dp, "must be an absolute path, got \"%s\"", m->destination);
		}
		if (parse_mount_idmap(c, e, ip, m) < 0)
			return -1;
	}
	return 0;
}

/* hull's own annotation, read here once: the init reads the bool, never the string. */
#define INIT_ANNOTATION "hull.init"

static int parse_init_annotation(struct ctx *c, struct hull_spec *s)
{
	json_object *v = s->annotations ? sj_field(s->annotations, INIT_ANNOTATION) : NULL;
	if (v == NULL)
		return 0;
	const char *text = json_object_get_string(v);
	s->init_reaper = strcmp(text, "true") == 0;
	if (!s->init_reaper && strcmp(text, "false") != 0)
		return sj_bad(c, "annotations." INIT_ANNOTATION, "must be \"true\" or \"false\"");
	return 0;
}

int spec_parse(const char *text, size_t len, const char *name, const char *bundle, struct hull_spec **out, hull_err *err)
{
	struct ctx c = { name, err };
	json_object *root = sj_parse_document(text, len, name, err);
	if (root == NULL)
		return -1;

	struct hull_spec *s = xcalloc(1, sizeof(*s));
	_cleanup_free_ char *rpath = NULL;
	s->json = root;
	s->bundle = xstrdup(bundle);
	int ret;
	json_object *o;

	if (sj_get_string(&c, root, "ociVersion", "", true, &s->oci_version) < 0)
		goto fail;
	if (strncmp(s->oci_version, "1.", 2) != 0) {
		sj_bad(&c, "ociVersion", "unsupported version \"%s\" (hull implements 1.x)", s->oci_version);
		goto fail;
	}
	/* "1.3.0", "1.3.0-rc.1", "1.10.0" */
	s->spec_1_3 = isdigit((unsigned char)s->oci_version[2]) && strtoul(s->oci_version + 2, NULL, 10) >= 3;
	o = sj_get_object(&c, root, "root", "", &ret);
	if (ret < 0)
		goto fail;
	if (o == NULL) {
		sj_bad(&c, "root", "is required on Linux");
		goto fail;
	}
	if (sj_get_string(&c, o, "path", "root", true, &rpath) < 0 || sj_get_bool(&c, o, "readonly", "root", &s->root_readonly) < 0)
		goto fail;
	if (rpath[0] == '\0') {
		sj_bad(&c, "root.path", "must not be empty");
		goto fail;
	}
	if (rpath[0] == '/')
		s->root_path = take_ptr(rpath);
	else
		s->root_path = xasprintf("%s/%s", bundle, rpath);

	if (sj_get_string(&c, root, "hostname", "", false, &s->hostname) < 0 ||
	    sj_get_string(&c, root, "domainname", "", false, &s->domainname) < 0)
		goto fail;
	if (parse_mounts(&c, root, s) < 0)
		goto fail;
	o = sj_get_object(&c, root, "process", "", &ret);
	if (ret < 0 || (o && parse_process(&c, o, "process", &s->process) < 0))
		goto fail;
	o = sj_get_object(&c, root, "hooks", "", &ret);
	if (ret < 0 || (o && parse_hooks(&c, o, s) < 0))
		goto fail;
	s->annotations = sj_get_object(&c, root, "annotations", "", &ret);
	if (ret < 0)
		goto fail;
	if (s->annotations) {
		json_object_object_foreach(s->annotations, key, val)
		{
			(void)key;
			if (json_object_get_type(val) != json_type_string) {
				_cleanup_free_ char *ap = sj_join("annotations", key);
				sj_bad(&c, ap, "must be a string");
				goto fail;
			}
		}
	}
	if (parse_init_annotation(&c, s) < 0)
		goto fail;
	o = sj_get_object(&c, root, "linux", "", &ret);
	if (ret < 0 || (o && parse_linux(&c, o, s) < 0))
		goto fail;
	if (validate(&c, s) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	spec_free(s);
	return -1;
}

int spec_parse_process(json_object *obj, const char *name, struct hull_process **out, hull_err *err)
{
	struct ctx c = { name, err };
	if (obj == NULL || json_object_get_type(obj) != json_type_object)
		return hull_fail(err, "%s: the document must be a JSON object", name);
	return parse_process(&c, obj, "", out);
}

int spec_load(const char *bundle, struct hull_spec **out, hull_err *err)
{
	_cleanup_free_ char *abs = realpath(bundle, NULL);
	if (abs == NULL)
		return hull_fail_sys(err, "bundle %s", bundle);
	_cleanup_free_ char *path = xasprintf("%s/config.json", abs);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (fs_read_file_max(AT_FDCWD, path, FS_INPUT_MAX, &text, &len, err) < 0)
		return -1;
	return spec_parse(text, len, "config.json", abs, out, err);
}

static void strv_free(char **v)
{
	cleanup_strvp(&v);
}

void spec_process_free(struct hull_process *p)
{
	if (p == NULL)
		return;
	free(p->additional_gids);
	strv_free(p->args);
	strv_free(p->env);
	free(p->cwd);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(p);
}

static void spec_free_net_rdt(struct hull_spec *s)
{
	for (size_t i = 0; i < s->n_net_devices; i++) {
		free(s->net_devices[i].host_name);
		free(s->net_devices[i].name);
	}
	free(s->net_devices);
	if (s->intel_rdt) {
		free(s->intel_rdt->clos_id);
		free(s->intel_rdt->l3_cache_schema);
		free(s->intel_rdt->mem_bw_schema);
		strv_free(s->intel_rdt->schemata);
		free(s->intel_rdt);
	}
}

void spec_free(struct hull_spec *s)
{
	if (s == NULL)
		return;
	seccomp_profile_free(s->seccomp);
	resources_clear(&s->resources);
	free(s->oci_version);
	free(s->bundle);
	free(s->root_path);
	free(s->hostname);
	free(s->domainname);
	for (size_t i = 0; i < s->n_mounts; i++) {
		free(s->mounts[i].destination);
		free(s->mounts[i].type);
		free(s->mounts[i].source);
		strv_free(s->mounts[i].options);
		free(s->mounts[i].uid_mappings);
		free(s->mounts[i].gid_mappings);
	}
	free(s->mounts);
	spec_process_free(s->process);
	for (int k = 0; k < HOOK_KIND_COUNT; k++) {
		for (size_t i = 0; i < s->hooks[k].n; i++) {
			free(s->hooks[k].hooks[i].path);
			strv_free(s->hooks[k].hooks[i].args);
			strv_free(s->hooks[k].hooks[i].env);
		}
		free(s->hooks[k].hooks);
	}
	for (int k = 0; k < NS_COUNT; k++)
		free(s->ns[k].path);
	free(s->uid_mappings);
	free(s->gid_mappings);
	for (size_t i = 0; i < s->n_devices; i++)
		free(s->devices[i].path);
	free(s->devices);
	for (size_t i = 0; i < s->n_sysctl; i++) {
		free(s->sysctl[i].key);
		free(s->sysctl[i].value);
	}
	free(s->sysctl);
	strv_free(s->masked_paths);
	strv_free(s->readonly_paths);
	free(s->mount_label);
	free(s->cgroups_path);
	spec_free_net_rdt(s);
	json_object_put(s->json);
	free(s);
}
