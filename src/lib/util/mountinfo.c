/* mountinfo.c - /proc/self/mountinfo read into typed entries (proc(5) format, octal escapes undone).
 * Must never trust a line's shape: a malformed line is skipped, never half-read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/mountinfo.h"
#include "util/xalloc.h"

/* mountinfo writes space, tab, newline and backslash as \ooo */
static char *unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static void mountinfo_free_one(struct mountinfo *m)
{
	free(m->root);
	free(m->mountpoint);
	free(m->fstype);
	free(m->superopts);
}

/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
static int parse_line(char *line, struct mountinfo *m)
{
	memset(m, 0, sizeof(*m));
	char *save = NULL, *f[5];
	for (int i = 0; i < 5; i++)
		if ((f[i] = strtok_r(i ? NULL : line, " \n", &save)) == NULL)
			return -1;
	char *tok;
	while ((tok = strtok_r(NULL, " \n", &save)) != NULL && strcmp(tok, "-") != 0)
		if (strncmp(tok, "shared:", 7) == 0)
			m->shared = true;
	char *fstype = tok ? strtok_r(NULL, " \n", &save) : NULL;
	char *source = fstype ? strtok_r(NULL, " \n", &save) : NULL;
	char *superopts = source ? strtok_r(NULL, " \n", &save) : NULL;
	if (superopts == NULL)
		return -1;
	m->id = strtoull(f[0], NULL, 10);
	m->parent = strtoull(f[1], NULL, 10);
	m->root = unescape(f[3]);
	m->mountpoint = unescape(f[4]);
	m->fstype = unescape(fstype);
	m->superopts = unescape(superopts);
	return 0;
}

int mountinfo_read(struct mountinfo **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return -errno;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, len = 0, alloc = 0;
	struct mountinfo *mi = NULL;
	while (getline(&line, &cap, f) > 0) {
		if (len == alloc) {
			size_t na = alloc ? alloc * 2 : 64;
			mi = xreallocarray(mi, na, sizeof(*mi));
			alloc = na;
		}
		if (parse_line(line, &mi[len]) == 0)
			len++;
	}
	*out = mi;
	*n = len;
	return 0;
}

void mountinfo_free(struct mountinfo *mi, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mountinfo_free_one(&mi[i]);
	free(mi);
}

static const struct mountinfo *find(const struct mountinfo *mi, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (mi[i].id == id)
			return &mi[i];
	return NULL;
}

bool mountinfo_is_below(const struct mountinfo *mi, size_t n, const struct mountinfo *m, uint64_t ancestor)
{
	/* at most n steps: a namespace's root is its own parent (or has one outside the list) */
	for (size_t step = 0; m && step <= n; step++) {
		if (m->id == ancestor)
			return true;
		if (m->parent == m->id)
			return false;
		m = find(mi, n, m->parent);
	}
	return false;
}

int mountinfo_of_fd(int fd, bool *shared, char **mountpoint)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
		return -errno;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return -ENOSYS;
	struct mountinfo *mi;
	size_t n;
	int r = mountinfo_read(&mi, &n);
	if (r < 0)
		return r;
	const struct mountinfo *m = find(mi, n, stx.stx_mnt_id);
	r = m == NULL ? -ENOENT : 0;
	if (m) {
		*shared = m->shared;
		*mountpoint = xstrdup(m->mountpoint);
	}
	mountinfo_free(mi, n);
	return r;
}
