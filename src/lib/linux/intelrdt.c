/* intelrdt.c - linux.intelRdt as runc 1.3 applies it: a CLOS group directory under resctrl named closID or the
 * container id, its schemata, the container's pids in its tasks, mon_groups/<id> for monitoring.
 * Must never remove a group hull did not make, nor write outside RESCTRL_ROOT.
 *
 * Finding resctrl: runc asks statfs for resctrl's magic, then /proc/self/mountinfo for a "resctrl" mount.
 * hull looks only at RESCTRL_ROOT, the mount point the kernel documentation gives, and takes a mount
 * there holding resctrl's info/ directory as resctrl. It does not insist on the filesystem type, so that
 * a test can stand a tmpfs in for it in a private mount namespace (no variable or flag of the product
 * points elsewhere); what it writes with O_CREAT and what delete empties before rmdir are the two places
 * where a real resctrl (which makes and removes a group's files itself) and such a stand-in differ. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/intelrdt.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define RDT_NOT_MOUNTED \
	"linux.intelRdt: resctrl is not mounted at " RESCTRL_ROOT " (the host lacks Intel RDT/AMD QoS or it is not mounted)"
#define RDT_MON_GROUPS "mon_groups"

static int rdt_open_root(hull_err *err)
{
	_cleanup_close_ int fd = open(RESCTRL_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statx stx;
	if (fd < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0 ||
	    !(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) || !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) ||
	    faccessat(fd, "info", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return hull_fail_code(err, ENOENT, RDT_NOT_MOUNTED);
	return take_fd(&fd);
}

/* resctrl's files exist with the group; O_CREAT only matters where they do not (see the top). */
static int rdt_write(int dirfd, const char *group, const char *file, const char *data, hull_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t len = strlen(data);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return hull_fail_sys(err, "linux.intelRdt: write %s/%s/%s", RESCTRL_ROOT, group, file);
	return 0;
}

/* The lines, each ending in a newline: one write, so the kernel takes them together. */
static char *schemata_text(const char *const *lines, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += lines[i] ? strlen(lines[i]) + 1 : 0;
	char *text = xcalloc(len, 1), *p = text;
	for (size_t i = 0; i < n; i++)
		if (lines[i])
			p += sprintf(p, "%s\n", lines[i]);
	return text;
}

static size_t config_lines(const struct hull_intel_rdt *r, const char ***out)
{
	size_t n = 2;
	for (size_t i = 0; r->schemata && r->schemata[i]; i++)
		n++;
	const char **lines = *out = xcalloc(n, sizeof(char *));
	lines[0] = r->l3_cache_schema;
	lines[1] = r->mem_bw_schema;
	for (size_t i = 2; i < n; i++)
		lines[i] = r->schemata[i - 2];
	return n;
}

/* A group that was there before is joined as it is: the config's lines must be what it has (runc 1.3
 * compares them too), hull does not rewrite someone else's group. */
static int check_joined_schemata(int groupfd, const char *group, const char *const *lines, size_t n, hull_err *err)
{
	_cleanup_free_ char *have = NULL;
	if (fs_read_file(groupfd, "schemata", &have, NULL, err) < 0)
		return hull_err_prefix(err, "linux.intelRdt: group %s", group);
	for (size_t i = 0; i < n; i++) {
		if (lines[i] == NULL)
			continue;
		bool found = false;
		size_t len = strlen(lines[i]);
		for (const char *p = have; *p && !found; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
			const char *q = p;
			while (*q == ' ')
				q++;
			found = strncmp(q, lines[i], len) == 0 && (q[len] == '\n' || q[len] == '\0');
		}
		if (!found)
			return hull_fail(err, "linux.intelRdt: the existing group %s does not have the schema \"%s\" (hull joins it as it is)",
					 group, lines[i]);
	}
	return 0;
}

