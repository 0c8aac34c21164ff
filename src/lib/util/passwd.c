/* passwd.c - USER[:GROUP] resolved in a container's /etc/passwd and /etc/group (the one lookup of image conversion,
 * `run -u` and `exec -u`). Must never read a file outside the root it is given, nor more than ID_FILE_MAX of one. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/passwd.h"
#include "util/xalloc.h"

#define ID_FILE_MAX ((size_t)16 << 20)
#define PASSWD_FIELDS 7
#define GROUP_FIELDS 4

/* a file of the root's (/etc/passwd, /etc/group); NULL when absent or unreadable */
static char *root_file(int rootfd, const char *path)
{
	_cleanup_close_ int fd = rootfd >= 0 ? fs_open_in_root(rootfd, path, O_RDONLY | O_CLOEXEC, 0) : -1;
	char *text = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (fd < 0 || fs_read_fd_max(fd, path, ID_FILE_MAX, &text, NULL, &err) < 0)
		return NULL;
	return text;
}

static bool to_id(const char *s, unsigned *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end || errno || v > 0xfffffffeUL)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Walk the colon-separated lines of text (modified in place), each split into nf fields (missing ones ""); fn
 * returns true to stop, and each_entry then returns true. */
static bool each_entry(char *text, size_t nf, bool (*fn)(char **f, void *data), void *data)
{
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		char *f[PASSWD_FIELDS] = { 0 };
		size_t k = 0;
		for (char *p = line; p && k < nf; k++) {
			f[k] = p;
			if ((p = strchr(p, ':')))
				*p++ = '\0';
		}
		for (; k < nf; k++)
			f[k] = (char *)"";
		if (fn(f, data))
			return true;
	}
	return false;
}

struct id_query {
	const char *name; /* match field 0, or (NULL) field 2 against id */
	unsigned id;
	char *found[PASSWD_FIELDS]; /* copies of the matching entry's fields */
};

static bool match_entry(char **f, void *data)
{
	struct id_query *q = data;
	unsigned v;
	if (q->name ? strcmp(f[0], q->name) != 0 : !(to_id(f[2], &v) && v == q->id))
		return false;
	for (size_t i = 0; i < PASSWD_FIELDS && f[i]; i++)
		q->found[i] = xstrdup(f[i]);
	return true;
}

/* text (copied: the walk splits it) searched for q; its fields in q->found */
static bool find_entry(const char *text, size_t nf, struct id_query *q)
{
	_cleanup_free_ char *copy = text ? xstrdup(text) : NULL;
	return copy && each_entry(copy, nf, match_entry, q);
}

static void query_free(struct id_query *q)
{
	for (size_t i = 0; i < PASSWD_FIELDS; i++)
		free(q->found[i]);
}

struct member_query {
	const char *user;
	struct passwd_user *u;
};

static bool collect_member(char **f, void *data)
{
	struct member_query *q = data;
	unsigned g;
	if (!to_id(f[2], &g) || g == q->u->gid || q->u->n_gids >= PASSWD_GIDS_MAX)
		return false;
	for (char *save = NULL, *m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
		if (strcmp(m, q->user) == 0) {
			q->u->gids[q->u->n_gids++] = g;
			break;
		}
	return false;
}

int passwd_resolve(int rootfd, const char *spec, struct passwd_user *u, hull_err *err)
{
	*u = (struct passwd_user){ 0 };
	_cleanup_free_ char *user = xstrdup(spec ? spec : "");
	char *group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	_cleanup_free_ char *passwd = root_file(rootfd, "/etc/passwd"), *grp = root_file(rootfd, "/etc/group");
	bool numeric = *user == '\0' || to_id(user, &u->uid);
	struct id_query q = { .name = numeric ? NULL : user, .id = u->uid };
	bool found = find_entry(passwd, PASSWD_FIELDS, &q);
	if (!numeric && (!found || !to_id(q.found[2], &u->uid))) {
		query_free(&q);
		return hull_fail_code(err, ENOENT, "unable to find user %s: no matching entries in passwd file", user);
	}
	if (found)
		to_id(q.found[3], &u->gid);
	u->home = xstrdup(found && *q.found[5] ? q.found[5] : "/");
	_cleanup_free_ char *name = found ? xstrdup(q.found[0]) : NULL;
	query_free(&q);
	if (group && !to_id(group, &u->gid)) {
		struct id_query g = { .name = group };
		bool ok = find_entry(grp, GROUP_FIELDS, &g) && to_id(g.found[2], &u->gid);
		query_free(&g);
		if (!ok) {
			passwd_user_free(u);
			return hull_fail_code(err, ENOENT, "unable to find group %s: no matching entries in group file", group);
		}
	}
	/* Docker and podman add the groups that list the user only without an explicit group */
	struct member_query m = { name, u };
	if (name && grp && group == NULL)
		each_entry(grp, GROUP_FIELDS, collect_member, &m);
	return 0;
}

char *passwd_home_of(int rootfd, unsigned uid)
{
	_cleanup_free_ char *passwd = root_file(rootfd, "/etc/passwd");
	struct id_query q = { .id = uid };
	char *home = find_entry(passwd, PASSWD_FIELDS, &q) && *q.found[5] ? xstrdup(q.found[5]) : xstrdup("/");
	query_free(&q);
	return home;
}

void passwd_user_free(struct passwd_user *u)
{
	free(u->home);
	u->home = NULL;
}
