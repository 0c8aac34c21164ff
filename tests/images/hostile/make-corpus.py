#!/usr/bin/env python3
"""make-corpus.py OUTDIR SENTINEL - hostile layers for hostile.bats: escapes by name, symlink, hardlink and whiteout,
odd entries, absurd names, decompression bombs, broken streams. Writes OUTDIR/<case>.blob and OUTDIR/cases.tsv
(case, unpacktool flags, "fail" and the words of its one error line, or "ok" and a path that must be inside).
SENTINEL is the directory the layers aim at from outside. Must never write anything but OUTDIR: stdlib only."""
import gzip
import io
import os
import random
import struct
import sys
import tarfile

OUT, SENTINEL = sys.argv[1], os.path.abspath(sys.argv[2])
MIB = 1 << 20
BOMB = 1 << 30  # the uncompressed size of each bomb
BOMB_LIMIT = 16 * MIB  # the --max-bytes they run with
APPLY = "--apply --owners"
cases = []


def tar_bytes(entries, fmt=tarfile.PAX_FORMAT):
    """entries: (name, type, extra dict) -> the tar's bytes"""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, kind, extra in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.mtime = 1700000000
            info.mode = extra.get("mode", 0o755 if kind == tarfile.DIRTYPE else 0o644)
            data = extra.get("data", b"")
            if kind == tarfile.REGTYPE:
                info.size = len(data)
            info.linkname = extra.get("link", "")
            info.devmajor, info.devminor = extra.get("dev", (0, 0))
            info.pax_headers = extra.get("pax", {})
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return buf.getvalue()


def F(name, data=b"escaped", **kw):
    return (name, tarfile.REGTYPE, dict(data=data, **kw))


def D(name, **kw):
    return (name, tarfile.DIRTYPE, kw)


def S(name, target):
    return (name, tarfile.SYMTYPE, dict(link=target, mode=0o777))


def H(name, target):
    return (name, tarfile.LNKTYPE, dict(link=target))


def case(name, blob, flags, expect, what):
    with open(os.path.join(OUT, name + ".blob"), "wb") as f:
        f.write(blob)
    cases.append((name, flags, expect, what))


def tar_case(name, entries, expect, what, flags=APPLY, fmt=tarfile.PAX_FORMAT):
    case(name, tar_bytes(entries, fmt), flags, expect, what)


os.makedirs(OUT, exist_ok=True)
sent_file = os.path.join(SENTINEL, "file")
sent_dir = os.path.join(SENTINEL, "dir")

# ---- names ----
tar_case("absolute-name", [F("/abs/file")], "ok", "abs/file")
tar_case("absolute-name-of-the-sentinel", [F(sent_file)], "ok", sent_file.lstrip("/"))
tar_case("dotdot-first", [F("../escaped")], "fail", "leaves the layer")
tar_case("dotdot-middle", [D("a"), F("a/../../escaped")], "fail", "leaves the layer")
tar_case("dotdot-last", [D("a"), D("a/b"), D("a/b/../../..")], "fail", "leaves the layer")
tar_case("dotdot-after-root", [F("/../../escaped")], "fail", "leaves the layer")
tar_case("dotdot-inside-is-cleaned", [F("a/b/../c")], "ok", "a/c")
tar_case("pax-path-overrides-a-safe-name", [F("safe", pax={"path": "../escaped"})], "fail", "leaves the layer")
tar_case("gnu-longname-escape", [F("../" + "n" * 150)], "fail", "leaves the layer", fmt=tarfile.GNU_FORMAT)
tar_case("name-of-5000-bytes", [F("a/" * 2500)], "fail", "bytes (at most 4095)")
tar_case("component-of-300-bytes", [F("c" * 300)], "fail", "file name too long")
tar_case("nested-10000-levels", [F("d/" * 10000 + "f")], "fail", "bytes (at most 4095)")
tar_case("root-as-a-symlink", [S("./", "/")], "fail", "the layer's root must be a directory")

# ---- symlinks ----
tar_case("symlink-absolute-then-write-through", [S("a", sent_dir), F("a/file")], "fail", "symlink to nowhere")
tar_case("symlink-dotdot-then-write-through", [S("a", "../../../.."), F("a/escaped")], "ok", "escaped")
tar_case("symlink-to-dir-then-file-below", [D("sub"), S("d", "sub"), F("d/file")], "ok", "sub/file")
tar_case("symlink-then-file-of-that-name", [S("s", sent_file), F("s", b"overwritten")], "ok", "s")
tar_case("file-replaced-by-symlink-then-written",
         [F("f", b"first"), S("f", sent_file), F("f", b"overwritten")], "ok", "f")
tar_case("symlink-then-directory-of-that-name", [S("s", sent_dir), D("s"), F("s/file")], "ok", "s/file")

