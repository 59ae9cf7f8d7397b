#!/usr/bin/env bash
# `make bench-web`: serves the last release build (dist/) on a free 127.0.0.1 port and runs the
# page benchmark (scripts/bench-web.mjs) against it. Build first with `make test` or
# `trunk build --release`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
[[ -f dist/index.html ]] || die "no release build in dist/: run make test (or trunk build --release) first"
log_file="$(mktemp)"
node scripts/static-server.mjs dist --host 127.0.0.1 --port 0 >"$log_file" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; rm -f "$log_file"' EXIT
base_url=""
for _ in $(seq 1 100); do
  base_url="$(sed -n 's/^listening on //p' "$log_file")"
  [[ -n "$base_url" ]] && break
  sleep 0.1
done
[[ -n "$base_url" ]] || die "the static server did not start"
node scripts/bench-web.mjs "$base_url" dist
