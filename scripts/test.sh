#!/usr/bin/env bash
# `make test` (and CI, through .ci/run): installs what is missing, then
#   1. runs the Rust tests of the whole workspace (`cargo test --workspace --no-fail-fast`),
#   2. builds the release site (`trunk build --release` → dist/),
#   3. serves dist/ on 127.0.0.1 and runs the browser tests (tests/e2e, Playwright + Chromium),
#   4. runs the page benchmark (scripts/bench-web.mjs) and prints its figures,
#   5. prints the size report,
# then prints each runner's summary line and exits non-zero if anything failed.
# Logs go to target/test-logs/, screenshots to target/e2e-artifacts/.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

started=$SECONDS
"$ROOT/scripts/setup.sh" --browser || die "setup failed"

logs="$ROOT/target/test-logs"
mkdir -p "$logs"
failed=0
summary=()

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# 1. Rust tests. Always this exact invocation: switching between `--workspace` and `-p` rebuilds
#    shared dependencies (feature unification).
# A hung test must not eat the CI budget: each step has a generous time limit (`timeout` kills
# the whole process group, test binaries included).
log "cargo test --workspace --no-fail-fast"
timeout "${CARGO_TEST_TIMEOUT:-45m}" cargo test --workspace --no-fail-fast 2>&1 | tee "$logs/cargo-test.log"
cargo_rc=${PIPESTATUS[0]}
[[ $cargo_rc -eq 124 ]] && echo "cargo test timed out after ${CARGO_TEST_TIMEOUT:-45m}"
cargo_line="$(awk '/^test result:/ {
    for (i = 1; i <= NF; i++) {
      if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) g += $i
    }
    n++
  } END { if (n) printf "%d passed; %d failed; %d ignored (%d test binaries)", p, f, g, n }' "$logs/cargo-test.log")"
if [[ $cargo_rc -ne 0 ]]; then
  failed=1
  if [[ $cargo_rc -eq 124 ]]; then
    summary+=("cargo test --workspace: FAILED, timed out after ${CARGO_TEST_TIMEOUT:-45m} ${cargo_line}")
  else
    summary+=("cargo test --workspace: FAILED (exit $cargo_rc) ${cargo_line:-— did not compile, see target/test-logs/cargo-test.log}")
  fi
else
  summary+=("cargo test --workspace: ok. $cargo_line")
fi

# 2. Release build.
log "trunk build --release"
if timeout 30m trunk build --release 2>&1 | tee "$logs/trunk-build.log"; [[ ${PIPESTATUS[0]} -eq 0 ]]; then
  summary+=("trunk build --release: ok")
  built=1
else
  failed=1
  built=0
  summary+=("trunk build --release: FAILED, see target/test-logs/trunk-build.log")
fi

# 3. Browser tests against the release build, served on 127.0.0.1 (a free port).
if [[ $built -eq 1 ]]; then
  node scripts/static-server.mjs dist --host 127.0.0.1 --port 0 >"$logs/server.log" 2>&1 &
  server_pid=$!
  base_url=""
  for _ in $(seq 1 100); do
    base_url="$(sed -n 's/^listening on //p' "$logs/server.log")"
    [[ -n "$base_url" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$base_url" ]]; then
    failed=1
    summary+=("browser tests: NOT RUN, the static server did not start (see target/test-logs/server.log)")
  else
    log "browser tests against $base_url"
    BASE_URL="$base_url" timeout 15m node --test --test-reporter=spec tests/e2e/*.test.mjs 2>&1 | tee "$logs/e2e.log"
    e2e_rc=${PIPESTATUS[0]}
    e2e_line="$(awk '/^ℹ (tests|pass|fail|skipped) / { printf "%s%s %s", sep, $3, $2; sep = "; " }' "$logs/e2e.log")"
    if [[ $e2e_rc -ne 0 ]]; then
      failed=1
      summary+=("browser tests: FAILED (exit $e2e_rc) ${e2e_line}")
    else
      summary+=("browser tests: ok. ${e2e_line} (screenshots in target/e2e-artifacts/)")
    fi

    # 4. The page benchmark (PRODUCT.md §4): prints each figure against its budget (reported; it
    #    fails only if it cannot run).
    log "page benchmark"
    timeout 10m node scripts/bench-web.mjs "$base_url" dist 2>&1 | tee "$logs/bench-web.log"
    bench_rc=${PIPESTATUS[0]}
    bench_line="$(sed -n 's/^bench summary: //p' "$logs/bench-web.log")"
    if [[ $bench_rc -ne 0 ]]; then
      failed=1
      summary+=("page benchmark: FAILED (exit $bench_rc) ${bench_line:-see target/test-logs/bench-web.log}")
    else
      summary+=("page benchmark: ok. ${bench_line}")
    fi
  fi
  stop_server

  # 5. Size report.
  log "size report"
  node scripts/size-report.mjs dist | tee "$logs/size.log"
  size_rc=${PIPESTATUS[0]}
  size_line="$(sed -n 's/^size summary: //p' "$logs/size.log")"
  if [[ $size_rc -ne 0 ]]; then
    failed=1
    summary+=("size: FAILED ${size_line}")
  else
    summary+=("size: ok. ${size_line}")
  fi
else
  summary+=("browser tests: NOT RUN (no release build)")
fi

echo
log "summary ($((SECONDS - started)) s)"
printf '  %s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
  echo "FAILED"
  exit 1
fi
echo "ALL PASSED"
