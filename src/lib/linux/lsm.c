/* lsm.c - exec labels for AppArmor and SELinux, written through a procfs fd checked with fstatfs.
 * Must never silently drop a label the config asks for: no LSM on the host is an error. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "util/cleanup.h"
#include "util/fs.h"

static bool apparmor_enabled(void)
{
	char c = 0;
	int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool on = read(fd, &c, 1) == 1 && c == 'Y';
	close(fd);
	return on && access("/sys/kernel/security/apparmor", F_OK) == 0;
}

static bool selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int lsm_prepare(const struct hull_process *p, int *attr_fd, hull_err *err)
{
	*attr_fd = -1;
	bool aa = p->apparmor_profile && *p->apparmor_profile;
	bool se = p->selinux_label && *p->selinux_label;
	if (!aa && !se)
		return 0;
	if (aa && !apparmor_enabled())
		return hull_fail(err, "process.apparmorProfile \"%s\": AppArmor is not enabled on this host", p->apparmor_profile);
	if (se && !selinux_enabled())
		return hull_fail(err, "process.selinuxLabel \"%s\": SELinux is not enabled on this host", p->selinux_label);
	int fd = open("/proc/self/attr", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_fail_sys(err, "open /proc/self/attr");
	if (!fs_is_fstype(fd, PROC_SUPER_MAGIC)) {
		close(fd);
		return hull_fail(err, "/proc/self/attr is not on procfs");
	}
	*attr_fd = fd;
	return 0;
}

static int write_attr(int attr_fd, const char *name, const char *value, hull_err *err)
{
	_cleanup_close_ int fd = openat(attr_fd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return hull_fail_sys(err, "open /proc/self/attr/%s", name);
	if (!fs_is_fstype(fd, PROC_SUPER_MAGIC))
		return hull_fail(err, "/proc/self/attr/%s is not on procfs", name);
	size_t len = strlen(value);
	if (write(fd, value, len) != (ssize_t)len)
		return hull_fail_sys(err, "write /proc/self/attr/%s", name);
	return 0;
}

int lsm_apply_exec_label(const struct hull_process *p, int attr_fd, hull_err *err)
{
	if (attr_fd < 0)
		return 0;
	if (p->apparmor_profile && *p->apparmor_profile) {
		char buf[4096];
		/* a cut name would be another profile: refused, never applied */
		if ((size_t)snprintf(buf, sizeof(buf), "exec %s", p->apparmor_profile) >= sizeof(buf))
			return hull_fail_errno(err, ENAMETOOLONG, "process.apparmorProfile: %.40s...", p->apparmor_profile);
		/* newer kernels keep AppArmor's attributes in their own directory */
		const char *name = faccessat(attr_fd, "apparmor/exec", F_OK, 0) == 0 ? "apparmor/exec" : "exec";
		if (write_attr(attr_fd, name, buf, err) < 0)
			return hull_err_prefix(err, "process.apparmorProfile");
	}
	if (p->selinux_label && *p->selinux_label && write_attr(attr_fd, "exec", p->selinux_label, err) < 0)
		return hull_err_prefix(err, "process.selinuxLabel");
	return 0;
}

int lsm_check_mount_label(const char *label, hull_err *err)
{
	if (label == NULL || *label == 0)
		return 0;
	if (!selinux_enabled())
		return hull_fail(err, "linux.mountLabel \"%s\": SELinux is not enabled on this host", label);
	/* never drop a label silently: the context= mount option is not passed yet */
	return hull_fail(err, "linux.mountLabel \"%s\": not supported by hull yet", label);
}