static int remove_group_dir(int parentfd, const char *name)
{
	if (unlinkat(parentfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	/* only a stand-in for resctrl (see the top) keeps files in a group: resctrl removes them itself */
	if (errno != ENOTEMPTY)
		return -errno;
	return fs_rmtree(parentfd, name);
}

int rdt_join(const struct hull_intel_rdt *r, const char *id, pid_t pid, struct hull_rdt_group *out, hull_err *err)
{
	memset(out, 0, sizeof(*out));
	_cleanup_close_ int root = rdt_open_root(err);
	if (root < 0)
		return -1;
	const char *name = r->clos_id ? r->clos_id : id;
	bool owned = mkdirat(root, name, 0755) == 0;
	if (!owned && errno != EEXIST)
		return hull_fail_sys(err, "linux.intelRdt: make the group %s/%s", RESCTRL_ROOT, name);
	_cleanup_close_ int group = openat(root, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_free_ const char **lines = NULL;
	size_t n = config_lines(r, &lines);
	_cleanup_free_ char *text = schemata_text(lines, n);
	_cleanup_free_ char *mon = xasprintf(RDT_MON_GROUPS "/%s", id);
	bool made_mon = false;
	int ret = -1;
	if (group < 0) {
		hull_fail_sys(err, "linux.intelRdt: open the group %s/%s", RESCTRL_ROOT, name);
		goto out;
	}
	if (owned ? *text && rdt_write(group, name, "schemata", text, err) < 0 : check_joined_schemata(group, name, lines, n, err) < 0)
		goto out;
	if (r->enable_monitoring) {
		if (mkdirat(group, mon, 0755) < 0) {
			hull_fail_sys(err, "linux.intelRdt.enableMonitoring: make %s/%s/%s%s", RESCTRL_ROOT, name, mon,
				      errno == ENOENT ? " (the host has no RDT monitoring)" : "");
			goto out;
		}
		made_mon = true;
	}
	struct hull_rdt_group made = { .name = (char *)name, .owned = owned, .monitoring = made_mon };
	if (rdt_enter(&made, id, pid, err) < 0)
		goto out;
	out->name = xstrdup(name);
	out->owned = owned;
	out->monitoring = made_mon;
	ret = 0;
out:
	if (ret < 0 && made_mon && group >= 0)
		remove_group_dir(group, mon);
	if (ret < 0 && owned)
		remove_group_dir(root, name);
	return ret;
}

int rdt_enter(const struct hull_rdt_group *g, const char *id, pid_t pid, hull_err *err)
{
	_cleanup_close_ int root = rdt_open_root(err);
	if (root < 0)
		return -1;
	_cleanup_free_ char *pidtext = xasprintf("%d\n", pid);
	_cleanup_free_ char *mon = xasprintf("%s/" RDT_MON_GROUPS "/%s", g->name, id);
	const char *dirs[] = { g->name, g->monitoring ? mon : NULL };
	for (size_t i = 0; i < ARRAY_SIZE(dirs) && dirs[i]; i++) {
		_cleanup_close_ int fd = openat(root, dirs[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return hull_fail_sys(err, "linux.intelRdt: open %s/%s", RESCTRL_ROOT, dirs[i]);
		if (rdt_write(fd, dirs[i], "tasks", pidtext, err) < 0)
			return -1;
	}
	return 0;
}

int rdt_write_schemata(const struct hull_rdt_group *g, const char *const *lines, size_t n, hull_err *err)
{
	_cleanup_close_ int root = rdt_open_root(err);
	if (root < 0)
		return -1;
	_cleanup_close_ int group = openat(root, g->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (group < 0)
		return hull_fail_sys(err, "linux.intelRdt: open the group %s/%s", RESCTRL_ROOT, g->name);
	_cleanup_free_ char *text = schemata_text(lines, n);
	return rdt_write(group, g->name, "schemata", text, err);
}

int rdt_remove(const struct hull_rdt_group *g, const char *id, hull_err *err)
{
	if (g->name == NULL || (!g->owned && !g->monitoring))
		return 0;
	_cleanup_close_ int root = rdt_open_root(err);
	if (root < 0)
		return -1;
	int r = 0;
	if (g->monitoring) {
		_cleanup_free_ char *mon = xasprintf("%s/" RDT_MON_GROUPS "/%s", g->name, id);
		_cleanup_close_ int group = openat(root, g->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		_cleanup_close_ int mons = group < 0 ? -1 : openat(group, RDT_MON_GROUPS, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (mons >= 0 && (r = remove_group_dir(mons, id)) < 0)
			return hull_fail_errno(err, -r, "linux.intelRdt: remove %s/%s", RESCTRL_ROOT, mon);
	}
	if (g->owned && (r = remove_group_dir(root, g->name)) < 0)
		return hull_fail_errno(err, -r, "linux.intelRdt: remove %s/%s", RESCTRL_ROOT, g->name);
	return 0;
}

void rdt_group_clear(struct hull_rdt_group *g)
{
	free(g->name);
	g->name = NULL;
}
