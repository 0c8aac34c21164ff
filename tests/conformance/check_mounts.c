/* check_mounts.c - checks of config.md#root, config.md#mounts (type, source, per-mount flags, propagation, data options, order) and rootfsPropagation, read from /proc/self/mountinfo, stat(2) and statfs(2).
 * Must never leave anything behind: the only write probe (a directory in a read-only /) is removed at once if it was created. */
#include "checker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <termios.h>
#include <unistd.h>

struct mount_entry {
	char *root, *mountpoint, *mount_opts, *optional, *fstype, *source, *super_opts;
};

static struct mount_entry mounts[1024];
static size_t n_mounts;
static char *mountinfo_text;

/* mountinfo escapes space, tab, newline and backslash as \ooo; decode in place. */
static void unescape_octal(char *s)
{
	char *out = s;

	for (char *in = s; *in; in++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			*out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 3;
			continue;
		}
		*out++ = *in;
	}
	*out = '\0';
}

static bool load_mountinfo(void)
{
	mountinfo_text = read_text_file("/proc/self/mountinfo");
	if (!mountinfo_text)
		return false;
	for (char *line = strtok(mountinfo_text, "\n"); line && n_mounts < 1024; line = strtok(NULL, "\n")) {
		char *fields[64];
		size_t n = 0, dash = 0;
		for (char *save = NULL, *f = strtok_r(line, " ", &save); f && n < 64; f = strtok_r(NULL, " ", &save))
			fields[n++] = f;
		for (size_t i = 6; i < n; i++)
			if (strcmp(fields[i], "-") == 0) {
				dash = i;
				break;
			}
		if (!dash || n < dash + 4)
			continue;
		struct mount_entry *m = &mounts[n_mounts++];
		m->root = fields[3];
		m->mountpoint = fields[4];
		m->mount_opts = fields[5];
		m->optional = dash > 6 ? fields[6] : "";
		/* several optional fields: glue them back with spaces (they were split in place) */
		for (size_t i = 7; i < dash; i++)
			fields[i][-1] = ' ';
		m->fstype = fields[dash + 1];
		m->source = fields[dash + 2];
		m->super_opts = fields[dash + 3];
		unescape_octal(m->root);
		unescape_octal(m->mountpoint);
		unescape_octal(m->source);
	}
	return true;
}

/* Index of the topmost (last listed) mount at mountpoint, or -1. */
static long topmost_mount_at(const char *mountpoint)
{
	for (size_t i = n_mounts; i-- > 0;)
		if (strcmp(mounts[i].mountpoint, mountpoint) == 0)
			return (long)i;
	return -1;
}

/* Whether the comma-separated list contains word, or a "word:..." / "word=..." item when prefix is set. */
static bool list_has(const char *list, const char *word, bool prefix)
{
	size_t len = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t item = strcspn(p, ", ");
		if (item >= len && strncmp(p, word, len) == 0 && (item == len || (prefix && (p[len] == ':' || p[len] == '='))))
			return true;
		p += item;
		p += strspn(p, ", ");
	}
	return false;
}

static void normalize_destination(const char *dest, char *out, size_t out_len)
{
	size_t used = 0;

	if (dest[0] != '/')
		used = (size_t)snprintf(out, out_len, "/");
	for (const char *p = dest; *p && used + 1 < out_len; p++) {
		if (*p == '/' && used > 0 && out[used - 1] == '/')
			continue;
		out[used++] = *p;
	}
	out[used] = '\0';
	while (used > 1 && out[used - 1] == '/')
		out[--used] = '\0';
}

enum mount_flag { FLAG_RO, FLAG_NOSUID, FLAG_NODEV, FLAG_NOEXEC, FLAG_NODIRATIME, FLAG_NOSYMFOLLOW, N_MOUNT_FLAGS };
static const char *const mount_flag_words[N_MOUNT_FLAGS] = { "ro", "nosuid", "nodev", "noexec", "nodiratime", "nosymfollow" };
enum atime_mode { ATIME_UNCHECKED, ATIME_STRICT, ATIME_RELATIME, ATIME_NOATIME };
static const char *const atime_words[] = { "", "strictatime", "relatime", "noatime" };
enum propagation { PROP_UNCHECKED, PROP_PRIVATE, PROP_SHARED, PROP_SLAVE, PROP_UNBINDABLE };
static const char *const propagation_words[] = { "", "private", "shared", "slave", "unbindable" };

