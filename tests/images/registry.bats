#!/usr/bin/env bats
# registry.bats - libhull's registry client (through tests/images/regtool) and hull login/logout against Debian's
# docker-registry on 127.0.0.1: anonymous, basic, bearer-token and TLS registries, manifests by tag and digest, blobs
# verified, resumed and refetched. Must never touch the user's auth files or certs.d: every path is under REG_TMP.

bats_require_minimum_version 1.5.0
load lib/registry

: "${BATS_TEST_TIMEOUT:=$((120 * ${HULL_TIME_SCALE:-1}))}"

REPO=hull/test
TAG=v1

registries_up() {
	reg_init
	reg_start anon anon
	reg_start basic basic
	reg_start tok token
	reg_start tokanon token "" anonymous-pull
	reg_start tls anon tls
	reg_start tlsc anon tls-client
	reg_push anon "$REPO:$TAG"
	reg_push basic "$REPO:$TAG" "$REG_USER:$REG_PASS"
	reg_push tok "$REPO:$TAG" "$REG_USER:$REG_PASS"
	reg_push tokanon "$REPO:$TAG" "$REG_USER:$REG_PASS"
	reg_push tls "$REPO:$TAG"
	reg_push tlsc "$REPO:$TAG"
	reg_push_index anon "$REPO:multi"
}

setup_file() {
	command -v docker-registry skopeo umoci htpasswd openssl >/dev/null || skip "docker-registry, skopeo, umoci, apache2-utils or openssl missing"
	[ -x "$REGTOOL" ] || skip "regtool not built ($REGTOOL)"
	# a failed start leaves nothing behind either
	registries_up || { reg_cleanup; return 1; }
}

teardown_file() {
	reg_cleanup
}

setup() {
	T=$(mktemp -d "$REG_TMP/test.XXXXXX")
}

fail() {
	echo "$@" >&2
	return 1
}

# The manifest of registry $1's test image into $T/manifest.json; the blobs as DIGEST:SIZE words in BLOBS, the
# (largest) layer in LAYER, LAYER_SIZE
manifest_of() {
	run -0 "$REGTOOL" manifest "${@:2}" "$(reg_addr "$1")/$REPO:$TAG" -o "$T/manifest.json"
	BLOBS=$(jq -r '(.layers + [.config])[] | "\(.digest):\(.size)"' "$T/manifest.json")
	LAYER=$(jq -r '.layers | max_by(.size) | .digest' "$T/manifest.json")
	LAYER_SIZE=$(jq -r '.layers | max_by(.size) | .size' "$T/manifest.json")
}

# The test image of registry $1 (its manifest, then every blob) with regtool's options $2...: all verified
pull_verified() {
	manifest_of "$@"
	mkdir -p "$T/out"
	run -0 "$REGTOOL" blobs "${@:2}" "$(reg_addr "$1")/$REPO" $BLOBS -d "$T/out"
	blobs_verified
}

