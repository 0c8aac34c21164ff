/* mount.c - an image's layers as one overlayfs: read-only (`hull image mount`), or over a container's own upper
 * directory (the engine's rootfs). Layers go in with fsconfig's "lowerdir+" one at a time (Linux 6.8), else as one
 * "lowerdir=" of names relative to the store's layers/ (mount(2)'s page of options bounds how many).
 * Must never mount anything but the store's own layer directories, nor unmount what it did not mount. */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "image/image.h"
#include "linux/idmap.h"
#include "util/cleanup.h"
#include "util/mountinfo.h"
#include "util/xalloc.h"

/* mount(2)'s options are one page */
#define MOUNT_DATA_MAX 4096
/* overlayfs refuses a lone lower layer without an upper one: an empty directory of the store's goes below it */
#define EMPTY_LAYER "empty"

static int sys_fsopen(const char *fs, unsigned flags)
{
	return (int)syscall(SYS_fsopen, fs, flags);
}
static int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}
static int sys_fsmount(int fd, unsigned flags, unsigned attrs)
{
	return (int)syscall(SYS_fsmount, fd, flags, attrs);
}
static int sys_move_mount(int from, const char *fp, int to, const char *tp, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from, fp, to, tp, flags);
}

/* the layer directories, top first, as names below layers/ */
static char **lower_names(struct store *s, const struct image *img, hull_err *err)
{
	size_t n = img->config->n_diff_ids;
	char **v = xcalloc(n + 2, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const struct digest *d = &img->config->diff_ids[n - 1 - i];
		if (!store_has_layer(s, d)) {
			cleanup_strvp(&v);
			hull_fail_code(err, ENOENT, "image %.12s: layer %s is not in the store", img->record->id.hex, digest_text(d));
			return NULL;
		}
		v[i] = xstrdup(d->hex);
	}
	return v;
}

/* A copy of the layer directory at path, idmapped through userns, attached on a new directory `at` (overlayfs takes
 * no detached layer); false when the kernel or our privilege cannot idmap (rootless: the layers' filesystem belongs to
 * the host's user namespace), with nothing left. */
static bool idmapped_layer(const char *path, int userns, const char *at)
{
	_cleanup_close_ int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	_cleanup_err_ hull_err err = NULL; /* a layer not idmapped is no error: the caller mounts them as they are */
	if (tree < 0 || idmap_apply(tree, userns, false, path, &err) < 0 || mkdir(at, 0700) < 0)
		return false;
	if (sys_move_mount(tree, "", AT_FDCWD, at, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		rmdir(at);
		return false;
	}
	return true;
}

/* The attached layers away again (the overlay holds private clones of them). */
static void idmapped_layers_gone(const char *scratch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *at = xasprintf("%s/layer%zu", scratch, i);
		umount2(at, MNT_DETACH | UMOUNT_NOFOLLOW);
		rmdir(at);
	}
}

