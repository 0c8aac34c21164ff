#!/usr/bin/python3
# replay.py TMPDIR FIXTURE.json: runs an engine-generated config under runc and under hull and compares the kernel
# state each gives the container.  Must never change a fixture beyond the rewrites in configs/README.md.
#
# Everything happens in this one process (the machine is slow to fork): the bundle is made here, the container
# runs a probe of shell builtins only, and the state is read from /proc/PID and the cgroup files from outside
# while the probe waits on a fifo.  Prints "DIFF KEY: runc=[...] hull=[...]" per unlisted difference, exits 1
# on any; known differences (configs/known-differences) are printed as "known:" and do not fail.
import fnmatch
import json
import os
import shutil
import stat
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HULL = os.environ.get("HULL") or os.path.join(REPO, "build", "hull")
RUNC = os.environ.get("RUNC_BIN", "/usr/sbin/runc")
TTYHELPER = os.environ.get("TTYHELPER", "")
CMD_TIMEOUT = int(os.environ.get("DIFF_CMD_TIMEOUT", "30"))
KNOWN = os.environ.get("DIFF_KNOWN") or os.path.join(HERE, "..", "configs", "known-differences")

CAPS = ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE"]

CG_FILES = {
    "memory": ["memory.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.memsw.limit_in_bytes",
               "memory.swappiness", "memory.kmem.limit_in_bytes", "memory.kmem.tcp.limit_in_bytes",
               "memory.oom_control", "memory.use_hierarchy"],
    "cpu": ["cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.rt_runtime_us", "cpu.rt_period_us",
            "cpu.idle", "cpu.cfs_burst_us"],
    "cpuset": ["cpuset.cpus", "cpuset.mems", "cpuset.cpu_exclusive", "cpuset.mem_exclusive"],
    "pids": ["pids.max"],
    "blkio": ["blkio.weight", "blkio.bfq.weight", "blkio.weight_device", "blkio.bfq.weight_device",
              "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
              "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"],
    "devices": ["devices.list"],
    "net_cls": ["net_cls.classid"],
    "net_prio": ["net_prio.ifpriomap"],
    "freezer": ["freezer.state"],
}
NAMESPACES = ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "uts", "user"]


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


