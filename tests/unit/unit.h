/* unit.h - what every unit test needs: cmocka in the right include order, scratch directories, quoting.
 * Must never touch anything outside the scratch directories it creates. */
#ifndef HULL_UNIT_H
#define HULL_UNIT_H

/* cmocka.h relies on these being included first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <sys/types.h>
#include <json-c/json.h>

/* A fresh directory under $TMPDIR (or /tmp), mode 0700. Returns a malloc'd absolute path; fails the test on error. */
char *unit_tmpdir(void);
/* rm -rf that never follows a symlink nor crosses a mount point. Returns 0 or -errno. */
int unit_rmtree(const char *path);
/* JSON is easier to read in C with single quotes: return a malloc'd copy with every ' turned into ". */
char *unit_json(const char *single_quoted);
/* unit_json, parsed: the JSON value (a reference the caller puts); fails the test on a parse error. */
json_object *unit_json_object(const char *single_quoted);
/* Write `text` to dir/name (created, truncated); fails the test on error. */
void unit_write(const char *dir, const char *name, const char *text);
/* The whole content of fd from offset 0, NUL-terminated, into buf; returns the length or -1. */
ssize_t unit_read_fd(int fd, char *buf, size_t size);

#endif
