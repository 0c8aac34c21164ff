/* floor.c - hull-floor: only the kernel's part of `run` and `exec` of the default `hull spec` container (the floor
 * of bench/runtime.sh). Must never parse a config, keep state, or leave a cgroup, mount or process behind. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the config says, written down here instead of parsed: that is the point of a floor. */
#define HOSTNAME "hull"
#define NOFILE_LIMIT 1024
#define CONTAINER_ARGV { "true", NULL }
#define CONTAINER_ENV { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "HOME=/root", NULL }
#define CONTAINER_PATH "/bin/true"
/* process.capabilities: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE in every set but the inheritable one */
#define KEPT_CAPS ((1ULL << CAP_AUDIT_WRITE) | (1ULL << CAP_KILL) | (1ULL << CAP_NET_BIND_SERVICE))
#define NEW_NAMESPACES (CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS)
#define JOINED_BY_CHILD (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS)

#define MAX_HIERARCHIES 16
#define MAX_BPF_BYTES (BPF_MAXINSNS * sizeof(struct sock_filter))
#define EXIT_SETUP_FAILED 127

struct mount_entry {
	const char *source, *target, *type;
	unsigned long flags;
	const char *data;
};

/* the config's mounts but /sys/fs/cgroup, which depends on the cgroup layout */
static const struct mount_entry config_mounts[] = {
	{ "proc", "proc", "proc", 0, NULL },
	{ "tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k" },
	{ "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k" },
	{ "mqueue", "dev/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL },
	{ "sysfs", "sys", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL },
};
#define CGROUP_MOUNT_FLAGS (MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY)

static const char *const masked_paths[] = {
	"proc/acpi", "proc/asound", "proc/kcore", "proc/keys", "proc/latency_stats", "proc/timer_list",
	"proc/timer_stats", "proc/sched_debug", "sys/firmware", "proc/scsi",
};
static const char *const readonly_paths[] = { "proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger" };

/* the devices every runtime makes in /dev, and the links beside them */
static const struct {
	const char *name;
	unsigned major, minor;
} default_devices[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};
static const char *const dev_links[][2] = {
	{ "/proc/self/fd", "dev/fd" },	       { "/proc/self/fd/0", "dev/stdin" }, { "/proc/self/fd/1", "dev/stdout" },
	{ "/proc/self/fd/2", "dev/stderr" }, { "pts/ptmx", "dev/ptmx" },
};

/* linux.resources.devices (deny all) followed by the runtimes' default allow list, as v1 rules; -1 is '*' */
#define ACC_R BPF_DEVCG_ACC_READ
#define ACC_W BPF_DEVCG_ACC_WRITE
#define ACC_M BPF_DEVCG_ACC_MKNOD
static const struct device_rule {
	char type; /* 'c', 'b' */
	int major, minor;
	unsigned access;
	const char *v1;
} allowed_devices[] = {
	{ 'c', -1, -1, ACC_M, "c *:* m" },	       { 'b', -1, -1, ACC_M, "b *:* m" },
	{ 'c', 1, 3, ACC_R | ACC_W | ACC_M, "c 1:3 rwm" },   { 'c', 1, 8, ACC_R | ACC_W | ACC_M, "c 1:8 rwm" },
	{ 'c', 1, 7, ACC_R | ACC_W | ACC_M, "c 1:7 rwm" },   { 'c', 5, 0, ACC_R | ACC_W | ACC_M, "c 5:0 rwm" },
	{ 'c', 1, 5, ACC_R | ACC_W | ACC_M, "c 1:5 rwm" },   { 'c', 1, 9, ACC_R | ACC_W | ACC_M, "c 1:9 rwm" },
	{ 'c', 136, -1, ACC_R | ACC_W | ACC_M, "c 136:* rwm" }, { 'c', 5, 2, ACC_R | ACC_W | ACC_M, "c 5:2 rwm" },
	{ 'c', 10, 200, ACC_R | ACC_W | ACC_M, "c 10:200 rwm" },
};

/* One hierarchy the container lives in: its cgroup directory on the host, and (v1) the name of its bind under the
 * container's /sys/fs/cgroup: "cpu", "cpu,cpuacct", "systemd". */
struct hierarchy {
	char dir[PATH_MAX];
	char mount_name[NAME_MAX + 1];
	bool v2, cpuset, devices, made;
};

struct cgroups {
	struct hierarchy h[MAX_HIERARCHIES];
	size_t n;
	bool pure_v2;
	int v2_fd; /* the container's v2 directory on a pure v2 host: CLONE_INTO_CGROUP */
};

/* Everything the child needs, ready before clone3: it only makes syscalls. */
struct container {
	const char *rootfs;
	const char *name;
	struct cgroups cg;
	int go[2];		/* v1: the parent writes one byte once the child is in its cgroups */
	struct sock_fprog seccomp; /* .len 0: none */
	int target_pidfd;	/* exec: the container joined */
	sigset_t old_mask;
};

/* "hull-floor: WHO<message>: <errno's text>", errno kept */
static void report(const char *who, const char *fmt, va_list ap)
{
	int saved = errno;
	fprintf(stderr, "hull-floor: %s", who);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	errno = saved;
}

static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("", fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_fs(const char *path, long magic)
{
	struct statfs s;
	return statfs(path, &s) == 0 && (long)s.f_type == magic;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s", path);
	ssize_t n = write(fd, text, strlen(text));
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : fail("write %s to %s", text, path);
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s", path);
	size_t len = 0;
	ssize_t n = 0;
	while (len + 1 < size && (n = read(fd, buf + len, size - len - 1)) > 0)
		len += (size_t)n;
	int saved = errno;
	close(fd);
	buf[len] = '\0';
	errno = saved;
	return n < 0 ? fail("read %s", path) : (ssize_t)len;
}

static bool list_has(const char *list, const char *word)
{
	size_t w = strlen(word);
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, word, w) == 0 && (p[w] == ',' || p[w] == '\0'))
			return true;
	return false;
}

