# registry.bash - Debian's docker-registry on 127.0.0.1 for the image tests, in four variants: anonymous http,
# htpasswd basic auth, bearer tokens from tests/images/lib/tokenserver.py, and TLS with a CA made here; plus test
# images pushed with umoci + skopeo. Sourced by bats files: reg_init in setup_file, reg_cleanup in teardown_file.
# Must never touch a port it did not find free, the host's auth files or certs.d, nor leave a process or a
# directory behind.

REG_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REG_REPO_ROOT=$(cd "$REG_LIB_DIR/../../.." && pwd)
: "${HULL:=$REG_REPO_ROOT/build/hull}"
if [ -z "${REGTOOL:-}" ]; then
	REGTOOL=$(dirname "$HULL")/tests/images/regtool
	[ -x "$REGTOOL" ] || REGTOOL=$REG_REPO_ROOT/build/tests/images/regtool
fi
REG_USER=hulltest
REG_PASS='s3cret:with colon'
REG_SERVICE=hull-test-registry
REG_ISSUER=hull-test-issuer
# polls of 0.1 s before a server counts as not starting
REG_READY_TRIES=$((100 * ${HULL_TIME_SCALE:-1}))

# A scratch directory for every registry of the file; nothing of the user's is read by the tools run here.
reg_init() {
	REG_TMP=$(mktemp -d /tmp/hull-registry.XXXXXX)
	export REG_TMP
	export REGISTRY_AUTH_FILE=$REG_TMP/skopeo-auth.json
	export DOCKER_CONFIG=$REG_TMP/docker-config
	export XDG_RUNTIME_DIR=$REG_TMP/xdg
	mkdir -p "$XDG_RUNTIME_DIR" "$DOCKER_CONFIG"
}

# Stop every server started under REG_TMP and remove it (also after a failed start).
reg_cleanup() {
	[ -n "${REG_TMP:-}" ] && [ -d "$REG_TMP" ] || return 0
	local pidfile pid
	for pidfile in "$REG_TMP"/*/pid "$REG_TMP"/*/token.pid; do
		[ -f "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	rm -rf "$REG_TMP"
	REG_TMP=
}

# A port nobody listens on now (the kernel's choice for port 0)
reg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A CA and a certificate for 127.0.0.1 (subjectAltName IP) signed by it; the CA also in $REG_TMP/certs (the
# --cert-dir of the tests)
reg_make_ca() {
	local d=$REG_TMP/ca
	[ -f "$d/server.crt" ] && return 0
	mkdir -p "$d" "$REG_TMP/certs"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hull test CA" \
		-keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
		-extfile "$d/ext.cnf" -out "$d/server.crt" 2>/dev/null
	cp "$d/ca.crt" "$REG_TMP/certs/ca.crt"
	# a client certificate for the registries that ask for one, in a cert dir of its own
	mkdir -p "$REG_TMP/certs-client"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=hull test client" -keyout "$d/client.key" -out "$d/client.csr" 2>/dev/null
	printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' >"$d/client.cnf"
	openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
		-extfile "$d/client.cnf" -out "$d/client.cert" 2>/dev/null
	cp "$d/ca.crt" "$d/client.cert" "$d/client.key" "$REG_TMP/certs-client/"
}

# The key that signs tokens and its self-signed certificate (the registry's rootcertbundle)
reg_make_token_keys() {
	local d=$REG_TMP/tokenkeys
	[ -f "$d/sign.crt" ] && return 0
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hull test token signer" \
		-keyout "$d/sign.key" -out "$d/sign.crt" 2>/dev/null
}

# Wait until URL answers 200 or 401 or the process is gone (CACERT, CLIENT.cert + CLIENT.key when given)
reg_wait_http() {
	local url=$1 pid=$2 cacert=${3:-} client=${4:-}
	for _ in $(seq "$REG_READY_TRIES"); do
		kill -0 "$pid" 2>/dev/null || return 1
		local code
		code=$(curl -s -o /dev/null -w '%{http_code}' ${cacert:+--cacert "$cacert"} \
			${client:+--cert "$client.cert" --key "$client.key"} "$url" 2>/dev/null || true)
		case $code in 200 | 401) return 0 ;; esac
		sleep 0.1
	done
	return 1
}

# Wait for a server of ours to write the port it listens on (PORT_FILE); its output (OUT) shown when it does not
reg_wait_port_file() {
	for _ in $(seq "$REG_READY_TRIES"); do
		[ -f "$1" ] && return 0
		sleep 0.1
	done
	cat "$2" >&2
	return 1
}

# reg_start NAME MODE [tls|tls-client] [anonymous-pull]: MODE anon, basic or token; tls-client asks for a client
# certificate signed by the test CA ($REG_TMP/certs-client holds one). Prints nothing; reg_addr NAME is its
# 127.0.0.1:PORT, reg_dir NAME its directory (config.yml, storage/, log).
reg_start() {
	local name=$1 mode=$2 tls=${3:-} anon_pull=${4:-} d=$REG_TMP/$1 port scheme=http cacert=
	mkdir -p "$d/storage"
	port=$(reg_free_port)
	{
		printf 'version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n'
		printf 'storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' "$d/storage"
		printf 'http:\n  addr: 127.0.0.1:%s\n  secret: hull-test-secret\n' "$port"
		if [ "$tls" = tls ] || [ "$tls" = tls-client ]; then
			reg_make_ca
			printf '  tls:\n    certificate: %s\n    key: %s\n' "$REG_TMP/ca/server.crt" "$REG_TMP/ca/server.key"
		fi
		if [ "$tls" = tls-client ]; then
			printf '    clientcas:\n      - %s\n' "$REG_TMP/ca/ca.crt"
		fi
	} >"$d/config.yml"
	case $mode in
	anon) ;;
	basic)
		htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$d/htpasswd"
		printf 'auth:\n  htpasswd:\n    realm: hull-test\n    path: %s\n' "$d/htpasswd" >>"$d/config.yml"
		;;
	token)
		reg_make_token_keys
		printf '%s:%s\n' "$REG_USER" "$REG_PASS" >"$d/users"
		python3 "$REG_LIB_DIR/tokenserver.py" --key "$REG_TMP/tokenkeys/sign.key" --cert "$REG_TMP/tokenkeys/sign.crt" \
			--issuer "$REG_ISSUER" --service "$REG_SERVICE" --users "$d/users" ${anon_pull:+--anonymous-pull} \
			--port-file "$d/token.port" --log "$d/token.log" >"$d/token.out" 2>&1 &
		echo $! >"$d/token.pid"
		reg_wait_port_file "$d/token.port" "$d/token.out" || return 1
		printf 'auth:\n  token:\n    realm: http://127.0.0.1:%s/token\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n' \
			"$(cat "$d/token.port")" "$REG_SERVICE" "$REG_ISSUER" "$REG_TMP/tokenkeys/sign.crt" >>"$d/config.yml"
		;;
	*) echo "reg_start: unknown mode $mode" >&2; return 1 ;;
	esac
	# REGISTRY_* variables override the registry's configuration (REGISTRY_AUTH_FILE would be its auth.file)
	env -u REGISTRY_AUTH_FILE docker-registry serve "$d/config.yml" >"$d/log" 2>&1 &
	echo $! >"$d/pid"
	echo "127.0.0.1:$port" >"$d/addr"
	if [ "$tls" = tls ] || [ "$tls" = tls-client ]; then
		scheme=https
		cacert=$REG_TMP/ca/ca.crt
	fi
	local client=
	[ "$tls" = tls-client ] && client=$REG_TMP/ca/client
	reg_wait_http "$scheme://127.0.0.1:$port/v2/" "$(cat "$d/pid")" "$cacert" "$client" || {
		echo "docker-registry $name did not start:" >&2
		tail -20 "$d/log" >&2
		return 1
	}
}