class Replay:
    def __init__(self, tmp, fixture):
        self.tmp = tmp
        self.fixture = fixture
        self.name = os.path.basename(fixture)[:-len(".json")]
        with open(fixture) as f:
            self.spec = json.load(f)
        self.sfx = os.path.basename(tmp).split(".")[-1]
        self.cg = "hulldiff-" + self.sfx
        self.bundle = os.path.join(tmp, "bundle")
        self.template = os.environ["DIFF_TPL"]
        self.mounted = []

    # --- the documented rewrites (configs/README.md) -------------------------------------------------------
    def engine_source(self, src):
        """A mount source the engine made (@TMP@/...): a file or dir in TMP/engine, made once per replay."""
        rel = src[len("@TMP@/"):].replace("@ID@", "id")
        path = os.path.join(self.tmp, "engine", rel)
        if os.path.lexists(path):
            return path
        base = os.path.basename(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if "." in base or base in ("hostname", "hosts", "passwd", "group"):
            content = {"hostname": "engine-hostname\n", "hosts": "127.0.0.1\tlocalhost\n",
                       "resolv.conf": "nameserver 127.0.0.1\n"}.get(base, "")
            with open(path, "w") as f:
                f.write(content)
        else:
            os.makedirs(path)
            if base == "vol":  # the engines' volume was a shared mount (rshared binds need one)
                subprocess.run(["mount", "--bind", path, path], check=True)
                self.mounted.append(path)
                subprocess.run(["mount", "--make-shared", path], check=True)
        return path

    def adapt(self, rt_name):
        spec = json.loads(json.dumps(self.spec))
        spec["root"]["path"] = "rootfs"
        proc = spec["process"]
        proc["args"] = ["/bin/sh", "/.probe"]
        linux = spec.setdefault("linux", {})
        linux["cgroupsPath"] = "/%s/%s" % (self.cg, rt_name)
        spec.pop("hooks", None)  # the engines' hooks (network setup) name the engine's binary and state
        for ns in linux.get("namespaces", []):
            if ns.get("path") == "@NETNS@":  # a netns the engine made and removed: a new one
                del ns["path"]
            elif ns.get("path", "").startswith("@TMP@/") and ns["path"].endswith("/netns/default"):
                # docker's --network host: its bind mount of the host's netns; the test's is the host's
                ns["path"] = "/proc/%d/ns/net" % os.getpid()
        for m in spec.get("mounts", []):
            if m.get("source", "").startswith("@TMP@/"):
                m["source"] = self.engine_source(m["source"])
        # this machine's processes lack capabilities (CAP_SYS_RESOURCE): neither runtime can give them
        bnd = int(read("/proc/self/status").split("CapBnd:")[1].split()[0], 16)
        have = {"CAP_" + n for i, n in enumerate(CAPS) if bnd >> i & 1}
        for kind, caps in (proc.get("capabilities") or {}).items():
            proc["capabilities"][kind] = [c for c in caps if c in have or c[4:] not in CAPS]
        # nor raise a hard rlimit above its own (no CAP_SYS_RESOURCE)
        import resource
        own = {"RLIMIT_NOFILE": resource.RLIMIT_NOFILE, "RLIMIT_NPROC": resource.RLIMIT_NPROC,
               "RLIMIT_MEMLOCK": resource.RLIMIT_MEMLOCK, "RLIMIT_CORE": resource.RLIMIT_CORE,
               "RLIMIT_STACK": resource.RLIMIT_STACK}
        for rl in proc.get("rlimits", []):
            if rl["type"] in own:
                hard = resource.getrlimit(own[rl["type"]])[1]
                if hard != resource.RLIM_INFINITY and rl["hard"] > hard:
                    rl["hard"] = hard
                    rl["soft"] = min(rl["soft"], hard)
        return spec

    def own_rootfs(self, spec):
        """With a user namespace the engine had chowned its rootfs to the mapped root: so does the replay."""
        linux = spec.get("linux") or {}
        if not any(n.get("type") == "user" for n in linux.get("namespaces", [])):
            return
        uid = next((m["hostID"] for m in linux.get("uidMappings", []) if m["containerID"] == 0), 0)
        gid = next((m["hostID"] for m in linux.get("gidMappings", []) if m["containerID"] == 0), 0)
        os.chmod(self.tmp, 0o711)  # the mapped root must reach the bundle
        for top, dirs, files in os.walk(self.bundle):
            for n in [top] + [os.path.join(top, x) for x in dirs + files]:
                os.lchown(n, uid, gid)

    def probe(self):
        """Shell builtins only: what only the inside can tell; then wait on /.fifo while the outside reads."""
        lines = ["exec 2>/dev/null",
                 'read h </proc/sys/kernel/hostname; echo "hostname $h"',
                 'read d </proc/sys/kernel/domainname; echo "domainname $d"',
                 'echo "cwd $PWD"']
        for k in sorted((self.spec.get("linux") or {}).get("sysctl") or {}):
            lines.append('read v </proc/sys/%s; echo "sysctl.%s $v"' % (k.replace(".", "/"), k))
        lines += ['for f in /dev/* /dev/pts/* /dev/mqueue/* /dev/shm/*; do',
                  '  if [ -c "$f" ] || [ -b "$f" ]; then',
                  '    if true <"$f"; then echo "open.$f yes"; else echo "open.$f no"; fi',
                  '  fi',
                  'done',
                  'for d in / /tmp /dev /dev/shm /run; do',
                  '  if true >"$d/.w"; then echo "writable.$d yes"; else echo "writable.$d no"; fi',
                  'done',
                  'echo probe-done',
                  'read x </.fifo']
        return "\n".join(lines) + "\n"

    # --- one run --------------------------------------------------------------------------------------------
    def run(self, rt, rt_name):
        state = {}
        shutil.rmtree(self.bundle, ignore_errors=True)
        os.makedirs(self.bundle)
        shutil.copytree(os.path.join(self.template, "rootfs"), os.path.join(self.bundle, "rootfs"), symlinks=True)
        spec = self.adapt(rt_name)
        with open(os.path.join(self.bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        rootfs = os.path.join(self.bundle, "rootfs")
        with open(os.path.join(rootfs, ".probe"), "w") as f:
            f.write(self.probe())
        os.chmod(os.path.join(rootfs, ".probe"), 0o755)
        fifo = os.path.join(rootfs, ".fifo")
        os.mkfifo(fifo)
        os.chmod(fifo, 0o666)
        self.own_rootfs(spec)
        cid = "d%s-%s" % (self.sfx, rt_name)
        root = os.path.join(self.tmp, "state-" + rt_name)
        out = os.path.join(self.tmp, rt_name + ".stdout")
        err = os.path.join(self.tmp, rt_name + ".err")
        base = [rt, "--root", root]
        self.started = getattr(self, "started", []) + [(base, cid)]
        terminal = bool(spec["process"].get("terminal"))
        cons = []
        if terminal:
            sock = os.path.join(self.tmp, rt_name + ".sock")
            subprocess.run([TTYHELPER, "recv", "-d", "-p", out + ".pid", "-o", out, sock], check=True,
                           timeout=CMD_TIMEOUT)
            cons = ["--console-socket", sock]
        with open(out if not terminal else out + ".create", "wb") as o, open(err, "wb") as e:
            r = subprocess.run(base + ["create"] + cons + ["--bundle", self.bundle, cid], stdin=subprocess.DEVNULL,
                               stdout=o, stderr=e, cwd=self.bundle, timeout=CMD_TIMEOUT)
        if r.returncode != 0:
            return {"create": "failed: " + read(err, "").strip().replace("\n", " ")[-300:]}
        state["create"] = "ok"
        st = json.loads(subprocess.run(base + ["state", cid], capture_output=True, timeout=CMD_TIMEOUT,
                                       check=True).stdout)
        pid = st["pid"]
        self.read_cgroups(pid, state)  # as create left them
        r = subprocess.run(base + ["start", cid], stdin=subprocess.DEVNULL, capture_output=True, timeout=CMD_TIMEOUT)
        if r.returncode != 0:
            state["start"] = "failed: " + r.stderr.decode(errors="replace").strip()[-300:]
            return state
        deadline = time.time() + 10
        while time.time() < deadline and b"probe-done" not in (open(out, "rb").read() if os.path.exists(out) else b""):
            time.sleep(0.02)
        if b"probe-done" not in open(out, "rb").read():
            state["probe"] = "no probe-done after 10s: " + open(out, "rb").read().decode(errors="replace")[-300:]
        else:
            self.read_proc(pid, state)
        # let the probe go, and wait for it to end
        deadline = time.time() + 5
        while time.time() < deadline:  # the probe may not have opened it yet (ENXIO)
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC))
                break
            except OSError:
                time.sleep(0.02)
        deadline = time.time() + 10
        while time.time() < deadline and os.path.exists("/proc/%d" % pid) and \
                (read("/proc/%d/stat" % pid, "x ) Z").rsplit(")", 1)[1].split()[0] != "Z"):
            time.sleep(0.02)
        if terminal:
            tpid = int(read(out + ".pid", "0").strip() or 0)
            deadline = time.time() + 5
            while tpid and time.time() < deadline and os.path.exists("/proc/%d" % tpid):
                time.sleep(0.02)
        r = subprocess.run(base + ["delete", "--force", cid], capture_output=True, timeout=CMD_TIMEOUT)
        if r.returncode != 0:
            state["delete"] = "failed: " + r.stderr.decode(errors="replace").strip()[-200:]
        self.started.remove((base, cid))
        for line in open(out, "rb").read().decode(errors="replace").replace("\r", "").splitlines():
            if line.startswith("open.") or line.startswith(("hostname ", "domainname ", "cwd ", "sysctl.",
                                                            "writable.")):
                k, _, v = line.partition(" ")
                state[k] = " ".join(v.split())
        return state

    def norm(self, s, rt_name):
        return s.replace(self.tmp, "@T@").replace("/%s/%s" % (self.cg, rt_name), "@CG@")

    def read_cgroups(self, pid, state):
        paths = {}
        for line in read("/proc/%d/cgroup" % pid, "").splitlines():
            _, ctrls, path = line.split(":", 2)
            for c in ctrls.split(","):
                paths[c] = path
        for ctrl, files in CG_FILES.items():
            if ctrl not in paths:
                state["cg." + ctrl] = "no cgroup"
                continue
            for f in files:
                v = read("/sys/fs/cgroup/%s%s/%s" % (ctrl, paths[ctrl], f))
                if v is not None:
                    lines = [" ".join(l.split()) for l in v.splitlines()]
                    if f == "devices.list":  # a set: the kernel lists rules in the order they were written
                        lines.sort()
                    state["cg." + f] = ",".join(lines)

    def read_proc(self, pid, state):
        p = "/proc/%d/" % pid
        rt_name = self.cur
        for line in read(p + "status", "").splitlines():
            k, _, v = line.partition(":")
            if k.startswith("Cap") or k in ("NoNewPrivs", "Seccomp", "Seccomp_filters", "Uid", "Gid", "Groups",
                                            "Umask", "Speculation_Store_Bypass"):
                state["status." + k] = " ".join(v.split())
        env = read(p + "environ", "").split("\0")
        for e in env:
            if e:
                k, _, v = e.partition("=")
                state["env." + k] = v
        for line in read(p + "limits", "").splitlines()[1:]:
            state["limit." + "_".join(line[:26].split())] = " ".join(line[26:].split())
        for f in ("uid_map", "gid_map", "setgroups", "oom_score_adj", "loginuid", "attr/current", "personality"):
            v = read(p + f)
            if v is not None:
                state[f] = ",".join(" ".join(l.split()) for l in v.splitlines())
        state["cwd.host"] = self.norm(os.readlink(p + "cwd"), rt_name)
        state["root.host"] = self.norm(os.readlink(p + "root"), rt_name)
        for ns in NAMESPACES:
            try:
                mine = os.readlink("/proc/self/ns/" + ns)
                theirs = os.readlink(p + "ns/" + ns)
                state["ns." + ns] = "host" if mine == theirs else "private"
            except OSError:
                pass
        for line in read(p + "cgroup", "").splitlines():
            _, ctrls, path = line.split(":", 2)
            state["cgroup." + ctrls] = self.norm(path, rt_name)
        # peer groups: their numbers differ per run; whether they are the host's (propagation to and from
        # the host) does not
        host_groups = set()
        for line in read("/proc/self/mountinfo", "").splitlines():
            f = line.split()
            host_groups.update(o.split(":")[1] for o in f[6:f.index("-")] if ":" in o)
        seen = {}
        for line in read(p + "mountinfo", "").splitlines():
            f = line.split()
            sep = f.index("-")
            opt = " ".join(o.split(":")[0] + (":host" if o.split(":")[1] in host_groups else ":own")
                           if ":" in o else o for o in f[6:sep])
            mp = f[4]
            seen[mp] = seen.get(mp, 0) + 1
            state["mount.%s#%d" % (mp, seen[mp])] = self.norm(
                "root=%s opts=%s prop=%s fs=%s src=%s super=%s" % (f[3], f[5], opt, f[sep + 1], f[sep + 2],
                                                                 f[sep + 3]), rt_name)
        droot = p + "root/dev"
        for d in ("", "/pts", "/mqueue", "/shm"):
            try:
                names = sorted(os.listdir(droot + d))
            except OSError:
                continue
            for n in names:
                path = "%s%s/%s" % (droot, d, n)
                try:
                    s = os.lstat(path)
                except OSError:
                    continue
                if stat.S_ISLNK(s.st_mode):
                    v = "link " + os.readlink(path)
                else:
                    kind = {stat.S_IFCHR: "c", stat.S_IFBLK: "b", stat.S_IFDIR: "d", stat.S_IFREG: "f",
                            stat.S_IFIFO: "p", stat.S_IFSOCK: "s"}.get(stat.S_IFMT(s.st_mode), "?")
                    v = "%s %o %d:%d" % (kind, stat.S_IMODE(s.st_mode), s.st_uid, s.st_gid)
                    if kind in "cb":
                        v += " %d:%d" % (os.major(s.st_rdev), os.minor(s.st_rdev))
                state["dev%s/%s" % (d, n)] = v

    def cleanup(self):
        for base, cid in getattr(self, "started", []):
            subprocess.run(base + ["delete", "--force", cid], capture_output=True, timeout=CMD_TIMEOUT)
        for rt_name in ("runc", "hull"):
            try:
                tpid = int(read(os.path.join(self.tmp, rt_name + ".stdout.pid"), "0").strip() or 0)
                if tpid:
                    os.kill(tpid, 15)
            except (OSError, ValueError):
                pass
        for m in reversed(self.mounted):
            subprocess.run(["umount", "-l", m], capture_output=True)

    def replay(self):
        results = {}
        try:
            for rt, rt_name in ((RUNC, "runc"), (HULL, "hull")):
                self.cur = rt_name
                results[rt_name] = self.run(rt, rt_name)
        finally:
            self.cleanup()
        return results


def known(name):
    out = []
    for line in open(KNOWN):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) == 3:
            out.append(parts)
    return [(k, r) for f, k, r in out if fnmatch.fnmatchcase(name, f)]


def main():
    tmp, fixture = sys.argv[1], sys.argv[2]
    rp = Replay(tmp, fixture)
    res = rp.replay()
    runc, hull = res["runc"], res["hull"]
    if runc.get("create") != "ok" or "start" in runc or "probe" in runc:
        print("runc itself did not run the probe of %s (adapt the fixture in replay.py): %s" % (rp.name, runc))
        return 1
    if hull.get("create") != "ok":  # nothing else to compare
        keys = ["create"]
    else:
        keys = sorted(set(runc) | set(hull))
    allowed = known(rp.name)
    bad = 0
    for k in keys:
        rv, hv = runc.get(k, "<absent>"), hull.get(k, "<absent>")
        if rv == hv:
            continue
        reason = next((r for kp, r in allowed if fnmatch.fnmatchcase(k, kp)), None)
        if reason:
            print("known: %s: runc=[%s] hull=[%s] (%s)" % (k, rv, hv, reason))
        else:
            print("DIFF %s %s: runc=[%s] hull=[%s]" % (rp.name, k, rv, hv))
            bad = 1
    print("%s: %d keys compared" % (rp.name, len(keys)))
    return bad


if __name__ == "__main__":
    sys.exit(main())
