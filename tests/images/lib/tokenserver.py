#!/usr/bin/env python3
# tokenserver.py - a Docker registry token server for tests/images (docker/distribution's token auth): Basic
# credentials checked against --users, RS256 JWTs signed with openssl, the signing certificate in the x5c header.
# Must never listen beyond 127.0.0.1, nor grant more than the scope asked for (and only to a known user, or
# pull to anyone with --anonymous-pull).
import argparse
import base64
import json
import os
import subprocess
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN_LIFETIME_S = 300


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Signer:
    def __init__(self, key, cert):
        self.key = key
        pem = open(cert).read()
        body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        self.x5c = ["".join(body.split())]

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": self.x5c}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key], input=signing_input.encode(),
                             capture_output=True, check=True).stdout
        return signing_input + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def deny(self, why):
        self.server.log(f"deny {why}")
        body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": why}]}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("WWW-Authenticate", 'Basic realm="hull-test-token"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        q = urllib.parse.parse_qs(url.query)
        user = None
        authz = self.headers.get("Authorization", "")
        if authz.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(authz[6:]).decode().partition(":")
            except Exception:
                return self.deny("malformed basic credentials")
            if self.server.users.get(user) != password:
                return self.deny(f"bad password for {user}")
        elif authz:
            return self.deny("unsupported authorization")
        service = q.get("service", [""])[0]
        if service != self.server.service:
            return self.deny(f"unknown service {service!r}")
        access = []
        for scope in q.get("scope", []):
            parts = scope.split(":")
            if len(parts) != 3 or parts[0] != "repository":
                continue
            asked = parts[2].split(",")
            allowed = ["pull", "push"] if user else (["pull"] if self.server.anonymous_pull else [])
            granted = [a for a in asked if a in allowed]
            access.append({"type": "repository", "name": parts[1], "actions": granted})
        now = int(time.time())
        claims = {"iss": self.server.issuer, "sub": user or "", "aud": self.server.service, "exp": now + TOKEN_LIFETIME_S,
                  "nbf": now - 10, "iat": now, "jti": os.urandom(8).hex(), "access": access}
        token = self.server.signer.sign(claims)
        self.server.log(f"token user={user or '-'} scope={' '.join(q.get('scope', [])) or '-'} access={json.dumps(access)}")
        body = json.dumps({"token": token, "access_token": token, "expires_in": TOKEN_LIFETIME_S}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--users", help="a file of user:password lines")
    p.add_argument("--anonymous-pull", action="store_true")
    p.add_argument("--port-file", required=True, help="where the chosen port is written once listening")
    p.add_argument("--log", required=True)
    a = p.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.signer = Signer(a.key, a.cert)
    srv.issuer, srv.service, srv.anonymous_pull = a.issuer, a.service, a.anonymous_pull
    srv.users = {}
    if a.users:
        for line in open(a.users):
            u, _, pw = line.rstrip("\n").partition(":")
            if u:
                srv.users[u] = pw
    logf = open(a.log, "a", buffering=1)
    srv.log = lambda msg: logf.write(msg + "\n")
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