reg_addr() { cat "$REG_TMP/$1/addr"; }
reg_dir() { echo "$REG_TMP/$1"; }

# The test image as an OCI layout (built once): two layers, busybox and a file of random bytes large enough that a
# blob is fetched in several writes.
reg_make_layout() {
	local l=$REG_TMP/layout b=$REG_TMP/bundle
	[ -f "$l/index.json" ] && return 0
	umoci init --layout "$l" >/dev/null
	umoci new --image "$l:t" >/dev/null
	umoci unpack --rootless --image "$l:t" "$b" >/dev/null
	mkdir -p "$b/rootfs/bin"
	cp /bin/busybox "$b/rootfs/bin/busybox"
	umoci repack --image "$l:t" "$b" >/dev/null
	rm -rf "$b"
	umoci unpack --rootless --image "$l:t" "$b" >/dev/null
	head -c 3000000 /dev/urandom >"$b/rootfs/random.bin"
	umoci repack --image "$l:t" "$b" >/dev/null
	rm -rf "$b"
}

# reg_push NAME REPO:TAG [user:pass]: the test image into registry NAME
reg_push() {
	local name=$1 ref=$2 creds=${3:-} addr certs=
	addr=$(reg_addr "$name")
	reg_make_layout
	[ -d "$REG_TMP/certs-client" ] && certs=$REG_TMP/certs-client
	skopeo --insecure-policy copy --quiet ${creds:+--dest-creds "$creds"} \
		$([ -n "$certs" ] && echo --dest-cert-dir "$certs") --dest-tls-verify=false \
		"oci:$REG_TMP/layout:t" "docker://$addr/$ref" >/dev/null
}

