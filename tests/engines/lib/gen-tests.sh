#!/bin/bash
# gen-tests.sh - rewrites the per-fixture @test blocks at the end of differential.bats from configs/*.json.
# Must never touch the part of differential.bats above the "# --- one test per fixture" line.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
f=$here/differential.bats
{
	sed '/^# --- one test per fixture/q' "$f"
	for j in "$here"/configs/*.json; do
		n=$(basename "$j" .json)
		printf '@test "%s" {\n\treplay %s\n}\n\n' "$n" "$n"
	done
} >"$f.new"
mv "$f.new" "$f"
