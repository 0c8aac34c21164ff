#!/bin/bash
# make-bundle.sh DIR [ARG...] - an OCI bundle with a busybox rootfs from Debian's busybox-static.
# The config is runc's default one, without a terminal, running ARGs (default: sh).
# Must never download anything: the rootfs is built from the host's /bin/busybox.
set -euo pipefail
dir=${1:?usage: make-bundle.sh DIR [ARG...]}
shift
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "make-bundle.sh: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
command -v file >/dev/null && file -L "$busybox" | grep -q "dynamically linked" && { echo "make-bundle.sh: $busybox is not static (install busybox-static)" >&2; exit 1; }
mkdir -p "$dir/rootfs"
root=$dir/rootfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,root,var,run}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
args='["sh"]'
if [ $# -gt 0 ]; then
	args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
fi
jq --argjson args "$args" '.process.args = $args' "$(dirname "$0")/config.json" > "$dir/config.json"
