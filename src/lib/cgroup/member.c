/* member.c - is a process in a container's cgroup: its /proc/PID/cgroup against the recorded directories.
 * Must never take a process for the container's unless the kernel places it in one of them or below. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* path is dir or below it */
static bool path_within(const char *dir, const char *path)
{
	size_t l = strlen(dir);
	return strncmp(path, dir, l) == 0 && (path[l] == '\0' || path[l] == '/');
}

/* Is one line of /proc/PID/cgroup a directory of cg or below one? */
static bool line_in(const struct hull_cgroup *cg, const struct cgroup_hierarchy *h, size_t nh,
		    const struct cgroup_line *l)
{
	_cleanup_free_ char *abs = cgroup_line_dir(h, nh, l);
	for (size_t j = 0; abs && j < cg->n; j++)
		if (path_within(cg->dirs[j], abs))
			return true;
	return false;
}

/* Does a /proc/PID/cgroup key ("cpu,cpuacct", "" for v2) hold controller on this host's layout? */
static bool key_holds(const struct cgroup_line *l, const char *controller)
{
	if (l->key_len == 0)
		return cgroup_layout() == CGROUP_LAYOUT_V2;
	size_t n = strlen(controller);
	for (const char *k = l->key, *end = l->key + l->key_len; k < end;) {
		const char *comma = memchr(k, ',', (size_t)(end - k));
		const char *stop = comma ? comma : end;
		if ((size_t)(stop - k) == n && strncmp(k, controller, n) == 0)
			return true;
		k = stop + 1;
	}
	return false;
}

/* Each line of /proc/PID/cgroup against the hierarchies until `hit` returns true; false when none did or the
 * process is gone. */
static bool proc_lines_any(pid_t pid, bool (*hit)(const struct cgroup_hierarchy *h, size_t nh,
						  const struct cgroup_line *l, void *arg), void *arg)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *text = NULL;
	hull_err e = NULL;
	struct cgroup_hierarchy *h = NULL;
	size_t nh = 0;
	if (fs_read_file(AT_FDCWD, proc, &text, NULL, &e) < 0 || cgroup_hierarchies(&h, &nh, &e) < 0) {
		hull_err_free(&e);
		return false;
	}
	bool found = false;
	const char *pos = text;
	for (struct cgroup_line l; !found && cgroup_line_next(&pos, &l);)
		found = hit(h, nh, &l, arg);
	cgroup_hierarchies_free(h, nh);
	return found;
}

struct pid_dir {
	const char *controller;
	char *dir;
};

static bool dir_of_controller(const struct cgroup_hierarchy *h, size_t nh, const struct cgroup_line *l, void *arg)
{
	struct pid_dir *q = arg;
	return key_holds(l, q->controller) && (q->dir = cgroup_line_dir(h, nh, l)) != NULL;
}

char *cgroup_pid_dir(pid_t pid, const char *controller)
{
	struct pid_dir q = { controller, NULL };
	proc_lines_any(pid, dir_of_controller, &q);
	return q.dir;
}

static bool in_cgroup(const struct cgroup_hierarchy *h, size_t nh, const struct cgroup_line *l, void *arg)
{
	return line_in(arg, h, nh, l);
}

bool cgroup_has_pid(const struct hull_cgroup *cg, pid_t pid)
{
	return proc_lines_any(pid, in_cgroup, (void *)cg);
}