# ---- hardlinks ----
tar_case("hardlink-to-etc-passwd", [H("h", "/etc/passwd")], "fail", "which the layer does not hold")
tar_case("hardlink-dotdot", [H("h", "../escaped")], "fail", "leaves the layer")
tar_case("hardlink-to-the-sentinel", [H("h", sent_file)], "fail", "which the layer does not hold")
tar_case("hardlink-through-a-symlinked-dir", [S("p", SENTINEL), H("h", "p/file")], "fail",
         "which the layer does not hold")
tar_case("hardlink-to-a-symlink-pointing-out", [S("s", sent_file), H("h", "s"), F("h", b"overwritten")], "ok", "h")
tar_case("hardlink-to-a-symlink-links-the-symlink", [S("s", sent_file), H("h", "s")], "ok", "h")
tar_case("hardlink-to-a-directory", [D("d"), H("h", "d")], "fail", "a hardlink to directory")

# ---- whiteouts ----
tar_case("whiteout-dotdot", [F("../.wh.sentinel")], "fail", "leaves the layer")
tar_case("whiteout-absolute", [F(os.path.join(SENTINEL, ".wh.file"))], "ok", "-")
tar_case("whiteout-named-dotdot", [F(".wh..")], "fail", "names no entry")
tar_case("whiteout-in-a-symlinked-dir", [S("o", SENTINEL), F("o/.wh.file")], "ok", "o")
tar_case("whiteout-in-a-dotdot-symlink", [S("o", ".."), F("o/.wh.sentinel")], "ok", "o")
tar_case("opaque-in-a-symlinked-dir", [S("o", SENTINEL), F("o/.wh..wh..opq")], "ok", "o")
tar_case("opaque-in-a-symlinked-dir-overlay", [S("o", SENTINEL), F("o/.wh..wh..opq")], "ok", "o", flags="--owners")
tar_case("whiteout-overlay-through-symlink", [S("o", SENTINEL), F("o/.wh.file")], "ok", "o", flags="--owners")

# ---- odd entries ----
tar_case("devices-and-setuid-oddities",
         [("dev/mem", tarfile.CHRTYPE, dict(dev=(1, 1), mode=0o6666)),
          ("dev/sda", tarfile.BLKTYPE, dict(dev=(8, 0), mode=0o7777)),
          ("dev/fifo", tarfile.FIFOTYPE, dict(mode=0o2644)),
          F("bin/su", b"#!/bin/false\n", mode=0o6755)], "ok", "dev/mem")

# ---- streams ----
layer = tar_bytes([F("file", os.urandom(4096))])
case("truncated-tar", layer[:1536], APPLY, "fail", "Truncated tar archive")
case("truncated-gzip", gzip.compress(layer)[:-100], APPLY + " --gzip", "fail", "truncated gzip input")
rng = random.Random(42)
case("garbage", bytes(rng.randrange(256) for _ in range(8192)), APPLY, "fail", "Unrecognized archive format")
case("gzip-declared-zstd", gzip.compress(layer), APPLY + " --zstd", "fail", "the blob is gzip, its media type says zstd")
case("plain-declared-gzip", layer, APPLY + " --gzip", "fail", "its media type says gzip")

# a gzip bomb: a tar header for a 1 GiB file, then 1 GiB of zeros as 1024 gzip members of 1 MiB each (multi-member
# gzip is one stream), a few hundred KiB on disk
info = tarfile.TarInfo("zeros")
info.size = BOMB
header = info.tobuf(tarfile.USTAR_FORMAT)
member = gzip.compress(b"\0" * MIB, compresslevel=9)
case("gzip-bomb", gzip.compress(header) + member * (BOMB // MIB), APPLY + f" --gzip --max-bytes {BOMB_LIMIT}",
     "fail", "decompression bomb")


def zstd_block(last, kind, size, content):
    return struct.pack("<I", (size << 3) | (kind << 1) | int(last))[:3] + content


# a zstd bomb, written by hand (stdlib has no zstd): one frame, the header as a raw block, then 1 GiB of zeros as
# RLE blocks of 128 KiB (one byte each)
BLOCK = 128 << 10
frame = b"\x28\xb5\x2f\xfd" + b"\x00" + bytes([7 << 3])  # no content size, window 1 << (10 + 7)
frame += zstd_block(False, 0, len(header), header)
n = BOMB // BLOCK
frame += b"".join(zstd_block(i == n - 1, 1, BLOCK, b"\0") for i in range(n))
case("zstd-bomb", frame, APPLY + f" --zstd --max-bytes {BOMB_LIMIT}", "fail", "decompression bomb")

with open(os.path.join(OUT, "cases.tsv"), "w") as f:
    for c in cases:
        f.write("\t".join(c) + "\n")
print(len(cases))