enum option_kind { OPT_FLAG, OPT_ATIME, OPT_PROPAGATION, OPT_BIND, OPT_DEFAULTS, OPT_ATIME_AMBIGUOUS, OPT_INVISIBLE };

struct mount_option {
	const char *name;
	enum option_kind kind;
	int target; /* flag, atime mode or propagation */
	bool set;
	const char *since;
};

/* config.md#linux-mount-options, as mount(8) applies them (last one wins). */
static const struct mount_option mount_options[] = {
	{ "ro", OPT_FLAG, FLAG_RO, true, NULL },
	{ "rw", OPT_FLAG, FLAG_RO, false, NULL },
	{ "rro", OPT_FLAG, FLAG_RO, true, SINCE_1_1_0 },
	{ "rrw", OPT_FLAG, FLAG_RO, false, SINCE_1_1_0 },
	{ "nosuid", OPT_FLAG, FLAG_NOSUID, true, NULL },
	{ "suid", OPT_FLAG, FLAG_NOSUID, false, NULL },
	{ "rnosuid", OPT_FLAG, FLAG_NOSUID, true, SINCE_1_1_0 },
	{ "rsuid", OPT_FLAG, FLAG_NOSUID, false, SINCE_1_1_0 },
	{ "nodev", OPT_FLAG, FLAG_NODEV, true, NULL },
	{ "dev", OPT_FLAG, FLAG_NODEV, false, NULL },
	{ "rnodev", OPT_FLAG, FLAG_NODEV, true, SINCE_1_1_0 },
	{ "rdev", OPT_FLAG, FLAG_NODEV, false, SINCE_1_1_0 },
	{ "noexec", OPT_FLAG, FLAG_NOEXEC, true, NULL },
	{ "exec", OPT_FLAG, FLAG_NOEXEC, false, NULL },
	{ "rnoexec", OPT_FLAG, FLAG_NOEXEC, true, SINCE_1_1_0 },
	{ "rexec", OPT_FLAG, FLAG_NOEXEC, false, SINCE_1_1_0 },
	{ "nodiratime", OPT_FLAG, FLAG_NODIRATIME, true, NULL },
	{ "diratime", OPT_FLAG, FLAG_NODIRATIME, false, NULL },
	{ "rnodiratime", OPT_FLAG, FLAG_NODIRATIME, true, SINCE_1_1_0 },
	{ "rdiratime", OPT_FLAG, FLAG_NODIRATIME, false, SINCE_1_1_0 },
	{ "nosymfollow", OPT_FLAG, FLAG_NOSYMFOLLOW, true, SINCE_1_1_0 },
	{ "symfollow", OPT_FLAG, FLAG_NOSYMFOLLOW, false, SINCE_1_1_0 },
	{ "rnosymfollow", OPT_FLAG, FLAG_NOSYMFOLLOW, true, SINCE_1_1_0 },
	{ "rsymfollow", OPT_FLAG, FLAG_NOSYMFOLLOW, false, SINCE_1_1_0 },
	{ "strictatime", OPT_ATIME, ATIME_STRICT, true, NULL },
	{ "relatime", OPT_ATIME, ATIME_RELATIME, true, NULL },
	{ "noatime", OPT_ATIME, ATIME_NOATIME, true, NULL },
	{ "rstrictatime", OPT_ATIME, ATIME_STRICT, true, SINCE_1_1_0 },
	{ "rrelatime", OPT_ATIME, ATIME_RELATIME, true, SINCE_1_1_0 },
	{ "rnoatime", OPT_ATIME, ATIME_NOATIME, true, SINCE_1_1_0 },
	{ "atime", OPT_ATIME_AMBIGUOUS, 0, true, NULL },
	{ "norelatime", OPT_ATIME_AMBIGUOUS, 0, true, NULL },
	{ "nostrictatime", OPT_ATIME_AMBIGUOUS, 0, true, NULL },
	{ "private", OPT_PROPAGATION, PROP_PRIVATE, true, NULL },
	{ "rprivate", OPT_PROPAGATION, PROP_PRIVATE, true, NULL },
	{ "shared", OPT_PROPAGATION, PROP_SHARED, true, NULL },
	{ "rshared", OPT_PROPAGATION, PROP_SHARED, true, NULL },
	{ "slave", OPT_PROPAGATION, PROP_SLAVE, true, NULL },
	{ "rslave", OPT_PROPAGATION, PROP_SLAVE, true, NULL },
	{ "unbindable", OPT_PROPAGATION, PROP_UNBINDABLE, true, NULL },
	{ "runbindable", OPT_PROPAGATION, PROP_UNBINDABLE, true, NULL },
	{ "bind", OPT_BIND, 0, true, NULL },
	{ "rbind", OPT_BIND, 0, true, NULL },
	{ "defaults", OPT_DEFAULTS, 0, true, NULL },
	{ "async", OPT_INVISIBLE, 0, true, NULL },
	{ "sync", OPT_INVISIBLE, 0, true, NULL },
	{ "dirsync", OPT_INVISIBLE, 0, true, NULL },
	{ "iversion", OPT_INVISIBLE, 0, true, NULL },
	{ "noiversion", OPT_INVISIBLE, 0, true, NULL },
	{ "lazytime", OPT_INVISIBLE, 0, true, NULL },
	{ "nolazytime", OPT_INVISIBLE, 0, true, NULL },
	{ "loud", OPT_INVISIBLE, 0, true, NULL },
	{ "silent", OPT_INVISIBLE, 0, true, NULL },
	{ "mand", OPT_INVISIBLE, 0, true, NULL },
	{ "nomand", OPT_INVISIBLE, 0, true, NULL },
	{ "remount", OPT_INVISIBLE, 0, true, NULL },
	{ "tmpcopyup", OPT_INVISIBLE, 0, true, NULL },
	{ "idmap", OPT_INVISIBLE, 0, true, NULL },
	{ "ridmap", OPT_INVISIBLE, 0, true, NULL },
};

