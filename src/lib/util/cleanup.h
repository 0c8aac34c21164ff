/* cleanup.h - __attribute__((cleanup)) helpers so early returns leak nothing.
 * Must stay header-only and free of policy. */
#ifndef HULL_CLEANUP_H
#define HULL_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void cleanup_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}
static inline void cleanup_strvp(char ***v)
{
	if (*v) {
		for (char **p = *v; *p; p++)
			free(*p);
		free(*v);
	}
}

#define _cleanup_free_ __attribute__((cleanup(cleanup_freep)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(cleanup_closedirp)))
#define _cleanup_strv_ __attribute__((cleanup(cleanup_strvp)))
#define _cleanup_err_ __attribute__((cleanup(hull_err_free)))

/* Hand ownership out of a cleanup variable. */
static inline int take_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}
#define take_ptr(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
