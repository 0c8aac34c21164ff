#!/usr/bin/env bats
# pull-auth.bats - `hull image pull` end to end against registries that want credentials or TLS: basic auth
# (--creds, or what `hull login` stored), bearer tokens from the test's token server, TLS verified with the test's
# CA (--cert-dir), refused without it. registry.bats tests the client's each part with regtool.

BATS_TEST_TIMEOUT=$((120 * ${HULL_TIME_SCALE:-1}))

load lib/registry
load lib/common

setup_file() {
	reg_init
	reg_start basic basic
	reg_start token token
	reg_start tls anon tls
	reg_push basic test/bb:1 "$REG_USER:$REG_PASS"
	reg_push token test/bb:1 "$REG_USER:$REG_PASS"
	reg_push tls test/bb:1
}

teardown_file() {
	reg_cleanup
}

setup() {
	STORE=$BATS_TEST_TMPDIR/store
	AUTH=$BATS_TEST_TMPDIR/auth.json
}


@test "a basic-auth registry: refused without credentials, pulled with --creds" {
	local r
	r=$(reg_addr basic)
	run himg pull -q --authfile "$AUTH" "$r/test/bb:1"
	[ "$status" -eq 125 ] || fail "$status: $output"
	[[ "$output" == *"401"* || "$output" == *"unauthorized"* || "$output" == *"authentication"* ]] || fail "$output"
	run himg pull -q --creds "$REG_USER:wrong" "$r/test/bb:1"
	[ "$status" -eq 125 ] || fail "a wrong password pulled: $output"
	run himg pull -q --creds "$REG_USER:$REG_PASS" "$r/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(himg ls -q | wc -l)" -eq 1 ]
}

@test "hull login stores what hull image pull then uses, for basic and bearer registries" {
	local mode r
	for mode in basic token; do
		r=$(reg_addr $mode)
		rm -rf "$STORE"
		printf '%s' "$REG_PASS" | "$HULL" login --authfile "$AUTH" -u "$REG_USER" --password-stdin "$r" >/dev/null ||
			fail "$mode: login failed"
		run himg pull -q --authfile "$AUTH" "$r/test/bb:1"
		[ "$status" -eq 0 ] || fail "$mode: $output"
		"$HULL" logout --authfile "$AUTH" "$r" >/dev/null
		rm -rf "$STORE"
		run himg pull -q --authfile "$AUTH" "$r/test/bb:1"
		[ "$status" -eq 125 ] || fail "$mode: pulled after logout: $output"
	done
	[ "$(grep -c . "$(reg_dir token)/token.log")" -gt 0 ] || fail "no token was asked for"
}

@test "a TLS registry: verified with the CA of --cert-dir, refused without it, reached with --tls-verify=false" {
	local r
	r=$(reg_addr tls)
	run himg pull -q --cert-dir "$REG_TMP/certs" "$r/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
	rm -rf "$STORE"
	run himg pull -q --cert-dir "$BATS_TEST_TMPDIR" "$r/test/bb:1"
	[ "$status" -eq 125 ] || fail "pulled without the CA: $output"
	[[ "$output" == *"certificate"* || "$output" == *"TLS"* || "$output" == *"SSL"* ]] || fail "$output"
	[ "$(himg ls -q | wc -l)" -eq 0 ]
	run himg pull -q --tls-verify=false "$r/test/bb:1"
	[ "$status" -eq 0 ] || fail "$output"
}
