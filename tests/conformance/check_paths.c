/* check_paths.c - checks of config-linux.md maskedPaths (covered by a mount, nothing readable) and readonlyPaths (read-only mount, writes fail with EROFS).
 * Must never write data anywhere: a write probe only opens for writing (then closes) or makes a directory that is removed at once if it was created. */
#include "checker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define OVERFLOW_UID 65534 /* the kernel's default /proc/sys/kernel/overflowuid */
#include <sys/statvfs.h>
#include <unistd.h>

static bool parent_device(const char *path, dev_t *dev)
{
	char parent[4096];
	struct stat st;

	snprintf(parent, sizeof parent, "%s", path);
	char *slash = strrchr(parent, '/');
	if (!slash)
		return false;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(parent, &st) != 0)
		return false;
	*dev = st.st_dev;
	return true;
}

static void check_masked_path(const char *path)
{
	struct stat st;
	dev_t parent_dev;
	char got[256];

	if (lstat(path, &st) != 0 && errno == ENOENT) {
		tap_skip("path does not exist in this kernel/rootfs", "config-linux.md#masked-paths: %s", path);
		return;
	}
	if (stat(path, &st) != 0 || !parent_device(path, &parent_dev)) {
		tap_check(false, NULL, "stat works", strerror(errno), "config-linux.md#masked-paths: %s is masked", path);
		return;
	}
	bool covered = st.st_dev != parent_dev;
	bool reads_nothing;
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *e;
		int entries = 0;
		while (dir && (e = readdir(dir)))
			entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
		if (dir)
			closedir(dir);
		reads_nothing = entries == 0;
		snprintf(got, sizeof got, "%s, %d entries", covered ? "covered" : "not covered by a mount", entries);
	} else {
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		char byte;
		ssize_t n = fd >= 0 ? read(fd, &byte, 1) : -1;
		if (fd >= 0)
			close(fd);
		reads_nothing = n <= 0;
		snprintf(got, sizeof got, "%s, %s", covered ? "covered" : "not covered by a mount",
			 n > 0 ? "data readable" : fd < 0 ? "open refused" : "empty");
	}
	tap_check(covered && reads_nothing, NULL, "covered by a mount, nothing readable", got,
		  "config-linux.md#masked-paths: %s is masked (covered, reads nothing)", path);
}

/* First regular file at most depth levels below dir (bounded walk) that its owner may write and we own, so that
 * only the mount can refuse opening it for writing (permission checks come before the read-only check). */
static bool find_file_below(const char *dir, int depth, char *out, size_t out_len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	int seen = 0;

	if (!d)
		return false;
	while (!found && (e = readdir(d)) && seen++ < 200) {
		char path[4200];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & S_IWUSR)) {
			snprintf(out, out_len, "%s", path);
			found = true;
		} else if (S_ISDIR(st.st_mode) && depth > 1) {
			found = find_file_below(path, depth - 1, out, out_len);
		}
	}
	closedir(d);
	return found;
}

static void check_readonly_path(const char *path)
{
	struct stat st;
	struct statvfs vfs;

	if (lstat(path, &st) != 0 && errno == ENOENT) {
		tap_skip("path does not exist in this kernel/rootfs", "config-linux.md#readonly-paths: %s", path);
		return;
	}
	bool rdonly = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
	tap_check(rdonly, NULL, "read-only mount", rdonly ? "read-only" : "writable mount",
		  "config-linux.md#readonly-paths: %s is on a read-only mount", path);
	char target[4200], got[4400];
	snprintf(target, sizeof target, "%s", path);
	bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	const char *how = is_dir ? "under" : "to";
	if (is_dir) {
		char probe[4200];
		snprintf(probe, sizeof probe, "%s/.hull-conformance-probe", path);
		int rc = mkdir(probe, 0700);
		int err = errno;
		if (rc == 0)
			rmdir(probe);
		/* procfs and sysfs refuse new names before looking at the mount (ENOENT): probe a file inside instead */
		bool have_file = rc != 0 && err != EROFS && find_file_below(path, 3, target, sizeof target);
		if (rc != 0 && err != EROFS && !have_file) {
			snprintf(got, sizeof got, "mkdir refused with %s and no file here we may write", strerror(err));
			tap_skip(got, "config-linux.md#readonly-paths: writing %s %s fails with EROFS", how, path);
			return;
		}
		if (!have_file) {
			snprintf(got, sizeof got, "mkdir in it: %s", rc == 0 ? "created" : strerror(err));
			tap_check(rc != 0 && err == EROFS, NULL, "EROFS", got, "config-linux.md#readonly-paths: writing %s %s fails with EROFS",
				  how, path);
			return;
		}
	}
	/* opened for writing only to see the open refused; never written to (it may be /proc/sysrq-trigger) */
	int fd = open(target, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int err = errno;
	if (fd >= 0)
		close(fd);
	/* the kernel checks permission before the mount's read-only flag: a non-root user, or root of a user
	 * namespace facing a file whose owner is not mapped into it (host root shows as the overflow uid), is
	 * refused before EROFS could be seen */
	struct stat owner;
	bool unmapped_owner = stat(target, &owner) == 0 && owner.st_uid != geteuid() && owner.st_uid == OVERFLOW_UID;
	if (fd < 0 && (err == EACCES || err == EPERM) && (geteuid() != 0 || unmapped_owner)) {
		tap_skip(unmapped_owner ? "the file's owner is not mapped into the user namespace: permission is refused before EROFS"
				       : "permission check precedes the read-only check for a non-root user",
			 "config-linux.md#readonly-paths: writing %s %s fails with EROFS", how, path);
		return;
	}
	snprintf(got, sizeof got, "open %s for writing: %s", target, fd >= 0 ? "opened" : strerror(err));
	tap_check(fd < 0 && err == EROFS, NULL, "EROFS", got, "config-linux.md#readonly-paths: writing %s %s fails with EROFS", how, path);
}

void check_masked_readonly(json_object *config)
{
	json_object *masked = cfg_get(config, "linux.maskedPaths");
	json_object *readonly = cfg_get(config, "linux.readonlyPaths");

	for (size_t i = 0; json_object_is_type(masked, json_type_array) && i < json_object_array_length(masked); i++)
		check_masked_path(json_object_get_string(json_object_array_get_idx(masked, i)));
	for (size_t i = 0; json_object_is_type(readonly, json_type_array) && i < json_object_array_length(readonly); i++)
		check_readonly_path(json_object_get_string(json_object_array_get_idx(readonly, i)));
}
