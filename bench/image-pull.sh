#!/bin/bash
# image-pull.sh - pull + unpack of the same multi-layer image from a local registry (Debian's docker-registry on
# 127.0.0.1, started and stopped here), interleaved: hull beside `skopeo copy docker://… oci:…` + `umoci unpack`
# and beside `podman pull` (overlay driver, a store of its own); then the pull of a second image that shares all but
# one layer with the first. Wall time and peak RSS (getrusage of the process tree), medians and ratios to hull; a
# markdown table on stdout and in bench/results/image-pull.md.
# Must never touch the host's podman or hull stores, nor leave a process, mount or directory behind; it measures and
# prints, it is no pass/fail test. Usage: bench/image-pull.sh [ROUNDS]   (HULL=path picks the binary)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
hull=${HULL:-$top/build/hull}
[ -x "$hull" ] || { echo "build hull first (tools/bootstrap.sh) or set HULL=path" >&2; exit 1; }
for t in docker-registry skopeo umoci podman; do
	command -v "$t" >/dev/null || { echo "needs $t (tools/bootstrap.sh --tests)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/hull-bench-pull.XXXXXX)
reg_pid=

cleanup() {
	[ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null && wait "$reg_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the registry and the images ---
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<EOS
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
EOS
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break
	sleep 0.1
done
reg=127.0.0.1:$port

# five layers of what a real image holds: a static busybox, a tree of many small files (Perl's modules), a tree of
# shared libraries, one large file of random bytes, and a layer that deletes files of the earlier ones; the second
# image is the first plus one more layer
l=$work/layout b=$work/bundle
umoci init --layout "$l" >/dev/null
umoci new --image "$l:t" >/dev/null
layer() { # layer COMMAND...: run COMMAND in the rootfs, repack as a new layer
	umoci unpack --image "$l:t" "$b" >/dev/null
	(cd "$b/rootfs" && eval "$*")
	umoci repack --image "$l:t" "$b" >/dev/null
	rm -rf "$b"
}
layer 'mkdir -p bin && cp /bin/busybox bin/ && for c in sh ls cat; do ln -s busybox bin/$c; done'
layer 'mkdir -p usr/share && cp -a /usr/share/perl usr/share/'
layer 'mkdir -p usr/lib && cp -a /usr/lib/x86_64-linux-gnu/perl-base usr/lib/ 2>/dev/null || cp -a /usr/lib/python3 usr/lib/'
layer 'head -c 40000000 /dev/urandom >big.bin'
layer 'rm -rf usr/share/perl/*/unicore big.bin'
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$l:t" "docker://$reg/bench/img:1"
layer 'mkdir -p app && head -c 5000000 /dev/urandom >app/data && echo 2 >app/version'
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$l:t" "docker://$reg/bench/img:2"
size=$(du -sb "$work/registry" | cut -f1)

# --- the tools: each "first" is a pull into an empty store, each "second" the pull of img:2 after img:1 ---
pm() { podman --root "$work/pm-root" --runroot "$work/pm-run" --storage-driver overlay "$@"; }
run_tool() { # run_tool TOOL first|second
	case $1 in
	hull)
		if [ "$2" = first ]; then
			"$hull" image --storage "$work/hull" pull -q "$reg/bench/img:1"
		else
			"$hull" image --storage "$work/hull" pull -q "$reg/bench/img:2"
		fi ;;
	skopeo-umoci)
		local tag=1
		[ "$2" = second ] && tag=2
		skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$reg/bench/img:$tag" "oci:$work/oci:$tag" &&
			umoci unpack --image "$work/oci:$tag" "$work/umoci-$tag" ;;
	podman)
		if [ "$2" = first ]; then
			pm pull -q --tls-verify=false "$reg/bench/img:1"
		else
			pm pull -q --tls-verify=false "$reg/bench/img:2"
		fi ;;
	esac
}
reset_tool() { # reset_tool TOOL: an empty store
	case $1 in
	hull) rm -rf "$work/hull" ;;
	skopeo-umoci) rm -rf "$work/oci" "$work/umoci-1" "$work/umoci-2" ;;
	podman) pm system reset -f >/dev/null 2>&1 || true; rm -rf "$work/pm-root" "$work/pm-run" ;;
	esac
}
tools=(hull skopeo-umoci podman)

# timed TOOL PHASE: wall time (microseconds) and peak RSS (KiB) of one run, appended to TOOL.PHASE.{us,rss}
timed() {
	local t0 t1
	t0=${EPOCHREALTIME//[!0-9]/}
	"$top/tests/lib/maxrss" "$work/$1.$2.rss" bash -c "$(declare -f run_tool pm); hull=$hull work=$work reg=$reg run_tool $1 $2" >/dev/null ||
		{ echo "$1 $2 failed" >&2; exit 1; }
	t1=${EPOCHREALTIME//[!0-9]/}
	echo $((t1 - t0)) >>"$work/$1.$2.us"
}

# one untimed round first: it checks that every tool works and warms the page cache
for t in "${tools[@]}"; do
	reset_tool "$t"
	run_tool "$t" first >/dev/null
	run_tool "$t" second >/dev/null
done
for ((r = 0; r < rounds; r++)); do
	for t in "${tools[@]}"; do
		reset_tool "$t"
		timed "$t" first
		timed "$t" second
	done
done
for t in "${tools[@]}"; do reset_tool "$t"; done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
out=$top/bench/results/image-pull.md
mkdir -p "$(dirname "$out")"
{
	echo "# Pull + unpack from a local registry ($(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores)"
	echo
	echo "Command: \`bench/image-pull.sh $rounds\` ($rounds interleaved rounds after one untimed). Image: 5 layers, $((size / 1000000)) MB"
	echo "in the registry with its second image (gzip). *first*: img:1 into an empty store; *second*: img:2 (img:1 + one"
	echo "5 MB layer) after img:1. Medians; ratios are tool / hull."
	echo
	echo "| tool | first (s) | ratio | peak RSS (MiB) | ratio | second (s) | ratio | peak RSS (MiB) | ratio |"
	echo "|---|---|---|---|---|---|---|---|---|"
	hf=$(median "$work/hull.first.us") hs=$(median "$work/hull.second.us")
	hfr=$(median "$work/hull.first.rss") hsr=$(median "$work/hull.second.rss")
	for t in "${tools[@]}"; do
		f=$(median "$work/$t.first.us") s=$(median "$work/$t.second.us")
		fr=$(median "$work/$t.first.rss") sr=$(median "$work/$t.second.rss")
		printf '| %s | %.2f | %s | %.1f | %s | %.2f | %s | %.1f | %s |\n' "$t" \
			"$(ratio "$f" 1000000)" "$(ratio "$f" "$hf")" "$(ratio "$fr" 1024)" "$(ratio "$fr" "$hfr")" \
			"$(ratio "$s" 1000000)" "$(ratio "$s" "$hs")" "$(ratio "$sr" 1024)" "$(ratio "$sr" "$hsr")"
	done
	echo
	echo "skopeo-umoci: \`skopeo copy docker://… oci:DIR:TAG\` then \`umoci unpack\` (which unpacks the whole rootfs again"
	echo "for img:2); podman: \`podman pull\` with the overlay driver in a store of its own; hull: \`hull image pull\`"
	echo "(layers unpacked once each, for overlayfs). Peak RSS is the largest of the process tree (wait4)."
} | tee "$out"
