/* unit.c - scratch directories and small file helpers for the unit tests.
 * Must never use libhull: the helpers check libhull, so they cannot rely on it. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	char *path = NULL;
	assert_true(asprintf(&path, "%s/hull-unit-XXXXXX", base) > 0);
	if (mkdtemp(path) == NULL) {
		print_error("mkdtemp %s: %s\n", path, strerror(errno));
		free(path);
		fail();
	}
	return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

int unit_rmtree(const char *path)
{
	if (path == NULL)
		return 0;
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0)
		return errno == ENOENT ? 0 : -errno;
	return 0;
}

char *unit_json(const char *single_quoted)
{
	char *s = strdup(single_quoted);
	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

json_object *unit_json_object(const char *single_quoted)
{
	char *text = unit_json(single_quoted);
	json_object *o = json_tokener_parse(text);
	free(text);
	assert_non_null(o);
	return o;
}

void unit_write(const char *dir, const char *name, const char *text)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	close(dfd);
	assert_true(fd >= 0);
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	close(fd);
	assert_int_equal(w, (ssize_t)len);
}

ssize_t unit_read_fd(int fd, char *buf, size_t size)
{
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t r = pread(fd, buf + n, size - 1 - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}
