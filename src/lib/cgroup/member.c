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

/* One line of /proc/PID/cgroup ("ID:KEY:PATH", cut at the second colon): is it a directory of cg or below
 * one? The path is the cgroup's inside its hierarchy, and our mount of the hierarchy may start deeper. */
static bool line_in(const struct hull_cgroup *cg, const struct cgroup_hierarchy *h, size_t nh, const char *key,
		    const char *path)
{
	for (size_t i = 0; i < nh; i++) {
		if (strcmp(h[i].key, key) != 0)
			continue;
		const char *rel = cgroup_path_in_mount(&h[i], path);
		if (rel == NULL)
			continue;
		_cleanup_free_ char *abs = xasprintf("%s%s", h[i].mountpoint, strcmp(rel, "/") == 0 ? "" : rel);
		for (size_t j = 0; j < cg->n; j++)
			if (path_within(cg->dirs[j], abs))
				return true;
	}
	return false;
}

/* Does a /proc/PID/cgroup key ("cpu,cpuacct", "" for v2) hold controller on this host's layout? */
static bool key_holds(const char *key, const char *controller)
{
	if (*key == '\0')
		return cgroup_layout() == CGROUP_LAYOUT_V2;
	size_t l = strlen(controller);
	for (const char *k = key;; k++) {
		if (strncmp(k, controller, l) == 0 && (k[l] == ',' || k[l] == '\0'))
			return true;
		if ((k = strchr(k, ',')) == NULL)
			return false;
	}
}

char *cgroup_pid_dir(pid_t pid, const char *controller)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *text = NULL;
	hull_err e = NULL;
	struct cgroup_hierarchy *h = NULL;
	size_t nh = 0;
	if (fs_read_file(AT_FDCWD, proc, &text, NULL, &e) < 0 || cgroup_hierarchies(&h, &nh, &e) < 0) {
		hull_err_free(&e);
		return NULL;
	}
	char *dir = NULL;
	for (char *line = text, *next; line && *line && dir == NULL; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		if (!key_holds(c1 + 1, controller))
			continue;
		for (size_t i = 0; i < nh && dir == NULL; i++) {
			const char *rel = strcmp(h[i].key, c1 + 1) == 0 ? cgroup_path_in_mount(&h[i], c2 + 1) : NULL;
			if (rel)
				dir = xasprintf("%s%s", h[i].mountpoint, strcmp(rel, "/") == 0 ? "" : rel);
		}
	}
	cgroup_hierarchies_free(h, nh);
	return dir;
}

bool cgroup_has_pid(const struct hull_cgroup *cg, pid_t pid)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *text = NULL;
	hull_err e = NULL;
	if (fs_read_file(AT_FDCWD, proc, &text, NULL, &e) < 0) {
		hull_err_free(&e);
		return false;
	}
	struct cgroup_hierarchy *h = NULL;
	size_t nh = 0;
	if (cgroup_hierarchies(&h, &nh, &e) < 0) {
		hull_err_free(&e);
		return false;
	}
	bool found = false;
	for (char *line = text, *next; line && *line && !found; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		found = line_in(cg, h, nh, c1 + 1, c2 + 1);
	}
	cgroup_hierarchies_free(h, nh);
	return found;
}