# Every file of $T/out named by its digest's hex and holding exactly that
blobs_verified() {
	local n=0 f
	for f in "$T"/out/*; do
		[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || fail "$f: wrong content"
		n=$((n + 1))
	done
	[ "$n" -eq "$(echo "$BLOBS" | wc -w)" ] || fail "$n blobs in $T/out, want $(echo "$BLOBS" | wc -w)"
}

# The access log lines of registry $1 for blob $2 (sha256:...)
blob_requests() {
	grep -F "\"GET /v2/$REPO/blobs/$2 " "$(reg_dir "$1")/log" || true
}

@test "manifest_by_tag_prints_its_media_type_and_digest" {
	manifest_of anon
	[ "${lines[0]}" = "application/vnd.oci.image.manifest.v1+json" ]
	[ "${lines[1]}" = "sha256:$(sha256sum "$T/manifest.json" | cut -d' ' -f1)" ]
	[ "$(echo "$BLOBS" | wc -w)" -eq 3 ]
}

@test "manifest_by_digest_is_fetched_and_verified" {
	manifest_of anon
	local digest=${lines[1]}
	run -0 "$REGTOOL" manifest "$(reg_addr anon)/$REPO@$digest" -o "$T/by-digest.json"
	[ "${lines[1]}" = "$digest" ]
	cmp "$T/manifest.json" "$T/by-digest.json"
}

@test "index_of_two_platforms_comes_with_the_index_media_type" {
	run -0 "$REGTOOL" manifest "$(reg_addr anon)/$REPO:multi" -o "$T/index.json"
	[ "${lines[0]}" = "application/vnd.oci.image.index.v1+json" ]
	[ "$(jq -r '[.manifests[].platform.architecture] | join(",")' "$T/index.json")" = "amd64,arm64" ]
}

@test "unknown_tag_is_manifest_unknown" {
	run -1 "$REGTOOL" manifest "$(reg_addr anon)/$REPO:nosuchtag"
	[[ "$output" == *"$REPO:nosuchtag: manifest unknown"* ]] || fail "$output"
}

@test "hostile_reference_is_refused_before_any_request" {
	local before
	before=$(wc -l <"$(reg_dir anon)/log")
	run -1 "$REGTOOL" manifest "$(reg_addr anon)/$REPO:v1%2f..%2f..%2fx"
	[[ "$output" == *"not a tag or digest"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest "$(reg_addr anon)/$REPO@sha256:1234"
	[[ "$output" == *"not a tag or digest"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest "$(reg_addr anon)/Hull/../x:v1"
	[[ "$output" == *"not a repository name"* ]] || fail "$output"
	[ "$(wc -l <"$(reg_dir anon)/log")" -eq "$before" ]
}

@test "blobs_are_fetched_in_parallel_and_verified" {
	manifest_of anon
	mkdir "$T/out"
	run -0 --separate-stderr "$REGTOOL" blobs --parallel 3 --progress "$(reg_addr anon)/$REPO" $BLOBS -d "$T/out"
	blobs_verified
	# stderr is no terminal: no progress display
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "progress_is_one_line_redrawn_on_a_terminal" {
	command -v script >/dev/null || skip "script (bsdutils) missing"
	manifest_of anon
	mkdir "$T/out"
	run -0 script -qec "$REGTOOL blobs --progress $(reg_addr anon)/$REPO $(echo $BLOBS) -d $T/out" /dev/null
	[[ "$output" == *$'\r'"Copying blobs: 3/3 done, "* ]] || fail "$output"
	blobs_verified
}

@test "corrupted_blob_is_a_digest_mismatch_and_nothing_is_kept" {
	reg_start corrupt anon
	reg_push corrupt "$REPO:$TAG"
	manifest_of corrupt
	local data
	data=$(reg_blob_path corrupt "$LAYER")
	[ -f "$data" ]
	printf 'X' | dd of="$data" bs=1 seek=$((LAYER_SIZE / 2)) conv=notrunc status=none
	mkdir "$T/out"
	run -1 "$REGTOOL" blobs "$(reg_addr corrupt)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	[[ "$output" == *"blob $LAYER: digest mismatch (got sha256:"* ]] || fail "$output"
	[ "$(stat -c %s "$T/out/${LAYER#sha256:}")" -eq 0 ]
}

@test "resume_fetches_only_what_the_file_lacks" {
	manifest_of anon
	mkdir "$T/full" "$T/out"
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/full"
	local half=$((LAYER_SIZE / 2)) before
	head -c "$half" "$T/full/${LAYER#sha256:}" >"$T/out/${LAYER#sha256:}"
	before=$(blob_requests anon "$LAYER" | wc -l)
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	cmp "$T/full/${LAYER#sha256:}" "$T/out/${LAYER#sha256:}"
	# one more request: a 206 of the second half only
	run -0 blob_requests anon "$LAYER"
	[ "${#lines[@]}" -eq $((before + 1)) ] || fail "$output"
	[[ "${lines[-1]}" == *"\" 206 $((LAYER_SIZE - half)) "* ]] || fail "${lines[-1]}"
}

@test "wrong_prefix_is_fetched_again_from_the_start" {
	manifest_of anon
	mkdir "$T/out"
	local before
	head -c $((LAYER_SIZE / 3)) /dev/zero >"$T/out/${LAYER#sha256:}"
	before=$(blob_requests anon "$LAYER" | wc -l)
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	[ "$(sha256sum "$T/out/${LAYER#sha256:}" | cut -d' ' -f1)" = "${LAYER#sha256:}" ]
	run -0 blob_requests anon "$LAYER"
	[ "${#lines[@]}" -eq $((before + 2)) ] || fail "$output"
	[[ "${lines[-2]}" == *"\" 206 "* ]] || fail "${lines[-2]}"
	[[ "${lines[-1]}" == *"\" 200 $LAYER_SIZE "* ]] || fail "${lines[-1]}"
}

@test "a_200_to_a_range_request_starts_the_file_again" {
	reg_start_proxy norange anon --ignore-range
	manifest_of anon
	mkdir "$T/full" "$T/out"
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/full"
	head -c $((LAYER_SIZE / 2)) "$T/full/${LAYER#sha256:}" >"$T/out/${LAYER#sha256:}"
	run -0 "$REGTOOL" blobs "$(reg_addr norange)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	cmp "$T/full/${LAYER#sha256:}" "$T/out/${LAYER#sha256:}"
	run -0 grep -F "/blobs/$LAYER " "$(reg_dir norange)/log"
	[ "${#lines[@]}" -eq 1 ] || fail "$output"
	[[ "$output" == *"range=bytes=$((LAYER_SIZE / 2))- -> 200"* ]] || fail "$output"
}

@test "file_longer_than_its_blob_is_fetched_again_whole" {
	manifest_of anon
	mkdir "$T/out"
	head -c $((LAYER_SIZE + 10)) /dev/zero >"$T/out/${LAYER#sha256:}"
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	[ "$(sha256sum "$T/out/${LAYER#sha256:}" | cut -d' ' -f1)" = "${LAYER#sha256:}" ]
	[[ "$(blob_requests anon "$LAYER" | tail -1)" == *"\" 200 $LAYER_SIZE "* ]]
}

@test "complete_file_is_verified_without_a_request" {
	manifest_of anon
	mkdir "$T/out"
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	local before
	before=$(blob_requests anon "$LAYER" | wc -l)
	run -0 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	[ "$(blob_requests anon "$LAYER" | wc -l)" -eq "$before" ]
}

@test "blob_larger_than_its_descriptor_is_refused_and_truncated" {
	manifest_of anon
	mkdir "$T/out"
	run -1 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "$LAYER:$((LAYER_SIZE - 1))" -d "$T/out"
	[[ "$output" == *"more than its size"* ]] || fail "$output"
	[ "$(stat -c %s "$T/out/${LAYER#sha256:}")" -eq 0 ]
}

@test "unknown_blob_is_blob_unknown" {
	mkdir "$T/out"
	run -1 "$REGTOOL" blobs "$(reg_addr anon)/$REPO" "sha256:$(printf '%064d' 0):10" -d "$T/out"
	[[ "$output" == *"blob unknown"* ]] || fail "$output"
}

@test "basic_auth_registry_refuses_anonymous_and_a_bad_password_and_takes_good_credentials" {
	run -1 "$REGTOOL" manifest "$(reg_addr basic)/$REPO:$TAG"
	[[ "$output" == *"authentication required"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest --creds "$REG_USER:wrong" "$(reg_addr basic)/$REPO:$TAG"
	[[ "$output" == *"invalid username/password"* ]] || fail "$output"
	[[ "$output" != *wrong* ]] || fail "the password is in the message: $output"
	pull_verified basic --creds "$REG_USER:$REG_PASS"
}

@test "bearer_token_is_fetched_for_the_repository_pull_scope" {
	: >"$(reg_dir tok)/token.log"
	pull_verified tok --creds "$REG_USER:$REG_PASS"
	run -0 grep "^token user=$REG_USER " "$(reg_dir tok)/token.log"
	[[ "$output" == *"scope=repository:$REPO:pull "* ]] || fail "$output"
	# the pull scope only, never more
	! grep -q "push" "$(reg_dir tok)/token.log"
}

@test "anonymous_bearer_token_pulls_a_public_repository" {
	: >"$(reg_dir tokanon)/token.log"
	pull_verified tokanon
	# one token for the manifest and the blobs' run each (two regtool runs), none with a user
	run -0 grep -c "^token user=- scope=repository:$REPO:pull " "$(reg_dir tokanon)/token.log"
	[ "$output" -eq 2 ]
	! grep -q "^token user=$REG_USER" "$(reg_dir tokanon)/token.log"
}

@test "bearer_registry_refuses_bad_credentials_and_anonymous_pulls" {
	run -1 "$REGTOOL" manifest --creds "$REG_USER:wrong" "$(reg_addr tok)/$REPO:$TAG"
	[[ "$output" == *"invalid username/password"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest "$(reg_addr tok)/$REPO:$TAG"
	[[ "$output" == *"authentication required"* ]] || fail "$output"
}

@test "tls_registry_is_verified_with_the_ca_of_the_cert_dir" {
	pull_verified tls --cert-dir "$REG_TMP/certs"
}

@test "tls_registry_without_its_ca_is_a_clear_tls_error_not_a_fallback_to_http" {
	run -1 "$REGTOOL" manifest "$(reg_addr tls)/$REPO:$TAG"
	[[ "$output" == *"TLS certificate not trusted"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest --cert-dir "$REG_TMP/no-such-dir" "$(reg_addr tls)/$REPO:$TAG"
	[[ "$output" == *"no-such-dir"* ]] || fail "$output"
}

@test "client_certificate_of_the_cert_dir_is_presented" {
	pull_verified tlsc --cert-dir "$REG_TMP/certs-client"
	# the CA alone: the registry ends the handshake
	run -1 "$REGTOOL" manifest --cert-dir "$REG_TMP/certs" "$(reg_addr tlsc)/$REPO:$TAG"
	[[ "$output" == *"registry $(reg_addr tlsc): "*"https://$(reg_addr tlsc)/v2/: "*"certificate"* ]] || fail "$output"
}

@test "tls_verify_false_reaches_the_tls_registry" {
	run -0 "$REGTOOL" manifest --tls-verify=false "$(reg_addr tls)/$REPO:$TAG"
	[ "${lines[0]}" = "application/vnd.oci.image.manifest.v1+json" ]
}

@test "plain_http_is_tried_only_for_loopback_or_tls_verify_false" {
	# a name that is not loopback: https only, so the error names https and never http
	run -1 "$REGTOOL" manifest "hull-test.invalid/$REPO:$TAG"
	[[ "$output" == *"https://hull-test.invalid/v2/"* ]] || fail "$output"
	# the loopback anonymous registry speaks http: reached after https failed, tls_verify left true
	run -0 "$REGTOOL" manifest "$(reg_addr anon)/$REPO:$TAG"
}

@test "login_and_logout_with_basic_auth_keep_other_entries" {
	local af=$T/auth/auth.json
	mkdir -p "$T/auth"
	echo '{"auths": {"other.example": {"auth": "dTpw"}}, "credHelpers": {"x": "y"}}' >"$af"
	run -0 "$HULL" login -u "$REG_USER" -p "$REG_PASS" --authfile "$af" "$(reg_addr basic)"
	[ "$output" = "Login Succeeded!" ]
	[ "$(stat -c %a "$af")" = 600 ]
	[ "$(jq -r '.auths["other.example"].auth' "$af")" = dTpw ]
	[ "$(jq -r '.credHelpers.x' "$af")" = y ]
	[ "$(jq -r --arg h "$(reg_addr basic)" '.auths[$h].auth' "$af" | base64 -d)" = "$REG_USER:$REG_PASS" ]
	manifest_of basic --authfile "$af"
	run -0 "$HULL" logout --authfile "$af" "$(reg_addr basic)"
	[ "$output" = "Removed login credentials for $(reg_addr basic)" ]
	[ "$(jq -r '.auths["other.example"].auth' "$af")" = dTpw ]
	run -125 "$HULL" logout --authfile "$af" "$(reg_addr basic)"
	[[ "$output" == *"not logged into"* ]] || fail "$output"
	run -1 "$REGTOOL" manifest --authfile "$af" "$(reg_addr basic)/$REPO:$TAG"
}

@test "login_with_bearer_auth_writes_a_new_authfile_in_a_new_dir" {
	local af=$T/new/dir/auth.json
	run -0 "$HULL" login -u "$REG_USER" --password-stdin --authfile "$af" "$(reg_addr tok)" <<<"$REG_PASS"
	[ "$output" = "Login Succeeded!" ]
	[ "$(stat -c %a "$af")" = 600 ]
	[ "$(stat -c %a "$T/new/dir")" = 700 ]
	manifest_of tok --authfile "$af"
	# REGISTRY_AUTH_FILE is where hull login writes and the client looks by default
	REGISTRY_AUTH_FILE=$T/env-auth.json run -0 "$HULL" login -u "$REG_USER" -p "$REG_PASS" "$(reg_addr tok)"
	REGISTRY_AUTH_FILE=$T/env-auth.json run -0 "$REGTOOL" manifest "$(reg_addr tok)/$REPO:$TAG"
	run -0 "$HULL" logout --all --authfile "$af"
	[ "$output" = "Removed login credentials for all registries" ]
	[ "$(jq -r '.auths | length' "$af")" = 0 ]
}

@test "login_asks_on_a_terminal_and_does_not_echo_the_password" {
	command -v script >/dev/null || skip "script (bsdutils) missing"
	local af=$T/auth.json pause=$((1 * ${HULL_TIME_SCALE:-1}))
	run -0 script -qec "$HULL login --authfile $af $(reg_addr basic)" /dev/null < <(
		sleep "$pause"
		printf '%s\n' "$REG_USER"
		sleep "$pause"
		printf '%s\n' "$REG_PASS"
		sleep "$pause"
	)
	[[ "$output" == *"Username: $REG_USER"* ]] || fail "$output"
	[[ "$output" == *"Password: "* ]] || fail "$output"
	[[ "$output" == *"Login Succeeded!"* ]] || fail "$output"
	[[ "$output" != *"$REG_PASS"* ]] || fail "the password was echoed: $output"
	[ "$(jq -r --arg h "$(reg_addr basic)" '.auths[$h].auth' "$af" | base64 -d)" = "$REG_USER:$REG_PASS" ]
}

@test "login_with_a_wrong_password_fails_and_stores_nothing" {
	local af=$T/auth.json
	run -125 "$HULL" login -u "$REG_USER" -p wrongpass --authfile "$af" "$(reg_addr basic)"
	[[ "$output" == *"invalid username/password"* ]] || fail "$output"
	[[ "$output" != *wrongpass* ]] || fail "the password is in the message: $output"
	[ ! -e "$af" ]
	run -125 "$HULL" login -u "$REG_USER" -p wrongpass --authfile "$af" "$(reg_addr tok)"
	[[ "$output" == *"invalid username/password"* ]] || fail "$output"
	[ ! -e "$af" ]
	# no terminal, no password: an error, not a prompt
	run -125 "$HULL" login -u "$REG_USER" --authfile "$af" "$(reg_addr basic)" </dev/null
	[ ! -e "$af" ]
}

@test "transient_503s_are_retried_and_a_cut_transfer_resumes_with_a_range" {
	reg_start_proxy flaky anon --fail-first 2 --cut-after 100000
	manifest_of anon
	mkdir "$T/out"
	run -0 "$REGTOOL" blobs "$(reg_addr flaky)/$REPO" $BLOBS -d "$T/out"
	blobs_verified
	local log=$(reg_dir flaky)/log
	[ "$(grep -c -- '-> 503$' "$log")" -eq 2 ] || fail "$(cat "$log")"
	run -0 grep -F "/blobs/$LAYER " "$log"
	[[ "$output" == *"range=bytes=100000- -> 206"* ]] || fail "$output"
}

@test "a_registry_that_keeps_failing_is_given_up_after_bounded_tries" {
	reg_start_proxy down anon --fail-first 1000
	manifest_of anon
	mkdir "$T/out"
	run -1 "$REGTOOL" blobs "$(reg_addr down)/$REPO" "$LAYER:$LAYER_SIZE" -d "$T/out"
	[[ "$output" == *"blob $LAYER: HTTP 503 (5 tries)"* ]] || fail "$output"
	[ "$(grep -c -- '-> 503$' "$(reg_dir down)/log")" -eq 5 ]
}

@test "a_redirect_to_another_host_does_not_carry_the_authorization" {
	reg_start_proxy redir basic --redirect-blobs \
		--upstream-auth "Basic $(printf '%s' "$REG_USER:$REG_PASS" | base64 -w0)"
	manifest_of basic --creds "$REG_USER:$REG_PASS"
	mkdir "$T/out"
	run -0 "$REGTOOL" blobs --creds "$REG_USER:$REG_PASS" "$(reg_addr redir)/$REPO" $BLOBS -d "$T/out"
	blobs_verified
	local log=$(reg_dir redir)/log
	[ "$(grep -c 'host=127.0.0.1.* auth=yes .*-> 307$' "$log")" -eq 3 ] || fail "$(cat "$log")"
	[ "$(grep -c 'host=localhost.* auth=no .*-> 200$' "$log")" -eq 3 ] || fail "$(cat "$log")"
	! grep -q 'host=localhost.* auth=yes' "$log"
}
