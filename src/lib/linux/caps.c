/* caps.c - capability sets through capset(2) and prctl(2), and the name table.
 * Must never set inheritable bits beyond those in the config. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/caps.h"
#include "util/cleanup.h"

static const char *const cap_names[] = {
	"CAP_CHOWN",	      "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",	 "CAP_FSETID",
	"CAP_KILL",	      "CAP_SETGID",	    "CAP_SETUID",	   "CAP_SETPCAP",	 "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",	   "CAP_NET_RAW",	 "CAP_IPC_LOCK",
	"CAP_IPC_OWNER",      "CAP_SYS_MODULE",	    "CAP_SYS_RAWIO",	   "CAP_SYS_CHROOT",	 "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",      "CAP_SYS_ADMIN",	    "CAP_SYS_BOOT",	   "CAP_SYS_NICE",	 "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",	      "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",	   "CAP_LEASE",		 "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",  "CAP_SETFCAP",	    "CAP_MAC_OVERRIDE",	   "CAP_MAC_ADMIN",	 "CAP_SYSLOG",
	"CAP_WAKE_ALARM",     "CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",	   "CAP_PERFMON",	 "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int caps_known_count(void)
{
	return (int)ARRAY_SIZE(cap_names);
}

int caps_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (strcasecmp(cap_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *caps_name(int cap)
{
	if (cap < 0 || (size_t)cap >= ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

int caps_last_cap(void)
{
	static int last = -1;
	if (last >= 0)
		return last;
	char buf[16] = { 0 };
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			last = atoi(buf);
		close(fd);
	}
	if (last <= 0)
		last = CAP_LAST_CAP;
	return last;
}

int caps_drop_bounding(uint64_t bounding, hull_err *err)
{
	int last = caps_last_cap();
	for (int cap = 0; cap <= last; cap++) {
		if (bounding & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return hull_fail_sys(err, "drop %s from the bounding set", caps_name(cap) ?: "capability");
	}
	return 0;
}

int caps_apply(const struct hull_caps *caps, hull_err *err)
{
	uint64_t known = caps_last_cap() >= 63 ? ~0ULL : (1ULL << (caps_last_cap() + 1)) - 1;
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	uint64_t eff = caps->effective & known, prm = caps->permitted & known, inh = caps->inheritable & known;
	data[0].effective = (uint32_t)eff;
	data[1].effective = (uint32_t)(eff >> 32);
	data[0].permitted = (uint32_t)prm;
	data[1].permitted = (uint32_t)(prm >> 32);
	data[0].inheritable = (uint32_t)inh;
	data[1].inheritable = (uint32_t)(inh >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return hull_fail_sys(err, "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return hull_fail_sys(err, "clear the ambient capabilities");
	uint64_t amb = caps->ambient & known;
	for (int cap = 0; cap < 64; cap++) {
		if (!(amb & (1ULL << cap)))
			continue;
		/* The kernel refuses an ambient bit that is not both permitted and inheritable; runc skips those too. */
		if (!(prm & inh & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return hull_fail_sys(err, "raise ambient %s", caps_name(cap) ?: "capability");
	}
	return 0;
}
