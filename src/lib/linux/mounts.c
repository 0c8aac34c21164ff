/* mounts.c - option tables, and mounts made with fsopen/fsmount/open_tree/move_mount onto fds.
 * Must never pass a container path to mount(2): every target is an fd from fs_*_in_root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/idmap.h"
#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "linux/sync.h"
#include "util/xalloc.h"

enum opt_kind { OPT_ATTR, OPT_REC_ATTR, OPT_ATIME, OPT_REC_ATIME, OPT_PROPAGATION, OPT_BIND, OPT_RBIND, OPT_TMPCOPYUP,
		OPT_IGNORE };

static const struct {
	const char *name;
	enum opt_kind kind;
	bool clear;     /* the option clears the attribute instead of setting it */
	uint64_t value; /* MOUNT_ATTR_* or MS_* propagation */
} option_table[] = {
	{ "ro", OPT_ATTR, false, MOUNT_ATTR_RDONLY },
	{ "rw", OPT_ATTR, true, MOUNT_ATTR_RDONLY },
	{ "nosuid", OPT_ATTR, false, MOUNT_ATTR_NOSUID },
	{ "suid", OPT_ATTR, true, MOUNT_ATTR_NOSUID },
	{ "nodev", OPT_ATTR, false, MOUNT_ATTR_NODEV },
	{ "dev", OPT_ATTR, true, MOUNT_ATTR_NODEV },
	{ "noexec", OPT_ATTR, false, MOUNT_ATTR_NOEXEC },
	{ "exec", OPT_ATTR, true, MOUNT_ATTR_NOEXEC },
	{ "nodiratime", OPT_ATTR, false, MOUNT_ATTR_NODIRATIME },
	{ "diratime", OPT_ATTR, true, MOUNT_ATTR_NODIRATIME },
	{ "nosymfollow", OPT_ATTR, false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "symfollow", OPT_ATTR, true, MOUNT_ATTR_NOSYMFOLLOW },
	{ "noatime", OPT_ATIME, false, MOUNT_ATTR_NOATIME },
	{ "atime", OPT_ATIME, true, MOUNT_ATTR_NOATIME },
	{ "relatime", OPT_ATIME, false, MOUNT_ATTR_RELATIME },
	{ "norelatime", OPT_ATIME, true, MOUNT_ATTR_RELATIME },
	{ "strictatime", OPT_ATIME, false, MOUNT_ATTR_STRICTATIME },
	{ "nostrictatime", OPT_ATIME, true, MOUNT_ATTR_STRICTATIME },
	{ "rro", OPT_REC_ATTR, false, MOUNT_ATTR_RDONLY },
	{ "rrw", OPT_REC_ATTR, true, MOUNT_ATTR_RDONLY },
	{ "rnosuid", OPT_REC_ATTR, false, MOUNT_ATTR_NOSUID },
	{ "rsuid", OPT_REC_ATTR, true, MOUNT_ATTR_NOSUID },
	{ "rnodev", OPT_REC_ATTR, false, MOUNT_ATTR_NODEV },
	{ "rdev", OPT_REC_ATTR, true, MOUNT_ATTR_NODEV },
	{ "rnoexec", OPT_REC_ATTR, false, MOUNT_ATTR_NOEXEC },
	{ "rexec", OPT_REC_ATTR, true, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", OPT_REC_ATTR, false, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", OPT_REC_ATTR, true, MOUNT_ATTR_NODIRATIME },
	{ "rnosymfollow", OPT_REC_ATTR, false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", OPT_REC_ATTR, true, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rnoatime", OPT_REC_ATIME, false, MOUNT_ATTR_NOATIME },
	{ "ratime", OPT_REC_ATIME, true, MOUNT_ATTR_NOATIME },
	{ "rrelatime", OPT_REC_ATIME, false, MOUNT_ATTR_RELATIME },
	{ "rnorelatime", OPT_REC_ATIME, true, MOUNT_ATTR_RELATIME },
	{ "rstrictatime", OPT_REC_ATIME, false, MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", OPT_REC_ATIME, true, MOUNT_ATTR_STRICTATIME },
	{ "private", OPT_PROPAGATION, false, MS_PRIVATE },
	{ "rprivate", OPT_PROPAGATION, false, MS_PRIVATE | MS_REC },
	{ "shared", OPT_PROPAGATION, false, MS_SHARED },
	{ "rshared", OPT_PROPAGATION, false, MS_SHARED | MS_REC },
	{ "slave", OPT_PROPAGATION, false, MS_SLAVE },
	{ "rslave", OPT_PROPAGATION, false, MS_SLAVE | MS_REC },
	{ "unbindable", OPT_PROPAGATION, false, MS_UNBINDABLE },
	{ "runbindable", OPT_PROPAGATION, false, MS_UNBINDABLE | MS_REC },
	{ "bind", OPT_BIND, false, 0 },
	{ "rbind", OPT_RBIND, false, 0 },
	{ "tmpcopyup", OPT_TMPCOPYUP, false, 0 },
	{ "idmap", OPT_IGNORE, false, 0 },   /* read by spec.c into hull_mount.idmap */
	{ "ridmap", OPT_IGNORE, false, 0 },
	{ "defaults", OPT_IGNORE, false, 0 },
	{ "remount", OPT_IGNORE, false, 0 },
	{ "async", OPT_IGNORE, false, 0 },
	{ "loud", OPT_IGNORE, false, 0 },
};

/* Passed through to the filesystem as superblock flags (fsconfig understands these names). */
static const char *const sb_flag_options[] = { "sync", "dirsync", "mand", "lazytime", "silent" };

const char *const mount_known_options[] = {
	"ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "nodiratime", "diratime", "nosymfollow",
	"symfollow", "noatime", "atime", "relatime", "norelatime", "strictatime", "nostrictatime", "rro", "rrw",
	"rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnodiratime", "rdiratime", "rnosymfollow",
	"rsymfollow", "rnoatime", "ratime", "rrelatime", "rnorelatime", "rstrictatime", "rnostrictatime", "private",
	"rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable", "bind", "rbind", "tmpcopyup",
	"idmap", "ridmap", "defaults", "remount", "async", "sync", "dirsync", "mand", "lazytime", "loud", "silent", NULL,
};

static void push_data(struct mount_opts *o, const char *s)
{
	char **nd = xrealloc(o->data, (o->n_data + 2) * sizeof(char *));
	o->data = nd;
	o->data[o->n_data++] = xstrdup(s);
	o->data[o->n_data] = NULL;
}

int mount_opts_parse(char *const *options, size_t n, struct mount_opts *o, hull_err *err)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		const char *opt = options[i];
		bool found = false;
		for (size_t k = 0; k < ARRAY_SIZE(option_table) && !found; k++) {
			if (strcmp(option_table[k].name, opt) != 0)
				continue;
			found = true;
			uint64_t v = option_table[k].value;
			bool clr = option_table[k].clear;
			switch (option_table[k].kind) {
			case OPT_ATTR:
				o->attr_set = clr ? o->attr_set & ~v : o->attr_set | v;
				o->attr_clr = clr ? o->attr_clr | v : o->attr_clr & ~v;
				if (v == MOUNT_ATTR_RDONLY)
					o->sb_ro = !clr;
				break;
			case OPT_REC_ATTR:
				o->rec_attr_set = clr ? o->rec_attr_set & ~v : o->rec_attr_set | v;
				o->rec_attr_clr = clr ? o->rec_attr_clr | v : o->rec_attr_clr & ~v;
				break;
			case OPT_ATIME: /* an atime mode replaces the previous one */
				o->attr_clr |= MOUNT_ATTR__ATIME;
				o->attr_set = (o->attr_set & ~MOUNT_ATTR__ATIME) | (clr ? MOUNT_ATTR_RELATIME : v);
				break;
			case OPT_REC_ATIME:
				o->rec_attr_clr |= MOUNT_ATTR__ATIME;
				o->rec_attr_set = (o->rec_attr_set & ~MOUNT_ATTR__ATIME) | (clr ? MOUNT_ATTR_RELATIME : v);
				break;
			case OPT_PROPAGATION:
				o->propagation = (unsigned long)v;
				break;
			case OPT_BIND:
				o->bind = true;
				break;
			case OPT_RBIND:
				o->bind = o->rbind = true;
				break;
			case OPT_TMPCOPYUP:
				o->tmpcopyup = true;
				break;
			case OPT_IGNORE:
				break;
			}
		}
		if (found)
			continue;
		if (strncasecmp(opt, "x-", 2) == 0)
			continue; /* userspace-only options (x-systemd...), never for the kernel */
		if (*opt == '\0')
			continue;
		push_data(o, opt);
	}
	(void)sb_flag_options;
	(void)err; /* no option fails today; the callers keep the contract */
	return 0;
}