static const struct mount_option *find_mount_option(const char *name)
{
	for (size_t i = 0; i < sizeof mount_options / sizeof mount_options[0]; i++)
		if (strcmp(mount_options[i].name, name) == 0)
			return &mount_options[i];
	return NULL;
}

struct expected_mount {
	int flag_state[N_MOUNT_FLAGS]; /* -1 unchecked, 0 clear, 1 set */
	const char *flag_since[N_MOUNT_FLAGS];
	enum atime_mode atime;
	const char *atime_since;
	enum propagation propagation;
	bool bind;
};

static void expect_from_options(json_object *options, struct expected_mount *want)
{
	for (int f = 0; f < N_MOUNT_FLAGS; f++)
		want->flag_state[f] = -1;
	for (size_t i = 0; json_object_is_type(options, json_type_array) && i < json_object_array_length(options); i++) {
		const struct mount_option *opt = find_mount_option(json_object_get_string(json_object_array_get_idx(options, i)));
		if (!opt)
			continue;
		switch (opt->kind) {
		case OPT_FLAG:
			want->flag_state[opt->target] = opt->set;
			want->flag_since[opt->target] = opt->since;
			break;
		case OPT_ATIME:
			want->atime = (enum atime_mode)opt->target;
			want->atime_since = opt->since;
			break;
		case OPT_ATIME_AMBIGUOUS:
			want->atime = ATIME_UNCHECKED;
			break;
		case OPT_PROPAGATION:
			want->propagation = (enum propagation)opt->target;
			break;
		case OPT_BIND:
			want->bind = true;
			break;
		case OPT_DEFAULTS:
			for (int f = FLAG_RO; f <= FLAG_NOEXEC; f++)
				want->flag_state[f] = 0;
			break;
		case OPT_INVISIBLE:
			break;
		}
	}
}

static enum propagation observed_propagation(const struct mount_entry *m)
{
	if (list_has(m->optional, "shared", true))
		return PROP_SHARED;
	if (list_has(m->optional, "master", true))
		return PROP_SLAVE;
	if (list_has(m->optional, "unbindable", false))
		return PROP_UNBINDABLE;
	return PROP_PRIVATE;
}

static enum atime_mode observed_atime(const struct mount_entry *m)
{
	if (list_has(m->mount_opts, "noatime", false))
		return ATIME_NOATIME;
	if (list_has(m->mount_opts, "relatime", false))
		return ATIME_RELATIME;
	return ATIME_STRICT;
}

static void check_propagation(const char *section, const char *what, enum propagation want, const struct mount_entry *m)
{
	enum propagation got = observed_propagation(m);
	char got_s[256];

	snprintf(got_s, sizeof got_s, "%s (optional fields \"%s\")", propagation_words[got], m->optional);
	tap_check(got == want, NULL, propagation_words[want], got_s, "%s: %s propagation is %s", section, what, propagation_words[want]);
}