/* ---------------------------------------------------------------------------------------------------------------
 * cgroups: one directory per hierarchy, under the caller's own cgroup (as hull names a container's cgroup without
 * cgroupsPath), found from /proc/<pid>/cgroup and the usual mount points rather than from mountinfo */

/* The hierarchies of proc_cgroup's process, each directory with "/leaf" appended when leaf is given. */
static int cgroups_find(const char *proc_cgroup, const char *leaf, struct cgroups *cg)
{
	char text[4096];
	cg->n = 0;
	cg->v2_fd = -1;
	cg->pure_v2 = is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC);
	if (read_file(proc_cgroup, text, sizeof(text)) < 0)
		return -1;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctrls = strchr(line, ':'), *path = ctrls ? strchr(ctrls + 1, ':') : NULL;
		if (path == NULL || cg->n == MAX_HIERARCHIES)
			continue;
		*ctrls++ = '\0';
		*path++ = '\0';
		struct hierarchy *h = &cg->h[cg->n];
		*h = (struct hierarchy){ .v2 = *ctrls == '\0' };
		const char *mount;
		if (h->v2 && cg->pure_v2)
			mount = "/sys/fs/cgroup";
		else if (h->v2 && is_fs("/sys/fs/cgroup/unified", CGROUP2_SUPER_MAGIC))
			mount = "/sys/fs/cgroup/unified";
		else if (h->v2 || cg->pure_v2)
			continue; /* a hybrid host without its unified mount, or a v1 line on a pure v2 host */
		else
			mount = NULL;
		const char *name = h->v2 ? "unified" : strncmp(ctrls, "name=", 5) == 0 ? ctrls + 5 : ctrls;
		snprintf(h->mount_name, sizeof(h->mount_name), "%s", name);
		int len = mount ? snprintf(h->dir, sizeof(h->dir), "%s%s", mount, path)
				: snprintf(h->dir, sizeof(h->dir), "/sys/fs/cgroup/%s%s", name, path);
		if (leaf && len > 0 && (size_t)len < sizeof(h->dir))
			len = snprintf(h->dir + len, sizeof(h->dir) - (size_t)len, "%s%s", path[1] ? "/" : "", leaf) + len;
		if (len < 0 || (size_t)len >= sizeof(h->dir)) {
			errno = ENAMETOOLONG;
			return fail("cgroup path of %s", ctrls);
		}
		h->cpuset = list_has(ctrls, "cpuset");
		h->devices = list_has(ctrls, "devices");
		cg->n++;
	}
	return 0;
}