void mount_opts_free(struct mount_opts *o)
{
	for (size_t i = 0; i < o->n_data; i++)
		free(o->data[i]);
	free(o->data);
	o->data = NULL;
	o->n_data = 0;
}

/* fsconfig errors land in the fs context as "e message" lines; fetch the first for the user. */
static void fs_context_message(int fsfd, char *buf, size_t size)
{
	buf[0] = '\0';
	ssize_t r = read(fsfd, buf, size - 1);
	if (r <= 2) {
		buf[0] = '\0';
		return;
	}
	buf[r] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	memmove(buf, buf + 2, strlen(buf + 2) + 1);
}

static int set_attrs(int mfd, uint64_t set, uint64_t clr, bool recursive)
{
	if (set == 0 && clr == 0)
		return 0;
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr };
	/* Only one atime mode may be set, and clearing it needs the whole mask. */
	if (set & MOUNT_ATTR__ATIME)
		attr.attr_clr |= MOUNT_ATTR__ATIME;
	return mount_setattr(mfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr));
}

static int set_propagation(int mfd, unsigned long propagation)
{
	if (propagation == 0)
		return 0;
	struct mount_attr attr = { .propagation = propagation & ~(unsigned long)MS_REC };
	return mount_setattr(mfd, "", AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0), &attr, sizeof(attr));
}