/* Parses "65536k" style sizes to bytes; false for percentages or junk. */
static bool parse_size(const char *text, unsigned long long *bytes)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	static const char units[] = "kmgtpe";
	const char *unit = *end ? strchr(units, *end | 0x20) : NULL;

	if (end == text || (*end && (!unit || end[1])))
		return false;
	for (const char *u = units; unit && u <= unit; u++)
		v *= 1024;
	*bytes = v;
	return true;
}

static bool super_option_value(const struct mount_entry *m, const char *key, char *out, size_t out_len)
{
	size_t key_len = strlen(key);

	for (const char *p = m->super_opts; *p;) {
		size_t item = strcspn(p, ",");
		if (item > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
			snprintf(out, out_len, "%.*s", (int)(item - key_len - 1), p + key_len + 1);
			return true;
		}
		p += item;
		p += *p == ',';
	}
	return false;
}

/* stat of a fresh pty of the devpts mounted at dest: what its mode=, gid= and uid= options decide */
static bool stat_new_pty(const char *dest, struct stat *st)
{
	char path[1100];
	unsigned int number;
	bool ok = false;

	snprintf(path, sizeof path, "%s/ptmx", dest);
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (ioctl(fd, TIOCGPTN, &number) == 0) {
		snprintf(path, sizeof path, "%s/%u", dest, number);
		ok = stat(path, st) == 0;
	}
	close(fd);
	return ok;
}

enum readback { READ_MODE, READ_UID, READ_GID, READ_SIZE };

/* Data options whose effect stat(2)/statfs(2) show inside the container's user namespace
 * (mountinfo prints uid=/gid= in the initial namespace's ids, so it cannot be compared). */
struct data_option_readback {
	const char *fstype;
	const char *key;
	const char *file; /* NULL: the mountpoint, "ptmx": dest/ptmx, "pty": a new pty */
	enum readback what;
};

static const struct data_option_readback data_readbacks[] = {
	{ "tmpfs", "mode", NULL, READ_MODE },	   { "tmpfs", "uid", NULL, READ_UID },	  { "tmpfs", "gid", NULL, READ_GID },
	{ "tmpfs", "size", NULL, READ_SIZE },	   { "devpts", "ptmxmode", "ptmx", READ_MODE }, { "devpts", "mode", "pty", READ_MODE },
	{ "devpts", "uid", "pty", READ_UID },	   { "devpts", "gid", "pty", READ_GID },
};

static void check_data_readback(const char *label, const char *dest, const char *option, const struct data_option_readback *rb,
				const char *value)
{
	struct stat st;
	bool have;
	char path[1100], want_s[32], got_s[64];

	if (rb->what == READ_SIZE) {
		unsigned long long want;
		struct statfs sfs;
		if (!parse_size(value, &want)) {
			tap_skip("relative size, not checkable", "config.md#mounts: %s option %s", label, option);
			return;
		}
		unsigned long long have_bytes = statfs(dest, &sfs) == 0 ? (unsigned long long)sfs.f_blocks * (unsigned long long)sfs.f_bsize : 0;
		tap_expect_int(NULL, (long long)want, (long long)have_bytes, "config.md#mounts: %s option %s: filesystem size is %llu bytes",
			       label, option, want);
		return;
	}
	if (rb->file && strcmp(rb->file, "pty") == 0) {
		have = stat_new_pty(dest, &st);
	} else {
		snprintf(path, sizeof path, rb->file ? "%s/%s" : "%s", dest, rb->file ? rb->file : "");
		have = stat(path, &st) == 0;
	}
	const char *what = rb->file ? (strcmp(rb->file, "pty") == 0 ? "a new pty" : "ptmx") : "the mountpoint";
	if (rb->what == READ_MODE) {
		snprintf(want_s, sizeof want_s, "%04lo", strtoul(value, NULL, 8));
		snprintf(got_s, sizeof got_s, have ? "%04o" : "unreadable", (unsigned)(st.st_mode & 07777));
		tap_expect_str(NULL, want_s, got_s, "config.md#mounts: %s option %s: mode of %s is %s", label, option, what, want_s);
		return;
	}
	long long want = strtoll(value, NULL, 10);
	long long got = !have ? -1 : rb->what == READ_UID ? (long long)st.st_uid : (long long)st.st_gid;
	tap_expect_int(NULL, want, got, "config.md#mounts: %s option %s: owner %s of %s is %lld", label, option,
		       rb->what == READ_UID ? "uid" : "gid", what, want);
}