/* A v1 cpuset cgroup takes no task before it has cpus and mems: its parent's. */
static int cpuset_copy_parent(const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char parent[PATH_MAX + 16], child[PATH_MAX + 16], value[256];
		snprintf(child, sizeof(child), "%s/%s", dir, files[i]);
		snprintf(parent, sizeof(parent), "%.*s/%s", (int)(strrchr(dir, '/') - dir), dir, files[i]);
		if (read_file(parent, value, sizeof(value)) < 0 || write_file(child, value) < 0)
			return -1;
	}
	return 0;
}

static int devices_v1_apply(const char *dir)
{
	char deny[PATH_MAX + 16], allow[PATH_MAX + 16];
	snprintf(deny, sizeof(deny), "%s/devices.deny", dir);
	snprintf(allow, sizeof(allow), "%s/devices.allow", dir);
	if (write_file(deny, "a") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(allowed_devices) / sizeof(allowed_devices[0]); i++)
		if (write_file(allow, allowed_devices[i].v1) < 0)
			return -1;
	return 0;
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define JNE_K (BPF_JMP | BPF_JNE | BPF_K)

/* One allow rule: each test jumps past the block when it does not match. The context is already in registers:
 * r2 access, r3 type, r4 major, r5 minor. */
static size_t emit_allow_rule(struct bpf_insn *p, const struct device_rule *r)
{
	size_t k = 0;
	p[k++] = INSN(JNE_K, 3, 0, 0, r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
	if (r->major >= 0)
		p[k++] = INSN(JNE_K, 4, 0, 0, r->major);
	if (r->minor >= 0)
		p[k++] = INSN(JNE_K, 5, 0, 0, r->minor);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 2, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, (int32_t)(~r->access & 0xffff)); /* access beyond it */
	p[k++] = INSN(JNE_K, 0, 0, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (size_t i = 0; i < k; i++)
		if (p[i].code == JNE_K)
			p[i].off = (int16_t)(k - i - 1);
	return k;
}

/* cgroup v2 has no devices.allow: the same rules as a BPF_PROG_TYPE_CGROUP_DEVICE program on the directory (as
 * runc, crun and hull attach one); the kernel drops it with the directory. */
static int devices_bpf_attach(int cgroup_fd)
{
	struct bpf_insn p[8 + 8 * sizeof(allowed_devices) / sizeof(allowed_devices[0])];
	size_t n = 0;
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0); /* access_type: access << 16 | type */
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0); /* major */
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0); /* minor */
	p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);
	p[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 3, 0, 0, 0xffff);
	p[n++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, 2, 0, 0, 16);
	for (size_t i = 0; i < sizeof(allowed_devices) / sizeof(allowed_devices[0]); i++)
		n += emit_allow_rule(p + n, &allowed_devices[i]);
	p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

	union bpf_attr load = { 0 };
	load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	load.insns = (uint64_t)(uintptr_t)p;
	load.insn_cnt = (uint32_t)n;
	load.license = (uint64_t)(uintptr_t)"Apache-2.0";
	int prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	if (prog < 0)
		return fail("load the devices program");
	union bpf_attr attach = { 0 };
	attach.target_fd = (uint32_t)cgroup_fd;
	attach.attach_bpf_fd = (uint32_t)prog;
	attach.attach_type = BPF_CGROUP_DEVICE;
	attach.attach_flags = BPF_F_ALLOW_MULTI;
	int r = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach));
	int saved = errno;
	close(prog);
	errno = saved;
	return r < 0 ? fail("attach the devices program") : 0;
}

static void cgroups_remove(struct cgroups *cg)
{
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	cg->v2_fd = -1;
	for (size_t i = cg->n; i-- > 0;)
		if (cg->h[i].made && rmdir(cg->h[i].dir) < 0)
			fail("rmdir %s", cg->h[i].dir);
		else
			cg->h[i].made = false;
}

/* mkdir in every hierarchy, with the cpuset and device settings; on error nothing is left. */
static int cgroups_make(struct cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++) {
		struct hierarchy *h = &cg->h[i];
		if (mkdir(h->dir, 0755) < 0) {
			fail("mkdir %s", h->dir);
			goto undo;
		}
		h->made = true;
		if (h->cpuset && cpuset_copy_parent(h->dir) < 0)
			goto undo;
		if (h->devices && devices_v1_apply(h->dir) < 0)
			goto undo;
		if (h->v2 && cg->pure_v2) {
			cg->v2_fd = open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cg->v2_fd < 0 || devices_bpf_attach(cg->v2_fd) < 0) {
				fail("%s", h->dir);
				goto undo;
			}
		}
	}
	return 0;
