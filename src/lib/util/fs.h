/* fs.h - file helpers, and race-free path resolution inside a container's root.
 * Must never follow a path inside a rootfs without RESOLVE_IN_ROOT (or an equivalent fd walk). */
#ifndef HULL_FS_H
#define HULL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

int fs_read_file(int dirfd, const char *path, char **out, size_t *len, hull_err *err);
/* The same, refusing (EFBIG) a file of more than max bytes before it is all in memory: for input from outside. */
int fs_read_file_max(int dirfd, const char *path, size_t max, char **out, size_t *len, hull_err *err);
/* The same from an open fd (read from its offset); `what` names it in errors. */
int fs_read_fd_max(int fd, const char *what, size_t max, char **out, size_t *len, hull_err *err);
/* The most hull reads of what an engine hands it: config.json, exec --process, update -r. Far above any real
 * config, and small enough that state.json (which repeats the config's annotations) stays below what
 * state_read accepts. */
#define FS_INPUT_MAX ((size_t)16 << 20)
int fs_write_file(int dirfd, const char *path, const char *data, size_t len, hull_err *err);
/* Write through a temporary file and rename(2), so readers never see a partial file. */
int fs_write_file_atomic(int dirfd, const char *path, const char *data, size_t len, mode_t mode, hull_err *err);

/* openat2(rootfd, path, flags, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS): symlinks cannot leave rootfd.
 * Returns the fd or -errno (no error is built: callers decide whether ENOENT is fatal). */
int fs_open_in_root(int rootfd, const char *path, int flags, mode_t mode);
/* Open `path` inside rootfd as O_PATH, creating missing directories (mode 0755), and the final component
 * as a directory or (when `file` is true) an empty regular file. */
int fs_mkpath_in_root(int rootfd, const char *path, bool file, hull_err *err);
/* Make `path` (host side) and its parents. */
int fs_mkdir_p(const char *path, mode_t mode, hull_err *err);

/* Does path have a ".." component? (paths that must stay below a directory without resolving it) */
bool fs_path_has_dotdot(const char *path);
/* Is fd on a filesystem with this statfs magic? (procfs, devpts, tmpfs ...) */
bool fs_is_fstype(int fd, unsigned long magic);
/* Recursive removal of a directory tree below dirfd/name, not crossing mount points. */
int fs_rmtree(int dirfd, const char *name);
/* Copy every entry of directory srcfd into directory dstfd, keeping modes and owners (tmpcopyup). */
int fs_copy_tree(int srcfd, int dstfd, hull_err *err);

#endif