/* Data options (passed to the filesystem): verified where their effect is readable from inside. */
static void check_data_option(const char *label, const char *dest, const struct mount_entry *m, const char *option)
{
	const char *eq = strchr(option, '=');
	char key[64], got[128];

	if (!eq || (size_t)(eq - option) >= sizeof key) {
		tap_skip("filesystem option without a value, not readable back", "config.md#mounts: %s option %s", label, option);
		return;
	}
	snprintf(key, sizeof key, "%.*s", (int)(eq - option), option);
	const char *value = eq + 1;
	for (size_t i = 0; i < sizeof data_readbacks / sizeof data_readbacks[0]; i++) {
		if (strcmp(data_readbacks[i].fstype, m->fstype) == 0 && strcmp(data_readbacks[i].key, key) == 0) {
			check_data_readback(label, dest, option, &data_readbacks[i], value);
			return;
		}
	}
	if (!super_option_value(m, key, got, sizeof got)) {
		tap_skip("option not shown in mountinfo", "config.md#mounts: %s option %s", label, option);
		return;
	}
	/* the kernel prints numbers its own way (mode=0620 shows as mode=620): compare numerically when both are numbers */
	char *end_want, *end_got;
	int base = strstr(key, "mode") ? 8 : 10;
	unsigned long long want_n = strtoull(value, &end_want, base), got_n = strtoull(got, &end_got, base);
	bool numeric = *value && *got && !*end_want && !*end_got;
	tap_check(numeric ? want_n == got_n : strcmp(value, got) == 0, NULL, value, got, "config.md#mounts: %s option %s is in effect",
		  label, option);
}

static void check_one_mount(json_object *entry, size_t index, long *position)
{
	const char *dest_raw = cfg_str(entry, "destination");
	const char *type = cfg_str(entry, "type");
	const char *source = cfg_str(entry, "source");
	json_object *options = cfg_get(entry, "options");
	struct expected_mount want = { 0 };
	char dest[1024], label[1100], want_s[1200], got_s[64];

	*position = -1;
	if (!dest_raw)
		return;
	normalize_destination(dest_raw, dest, sizeof dest);
	snprintf(label, sizeof label, "mounts[%zu] %s", index, dest);
	long idx = topmost_mount_at(dest);
	tap_check(idx >= 0, NULL, "a mount there", "none in /proc/self/mountinfo", "config.md#mounts: %s is mounted", label);
	if (idx < 0)
		return;
	*position = idx;
	const struct mount_entry *m = &mounts[idx];
	expect_from_options(options, &want);

	if (type && (strcmp(type, "cgroup") == 0 || strcmp(type, "cgroup2") == 0)) {
		/* on v1 a runtime builds it (a tmpfs with a bind per hierarchy): the options say nothing readable; check_cgroups.c reads what is in it */
		tap_skip("a cgroup mount is a runtime-built tree; its content is checked under control groups", "config.md#mounts: %s options", label);
		return;
	}
	if (want.bind) {
		unsigned long long dev, ino;
		struct stat st;
		if (!source || !facts_stat(source, &dev, &ino)) {
			tap_skip("runner gave no stat of the source", "config.md#mounts: %s shows its bind source", label);
		} else {
			bool ok = stat(dest, &st) == 0;
			/* the source path is not in the name: it differs per run and runtime, names must not */
			snprintf(want_s, sizeof want_s, "%s (dev %llu ino %llu)", source, dev, ino);
			snprintf(got_s, sizeof got_s, ok ? "dev %llu ino %llu" : "stat failed", (unsigned long long)st.st_dev,
				 (unsigned long long)st.st_ino);
			tap_check(ok && st.st_dev == dev && st.st_ino == ino, NULL, want_s, got_s,
				  "config.md#mounts: %s shows its bind source", label);
		}
	} else {
		if (type)
			tap_expect_str(NULL, type, m->fstype, "config.md#posix-platform-mounts: %s type is %s", label, type);
		if (source)
			tap_expect_str(NULL, source, m->source, "config.md#mounts: %s source is %s", label, source);
	}
	for (int f = 0; f < N_MOUNT_FLAGS; f++) {
		if (want.flag_state[f] < 0)
			continue;
		bool got = list_has(m->mount_opts, mount_flag_words[f], false);
		tap_check(got == (want.flag_state[f] == 1), want.flag_since[f], want.flag_state[f] ? "set" : "clear", m->mount_opts,
			  "config.md#linux-mount-options: %s is %s%s", label, want.flag_state[f] ? "" : "not ", mount_flag_words[f]);
	}
	if (want.atime != ATIME_UNCHECKED)
		tap_check(observed_atime(m) == want.atime, want.atime_since, atime_words[want.atime], m->mount_opts,
			  "config.md#linux-mount-options: %s atime mode is %s", label, atime_words[want.atime]);
	if (want.propagation != PROP_UNCHECKED)
		check_propagation("config.md#linux-mount-options", label, want.propagation, m);
	for (size_t i = 0; json_object_is_type(options, json_type_array) && i < json_object_array_length(options); i++) {
		const char *option = json_object_get_string(json_object_array_get_idx(options, i));
		const struct mount_option *known = find_mount_option(option);
		if (known && known->kind == OPT_INVISIBLE)
			tap_skip("no effect readable from inside", "config.md#linux-mount-options: %s option %s", label, option);
		else if (!known && !(strcmp(m->fstype, "devpts") == 0 && strcmp(option, "newinstance") == 0))
			check_data_option(label, dest, m, option);
	}
}