undo:
	cgroups_remove(cg);
	return -1;
}

/* v1 (and a hybrid host's unified hierarchy): the task moves after clone3, written into every cgroup.procs; a pure
 * v2 host needs nothing here, as the child was born in its cgroup. */
static int cgroups_enter(const struct cgroups *cg, pid_t pid)
{
	if (cg->pure_v2)
		return 0;
	char num[24];
	snprintf(num, sizeof(num), "%d", pid);
	for (size_t i = 0; i < cg->n; i++) {
		char procs[PATH_MAX + 16];
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->h[i].dir);
		if (write_file(procs, num) < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------------------------------
 * the child: from clone3 to execve. On error it says which step and exits EXIT_SETUP_FAILED. */

static _Noreturn void child_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("container: ", fmt, ap);
	va_end(ap);
	_exit(EXIT_SETUP_FAILED);
}

static void wait_for_cgroups(struct container *c)
{
	if (c->cg.pure_v2)
		return;
	char go;
	close(c->go[1]);
	if (read(c->go[0], &go, 1) != 1)
		_exit(EXIT_SETUP_FAILED); /* the parent gave up and says why */
	close(c->go[0]);
}

static void mount_or_fail(const char *source, const char *target, const char *type, unsigned long flags,
			  const char *data)
{
	if (mount(source, target, type, flags, data) < 0)
		child_fail("mount %s on %s", type ? type : source, target);
}

/* A bind, then its flags: the classic mount(2) cannot make a bind read-only in one call. */
static void bind_readonly(const char *source, const char *target, unsigned long flags)
{
	mount_or_fail(source, target, NULL, MS_BIND | MS_REC, NULL);
	mount_or_fail(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | flags, NULL);
}

/* /sys/fs/cgroup: on v1 a tmpfs with a read-only bind of the container's own directory of each hierarchy; on
 * pure v2 (no cgroup namespace in the config) a read-only bind of its v2 directory. */
static void mount_cgroups(const struct cgroups *cg)
{
	if (cg->pure_v2) {
		bind_readonly(cg->h[0].dir, "sys/fs/cgroup", CGROUP_MOUNT_FLAGS);
		return;
	}
	mount_or_fail("cgroup", "sys/fs/cgroup", "tmpfs", CGROUP_MOUNT_FLAGS & ~(unsigned long)MS_RDONLY, "mode=755");
	for (size_t i = 0; i < cg->n; i++) {
		char target[NAME_MAX + 32];
		snprintf(target, sizeof(target), "sys/fs/cgroup/%s", cg->h[i].mount_name);
		if (mkdir(target, 0755) < 0 && errno != EEXIST)
			child_fail("mkdir %s", target);
		bind_readonly(cg->h[i].dir, target, CGROUP_MOUNT_FLAGS);
	}
	mount_or_fail(NULL, "sys/fs/cgroup", NULL, MS_REMOUNT | CGROUP_MOUNT_FLAGS, "mode=755");
}

static void make_devices(void)
{
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		char path[32];
		snprintf(path, sizeof(path), "dev/%s", default_devices[i].name);
		if (mknod(path, S_IFCHR | 0666, makedev(default_devices[i].major, default_devices[i].minor)) < 0)
			child_fail("mknod %s", path);
	}
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlink(dev_links[i][0], dev_links[i][1]) < 0)
			child_fail("symlink %s", dev_links[i][1]);
}