int mount_bind_fd(int srcfd, int targetfd, uint64_t attr_set, bool recursive, const char *what, hull_err *err)
{
	_cleanup_close_ int tree = open_tree(srcfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
							     (recursive ? AT_RECURSIVE : 0));
	if (tree < 0)
		return hull_fail_sys(err, "bind %s", what);
	if (set_attrs(tree, attr_set, 0, recursive) < 0)
		return hull_fail_sys(err, "set attributes of %s", what);
	if (move_mount(tree, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_fail_sys(err, "mount %s", what);
	return 0;
}

/* A new filesystem of `type`, detached. Returns its mount fd. */
static int mount_fs_create(const char *type, const char *source, char *const *data, bool sb_ro, uint64_t attrs,
			   const char *what, hull_err *err)
{
	_cleanup_close_ int fsfd = fsopen(type, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return hull_fail_sys(err, "mount %s: filesystem type %s", what, type);
	char msg[256];
	if (source && *source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		fs_context_message(fsfd, msg, sizeof(msg));
		return hull_fail_sys(err, "mount %s: source %s%s%s", what, source, *msg ? ": " : "", msg);
	}
	for (size_t i = 0; data && data[i]; i++) {
		_cleanup_free_ char *key = xstrdup(data[i]);
		char *eq = strchr(key, '=');
		int r;
		if (eq) {
			*eq = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
		} else {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, key, NULL, 0);
		}
		if (r < 0) {
			fs_context_message(fsfd, msg, sizeof(msg));
			return hull_fail_sys(err, "mount %s: option \"%s\"%s%s", what, data[i], *msg ? ": " : "", msg);
		}
	}
	if (sb_ro && fsconfig(fsfd, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		return hull_fail_sys(err, "mount %s: option \"ro\"", what);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		fs_context_message(fsfd, msg, sizeof(msg));
		return hull_fail_sys(err, "mount %s%s%s", what, *msg ? ": " : "", msg);
	}
	/* fsmount takes one atime mode, never the mask. */
	int mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)attrs);
	if (mfd < 0)
		return hull_fail_sys(err, "mount %s", what);
	return mfd;
}

/* Attach the detached mount mfd onto targetfd; closes mfd on failure. */
static int attach(int mfd, int targetfd, const char *what, hull_err *err)
{
	if (move_mount(mfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		int saved = errno;
		close(mfd);
		return hull_fail_errno(err, saved, "mount %s", what);
	}
	return mfd;
}

int mount_new_fs(const char *type, const char *source, char *const *data, bool sb_ro, uint64_t attrs, int targetfd,
		 const char *what, hull_err *err)
{
	int mfd = mount_fs_create(type, source, data, sb_ro, attrs, what, err);
	return mfd < 0 ? -1 : attach(mfd, targetfd, what, err);
}

/* A bind's tree, detached, with the mount's attributes. srcfd (or -1): the source as hull's credentials
 * found it in the init's mount namespace, the host's locks on it (read-only, nosuid ...) kept, as the
 * mount namespace's copy has them. */
static int bind_tree(const char *what, const char *source, int srcfd, const struct mount_opts *o, hull_err *err)
{
	_cleanup_close_ int tree = open_tree(srcfd >= 0 ? srcfd : AT_FDCWD, srcfd >= 0 ? "" : source,
					     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (srcfd >= 0 ? AT_EMPTY_PATH : 0) |
						     (o->rbind ? AT_RECURSIVE : 0));
	if (tree < 0)
		return hull_fail_sys(err, "bind %s", what);
	if (set_attrs(tree, o->attr_set, o->attr_clr, false) < 0)
		return hull_fail_sys(err, "set attributes of %s", what);
	if (set_attrs(tree, o->rec_attr_set, o->rec_attr_clr, true) < 0)
		return hull_fail_sys(err, "set recursive attributes of %s", what);
	return take_fd(&tree);
}

/* ready: srcfd is a whole detached tree (an idmapped mount hull made), to be attached as it is */
static int mount_bind(int rootfd, const char *what, const char *source, int srcfd, bool ready,
		      const struct mount_opts *o, int *mfd_out, const char *dest, hull_err *err)
{
	_cleanup_close_ int tree = ready ? fcntl(srcfd, F_DUPFD_CLOEXEC, 3) : bind_tree(what, source, srcfd, o, err);
	if (tree < 0)
		return ready ? hull_fail_sys(err, "bind %s", what) : -1;
	struct stat st;
	if (fstat(tree, &st) < 0)
		return hull_fail_sys(err, "bind %s", what);
	_cleanup_close_ int target = fs_mkpath_in_root(rootfd, dest, !S_ISDIR(st.st_mode), err);
	if (target < 0)
		return hull_err_prefix(err, "mount %s", what);
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_fail_sys(err, "mount %s", what);
	*mfd_out = take_fd(&tree);
	return 0;
}

/* A bind's source: absolute, or relative to the bundle. NULL (and *err) when there is none. */
static char *bind_source(const struct hull_spec *s, const struct hull_mount *m, hull_err *err)
{
	if (m->source == NULL || *m->source == '\0') {
		hull_fail(err, "mount %s: a bind mount needs a source", m->destination);
		return NULL;
	}
	if (m->source[0] == '/')
		return xstrdup(m->source);
	return xasprintf("%s/%s", s->bundle, m->source);
}

static bool wants_bind(const struct hull_mount *m, const struct mount_opts *o)
{
	return o->bind || (m->type && strcmp(m->type, "bind") == 0);
}

/* Which mounts are binds; -1 on a bad option (reported again, with its context, by mount_apply). */
static int is_bind(const struct hull_mount *m, hull_err *err)
{
	struct mount_opts o;
	if (mount_opts_parse(m->options, m->n_options, &o, err) < 0)
		return -1;
	bool bind = wants_bind(m, &o);
	mount_opts_free(&o);
	return bind;
}

bool mount_is_bind(const struct hull_mount *m)
{
	hull_err err = NULL;
	int bind = is_bind(m, &err);
	hull_err_free(&err);
	return bind > 0;
}

/* What hull prepares for mount m before SYNC_GO: nothing; its source, opened with hull's credentials (a
 * bind, as runc's mount source fds: only a new user namespace may lose the host's view of a source); or
 * the whole mount, detached and idmapped (only hull's credentials may idmap a host filesystem). */
enum host_source { HOST_NONE, HOST_PATH, HOST_TREE };

static int host_source(const struct hull_spec *s, const struct hull_mount *m, hull_err *err)
{
	if (m->idmap != MOUNT_IDMAP_NONE)
		return HOST_TREE;
	if (!s->ns[NS_USER].enabled || !s->ns[NS_MNT].enabled || s->ns[NS_MNT].path)
		return HOST_NONE;
	int bind = is_bind(m, err);
	if (bind < 0)
		return hull_err_prefix(err, "mount %s", m->destination);
	return bind ? HOST_PATH : HOST_NONE;
}

bool mounts_need_host_sources(const struct hull_spec *s)
{
	if (s->ns[NS_USER].enabled && s->ns[NS_MNT].enabled && s->ns[NS_MNT].path == NULL)
		return true;
	for (size_t i = 0; i < s->n_mounts; i++)
		if (s->mounts[i].idmap != MOUNT_IDMAP_NONE)
			return true;
	return false;
}

/* m's bind source, resolved beneath root without magic links. */
static int open_bind_source(int root, const struct hull_spec *s, const struct hull_mount *m, hull_err *err)
{
	_cleanup_free_ char *source = bind_source(s, m, err);
	if (source == NULL)
		return -1;
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, root, source, &how, sizeof(how));
	if (fd < 0)
		return hull_fail_sys(err, "mount %s: bind source %s", m->destination, source);
	return fd;
}

int mount_idmapped_tree(const struct hull_spec *s, const struct hull_mount *m, int userns_fd, hull_err *err)
{
	struct mount_opts o;
	if (mount_opts_parse(m->options, m->n_options, &o, err) < 0)
		return hull_err_prefix(err, "mount %s", m->destination);
	const char *type = m->type && *m->type ? m->type : NULL;
	_cleanup_free_ char *what = xasprintf("%s on %s%s", m->source && *m->source ? m->source : (type ? type : "none"),
					      s->root_path, m->destination);
	int tree = -1;
	if (wants_bind(m, &o)) {
		_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		_cleanup_close_ int src = root < 0 ? -1 : open_bind_source(root, s, m, err);
		if (root < 0)
			hull_fail_sys(err, "open /");
		else if (src >= 0)
			tree = bind_tree(what, NULL, src, &o, err);
	} else if (type == NULL) {
		hull_fail(err, "mount %s: type is required unless the mount is a bind mount", m->destination);
	} else if (strcmp(type, "cgroup") == 0 || strcmp(type, "cgroup2") == 0) {
		hull_fail(err, "mount %s: a %s mount cannot be idmapped", what, type);
	} else {
		tree = mount_fs_create(type, m->source, o.data, o.sb_ro, o.attr_set & ~(uint64_t)MOUNT_ATTR_RDONLY, what, err);
	}
	mount_opts_free(&o);
	if (tree >= 0 && idmap_apply(tree, userns_fd, m->idmap == MOUNT_IDMAP_RECURSIVE, what, err) < 0) {
		close(tree);
		return -1;
	}
	return tree;
}

int mounts_send_sources(pid_t init, const struct hull_spec *s, int sync_fd, hull_err *err)
{
	if (!mounts_need_host_sources(s))
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root", init);
	/* the init's root is still the host's /, but in its mount namespace: the sources are resolved
	 * there, beneath it (an absolute symlink must not lead back into ours) */
	_cleanup_close_ int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return hull_fail_sys(err, "open %s", path);
	bool trees = false;
	for (size_t i = 0; i < s->n_mounts; i++) {
		int kind = host_source(s, &s->mounts[i], err);
		if (kind < 0)
			return -1;
		trees |= kind == HOST_TREE;
		if (kind != HOST_PATH)
			continue;
		_cleanup_close_ int fd = open_bind_source(root, s, &s->mounts[i], err);
		if (fd < 0 || sync_send_fd(sync_fd, SYNC_MOUNT_FD, (int32_t)i, fd, err) < 0)
			return -1;
	}
	return trees ? idmap_send_trees(init, s, sync_fd, err) : 0;
}

int mounts_receive_sources(const struct hull_spec *s, int sync_fd, int **fds_out, hull_err *err)
{
	*fds_out = NULL;
	if (!mounts_need_host_sources(s) || s->n_mounts == 0)
		return 0;
	int *fds = xmalloc(s->n_mounts * sizeof(int));
	size_t want = 0;
	for (size_t i = 0; i < s->n_mounts; i++) {
		fds[i] = -1;
		int kind = host_source(s, &s->mounts[i], err);
		if (kind < 0) {
			free(fds);
			return -1;
		}
		want += kind != HOST_NONE;
	}
	for (size_t k = 0; k < want; k++) {
		int32_t idx = -1;
		int fd = -1;
		if (sync_expect_fd(sync_fd, SYNC_MOUNT_FD, &idx, &fd, err) < 0)
			goto fail;
		if (idx < 0 || (size_t)idx >= s->n_mounts || fds[idx] >= 0) {
			close(fd);
			hull_fail(err, "protocol error: mount source for mount %d", idx);
			goto fail;
		}
		fds[idx] = fd;
	}
	*fds_out = fds;
	return 0;
fail:
	mounts_close_sources(fds, s->n_mounts);
	return -1;
}

void mounts_close_sources(int *fds, size_t n)
{
	for (size_t i = 0; fds && i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

bool mount_is_dev(const struct hull_mount *m)
{
	const char *d = m->destination;
	while (*d == '/')
		d++;
	if (strncmp(d, "dev", 3) != 0)
		return false;
	for (d += 3; *d == '/'; d++)
		;
	return *d == '\0';
}

int mount_apply(int rootfd, const struct hull_spec *s, const struct hull_mount *m, int srcfd, hull_err *err)
{
	const char *rootfs = s->root_path;
	bool own_cgroupns = s->ns[NS_CGROUP].enabled;
	struct mount_opts o;
	if (mount_opts_parse(m->options, m->n_options, &o, err) < 0)
		return hull_err_prefix(err, "mount %s", m->destination);
	/* as runc: devices, /dev/pts and the symlinks are still to be made in /dev; rootfs_finalize
	 * makes it read-only */
	if (mount_is_dev(m)) {
		o.sb_ro = false;
		o.attr_set &= ~(uint64_t)MOUNT_ATTR_RDONLY;
	}
	const char *type = m->type && *m->type ? m->type : NULL;
	if (wants_bind(m, &o))
		o.bind = true;
	_cleanup_free_ char *what = xasprintf("%s on %s%s", m->source && *m->source ? m->source : (type ? type : "none"),
					      rootfs, m->destination);
	_cleanup_close_ int mfd = -1;
	int ret = -1;

	/* an idmapped mount comes whole from hull (mount_idmapped_tree): only attached here */
	bool ready = m->idmap != MOUNT_IDMAP_NONE && srcfd >= 0;
	if (o.bind) {
		_cleanup_free_ char *source = bind_source(s, m, err);
		if (source == NULL || mount_bind(rootfd, what, source, srcfd, ready, &o, &mfd, m->destination, err) < 0)
			goto out;
	} else if (type == NULL) {
		hull_fail(err, "mount %s: type is required unless the mount is a bind mount", m->destination);
		goto out;
	} else if (strcmp(type, "cgroup") == 0 || strcmp(type, "cgroup2") == 0) {
		_cleanup_close_ int target = fs_mkpath_in_root(rootfd, m->destination, false, err);
		if (target < 0 || cgroup_mount_in_container(target, type, o.attr_set, own_cgroupns, what, err) < 0)
			goto out;
		ret = 0;
		goto out;
	} else {
		/* as runc: proc and sysfs go on an ordinary directory, never through an image's symlink */
		if (strcmp(type, "proc") == 0 || strcmp(type, "sysfs") == 0) {
			struct stat st;
			_cleanup_close_ int probe = fs_open_in_root(rootfd, m->destination, O_PATH | O_NOFOLLOW, 0);
			if (probe >= 0 && fstat(probe, &st) == 0 && !S_ISDIR(st.st_mode)) {
				hull_fail(err, "mount %s: filesystem \"%s\" must be mounted on an ordinary directory", what, type);
				goto out;
			}
		}
		_cleanup_close_ int target = fs_mkpath_in_root(rootfd, m->destination, false, err);
		if (target < 0) {
			hull_err_prefix(err, "mount %s", what);
			goto out;
		}
		_cleanup_close_ int below = -1;
		if (o.tmpcopyup) {
			below = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (below < 0) {
				hull_fail_sys(err, "tmpcopyup %s", what);
				goto out;
			}
		}
		if (ready) {
			int dup = fcntl(srcfd, F_DUPFD_CLOEXEC, 3);
			mfd = dup < 0 ? hull_fail_sys(err, "mount %s", what) : attach(dup, target, what, err);
		} else {
			mfd = mount_new_fs(type, m->source, o.data, o.sb_ro, o.attr_set & ~(uint64_t)MOUNT_ATTR_RDONLY, target,
					   what, err);
		}
		if (mfd < 0)
			goto out;
		if (o.tmpcopyup) {
			_cleanup_close_ int top = openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (top < 0 || fs_copy_tree(below, top, err) < 0) {
				if (top < 0)
					hull_fail_sys(err, "tmpcopyup %s", what);
				goto out;
			}
		}
		/* Read-only last, so that tmpcopyup could still write. */
		if ((o.attr_set & MOUNT_ATTR_RDONLY) && set_attrs(mfd, MOUNT_ATTR_RDONLY, 0, false) < 0) {
			hull_fail_sys(err, "make %s read-only", what);
			goto out;
		}
	}
	if (set_propagation(mfd, o.propagation) < 0) {
		hull_fail_sys(err, "set propagation of %s", what);
		goto out;
	}
	ret = 0;
out:
	mount_opts_free(&o);
	return ret;
}
