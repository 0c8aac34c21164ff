#!/bin/bash
# make-image.sh OUT.tar [NAME:TAG] [CONFIG-JQ] - a one-layer busybox image as a docker-archive tar
# (manifest.json + config + layer), which `docker load`, `ctr image import` and `podman load` all take.
# Must never download anything: the layer is built from the host's busybox-static.
# CONFIG-JQ is a jq filter applied to the image config's .config (e.g. '.Entrypoint=["/bin/sleep","inf"]').
set -euo pipefail
out=${1:?usage: make-image.sh OUT.tar [NAME:TAG] [CONFIG-JQ]}
name=${2:-hull-test/busybox:latest}
filter=${3:-.}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$here/../../lib/make-bundle.sh" "$tmp/bundle" >/dev/null
# a fixed mtime and owner, so that the same busybox gives the same layer digest every time
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tmp/bundle/rootfs" -cf "$tmp/layer.tar" .
layer=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
mkdir "$tmp/img" "$tmp/img/$layer"
mv "$tmp/layer.tar" "$tmp/img/$layer/layer.tar"

jq -n -c --arg diff "sha256:$layer" '{
	architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
	config: {
		Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
		Cmd: ["sh"], WorkingDir: "/"
	},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z", created_by: "tests/engines/lib/make-image.sh"}]
}' | jq -c ".config |= ($filter)" >"$tmp/config.json"
config=$(sha256sum "$tmp/config.json" | cut -d' ' -f1)
mv "$tmp/config.json" "$tmp/img/$config.json"
jq -n -c --arg c "$config.json" --arg l "$layer/layer.tar" --arg t "$name" \
	'[{Config: $c, RepoTags: [$t], Layers: [$l]}]' >"$tmp/img/manifest.json"
repo=${name%:*}
tag=${name##*:}
jq -n -c --arg r "$repo" --arg t "$tag" --arg l "$layer" '{($r): {($t): $l}}' >"$tmp/img/repositories"
tar -C "$tmp/img" -cf "$out" .
