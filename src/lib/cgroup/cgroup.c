/* cgroup.c - hierarchies of this host, a container's cgroup directories, entering, signalling, removal.
 * Must never remove a directory it did not create for the container (only the leaf is removed). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cgroup/resources.h"
#include "cgroup/systemd.h"
#include "linux/userns.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/mountinfo.h"
#include "util/xalloc.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define EMPTY_WAIT_STEPS 200   /* x 5 ms: how long delete waits for killed processes to leave */

enum cgroup_layout cgroup_layout(void)
{
	static int layout = -1;
	if (layout >= 0)
		return (enum cgroup_layout)layout;
	struct statfs sfs;
	if (statfs(CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		layout = CGROUP_LAYOUT_V2;
	else if (statfs(CGROUP_ROOT "/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		layout = CGROUP_LAYOUT_HYBRID;
	else
		layout = CGROUP_LAYOUT_V1;
	return (enum cgroup_layout)layout;
}

const char *cgroup_path_in_mount(const struct cgroup_hierarchy *h, const char *path)
{
	if (strcmp(h->root, "/") == 0)
		return path;
	size_t rl = strlen(h->root);
	if (strncmp(path, h->root, rl) != 0 || (path[rl] != '\0' && path[rl] != '/'))
		return NULL;
	return path + rl;
}

/* What one command reads of /proc more than once (a create asks per hierarchy, twice) is read at most once a
 * second by one process, and not across a fork into a new mount namespace either: the init reads its own. A
 * long-lived caller (the engine's monitor) thus sees a hierarchy mounted or unmounted a second later. */
#define PROC_CACHE_TTL_NS 1000000000LL

struct proc_cache {
	long long at;
	pid_t by;
};

/* Is what was read under c still good; if not, c is stamped now (for the caller to read again). */
static bool proc_cache_fresh(struct proc_cache *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long t = now.tv_sec * 1000000000LL + now.tv_nsec;
	pid_t self = getpid();
	if (c->by == self && t - c->at <= PROC_CACHE_TTL_NS)
		return true;
	*c = (struct proc_cache){ t, self };
	return false;
}

bool cgroup_line_next(const char **pos, struct cgroup_line *l)
{
	for (const char *line = *pos; *line;) {
		const char *end = line + strcspn(line, "\n");
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		line = *end ? end + 1 : end;
		if (c2 == NULL)
			continue;
		*l = (struct cgroup_line){ c1 + 1, c2 + 1, (size_t)(c2 - c1 - 1), (size_t)(end - c2 - 1) };
		*pos = line;
		return true;
	}
	return false;
}

char *cgroup_line_dir(const struct cgroup_hierarchy *h, size_t nh, const struct cgroup_line *l)
{
	_cleanup_free_ char *path = xstrndup(l->path, l->path_len);
	for (size_t i = 0; i < nh; i++) {
		if (strlen(h[i].key) != l->key_len || strncmp(h[i].key, l->key, l->key_len) != 0)
			continue;
		const char *rel = cgroup_path_in_mount(&h[i], path);
		if (rel)
			return xasprintf("%s%s", h[i].mountpoint, strcmp(rel, "/") == 0 ? "" : rel);
	}
	return NULL;
}

char *cgroup_own_path(const char *key)
{
	static char *text;
	static struct proc_cache read;
	if (!proc_cache_fresh(&read) || text == NULL) {
		free(text);
		text = NULL;
		hull_err e = NULL;
		if (fs_read_file(AT_FDCWD, "/proc/self/cgroup", &text, NULL, &e) < 0) {
			hull_err_free(&e);
			read = (struct proc_cache){ 0 };
			return NULL;
		}
	}
	size_t klen = strlen(key);
	const char *pos = text;
	for (struct cgroup_line l; cgroup_line_next(&pos, &l);)
		if (l.key_len == klen && strncmp(l.key, key, klen) == 0)
			return xstrndup(l.path, l.path_len);
	return NULL;
}

/* The /proc/self/cgroup key of a v1 mount: its controllers (or name=) among the superblock options. */
static char *v1_key(char *super)
{
	static const char *const not_controllers[] = { "rw", "ro", "clone_children", "noprefix", "xattr", "cpuset_v2_mode",
							"favordynmods", "nsdelegate", "memory_recursiveprot" };
	char key[1024] = "";
	char *save = NULL;
	for (char *o = strtok_r(super, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		bool skip = strncmp(o, "release_agent=", 14) == 0;
		for (size_t i = 0; i < ARRAY_SIZE(not_controllers) && !skip; i++)
			skip = strcmp(o, not_controllers[i]) == 0;
		if (skip)
			continue;
		if (*key)
			strncat(key, ",", sizeof(key) - strlen(key) - 1);
		strncat(key, o, sizeof(key) - strlen(key) - 1);
	}
	return xstrdup(key);
}

static int hierarchies_read(struct cgroup_hierarchy **out, size_t *n_out, hull_err *err)
{
	*out = NULL;
	*n_out = 0;
	struct mountinfo *mi = NULL;
	size_t n_mi = 0;
	int r = mountinfo_read(&mi, &n_mi);
	if (r < 0)
		return hull_fail_errno(err, -r, "read /proc/self/mountinfo");
	struct cgroup_hierarchy *h = NULL;
	size_t n = 0;
	for (size_t i = 0; i < n_mi; i++) {
		const struct mountinfo *m = &mi[i];
		bool v2 = strcmp(m->fstype, "cgroup2") == 0;
		if (!v2 && strcmp(m->fstype, "cgroup") != 0)
			continue;
		const char *mnt = m->mountpoint;
		if (strcmp(mnt, CGROUP_ROOT) != 0 && (strncmp(mnt, CGROUP_ROOT "/", 15) != 0 || strchr(mnt + 15, '/')))
			continue;
		h = xreallocarray(h, n + 1, sizeof(*h));
		h[n] = (struct cgroup_hierarchy){ xstrdup(mnt), xstrdup(m->root), v2 ? xstrdup("") : v1_key(m->superopts),
						  v2 };
		n++;
	}
	mountinfo_free(mi, n_mi);
	*out = h;
	*n_out = n;
	return 0;
}

int cgroup_hierarchies(struct cgroup_hierarchy **out, size_t *n_out, hull_err *err)
{
	static struct cgroup_hierarchy *cache;
	static size_t n_cache;
	static struct proc_cache read;
	if (!proc_cache_fresh(&read) || cache == NULL) {
		struct cgroup_hierarchy *h = NULL;
		size_t n = 0;
		if (hierarchies_read(&h, &n, err) < 0) {
			read = (struct proc_cache){ 0 };
			return -1;
		}
		cgroup_hierarchies_free(cache, n_cache);
		cache = h;
		n_cache = n;
	}
	*out = xcalloc(n_cache + 1, sizeof(**out));
	for (size_t i = 0; i < n_cache; i++)
		(*out)[i] = (struct cgroup_hierarchy){ xstrdup(cache[i].mountpoint), xstrdup(cache[i].root),
						       xstrdup(cache[i].key), cache[i].v2 };
	*n_out = n_cache;
	return 0;
}

void cgroup_hierarchies_free(struct cgroup_hierarchy *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].mountpoint);
		free(h[i].root);
		free(h[i].key);
	}
	free(h);
}

static void copy_if_empty(const char *child, const char *parent, const char *file)
{
	_cleanup_free_ char *cpath = xasprintf("%s/%s", child, file), *ppath = xasprintf("%s/%s", parent, file);
	_cleanup_free_ char *mine = NULL, *theirs = NULL;
	hull_err e = NULL;
	if (fs_read_file(AT_FDCWD, cpath, &mine, NULL, &e) == 0 && strspn(mine, " \n") == strlen(mine) &&
	    fs_read_file(AT_FDCWD, ppath, &theirs, NULL, &e) == 0)
		fs_write_file(AT_FDCWD, cpath, theirs, strlen(theirs), &e);
	hull_err_free(&e);
}

/* A cpuset cgroup cannot take tasks until cpus and mems are set: inherit them down, level by level. */
static void cpuset_fill(const char *mountpoint, const char *rel)
{
	for (const char *p = rel; *p;) {
		const char *next = strchr(p + 1, '/');
		int len = next ? (int)(next - rel) : (int)strlen(rel);
		_cleanup_free_ char *child = xasprintf("%s%.*s", mountpoint, len, rel);
		_cleanup_free_ char *parent = xasprintf("%s%.*s", mountpoint, (int)(p - rel), rel);
		copy_if_empty(child, parent, "cpuset.cpus");
		copy_if_empty(child, parent, "cpuset.mems");
		if (next == NULL)
			break;
		p = next;
	}
}

/* v2: a controller's files exist in a cgroup only when its parent delegates it (cgroup.subtree_control).
 * Enable every available controller on each level from the mount down to the leaf's parent; a level that
 * refuses (processes of its own, not ours to change) is left as it is. */
static void v2_enable_controllers(const char *mountpoint, const char *rel)
{
	for (const char *p = rel; *p;) {
		const char *next = strchr(p + 1, '/');
		/* the parent of the component at p */
		_cleanup_free_ char *dir = xasprintf("%s%.*s", mountpoint, (int)(p - rel), rel), *avail = NULL;
		_cleanup_free_ char *path = xasprintf("%s/cgroup.controllers", dir);
		hull_err e = NULL;
		if (fs_read_file(AT_FDCWD, path, &avail, NULL, &e) < 0) {
			hull_err_free(&e);
			return;
		}
		char *save = NULL;
		for (char *c = strtok_r(avail, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
			char buf[64];
			snprintf(buf, sizeof(buf), "+%s", c);
			_cleanup_free_ char *ctl = xasprintf("%s/cgroup.subtree_control", dir);
			fs_write_file(AT_FDCWD, ctl, buf, strlen(buf), &e);
			hull_err_free(&e);
		}
		if (next == NULL)
			break;
		p = next;
	}
}

static void push_dir_made(struct hull_cgroup *cg, char *dir, bool made)
{
	cg->dirs = xreallocarray(cg->dirs, cg->n + 1, sizeof(char *));
	cg->made = xreallocarray(cg->made, cg->n + 1, sizeof(bool));
	cg->made[cg->n] = made;
	cg->dirs[cg->n++] = dir;
}

static void push_dir(struct hull_cgroup *cg, char *dir)
{
	push_dir_made(cg, dir, false);
}

/* A path cleaned lexically ("a/../b" is "b", no leading or trailing "/", "" for the top); one that climbs
 * above its top is NULL, or with clamp stops there (runc's CleanPath: "/../x" is "/x"). */
static char *path_clean(const char *path, bool clamp)
{
	_cleanup_free_ char *copy = xstrdup(path);
	char *out = xcalloc(1, strlen(path) + 1);
	size_t len = 0;
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (len == 0 && clamp)
				continue;
			if (len == 0) {
				free(out);
				return NULL;
			}
			while (len > 0 && out[len - 1] != '/')
				len--;
			len -= len > 0; /* the separator before it */
			out[len] = '\0';
			continue;
		}
		len += (size_t)sprintf(out + len, "%s%s", len ? "/" : "", c);
	}
	return out;
}

/* The container's directory in hierarchy h (NULL when we are not part of it), and its path inside the
 * hierarchy in *rel. */
static char *container_dir(const struct cgroup_hierarchy *h, const char *want, char **rel)
{
	*rel = NULL;
	_cleanup_free_ char *clean = path_clean(want, true); /* clamped: never NULL */
	if (want[0] == '/') {
		*rel = xasprintf("%s%s", *clean ? "/" : "", clean);
	} else {
		_cleanup_free_ char *own = cgroup_own_path(h->key);
		if (own == NULL)
			return NULL; /* a hierarchy we are not part of (not in our cgroup namespace) */
		const char *base = cgroup_path_in_mount(h, own);
		if (base == NULL)
			base = own;
		*rel = xasprintf("%s%s%s", strcmp(base, "/") == 0 ? "" : base, *clean ? "/" : "", clean);
	}
	return xasprintf("%s%s", h->mountpoint, *rel);
}

/* The container's directory in every hierarchy of this host (NULL: one we are not part of) and its path inside
 * the hierarchy: what cgroup_plan records and cgroup_create makes, worked out in one place. */
struct dir_plan {
	struct cgroup_hierarchy *h;
	size_t nh;
	char **dirs, **rels;
};

static int dir_plan_make(const char *cgroups_path, const char *id, struct dir_plan *p, hull_err *err)
{
	*p = (struct dir_plan){ 0 };
	if (cgroup_hierarchies(&p->h, &p->nh, err) < 0)
		return -1;
	const char *want = cgroups_path && *cgroups_path ? cgroups_path : id;
	p->dirs = xcalloc(p->nh + 1, sizeof(char *));
	p->rels = xcalloc(p->nh + 1, sizeof(char *));
	for (size_t i = 0; i < p->nh; i++)
		p->dirs[i] = container_dir(&p->h[i], want, &p->rels[i]);
	return 0;
}

static void dir_plan_free(struct dir_plan *p)
{
	for (size_t i = 0; i < p->nh; i++) {
		free(p->dirs[i]);
		free(p->rels[i]);
	}
	free(p->dirs);
	free(p->rels);
	cgroup_hierarchies_free(p->h, p->nh);
}

bool cgroup_rootless(enum hull_rootless mode)
{
	return mode == HULL_ROOTLESS_AUTO ? userns_rootless() : mode == HULL_ROOTLESS_TRUE;
}

/* every directory made by hull */
static bool cgroup_owned_all(const struct hull_cgroup *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		if (!cg->made[i])
			return false;
	return true;
}

int cgroup_create(const char *cgroups_path, const char *id, enum hull_rootless rootless, struct hull_cgroup **out,
		  hull_err *err)
{
	struct dir_plan plan;
	if (dir_plan_make(cgroups_path, id, &plan, err) < 0)
		return -1;
	struct cgroup_hierarchy *h = plan.h;
	size_t nh = plan.nh;
	char **dirs = plan.dirs, **rels = plan.rels;
	struct hull_cgroup planned = { .dirs = xcalloc(nh + 1, sizeof(char *)) }; /* borrows dirs' strings */
	struct hull_cgroup *cg = xcalloc(1, sizeof(*cg));
	int ret = 0;
	size_t denied = 0;
	/* rootless with no cgroupsPath asked for, runc skips in silence: what hull printed would land in the
	 * container's log (an engine's runtime writes to the container's stderr) */
	bool quiet = (cgroups_path == NULL || *cgroups_path == '\0') && cgroup_rootless(rootless);
	for (size_t i = 0; i < nh; i++)
		if (dirs[i])
			planned.dirs[planned.n++] = dirs[i];
	/* asked before any directory is made: runc asks before it creates anything, and a refused create must
	 * leave no directory behind */
	if (ret == 0 && cgroup_is_frozen(&planned))
		ret = hull_fail(err, "container's cgroup unexpectedly frozen");
	free(planned.dirs);
	for (size_t i = 0; i < nh && ret == 0; i++) {
		if (dirs[i] == NULL)
			continue;
		hull_err e = NULL;
		/* the parents with -p; the directory itself by one mkdir, whose EEXIST says it is not ours
		 * (no window between a check and the mkdir) */
		char *slash = strrchr(dirs[i], '/');
		*slash = '\0';
		int r = fs_mkdir_p(dirs[i], 0755, &e);
		*slash = '/';
		bool existed = false;
		if (r == 0 && mkdir(dirs[i], 0755) < 0) {
			existed = errno == EEXIST;
			if (!existed)
				r = hull_fail_sys(&e, "mkdir %s", dirs[i]);
		}
		if (r < 0) {
			int code = e->errnum;
			if ((code != EACCES && code != EPERM && code != EROFS) || rootless == HULL_ROOTLESS_FALSE)
				ret = hull_fail_code(err, code, "create cgroup: %s", e->msg);
			else if (denied++ == 0 && quiet)
				hull_debug("cgroups skipped (no delegated cgroup for this user): %s", e->msg);
			else if (denied == 1) /* one line for all hierarchies: rootless without delegation meets each */
				hull_warn("cgroups skipped (no delegated cgroup for this user): %s", e->msg);
			hull_err_free(&e);
			continue;
		}
		if (strstr(h[i].key, "cpuset"))
			cpuset_fill(h[i].mountpoint, rels[i]);
		if (h[i].v2)
			v2_enable_controllers(h[i].mountpoint, rels[i]);
		if (existed)
			hull_debug("cgroup %s existed: used, never removed", dirs[i]);
		push_dir_made(cg, dirs[i], !existed); /* cg owns the string now */
		dirs[i] = NULL;
	}
	dir_plan_free(&plan);
	if (ret < 0) {
		cgroup_destroy(cg, NULL);
		cgroup_free(cg);
		return -1;
	}
	/* runc 1.1.5 only warns (a later runc refuses): two containers in one cgroup share its limits and its kill.
	 * Only a directory that existed can hold anyone: one just made is empty */
	pid_t *pids = NULL;
	size_t npids = 0;
	if (!cgroup_owned_all(cg) && cgroup_pids(cg, &pids, &npids) == 0 && npids > 0)
		hull_warn("container's cgroup is not empty: %zu process(es) found", npids);
	free(pids);
	*out = cg;
	return 0;
}

int cgroup_plan(const char *cgroups_path, const char *id, struct hull_cgroup **out, hull_err *err)
{
	struct dir_plan plan;
	if (dir_plan_make(cgroups_path, id, &plan, err) < 0)
		return -1;
	struct hull_cgroup *cg = xcalloc(1, sizeof(*cg));
	for (size_t i = 0; i < plan.nh; i++) {
		struct stat st;
		if (plan.dirs[i] == NULL)
			continue;
		/* a guess, for the record a create killed inside cgroup_create leaves: cgroup_create's mkdir
		 * decides, and the state saved after it says what hull really made */
		push_dir_made(cg, plan.dirs[i], stat(plan.dirs[i], &st) < 0);
		plan.dirs[i] = NULL;
	}
	dir_plan_free(&plan);
	*out = cg;
	return 0;
}

bool cgroup_same(const struct hull_cgroup *a, const struct hull_cgroup *b)
{
	if (a->n != b->n || a->systemd_unit || b->systemd_unit)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->dirs[i], b->dirs[i]) != 0 || a->made[i] != b->made[i])
			return false;
	return true;
}

