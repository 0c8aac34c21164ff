#!/bin/bash
# make-images.sh OUTDIR - the test images of unpack.bats, built offline as OCI layouts with umoci from busybox-static
# and files made here: busybox (one layer), multi (five layers), and a zstd copy of each (skopeo).
# Must never write outside OUTDIR, nor reach the network.
set -euo pipefail

out=${1:?usage: make-images.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

layer() { # layer IMAGE: the bundle's rootfs as it stands becomes the image's next layer
	umoci repack --refresh-bundle --image "$out/$1:latest" "$work/$1"
}

new_image() { # new_image NAME: an empty image and its bundle
	umoci init --layout "$out/$1"
	umoci new --image "$out/$1:latest"
	umoci unpack --image "$out/$1:latest" "$work/$1" >/dev/null
}

# busybox: one layer, the binary and its applets as symlinks
new_image busybox
r=$work/busybox/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/tmp"
cp /bin/busybox "$r/bin/busybox"
for applet in sh ls cat echo mkdir rm ln; do ln -s /bin/busybox "$r/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
chmod 1777 "$r/tmp"
layer busybox

# multi: every entry type, then deletions and replacements
new_image multi
r=$work/multi/rootfs
# 1: the base: files, directories, links, a setuid file, xattrs, a fifo and a character device, odd owners
mkdir -p "$r/bin" "$r/etc/conf.d" "$r/usr/lib/deep/er/still" "$r/opq/old" "$r/gone/a/b" "$r/var/empty"
cp /bin/busybox "$r/bin/busybox"
echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
printf 'line %s\n' $(seq 1 2000) >"$r/usr/lib/big.txt"
echo data >"$r/usr/lib/deep/er/still/file"
ln "$r/usr/lib/big.txt" "$r/usr/lib/big.hardlink"
ln "$r/bin/busybox" "$r/bin/sh.hard"
ln -s busybox "$r/bin/sh"
ln -s /etc/passwd "$r/etc/passwd.abs"
ln -s ../../etc "$r/usr/lib/etc.rel"
cp /bin/busybox "$r/bin/su"
chmod 4755 "$r/bin/su"
chmod 2711 "$r/var/empty"
echo xattrs >"$r/etc/xattr-file"
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.hull.test", b"one"); os.setxattr(sys.argv[2], "user.hull.dir", b"d")' \
	"$r/etc/xattr-file" "$r/etc/conf.d"
mkfifo "$r/etc/fifo"
mknod "$r/etc/null" c 1 3
mkfifo "$r/var/fifo"
mknod "$r/var/block" b 7 200
echo owned >"$r/etc/owned"
chown 1234:5678 "$r/etc/owned"
chown 42:43 "$r/usr/lib/deep"
chmod 0600 "$r/etc/owned"
echo a >"$r/opq/old/a"
echo b >"$r/opq/b"
echo g >"$r/gone/a/b/g"
echo x >"$r/gone/x"
echo f >"$r/file2dir"
ln -s etc "$r/link2file"
echo doomed >"$r/etc/doomed"
layer multi
# 2: more content over the base
echo 'more' >"$r/etc/more"
mkdir "$r/newdir"
echo n >"$r/newdir/n"
ln "$r/etc/more" "$r/newdir/more.hard"
layer multi
# 3: deletions (a file, a whole tree), an opaque-like re-creation, a file become a directory, a symlink a file
rm "$r/etc/doomed"
rm -rf "$r/gone"
rm -rf "$r/opq"
mkdir -p "$r/opq/fresh"
echo fresh >"$r/opq/fresh/f"
rm "$r/file2dir"
mkdir "$r/file2dir"
echo inside >"$r/file2dir/inside"
rm "$r/link2file"
echo 'now a file' >"$r/link2file"
layer multi
# 4: modes, owners and content changed in place, a hardlink broken up
chmod 0700 "$r/etc/conf.d"
chown 7:8 "$r/etc/more"
echo changed >"$r/usr/lib/deep/er/still/file"
rm "$r/usr/lib/big.hardlink"
cp "$r/usr/lib/big.txt" "$r/usr/lib/big.hardlink"
layer multi
# 5: a directory replaced by a symlink, a fifo by a file
rm -rf "$r/newdir"
ln -s etc "$r/newdir"
rm "$r/etc/fifo"
echo 'was a fifo' >"$r/etc/fifo"
layer multi

for img in busybox multi; do
	umoci gc --layout "$out/$img"
	skopeo --insecure-policy copy -q --dest-compress-format zstd "oci:$out/$img:latest" "oci:$out/$img-zstd:latest"
done