/* Paths the kernel does not have are skipped, as every runtime does. */
static void protect_paths(void)
{
	for (size_t i = 0; i < sizeof(readonly_paths) / sizeof(readonly_paths[0]); i++)
		if (access(readonly_paths[i], F_OK) == 0)
			bind_readonly(readonly_paths[i], readonly_paths[i], MS_NOSUID | MS_NODEV | MS_NOEXEC);
	for (size_t i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++) {
		struct stat st;
		if (stat(masked_paths[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			mount_or_fail("tmpfs", masked_paths[i], "tmpfs", MS_RDONLY, "size=0,mode=0555");
		else
			bind_readonly("/dev/null", masked_paths[i], 0);
	}
}

/* from the rootfs (the cwd): the old root is stacked under the new one and detached */
static void rootfs_pivot(void)
{
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail("pivot_root");
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		child_fail("detach the old root");
}

/* root.readonly, after pivot_root: the bind of the rootfs is "/" now */
static void root_readonly(void)
{
	mount_or_fail(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}

/* user 0:0, no supplementary groups, only KEPT_CAPS, noNewPrivileges, the seccomp filter if any. */
static void drop_privileges(const struct container *c)
{
	for (unsigned long cap = 0; cap < 64; cap++) {
		if (KEPT_CAPS & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL) /* past the kernel's last capability */
				break;
			child_fail("drop capability %lu", cap);
		}
	}
	if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		child_fail("set user 0:0");
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { .effective = (uint32_t)KEPT_CAPS, .permitted = (uint32_t)KEPT_CAPS } };
	if (syscall(SYS_capset, &head, data) < 0)
		child_fail("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		child_fail("clear the ambient capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail("no_new_privs");
	if (c->seccomp.len && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &c->seccomp) < 0)
		child_fail("load the seccomp filter");
}

static _Noreturn void exec_container_process(const struct container *c)
{
	struct rlimit nofile = { NOFILE_LIMIT, NOFILE_LIMIT };
	if (setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		child_fail("setrlimit");
	drop_privileges(c);
	char *const argv[] = CONTAINER_ARGV, *const envp[] = CONTAINER_ENV;
	sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
	execve(CONTAINER_PATH, argv, envp);
	child_fail("execve %s", CONTAINER_PATH);
}

/* run: the container's init, in its new namespaces */
static _Noreturn void container_init(struct container *c)
{
	wait_for_cgroups(c);
	umask(0);
	if (setsid() < 0 || syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, c->name) < 0)
		child_fail("a new session and session keyring");
	mount_or_fail(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
	mount_or_fail(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL);
	if (chdir(c->rootfs) < 0) /* onto the bind */
		child_fail("chdir %s", c->rootfs);
	for (size_t i = 0; i < sizeof(config_mounts) / sizeof(config_mounts[0]); i++) {
		const struct mount_entry *m = &config_mounts[i];
		if (mkdir(m->target, 0755) < 0 && errno != EEXIST)
			child_fail("mkdir %s", m->target);
		mount_or_fail(m->source, m->target, m->type, m->flags, m->data);
	}
	mount_cgroups(&c->cg);
	make_devices();
	protect_paths();
	rootfs_pivot();
	root_readonly();
	if (sethostname(HOSTNAME, strlen(HOSTNAME)) < 0)
		child_fail("sethostname");
	umask(022);
	exec_container_process(c);
}

/* exec: a process joining the running container (its pid namespace was joined by the parent before clone3) */
static _Noreturn void container_join(struct container *c)
{
	wait_for_cgroups(c);
	if (setns(c->target_pidfd, JOINED_BY_CHILD) < 0)
		child_fail("setns into the container");
	if (setsid() < 0 || chdir("/") < 0)
		child_fail("a new session in /");
	exec_container_process(c);
}

/* ---------------------------------------------------------------------------------------------------------------
 * the parent: cgroups, clone3, placement, wait */

static pid_t clone3_container(struct container *c, uint64_t ns_flags, int *pidfd)
{
	struct clone_args args = {
		.flags = ns_flags | CLONE_PIDFD | (c->cg.v2_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
		.cgroup = c->cg.v2_fd >= 0 ? (uint64_t)c->cg.v2_fd : 0,
	};
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* clone3 the child (entry runs in it), place it in its cgroups, let it go and wait: its exit code, or -1 */
static int spawn_and_wait(struct container *c, uint64_t ns_flags, void (*entry)(struct container *))
{
	if (!c->cg.pure_v2 && pipe2(c->go, O_CLOEXEC) < 0)
		return fail("pipe");
	int pidfd = -1;
	pid_t pid = clone3_container(c, ns_flags, &pidfd);
	if (pid == 0) {
		entry(c);
		_exit(EXIT_SETUP_FAILED); /* entry never returns */
	}
	int ret = -1;
	if (pid < 0) {
		fail("clone3");
		goto out;
	}
	/* a parent that cannot place the child closes the pipe unwritten: the child exits before its setup */
	if (cgroups_enter(&c->cg, pid) == 0 && (c->cg.pure_v2 || write(c->go[1], "g", 1) == 1))
		ret = 0;
	if (!c->cg.pure_v2)
		close(c->go[1]);
	siginfo_t info;
	if (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0) {
		ret = fail("wait for the container");
		goto out;
	}
	if (ret == 0)
		ret = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
out:
	if (pidfd >= 0)
		close(pidfd);
	if (!c->cg.pure_v2) {
		close(c->go[0]);
		if (pid < 0)
			close(c->go[1]);
	}
	return ret;
}

static int load_seccomp(const char *path, struct container *c, struct sock_filter *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s", path);
	ssize_t n = read(fd, buf, MAX_BPF_BYTES);
	close(fd);
	if (n <= 0 || n % (ssize_t)sizeof(struct sock_filter)) {
		errno = EINVAL;
		return fail("%s: not a BPF program", path);
	}
	c->seccomp = (struct sock_fprog){ .len = (unsigned short)(n / (ssize_t)sizeof(struct sock_filter)), .filter = buf };
	return 0;
}

static int cmd_run(int argc, char **argv, struct container *c)
{
	static struct sock_filter filter[BPF_MAXINSNS];
	char name[64], rootfs[PATH_MAX];
	snprintf(name, sizeof(name), "hull-floor-%d", getpid());
	c->name = name;
	int i = 0;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--name") == 0)
			c->name = argv[i + 1];
		else if (strcmp(argv[i], "--seccomp") == 0) {
			if (load_seccomp(argv[i + 1], c, filter) < 0)
				return 1;
		} else
			break;
	}
	if (i + 1 != argc || strchr(c->name, '/'))
		return -1;
	/* the rootfs by an absolute path: the child binds it onto itself and chdirs there */
	if (realpath(argv[i], rootfs) == NULL || strlen(rootfs) + sizeof("/rootfs") > sizeof(rootfs)) {
		fail("bundle %s", argv[i]);
		return 1;
	}
	strcat(rootfs, "/rootfs");
	c->rootfs = rootfs;
	if (cgroups_find("/proc/self/cgroup", c->name, &c->cg) < 0 || cgroups_make(&c->cg) < 0)
		return 1;
	int status = spawn_and_wait(c, NEW_NAMESPACES, container_init);
	cgroups_remove(&c->cg);
	return status < 0 ? 1 : status;
}

static int cmd_exec(int argc, char **argv, struct container *c)
{
	char *end;
	long pid = argc == 1 ? strtol(argv[0], &end, 10) : 0;
	if (pid <= 0 || *end)
		return -1;
	char proc_cgroup[64];
	snprintf(proc_cgroup, sizeof(proc_cgroup), "/proc/%ld/cgroup", pid);
	c->target_pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (c->target_pidfd < 0) {
		fail("pidfd_open %ld", pid);
		return 1;
	}
	int status = -1;
	if (cgroups_find(proc_cgroup, NULL, &c->cg) < 0)
		goto out;
	if (c->cg.pure_v2 && (c->cg.n == 0 || (c->cg.v2_fd = open(c->cg.h[0].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)) {
		fail("open the cgroup of %ld", pid);
		goto out;
	}
	/* the pid namespace is entered by the next child, not by this process */
	if (setns(c->target_pidfd, CLONE_NEWPID) < 0) {
		fail("setns into the pid namespace of %ld", pid);
		goto out;
	}
	status = spawn_and_wait(c, 0, container_join);
out:
	if (c->cg.v2_fd >= 0)
		close(c->cg.v2_fd);
	close(c->target_pidfd);
	return status < 0 ? 1 : status;
}

int main(int argc, char **argv)
{
	static struct container c = { .target_pidfd = -1, .cg.v2_fd = -1 };
	/* ^C or a kill between mkdir and rmdir would leave the cgroups: such signals wait until they are gone */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &c.old_mask);
	int ret = -1;
	if (argc == 2 && strcmp(argv[1], "--version") == 0) /* the floor of a runtime's start-up: nothing */
		ret = puts("hull-floor (bench/floor.c)") < 0;
	else if (argc >= 2 && strcmp(argv[1], "run") == 0)
		ret = cmd_run(argc - 2, argv + 2, &c);
	else if (argc >= 2 && strcmp(argv[1], "exec") == 0)
		ret = cmd_exec(argc - 2, argv + 2, &c);
	if (ret < 0) {
		fputs("usage: hull-floor run [--name NAME] [--seccomp BPF-FILE] BUNDLE\n"
		      "       hull-floor exec PID\n"
		      "       hull-floor --version\n",
		      stderr);
		return 2;
	}
	return ret;
}