int cgroup_v2_fd(const struct hull_cgroup *cg)
{
	if (cg == NULL || cg->n == 0 || cgroup_layout() != CGROUP_LAYOUT_V2)
		return -1;
	return open(cg->dirs[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Does the comma list `have` (a hierarchy key) name any controller of the comma list `want`? */
static bool controllers_meet(const char *have, const char *want, size_t want_len)
{
	for (const char *w = want; w < want + want_len;) {
		size_t wl = strcspn(w, ",");
		if (wl > (size_t)(want + want_len - w))
			wl = (size_t)(want + want_len - w);
		for (const char *h = have; *h;) {
			size_t hl = strcspn(h, ",");
			if (hl == wl && strncmp(h, w, wl) == 0)
				return true;
			h += hl + (h[hl] == ',');
		}
		w += wl + 1;
	}
	return false;
}

/* runc's getSubCgroupPaths: "[controller[,controller]:]path", a path without controllers only alone. */
static int sub_specs_check(char **specs, hull_err *err)
{
	size_t n = 0;
	while (specs[n])
		n++;
	for (size_t j = 0; j < n; j++) {
		const char *colon = strchr(specs[j], ':');
		if (colon && strchr(colon + 1, ':'))
			return hull_fail(err, "invalid --cgroup argument: %s", specs[j]);
		if (colon == NULL && n != 1)
			return hull_fail(err, "invalid --cgroup argument: %s (missing <controller>: prefix)", specs[j]);
	}
	return 0;
}

int cgroup_sub(const struct hull_cgroup *cg, char **specs, struct hull_cgroup **out, hull_err *err)
{
	if (sub_specs_check(specs, err) < 0)
		return -1;
	struct cgroup_hierarchy *h = NULL;
	size_t nh = 0;
	if (cgroup_hierarchies(&h, &nh, err) < 0)
		return -1;
	struct hull_cgroup *sub = xcalloc(1, sizeof(*sub));
	const char **keys = xcalloc(cg->n + 1, sizeof(char *));
	int ret = -1;
	for (size_t i = 0; i < cg->n; i++) {
		keys[i] = "";
		for (size_t k = 0; k < nh; k++) {
			size_t ml = strlen(h[k].mountpoint);
			if (strncmp(cg->dirs[i], h[k].mountpoint, ml) == 0 && cg->dirs[i][ml] == '/')
				keys[i] = h[k].key;
		}
	}
	/* every controller named must be one of the container's hierarchies */
	for (size_t j = 0; specs[j]; j++) {
		const char *colon = strchr(specs[j], ':');
		for (const char *c = specs[j]; colon && c < colon;) {
			size_t cl = strcspn(c, ",:");
			bool known = false;
			for (size_t i = 0; i < cg->n && !known; i++)
				known = controllers_meet(keys[i], c, cl);
			if (!known && cl > 0) {
				hull_fail(err, "--cgroup %s: unknown controller %.*s in SubCgroupPaths", specs[j], (int)cl, c);
				goto out;
			}
			c += cl + 1;
		}
	}
	for (size_t i = 0; i < cg->n; i++) {
		const char *path = NULL;
		for (size_t j = 0; specs[j]; j++) {
			const char *colon = strchr(specs[j], ':');
			if (colon == NULL || colon == specs[j])
				path = colon ? colon + 1 : specs[j];
			else if (controllers_meet(keys[i], specs[j], (size_t)(colon - specs[j])))
				path = colon + 1;
		}
		_cleanup_free_ char *clean = path ? path_clean(path, false) : xstrdup("");
		if (clean == NULL) {
			hull_fail(err, "--cgroup: %s is not a sub cgroup path", path);
			goto out;
		}
		char *dir = *clean == 0 ? xstrdup(cg->dirs[i]) : xasprintf("%s/%s", cg->dirs[i], clean);
		push_dir(sub, dir);
		/* checked before the process exists; said in runc's words, who writes its pid and fails */
		struct stat st;
		int e = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
		if (e) {
			hull_fail_errno(err, e, "--cgroup: error adding pid to cgroups: %s/cgroup.procs", dir);
			goto out;
		}
	}
	*out = sub;
	sub = NULL;
	ret = 0;
out:
	free(keys);
	cgroup_free(sub);
	cgroup_hierarchies_free(h, nh);
	return ret;
}

int cgroup_create_systemd(const char *cgroups_path, const char *id, struct hull_cgroup **out, hull_err *err)
{
	if (cgroup_layout() != CGROUP_LAYOUT_V2)
		return hull_fail(err, "--systemd-cgroup: hull's systemd driver needs a cgroup v2 host");
	struct hull_cgroup *cg = xcalloc(1, sizeof(*cg));
	if (systemd_unit_names(cgroups_path, id, &cg->systemd_slice, &cg->systemd_unit, err) < 0) {
		cgroup_free(cg);
		return -1;
	}
	*out = cg;
	return 0;
}

int cgroup_enter(struct hull_cgroup *cg, pid_t pid, const struct hull_resources *resources, hull_err *err)
{
	if (cg->systemd_unit && cg->n == 0) {
		char *dir = NULL;
		if (systemd_start_scope(cg->systemd_slice, cg->systemd_unit, pid, resources, &dir, err) < 0)
			return -1;
		push_dir_made(cg, dir, true); /* the scope is ours */
		return 0;
	}
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d", pid);
	for (size_t i = 0; i < cg->n; i++) {
		_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", cg->dirs[i]);
		if (fs_write_file(AT_FDCWD, procs, buf, (size_t)len, err) < 0)
			return hull_err_prefix(err, "move the init into its cgroup");
	}
	return 0;
}

/* fn(child, data, depth + 1) for every cgroup directly below dir (a bounded depth: cgroupfs has no loops,
 * but the container may nest as it likes). */
static void for_each_child(const char *dir, int depth, void (*fn)(const char *, void *, int), void *data)
{
	DIR *d = depth < 32 ? opendir(dir) : NULL;
	for (struct dirent *de; d && (de = readdir(d));) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *sub = xasprintf("%s/%s", dir, de->d_name);
		fn(sub, data, depth + 1);
	}
	if (d)
		closedir(d);
}

struct pid_list {
	pid_t *v;
	size_t n, cap;
};

/* dir/cgroup.procs and those of every cgroup below it: sub-cgroups made by exec --cgroup or by the
 * container itself hold the container's processes too. */
static void read_procs_tree(const char *dir, void *data, int depth)
{
	struct pid_list *l = data;
	_cleanup_free_ char *path = xasprintf("%s/cgroup.procs", dir), *text = NULL;
	hull_err e = NULL;
	if (fs_read_file(AT_FDCWD, path, &text, NULL, &e) < 0)
		hull_err_free(&e);
	for (char *p = text, *end; p && *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			l->v = xreallocarray(l->v, cap, sizeof(pid_t));
			l->cap = cap;
		}
		l->v[l->n++] = (pid_t)v;
	}
	for_each_child(dir, depth, read_procs_tree, l);
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* The processes of cg's directories (only_made: of those hull created). */
static void pids_of(const struct hull_cgroup *cg, bool only_made, pid_t **pids, size_t *n)
{
	struct pid_list l = { 0 };
	for (size_t i = 0; i < cg->n; i++)
		if (!only_made || cg->made[i])
			read_procs_tree(cg->dirs[i], &l, 0);
	/* a process is in every hierarchy: once each */
	if (l.n)
		qsort(l.v, l.n, sizeof(pid_t), pid_cmp);
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++)
		if (k == 0 || l.v[k - 1] != l.v[i])
			l.v[k++] = l.v[i];
	*pids = l.v;
	*n = k;
}

int cgroup_pids(const struct hull_cgroup *cg, pid_t **pids, size_t *n)
{
	pids_of(cg, false, pids, n);
	return 0;
}

bool cgroup_owned(const struct hull_cgroup *cg)
{
	for (size_t i = 0; cg && i < cg->n; i++)
		if (cg->made[i])
			return true;
	return false;
}

/* Depth first: a cgroup with children cannot be removed. */
static void rmdir_below(const char *dir, void *unused, int depth)
{
	for_each_child(dir, depth, rmdir_below, unused);
	rmdir(dir);
}

static int rmdir_tree(const char *dir)
{
	for_each_child(dir, 0, rmdir_below, NULL);
	return rmdir(dir);
}

void cgroup_signal_all(const struct hull_cgroup *cg, int sig)
{
	pid_t *pids = NULL;
	size_t n = 0;
	pids_of(cg, true, &pids, &n);
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
}

/* Are the directories hull created empty? */
static bool is_empty(const struct hull_cgroup *cg)
{
	pid_t *pids = NULL;
	size_t n = 0;
	pids_of(cg, true, &pids, &n);
	free(pids);
	return n == 0;
}

int cgroup_destroy(const struct hull_cgroup *cg, hull_err *err)
{
	if (cg == NULL || cg->n == 0)
		return cg && cg->systemd_unit ? systemd_stop_scope(cg->systemd_unit, err) : 0;
	/* the common case first: a plain rmdir of each directory hull made, which the kernel refuses (EBUSY) while a
	 * process or a sub-cgroup is left in it; only then are they looked for, killed and waited for */
	bool removed = cg->systemd_unit == NULL;
	for (size_t i = 0; i < cg->n && removed; i++)
		removed = !cg->made[i] || rmdir(cg->dirs[i]) == 0 || errno == ENOENT;
	if (removed)
		return 0;
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	for (int step = 0; step < EMPTY_WAIT_STEPS && !is_empty(cg); step++) {
		cgroup_signal_all(cg, SIGKILL);
		nanosleep(&pause, NULL);
	}
	if (cg->systemd_unit) /* the scope's directory is systemd's to remove */
		return systemd_stop_scope(cg->systemd_unit, err);
	int ret = 0;
	for (size_t i = 0; i < cg->n; i++) {
		if (!cg->made[i])
			continue;
		int r;
		for (int step = 0; (r = rmdir_tree(cg->dirs[i])) < 0 && errno == EBUSY && step < EMPTY_WAIT_STEPS; step++)
			nanosleep(&pause, NULL);
		if (r < 0 && errno != ENOENT && ret == 0)
			ret = hull_fail_sys(err, "remove cgroup %s", cg->dirs[i]);
	}
	return ret;
}

json_object *cgroup_to_json(const struct hull_cgroup *cg)
{
	json_object *o = json_object_new_object();
	json_object *a = json_object_new_array(), *made = json_object_new_array();
	for (size_t i = 0; cg && i < cg->n; i++) {
		json_object_array_add(a, json_object_new_string(cg->dirs[i]));
		json_object_array_add(made, json_object_new_boolean(cg->made[i]));
	}
	json_object_object_add(o, "dirs", a);
	json_object_object_add(o, "made", made);
	if (cg && cg->systemd_unit) {
		json_object_object_add(o, "systemd_unit", json_object_new_string(cg->systemd_unit));
		json_object_object_add(o, "systemd_slice", json_object_new_string(cg->systemd_slice));
	}
	return o;
}

struct hull_cgroup *cgroup_from_json(json_object *obj)
{
	struct hull_cgroup *cg = xcalloc(1, sizeof(*cg));
	json_object *arr = NULL, *made = NULL, *v = NULL;
	if (obj && json_object_is_type(obj, json_type_object)) {
		json_object_object_get_ex(obj, "dirs", &arr);
		json_object_object_get_ex(obj, "made", &made);
		if (json_object_object_get_ex(obj, "systemd_unit", &v) && json_object_is_type(v, json_type_string))
			cg->systemd_unit = xstrdup(json_object_get_string(v));
		if (json_object_object_get_ex(obj, "systemd_slice", &v) && json_object_is_type(v, json_type_string))
			cg->systemd_slice = xstrdup(json_object_get_string(v));
	}
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = json_object_get_string(json_object_array_get_idx(arr, i));
		/* no "made" (an older hull's state file): owned by no one, left alone */
		json_object *m = made && json_object_is_type(made, json_type_array) ? json_object_array_get_idx(made, i) : NULL;
		bool owned = m && json_object_is_type(m, json_type_boolean) && json_object_get_boolean(m);
		/* only directories below the cgroup mount, whatever state.json says */
		if (d && strncmp(d, CGROUP_ROOT "/", strlen(CGROUP_ROOT) + 1) == 0 && !strstr(d, "/../"))
			push_dir_made(cg, xstrdup(d), owned);
	}
	return cg;
}

void cgroup_free(struct hull_cgroup *cg)
{
	if (cg == NULL)
		return;
	for (size_t i = 0; i < cg->n; i++)
		free(cg->dirs[i]);
	free(cg->dirs);
	free(cg->made);
	free(cg->systemd_unit);
	free(cg->systemd_slice);
	free(cg);
}
