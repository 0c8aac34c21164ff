/* seccomp_load.c - the seccomp(2) side: load a BPF program with the profile's flags, and with
 * SCMP_ACT_NOTIFY pass the listener to the agent as runtime-spec's containerProcessState.
 * Must never keep the listener: after sending it, only the agent holds it. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "linux/hooks.h"
#include "linux/seccomp_load.h"
#include "util/unixsock.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

int seccomp_connect_agent(struct seccomp_install *si, hull_err *err)
{
	si->agent_fd = -1;
	if (si->profile == NULL || !si->profile->notify)
		return 0;
	/* runc's words, which engines' users search for */
	si->agent_fd = unix_connect(si->profile->listener_path,
				    "linux.seccomp.listenerPath: failed to connect with seccomp agent", err);
	return si->agent_fd < 0 ? -1 : 0;
}

bool seccomp_load_early(const struct hull_process *p)
{
	return !p->no_new_privileges;
}

static int send_to_agent(struct seccomp_install *si, int listener, const struct hull_spec *s, const char *id,
			 pid_t pid, const char *status, hull_err *err)
{
	json_object *st = hooks_state_object(s, id, status, pid);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(HULL_OCI_VERSION));
	json_object *fds = json_object_new_array();
	json_object_array_add(fds, json_object_new_string("seccompFd"));
	json_object_object_add(o, "fds", fds);
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "metadata", json_object_new_string(si->profile->listener_metadata ? si->profile->listener_metadata : ""));
	json_object_object_add(o, "state", st);
	int r = unix_send_fd(si->agent_fd, listener, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), err);
	json_object_put(o);
	if (r < 0)
		hull_err_prefix(err, "linux.seccomp.listenerPath %s", si->profile->listener_path);
	return r;
}

int seccomp_install(struct seccomp_install *si, const struct hull_spec *s, const char *id, pid_t host_pid,
		    const char *status, hull_err *err)
{
	if (si->profile == NULL)
		return 0;
	unsigned flags = si->profile->flags;
	/* with a listener, TSYNC must report a thread it cannot sync instead of returning its tid */
	if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	struct sock_fprog prog = { .len = si->prog->len, .filter = si->prog->insns };
	int r = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (r < 0)
		return hull_fail_sys(err, "linux.seccomp: load the filter");
	if (!(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		return 0;
	int ret = send_to_agent(si, r, s, id, host_pid, status, err);
	close(r);
	close(si->agent_fd);
	si->agent_fd = -1;
	return ret;
}
