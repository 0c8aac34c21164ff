/* oom.c - OOM notification of a container's memory cgroup, for `hull events`: on cgroup v1 an eventfd that
 * memory.oom_control signals (registered through cgroup.event_control, as runc's notifyOnOOM does).
 * Must never change the cgroup's limits or processes: its one write is the v1 event registration. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cgroup/oom.h"
#include "cgroup/resources.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

int cgroup_oom_eventfd(const struct hull_cgroup *cg, hull_err *err)
{
	if (cgroup_layout() == CGROUP_LAYOUT_V2)
		return hull_fail_code(err, EOPNOTSUPP, "cgroup v2 has no memory.oom_control: read memory.events");
	const char *dir = cgroup_dir_for(cg, "memory");
	if (dir == NULL)
		return hull_fail_code(err, ENOENT, "the container has no memory cgroup");
	_cleanup_free_ char *control = xasprintf("%s/cgroup.event_control", dir);
	_cleanup_free_ char *oom = xasprintf("%s/memory.oom_control", dir);
	/* the registration lives as long as the eventfd and the oom_control fd (the kernel holds its own reference) */
	_cleanup_close_ int oomfd = open(oom, O_RDONLY | O_CLOEXEC);
	if (oomfd < 0)
		return hull_fail_sys(err, "open %s", oom);
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return hull_fail_sys(err, "eventfd");
	_cleanup_close_ int ctl = open(control, O_WRONLY | O_CLOEXEC);
	char line[32];
	int len = snprintf(line, sizeof(line), "%d %d", efd, oomfd);
	if (ctl < 0 || write(ctl, line, (size_t)len) != len) {
		int saved = errno;
		close(efd);
		return hull_fail_errno(err, saved, "register for OOM events in %s", control);
	}
	return efd;
}