static void check_mounts(json_object *config)
{
	json_object *list = cfg_get(config, "mounts");
	size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	long last_position = -1;
	bool in_order = true;
	char order_got[256] = "";

	for (size_t i = 0; i < n; i++) {
		long position;
		check_one_mount(json_object_array_get_idx(list, i), i, &position);
		if (position < 0)
			continue;
		if (position <= last_position && in_order) {
			in_order = false;
			snprintf(order_got, sizeof order_got, "mounts[%zu] listed before an earlier entry", i);
		}
		last_position = position;
	}
	if (n > 1)
		tap_check(in_order, NULL, "mountinfo in config order", order_got, "config.md#mounts: mounts are made in the listed order");
}

static void check_root(json_object *config)
{
	const char *root_path = cfg_str(config, "root.path");
	bool readonly = false;
	unsigned long long dev, ino;
	struct stat st;
	struct statvfs vfs;
	char want_s[64], got_s[64];

	if (root_path && facts_stat(root_path, &dev, &ino)) {
		bool ok = stat("/", &st) == 0;
		snprintf(want_s, sizeof want_s, "dev %llu ino %llu", dev, ino);
		snprintf(got_s, sizeof got_s, "dev %llu ino %llu", ok ? (unsigned long long)st.st_dev : 0, ok ? (unsigned long long)st.st_ino : 0);
		tap_check(ok && st.st_dev == dev && st.st_ino == ino, NULL, want_s, got_s, "config.md#root: / is root.path %s", root_path);
	} else {
		tap_skip("runner gave no stat of root.path", "config.md#root: / is root.path");
	}
	cfg_bool(config, "root.readonly", &readonly);
	bool rdonly = statvfs("/", &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
	tap_check(rdonly == readonly, NULL, readonly ? "read-only" : "writable", rdonly ? "read-only" : "writable",
		  "config.md#root: readonly=%s: / is mounted %s", readonly ? "true" : "false", readonly ? "read-only" : "read-write");
	if (readonly) {
		int rc = mkdir("/.hull-conformance-probe", 0700);
		int err = errno;
		if (rc == 0)
			rmdir("/.hull-conformance-probe");
		tap_check(rc != 0 && err == EROFS, NULL, "EROFS", rc == 0 ? "created" : strerror(err),
			  "config.md#root: readonly=true: creating a directory in / fails with EROFS");
	}
	const char *propagation = cfg_str(config, "linux.rootfsPropagation");
	long idx = topmost_mount_at("/");
	if (propagation && idx >= 0) {
		enum propagation want = PROP_UNCHECKED;
		for (int p = PROP_PRIVATE; p <= PROP_UNBINDABLE; p++)
			if (strcmp(propagation_words[p], propagation) == 0)
				want = (enum propagation)p;
		if (want == PROP_UNCHECKED)
			tap_check(false, NULL, "shared, slave, private or unbindable", propagation,
				  "config-linux.md#rootfs-mount-propagation: value is valid");
		else
			check_propagation("config-linux.md#rootfs-mount-propagation", "/", want, &mounts[idx]);
	}
}

void check_root_and_mounts(json_object *config)
{
	if (!load_mountinfo()) {
		tap_check(false, NULL, "readable", strerror(errno), "config.md#mounts: /proc/self/mountinfo is readable");
		return;
	}
	check_root(config);
	check_mounts(config);
}