# reg_push_index NAME REPO:TAG [user:pass]: an OCI index of two platforms (the test image as linux/amd64 and
# linux/arm64), pushed with skopeo copy --all
reg_push_index() {
	local name=$1 ref=$2 creds=${3:-} addr l=$REG_TMP/layout-index
	addr=$(reg_addr "$name")
	reg_make_layout
	if [ ! -f "$l/index.json" ]; then
		cp -a "$REG_TMP/layout" "$l"
		local m
		m=$(jq -c '.manifests[0] | del(.annotations)' "$l/index.json")
		jq -c --argjson m "$m" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
			manifests: [($m + {platform: {os: "linux", architecture: "amd64"}}),
				    ($m + {platform: {os: "linux", architecture: "arm64", variant: "v8"}})]}' \
			"$l/index.json" >"$l/inner.json"
		local digest size
		digest=$(sha256sum "$l/inner.json" | cut -d' ' -f1)
		size=$(stat -c %s "$l/inner.json")
		mv "$l/inner.json" "$l/blobs/sha256/$digest"
		jq -c --arg d "sha256:$digest" --argjson s "$size" '{schemaVersion: 2, manifests: [{
			mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
			annotations: {"org.opencontainers.image.ref.name": "t"}}]}' "$l/index.json" >"$l/index.json.new"
		mv "$l/index.json.new" "$l/index.json"
	fi
	skopeo --insecure-policy copy --quiet --all ${creds:+--dest-creds "$creds"} --dest-tls-verify=false \
		"oci:$l:t" "docker://$addr/$ref" >/dev/null
}

# The blob file of DIGEST (sha256:...) in registry NAME's storage
reg_blob_path() {
	local hex=${2#sha256:}
	echo "$REG_TMP/$1/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}

# reg_start_proxy NAME UPSTREAM [OPTION...]: an http proxy on 127.0.0.1 in front of registry UPSTREAM that misbehaves
# as a network or a CDN does, logging each request to $REG_TMP/NAME/log ("GET PATH host=H auth=yes|no range=R ->
# STATUS"). Options: --ignore-range (a server without Range support: whole blobs, 200), --fail-first N (the first N blob GETs get 503), --cut-after BYTES (the first GET of each blob
# ends after BYTES bytes of its body), --redirect-blobs (blob GETs are sent to the same proxy named "localhost":
# another host for the client; the proxy then adds --upstream-auth AUTHORIZATION itself, as a CDN's signed URL would).
reg_start_proxy() {
	local name=$1 upstream=$2 d=$REG_TMP/$1
	shift 2
	mkdir -p "$d"
	cat >"$d/proxy.py" <<'PY'
import argparse, http.client, os, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
p = argparse.ArgumentParser()
p.add_argument("--upstream", required=True)
p.add_argument("--fail-first", type=int, default=0)
p.add_argument("--cut-after", type=int, default=-1)
p.add_argument("--redirect-blobs", action="store_true")
p.add_argument("--ignore-range", action="store_true")
p.add_argument("--upstream-auth", default="")
p.add_argument("--port-file", required=True)
p.add_argument("--log", required=True)
a = p.parse_args()
lock = threading.Lock()
state = {"failed": 0, "cut": set()}
logf = open(a.log, "a", buffering=1)

class H(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def note(self, status):
        logf.write("%s %s host=%s auth=%s range=%s -> %s\n" % (self.command, self.path, self.headers.get("Host", ""),
                   "yes" if self.headers.get("Authorization") else "no", self.headers.get("Range", "-"), status))

    def do_GET(self):
        blob = "/blobs/" in self.path
        host = self.headers.get("Host", "")
        with lock:
            fail = blob and state["failed"] < a.fail_first
            if fail:
                state["failed"] += 1
            cut = blob and not fail and a.cut_after >= 0 and self.path not in state["cut"]
            if cut:
                state["cut"].add(self.path)
        if fail:
            self.note(503)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if blob and a.redirect_blobs and not host.startswith("localhost"):
            port = self.server.server_address[1]
            self.note(307)
            self.send_response(307)
            self.send_header("Location", "http://localhost:%d%s" % (port, self.path))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        forwarded = ("authorization", "accept") if a.ignore_range else ("authorization", "accept", "range")
        headers = {k: v for k, v in self.headers.items() if k.lower() in forwarded}
        if host.startswith("localhost") and a.upstream_auth:
            headers["Authorization"] = a.upstream_auth
        c = http.client.HTTPConnection(a.upstream, timeout=30)
        c.request("GET", self.path, headers=headers)
        r = c.getresponse()
        body = r.read()
        self.note(r.status)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "date", "server"):
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body[:a.cut_after] if cut and r.status in (200, 206) else body)
        c.close()

srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(a.port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(a.port_file + ".tmp", a.port_file)
srv.serve_forever()
PY
	python3 "$d/proxy.py" --upstream "$(reg_addr "$upstream")" --port-file "$d/port" --log "$d/log" "$@" \
		>"$d/proxy.out" 2>&1 &
	echo $! >"$d/pid"
	reg_wait_port_file "$d/port" "$d/proxy.out" || return 1
	echo "127.0.0.1:$(cat "$d/port")" >"$d/addr"
}