/* The rest of mount_new_api: the upper, then the mount moved onto targetfd. */
static int mount_create(struct store *s, int fs, bool lone, const struct image_upper *up, int targetfd, hull_err *err)
{
	if (lone) {
		_cleanup_free_ char *p = xasprintf("%s/%s", s->root, EMPTY_LAYER);
		if (sys_fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", p, 0) < 0)
			return -errno;
	}
	if (up && (sys_fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", up->dir, 0) < 0 ||
		   sys_fsconfig(fs, FSCONFIG_SET_STRING, "workdir", up->work, 0) < 0))
		return hull_fail_sys(err, "overlay: upper %s, work %s", up->dir, up->work);
	/* unknown to the kernel: an overlay that syncs, as before 5.10 */
	if (up && up->volatile_)
		sys_fsconfig(fs, FSCONFIG_SET_FLAG, "volatile", NULL, 0);
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return hull_fail_sys(err, "overlay of %s's layers", s->root);
	_cleanup_close_ int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, up ? 0 : MOUNT_ATTR_RDONLY);
	if (mnt < 0 || sys_move_mount(mnt, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_fail_sys(err, "overlay of %s's layers", s->root);
	return 0;
}

static int mount_new_api(struct store *s, char **lowers, bool lone, const struct image_upper *up, int targetfd,
			 hull_err *err)
{
	_cleanup_close_ int fs = sys_fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	bool idmap = up && up->idmap_userns >= 0 && up->scratch;
	size_t attached = 0;
	int r = 0;
	for (char **l = lowers; *l && r == 0; l++) {
		_cleanup_free_ char *p = xasprintf("%s/layers/%s", s->root, *l);
		_cleanup_free_ char *at = idmap ? xasprintf("%s/layer%zu", up->scratch, attached) : NULL;
		if (idmap && idmapped_layer(p, up->idmap_userns, at))
			attached++;
		else if (idmap && l != lowers) /* all of them or none */
			r = hull_fail_sys(err, "overlay: idmap layer %s", p);
		idmap = attached > 0;
		if (r == 0 && sys_fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", idmap ? at : p, 0) < 0)
			r = -errno;
	}
	if (r == 0)
		r = mount_create(s, fs, lone, up, targetfd, err);
	idmapped_layers_gone(up ? up->scratch : NULL, attached);
	return r;
}


/* Linux before 6.8: one lowerdir= of names relative to layers/, mount(2) run from there */
static int mount_old_api(struct store *s, char **lowers, bool lone, const struct image_upper *up, int targetfd,
			 hull_err *err)
{
	_cleanup_free_ char *data = xstrdup("lowerdir=");
	for (char **l = lowers; *l; l++) {
		char *d = xasprintf("%s%s%s", data, l == lowers ? "" : ":", *l);
		free(data);
		data = d;
	}
	if (lone) {
		char *d = xasprintf("%s:../%s", data, EMPTY_LAYER);
		free(data);
		data = d;
	}
	if (up) {
		char *d = xasprintf("%s,upperdir=%s,workdir=%s", data, up->dir, up->work);
		free(data);
		data = d;
	}
	if (strlen(data) >= MOUNT_DATA_MAX)
		return hull_fail_code(err, E2BIG, "overlay: %zu layers are more than this kernel takes in one mount (Linux 6.8's "
				      "lowerdir+ takes any number)", (size_t)(strlen(data) / 65));
	_cleanup_close_ int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *layers = xasprintf("%s/layers", s->root), *target = xasprintf("/proc/self/fd/%d", targetfd);
	if (cwd < 0 || chdir(layers) < 0)
		return hull_fail_sys(err, "overlay: %s", layers);
	int r = -1;
	if (up && up->volatile_) {
		_cleanup_free_ char *v = xasprintf("%s,volatile", data);
		r = mount("overlay", target, "overlay", 0, v);
	}
	/* without volatile: a kernel before 5.10 refuses the option */
	if (r < 0)
		r = mount("overlay", target, "overlay", up ? 0 : MS_RDONLY, data);
	int e = errno;
	if (fchdir(cwd) < 0 && r == 0) {
		/* the mount is made; the working directory only mattered for its options */
	}
	if (r < 0)
		return hull_fail_errno(err, e, "overlay of %s's layers", s->root);
	return 0;
}

int image_mount(struct store *s, const struct image *img, const struct image_upper *upper, const char *target,
		hull_err *err)
{
	_cleanup_strv_ char **lowers = lower_names(s, img, err);
	if (lowers == NULL)
		return -1;
	bool lone = upper == NULL && img->config->n_diff_ids == 1;
	if (lone && mkdirat(s->dirfd, EMPTY_LAYER, 0700) < 0 && errno != EEXIST)
		return hull_fail_sys(err, "image store %s: %s", s->root, EMPTY_LAYER);
	_cleanup_close_ int targetfd = open(target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (targetfd < 0)
		return hull_fail_sys(err, "mount image %.12s on %s", img->record->id.hex, target);
	int r = mount_new_api(s, lowers, lone, upper, targetfd, err);
	if (r == -EINVAL || r == -ENOSYS) /* no lowerdir+ (or no new mount API) */
		r = mount_old_api(s, lowers, lone, upper, targetfd, err);
	else if (r < 0 && r != -1)
		r = hull_fail_errno(err, -r, "overlay of %s's layers", s->root);
	return r < 0 ? hull_err_prefix(err, "mount image %.12s on %s", img->record->id.hex, target) : 0;
}

/* an overlay whose layers are this store's: its superblock options name ROOT/layers/ (or, mounted the old way,
 * bare layer names, with the store's empty dir or not) */
static bool ours(const struct mountinfo *m, const struct store *s)
{
	if (strcmp(m->fstype, "overlay") != 0 || m->superopts == NULL)
		return false;
	_cleanup_free_ char *plus = xasprintf("lowerdir+=%s/layers/", s->root), *one = xasprintf("lowerdir=%s/layers/", s->root);
	const char *lower = strstr(m->superopts, "lowerdir=");
	return strstr(m->superopts, plus) || (lower && strncmp(lower, one, strlen(one)) == 0) ||
	       (lower && strspn(lower + strlen("lowerdir="), "0123456789abcdef") == 64);
}

int image_unmount(struct store *s, const char *target, hull_err *err)
{
	struct stat st, parent;
	_cleanup_free_ char *up = xasprintf("%s/..", target), *real = realpath(target, NULL);
	if (real == NULL || lstat(target, &st) < 0 || stat(up, &parent) < 0)
		return hull_fail_sys(err, "unmount %s", target);
	struct mountinfo *mi = NULL;
	size_t n = 0;
	int r = mountinfo_read(&mi, &n);
	if (r < 0)
		return hull_fail_errno(err, -r, "unmount %s: read mountinfo", target);
	bool found = false, mine = false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(mi[i].mountpoint, real) == 0) {
			found = true;
			mine = ours(&mi[i], s);
		}
	mountinfo_free(mi, n);
	if (!found || st.st_dev == parent.st_dev)
		return hull_fail_code(err, EINVAL, "unmount %s: no image is mounted there", target);
	if (!mine)
		return hull_fail_code(err, EPERM, "unmount %s: not an image of the store %s", target, s->root);
	if (umount2(real, UMOUNT_NOFOLLOW) < 0)
		return hull_fail_sys(err, "unmount %s", target);
	return 0;
}
