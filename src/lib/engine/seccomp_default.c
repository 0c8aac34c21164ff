/* seccomp_default.c - hull's default seccomp profile as a compact table (an allowlist behaving as Docker's and podman's
 * default: EPERM for the rest, more with more capabilities, clone's namespace flags and clone3 refused without
 * CAP_SYS_ADMIN), and Docker-format profile files. Must never keep an entry whose condition the container fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "engine/seccomp_default.h"
#include "linux/caps.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define PROFILE_MAX ((size_t)4 << 20)
#define CLONE_NAMESPACE_FLAGS 2114060288ULL /* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
#define PERSONALITY_ANY 4294967295ULL       /* personality(0xffffffff): a query */

#if defined(__x86_64__)
#define GO_ARCH "amd64"
static const char *const native_arches[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
#elif defined(__aarch64__)
#define GO_ARCH "arm64"
static const char *const native_arches[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
#else
#define GO_ARCH ""
static const char *const native_arches[] = { NULL };
#endif

/* Every call a container may make whatever its capabilities (names libseccomp lacks are skipped by the compiler).
 * As Docker since 25.0: io_uring is left out (its calls bypass this filter); ptrace and process_vm_* are in, as Docker
 * allows them on kernels from 4.8. */
static const char allowed[] =
	"accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32 "
	"clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep "
	"clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 "
	"epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit "
	"exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 "
	"fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat "
	"fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait "
	"futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32 getgid "
	"getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid getpriority getrandom "
	"getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage getsid getsockname getsockopt "
	"get_thread_area gettid gettimeofday getuid getuid32 getxattr inotify_add_watch inotify_init inotify_init1 "
	"inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents io_pgetevents_time64 ioprio_get "
	"ioprio_set io_setup io_submit ipc kill landlock_add_rule "
	"landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat listen listxattr llistxattr "
	"_llseek lremovexattr lseek lsetxattr lstat lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret "
	"mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open "
	"mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv "
	"msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat _newselect open openat openat2 "
	"pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl "
	"pread64 preadv preadv2 prlimit64 process_mrelease process_vm_readv process_vm_writev pselect6 pselect6_time64 "
	"ptrace pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg "
	"recvmmsg_time64 recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir rseq "
	"rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait "
	"rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam sched_get_priority_max "
	"sched_get_priority_min sched_getscheduler sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity "
	"sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop "
	"semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 "
	"setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid setresgid32 "
	"setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid setsockopt set_thread_area "
	"set_tid_address setuid setuid32 setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 "
	"sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs statfs64 statx symlink symlinkat sync "
	"sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime "
	"timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime "
	"timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat utime utimensat "
	"utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write writev";

#define NO_CAP (-1)
#define CAP(n) n
#define SYS_ADMIN 21 /* the numbers of linux/capability.h, spelt here to keep the table readable */

struct arg_rule {
	bool set;
	unsigned index;
	unsigned long long value, value_two;
	const char *op;
};

/* One conditional entry: allowed (or errno) when the container has need_cap and lacks unless_cap. */
struct entry {
	const char *names;
	int need_cap, unless_cap;
	int errno_ret;  /* 0: SCMP_ACT_ALLOW */
	struct arg_rule arg;
	const char *go_arch; /* NULL: every architecture */
};

static const struct entry entries[] = {
	{ "socket", NO_CAP, NO_CAP, 0, { true, 0, 40, 0, "SCMP_CMP_NE" }, NULL }, /* AF_VSOCK stays refused */
	{ "personality", NO_CAP, NO_CAP, 0, { true, 0, 0, 0, "SCMP_CMP_EQ" }, NULL },
	{ "personality", NO_CAP, NO_CAP, 0, { true, 0, 8, 0, "SCMP_CMP_EQ" }, NULL },         /* UNAME26 */
	{ "personality", NO_CAP, NO_CAP, 0, { true, 0, 131072, 0, "SCMP_CMP_EQ" }, NULL },    /* ADDR_NO_RANDOMIZE */
	{ "personality", NO_CAP, NO_CAP, 0, { true, 0, 131080, 0, "SCMP_CMP_EQ" }, NULL },
	{ "personality", NO_CAP, NO_CAP, 0, { true, 0, PERSONALITY_ANY, 0, "SCMP_CMP_EQ" }, NULL },
	{ "arch_prctl modify_ldt", NO_CAP, NO_CAP, 0, { 0 }, "amd64" },
	{ "clone", NO_CAP, CAP(SYS_ADMIN), 0, { true, 0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ" }, NULL },
	{ "clone3", NO_CAP, CAP(SYS_ADMIN), ENOSYS, { 0 }, NULL }, /* its flags sit behind a pointer: libc falls back to clone */
	{ "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount mount_setattr move_mount "
	  "open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare",
	  CAP(SYS_ADMIN), NO_CAP, 0, { 0 }, NULL },
	{ "chroot", CAP(18) /* SYS_CHROOT */, NO_CAP, 0, { 0 }, NULL },
	{ "open_by_handle_at", CAP(2) /* DAC_READ_SEARCH */, NO_CAP, 0, { 0 }, NULL },
	{ "delete_module init_module finit_module", CAP(16) /* SYS_MODULE */, NO_CAP, 0, { 0 }, NULL },
	{ "iopl ioperm", CAP(17) /* SYS_RAWIO */, NO_CAP, 0, { 0 }, NULL },
	{ "kcmp pidfd_getfd process_madvise", CAP(19) /* SYS_PTRACE */, NO_CAP, 0, { 0 }, NULL },
	{ "acct", CAP(20) /* SYS_PACCT */, NO_CAP, 0, { 0 }, NULL },
	{ "reboot", CAP(22) /* SYS_BOOT */, NO_CAP, 0, { 0 }, NULL },
	{ "get_mempolicy mbind set_mempolicy set_mempolicy_home_node", CAP(23) /* SYS_NICE */, NO_CAP, 0, { 0 }, NULL },
	{ "settimeofday stime clock_settime clock_settime64", CAP(25) /* SYS_TIME */, NO_CAP, 0, { 0 }, NULL },
	{ "vhangup", CAP(26) /* SYS_TTY_CONFIG */, NO_CAP, 0, { 0 }, NULL },
	{ "syslog", CAP(34) /* SYSLOG */, NO_CAP, 0, { 0 }, NULL },
	{ "perf_event_open", CAP(38) /* PERFMON */, NO_CAP, 0, { 0 }, NULL },
	{ "bpf", CAP(39) /* BPF */, NO_CAP, 0, { 0 }, NULL },
};

static json_object *names_json(const char *names)
{
	json_object *a = json_object_new_array();
	for (const char *p = names; *p;) {
		size_t len = strcspn(p, " ");
		json_object_array_add(a, json_object_new_string_len(p, (int)len));
		p += len;
		p += strspn(p, " ");
	}
	return a;
}

static json_object *strs_json(const char *const *v)
{
	json_object *a = json_object_new_array();
	for (; *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static json_object *rule_json(json_object *names, int errno_ret)
{
	json_object *r = json_object_new_object();
	json_object_object_add(r, "names", names);
	json_object_object_add(r, "action", json_object_new_string(errno_ret ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW"));
	if (errno_ret)
		json_object_object_add(r, "errnoRet", json_object_new_int(errno_ret));
	return r;
}

static bool has_cap(uint64_t caps, int cap)
{
	return cap >= 0 && cap < 64 && (caps >> cap & 1);
}

static json_object *profile_head(const char *default_action, int default_errno, json_object *arches)
{
	json_object *p = json_object_new_object();
	json_object_object_add(p, "defaultAction", json_object_new_string(default_action));
	if (default_errno)
		json_object_object_add(p, "defaultErrnoRet", json_object_new_int(default_errno));
	json_object_object_add(p, "architectures", arches);
	return p;
}

json_object *seccomp_default_profile(uint64_t caps)
{
	json_object *p = profile_head("SCMP_ACT_ERRNO", EPERM, strs_json(native_arches));
	json_object *rules = json_object_new_array();
	json_object_array_add(rules, rule_json(names_json(allowed), 0));
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		const struct entry *e = &entries[i];
		if ((e->need_cap != NO_CAP && !has_cap(caps, e->need_cap)) || has_cap(caps, e->unless_cap) ||
		    (e->go_arch && strcmp(e->go_arch, GO_ARCH) != 0))
			continue;
		json_object *r = rule_json(names_json(e->names), e->errno_ret);
		if (e->arg.set) {
			json_object *a = json_object_new_object();
			json_object_object_add(a, "index", json_object_new_int((int)e->arg.index));
			json_object_object_add(a, "value", json_object_new_uint64(e->arg.value));
			json_object_object_add(a, "valueTwo", json_object_new_uint64(e->arg.value_two));
			json_object_object_add(a, "op", json_object_new_string(e->arg.op));
			json_object *args = json_object_new_array();
			json_object_array_add(args, a);
			json_object_object_add(r, "args", args);
		}
		json_object_array_add(rules, r);
	}
	json_object_object_add(p, "syscalls", rules);
	return p;
}

/* "4.8" <= the running kernel? */
static bool kernel_at_least(const char *want)
{
	struct utsname u;
	unsigned wa = 0, wb = 0, ha = 0, hb = 0;
	if (uname(&u) < 0 || sscanf(want, "%u.%u", &wa, &wb) < 1 || sscanf(u.release, "%u.%u", &ha, &hb) < 1)
		return false;
	return ha > wa || (ha == wa && hb >= wb);
}

static bool strings_contain(json_object *arr, const char *s)
{
	size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0)
			return true;
	return false;
}

static bool caps_all_in(json_object *names, uint64_t caps, bool all)
{
	size_t n = json_object_is_type(names, json_type_array) ? json_object_array_length(names) : 0;
	for (size_t i = 0; i < n; i++) {
		bool in = has_cap(caps, caps_from_name(json_object_get_string(json_object_array_get_idx(names, i))));
		if (in != all)
			return !all;
	}
	return all;
}

/* Docker's rule: every include must hold (all its caps, our arch, the kernel), and no exclude (any cap, our arch,
 * the kernel reaching its minKernel). */
static bool entry_applies(json_object *call, uint64_t caps)
{
	json_object *inc = json_object_object_get(call, "includes"), *exc = json_object_object_get(call, "excludes");
	json_object *v;
	if (inc) {
		if (!caps_all_in(json_object_object_get(inc, "caps"), caps, true))
			return false;
		if ((v = json_object_object_get(inc, "arches")) && json_object_array_length(v) && !strings_contain(v, GO_ARCH))
			return false;
		if ((v = json_object_object_get(inc, "minKernel")) && !kernel_at_least(json_object_get_string(v)))
			return false;
	}
	if (exc) {
		json_object *c = json_object_object_get(exc, "caps");
		if (c && json_object_array_length(c) && caps_all_in(c, caps, false))
			return false;
		if ((v = json_object_object_get(exc, "arches")) && strings_contain(v, GO_ARCH))
			return false;
		if ((v = json_object_object_get(exc, "minKernel")) && kernel_at_least(json_object_get_string(v)))
			return false;
	}
	return true;
}

/* archMap: the entry of our architecture and its sub-architectures; else "architectures" as written */
static json_object *docker_arches(json_object *prof)
{
	json_object *map = json_object_object_get(prof, "archMap");
	size_t n = json_object_is_type(map, json_type_array) ? json_object_array_length(map) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(map, i);
		const char *a = json_object_get_string(json_object_object_get(m, "architecture"));
		if (a == NULL || !native_arches[0] || strcmp(a, native_arches[0]) != 0)
			continue;
		json_object *out = json_object_new_array();
		json_object_array_add(out, json_object_new_string(a));
		json_object *sub = json_object_object_get(m, "subArchitectures");
		for (size_t k = 0; json_object_is_type(sub, json_type_array) && k < json_object_array_length(sub); k++)
			json_object_array_add(out, json_object_get(json_object_array_get_idx(sub, k)));
		return out;
	}
	json_object *a = json_object_object_get(prof, "architectures");
	return a ? json_object_get(a) : json_object_new_array();
}

int seccomp_docker_profile(const char *path, uint64_t caps, json_object **out, hull_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (fs_read_file_max(AT_FDCWD, path, PROFILE_MAX, &text, NULL, err) < 0)
		return hull_err_prefix(err, "opening seccomp profile (%s) failed", path);
	json_object *prof = json_tokener_parse(text);
	if (!json_object_is_type(prof, json_type_object)) {
		json_object_put(prof);
		return hull_fail_code(err, EINVAL, "decoding seccomp profile failed: %s: not a JSON object", path);
	}
	json_object *v, *p = json_object_new_object();
	static const char *const kept[] = { "defaultAction", "defaultErrnoRet", "flags", "listenerPath", "listenerMetadata" };
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		if ((v = json_object_object_get(prof, kept[i])))
			json_object_object_add(p, kept[i], json_object_get(v));
	json_object_object_add(p, "architectures", docker_arches(prof));
	json_object *rules = json_object_new_array(), *calls = json_object_object_get(prof, "syscalls");
	for (size_t i = 0; json_object_is_type(calls, json_type_array) && i < json_object_array_length(calls); i++) {
		json_object *call = json_object_array_get_idx(calls, i);
		if (!entry_applies(call, caps))
			continue;
		json_object *names = json_object_object_get(call, "names");
		json_object *r = json_object_new_object();
		if (names)
			json_object_object_add(r, "names", json_object_get(names));
		else if ((v = json_object_object_get(call, "name"))) {
			names = json_object_new_array();
			json_object_array_add(names, json_object_get(v));
			json_object_object_add(r, "names", names);
		}
		static const char *const fields[] = { "action", "errnoRet", "args" };
		for (size_t k = 0; k < ARRAY_SIZE(fields); k++)
			if ((v = json_object_object_get(call, fields[k])))
				json_object_object_add(r, fields[k], json_object_get(v));
		json_object_array_add(rules, r);
	}
	json_object_object_add(p, "syscalls", rules);
	json_object_put(prof);
	*out = p;
	return 0;
}
