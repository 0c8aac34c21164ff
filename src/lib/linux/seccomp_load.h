/* seccomp_load.h - installing a compiled seccomp filter in the container process, and handing the notify
 * listener to the agent at linux.seccomp.listenerPath.
 * Must never load the filter before the last step that needs what it may forbid. */
#ifndef HULL_SECCOMP_LOAD_H
#define HULL_SECCOMP_LOAD_H

#include <stdbool.h>
#include <sys/types.h>

#include "seccomp/compile.h"
#include "spec.h"

struct seccomp_install {
	const struct hull_seccomp *profile;  /* NULL: no filter */
	const struct seccomp_program *prog;
	int agent_fd;  /* connected to listenerPath (when the profile notifies), else -1 */
};

/* Before the mount namespace hides the host's paths: connect to listenerPath if the profile
 * notifies. */
int seccomp_connect_agent(struct seccomp_install *si, hull_err *err);
/* Without no_new_privs the kernel wants CAP_SYS_ADMIN for the filter: load it before dropping
 * privileges (and filter the rest of setup). With it, as late as possible: right before execve. */
bool seccomp_load_early(const struct hull_process *p);
/* Load the filter; with a notify action, send the listener fd and the container process state
 * ({"ociVersion","fds":["seccompFd"],"pid","metadata","state"}) to the agent, then close both. */
int seccomp_install(struct seccomp_install *si, const struct hull_spec *s, const char *id, pid_t host_pid,
		    const char *status, hull_err *err);

#endif
