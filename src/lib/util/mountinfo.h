/* mountinfo.h - /proc/self/mountinfo read into typed entries: ids, parents, paths, propagation.
 * Must never be used to find a path inside a container's root (paths here are only for the host side). */
#ifndef HULL_MOUNTINFO_H
#define HULL_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mountinfo {
	uint64_t id, parent;
	char *root;       /* the mount's root inside its filesystem, unescaped */
	char *mountpoint; /* unescaped, as this process sees it */
	char *fstype;
	char *superopts;  /* the superblock's options ("rw,memory" for a v1 cgroup) */
	bool shared;      /* member of a peer group ("shared:N") */
};

/* Every mount of our namespace, in mountinfo's order. Returns 0 or -errno. */
int mountinfo_read(struct mountinfo **out, size_t *n);
void mountinfo_free(struct mountinfo *mi, size_t n);
/* Is m the mount `ancestor` or below it (by parent ids)? */
bool mountinfo_is_below(const struct mountinfo *mi, size_t n, const struct mountinfo *m, uint64_t ancestor);
/* The mount holding fd: whether it is shared, and where it is mounted (malloc'd). 0 or -errno. */
int mountinfo_of_fd(int fd, bool *shared, char **mountpoint);

#endif
