#!/usr/bin/env python3
"""treecmp.py A B - compare two unpacked trees entry by entry: paths, types, modes, owners, sizes, sha256 of content,
link targets, xattrs, device numbers, hardlink groups and regular files' mtimes. Prints the differences, exits 1.
Must never change either tree: it only reads (lstat, readlink, listxattr, open O_RDONLY|O_NOFOLLOW of files)."""
import hashlib
import os
import stat
import sys

# overlayfs' own bookkeeping (set on the merged view's lower dirs), not content
IGNORED_XATTRS = ("trusted.overlay.",)


def describe(root):
    entries = {}
    inodes = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames) + ([] if dirpath != root else ["."]):
            full = os.path.join(dirpath, name) if name != "." else root
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            kind = stat.S_IFMT(st.st_mode)
            d = {
                "type": {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink", stat.S_IFCHR: "char",
                         stat.S_IFBLK: "block", stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket"}[kind],
                "mode": oct(stat.S_IMODE(st.st_mode)),
                "owner": (st.st_uid, st.st_gid),
            }
            if kind == stat.S_IFREG:
                h = hashlib.sha256()
                fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
                with os.fdopen(fd, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                d.update(size=st.st_size, sha256=h.hexdigest(), mtime=st.st_mtime_ns)
                inodes.setdefault((st.st_dev, st.st_ino), []).append(rel)
            elif kind == stat.S_IFLNK:
                d["target"] = os.readlink(full)
            elif kind in (stat.S_IFCHR, stat.S_IFBLK):
                d["rdev"] = (os.major(st.st_rdev), os.minor(st.st_rdev))
            if kind != stat.S_IFLNK:
                d["xattrs"] = sorted((k, os.getxattr(full, k, follow_symlinks=False))
                                     for k in os.listxattr(full, follow_symlinks=False)
                                     if not k.startswith(IGNORED_XATTRS))
            entries[rel] = d
    for group in inodes.values():
        for rel in group:
            entries[rel]["links"] = sorted(group)
    return entries


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: treecmp.py A B")
    a, b = describe(sys.argv[1]), describe(sys.argv[2])
    diffs = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a or rel not in b:
            diffs.append(f"{rel}: only in {sys.argv[1] if rel in a else sys.argv[2]}")
            continue
        for key in sorted(set(a[rel]) | set(b[rel])):
            if a[rel].get(key) != b[rel].get(key):
                diffs.append(f"{rel}: {key} {a[rel].get(key)!r} != {b[rel].get(key)!r}")
    for line in diffs:
        print(line)
    print(f"treecmp: {len(a)} entries in {sys.argv[1]}, {len(b)} in {sys.argv[2]}, {len(diffs)} differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
