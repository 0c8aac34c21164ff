/* check_devices.c - checks of config-linux.md default devices, default filesystems, linux.devices and runtime-linux.md dev symbolic links.
 * Must never write to a device except /dev/null, and never open /dev/tty or a configured device (they may block or have side effects). */
#include "checker.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

struct default_device {
	const char *path;
	unsigned major, minor;
	bool read_probe; /* safe and meaningful to open and read one byte */
};

static const struct default_device default_devices[] = {
	{ "/dev/null", 1, 3, true },	{ "/dev/zero", 1, 5, true },	{ "/dev/full", 1, 7, true },
	{ "/dev/random", 1, 8, true }, { "/dev/urandom", 1, 9, true }, { "/dev/tty", 5, 0, false },
};

static void check_default_device(const struct default_device *d)
{
	struct stat st;
	char want[64], got[64];

	if (stat(d->path, &st) != 0) {
		tap_check(false, NULL, "present", strerror(errno), "config-linux.md#default-devices: %s is present", d->path);
		return;
	}
	snprintf(want, sizeof want, "char %u:%u", d->major, d->minor);
	snprintf(got, sizeof got, "%s %u:%u", S_ISCHR(st.st_mode) ? "char" : "not-char", major(st.st_rdev), minor(st.st_rdev));
	tap_expect_str(NULL, want, got, "config-linux.md#default-devices: %s is char device %u:%u", d->path, d->major, d->minor);
	snprintf(got, sizeof got, "%04o", (unsigned)(st.st_mode & 07777));
	tap_expect_str(NULL, "0666", got, "config-linux.md#default-devices: %s has mode 0666", d->path);
	if (!d->read_probe)
		return;
	int fd = open(d->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	char byte;
	ssize_t n = fd >= 0 ? read(fd, &byte, 1) : -1;
	int err = errno;
	if (fd >= 0)
		close(fd);
	/* /dev/null reads EOF, the others one byte */
	bool usable = strcmp(d->path, "/dev/null") == 0 ? n == 0 : n == 1;
	tap_check(usable, NULL, "open and read work", fd < 0 ? strerror(err) : n < 0 ? strerror(err) : "unexpected length",
		  "config-linux.md#default-devices: %s can be opened and read", d->path);
}

static void check_ptmx(void)
{
	struct stat ptmx, pts_ptmx;
	char want[64], got[64];

	if (stat("/dev/pts/ptmx", &pts_ptmx) != 0) {
		tap_check(false, NULL, "present", strerror(errno), "config-linux.md#default-devices: /dev/pts/ptmx exists");
		return;
	}
	bool ok = stat("/dev/ptmx", &ptmx) == 0;
	snprintf(want, sizeof want, "dev %llu ino %llu", (unsigned long long)pts_ptmx.st_dev, (unsigned long long)pts_ptmx.st_ino);
	snprintf(got, sizeof got, ok ? "dev %llu ino %llu" : "missing", (unsigned long long)ptmx.st_dev, (unsigned long long)ptmx.st_ino);
	tap_check(ok && ptmx.st_dev == pts_ptmx.st_dev && ptmx.st_ino == pts_ptmx.st_ino, NULL, want, got,
		  "config-linux.md#default-devices: /dev/ptmx is the container's /dev/pts/ptmx");
}

struct dev_symlink {
	const char *link;
	const char *target;
};

static const struct dev_symlink dev_symlinks[] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

static void check_dev_symlinks(void)
{
	for (size_t i = 0; i < sizeof dev_symlinks / sizeof dev_symlinks[0]; i++) {
		char target[256];
		ssize_t n = readlink(dev_symlinks[i].link, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		tap_expect_str(NULL, dev_symlinks[i].target, n > 0 ? target : strerror(errno),
			       "runtime-linux.md#dev-symbolic-links: %s is a symlink to %s", dev_symlinks[i].link, dev_symlinks[i].target);
	}
}

struct default_filesystem {
	const char *path;
	const char *type;
	long magic;
};

static const struct default_filesystem default_filesystems[] = {
	{ "/proc", "proc", 0x9fa0 },
	{ "/sys", "sysfs", 0x62656572 },
	{ "/dev/pts", "devpts", 0x1cd1 },
	{ "/dev/shm", "tmpfs", 0x01021994 },
};

static void check_default_filesystems(void)
{
	for (size_t i = 0; i < sizeof default_filesystems / sizeof default_filesystems[0]; i++) {
		const struct default_filesystem *fs = &default_filesystems[i];
		struct statfs sfs;
		char want[32], got[32];
		snprintf(want, sizeof want, "0x%lx", fs->magic);
		if (statfs(fs->path, &sfs) != 0)
			snprintf(got, sizeof got, "%s", strerror(errno));
		else
			snprintf(got, sizeof got, "0x%lx", (long)sfs.f_type);
		tap_expect_str(NULL, want, got, "config-linux.md#default-filesystems: %s is %s", fs->path, fs->type);
	}
}

struct device_type {
	const char *name;
	mode_t format;
};

static const struct device_type device_types[] = { { "c", S_IFCHR }, { "u", S_IFCHR }, { "b", S_IFBLK }, { "p", S_IFIFO } };

static void check_configured_device(json_object *entry)
{
	const char *path = cfg_str(entry, "path");
	const char *type = cfg_str(entry, "type");
	const struct device_type *kind = NULL;
	long long major_want = 0, minor_want = 0, mode_want, uid_want, gid_want;
	struct stat st;
	char want[64], got[64];

	if (!path || !type)
		return;
	for (size_t i = 0; i < sizeof device_types / sizeof device_types[0]; i++)
		if (strcmp(device_types[i].name, type) == 0)
			kind = &device_types[i];
	if (!kind) {
		tap_check(false, NULL, "c, u, b or p", type, "config-linux.md#devices: %s type is valid", path);
		return;
	}
	if (stat(path, &st) != 0) {
		tap_check(false, NULL, "present", strerror(errno), "config-linux.md#devices: %s is present", path);
		return;
	}
	cfg_int(entry, "major", &major_want);
	cfg_int(entry, "minor", &minor_want);
	if (kind->format == S_IFIFO) {
		tap_check(S_ISFIFO(st.st_mode), NULL, "a fifo", "another file type", "config-linux.md#devices: %s is a fifo", path);
	} else {
		snprintf(want, sizeof want, "%s %lld:%lld", type, major_want, minor_want);
		snprintf(got, sizeof got, "%s %u:%u", (st.st_mode & S_IFMT) == kind->format ? type : "other", major(st.st_rdev),
			 minor(st.st_rdev));
		tap_expect_str(NULL, want, got, "config-linux.md#devices: %s is %s device %lld:%lld", path, type, major_want, minor_want);
	}
	if (cfg_int(entry, "fileMode", &mode_want)) {
		snprintf(want, sizeof want, "%04llo", mode_want & 07777);
		snprintf(got, sizeof got, "%04o", (unsigned)(st.st_mode & 07777));
		tap_expect_str(NULL, want, got, "config-linux.md#devices: %s has mode %s", path, want);
	}
	if (cfg_int(entry, "uid", &uid_want))
		tap_expect_int(NULL, uid_want, st.st_uid, "config-linux.md#devices: %s is owned by uid %lld", path, uid_want);
	if (cfg_int(entry, "gid", &gid_want))
		tap_expect_int(NULL, gid_want, st.st_gid, "config-linux.md#devices: %s is owned by gid %lld", path, gid_want);
}

void check_devices(json_object *config)
{
	json_object *devices = cfg_get(config, "linux.devices");

	for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0]; i++)
		check_default_device(&default_devices[i]);
	check_ptmx();
	check_dev_symlinks();
	check_default_filesystems();
	for (size_t i = 0; json_object_is_type(devices, json_type_array) && i < json_object_array_length(devices); i++)
		check_configured_device(json_object_array_get_idx(devices, i));
}
