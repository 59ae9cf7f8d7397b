#!/usr/bin/env bash
# `make bench-core`: the core throughput budgets of PRODUCT.md §4, native and in wasm, on the same
# workloads (crates/podsim/benches/workload):
#   1. native: `cargo bench -p podsim --bench throughput` (its one-shot report lines only), 3 runs;
#   2. wasm: crates/podsim-wasm-bench built for wasm32-unknown-unknown with the page's release
#      profile and allocator, timed in Node's V8 by scripts/bench-core-wasm.mjs;
# then the wasm/native ratio of the medians (budget: within 2×) and the native budgets (scheduling
# ≥ 50,000 pods/s, the run ≤ 2 s). Timings depend on the machine; nothing
# here fails on a figure. Not part of `make test` (two optimised builds take minutes on 2 cores).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" || die "setup failed"

RUNS=3
log "native (cargo bench -p podsim --bench throughput), $RUNS runs"
# `nomatch` filters out divan's statistics: only the report's timed runs. Each run is a fresh
# process, like each wasm run is a fresh call; both sides report the median of $RUNS.
native=""
for _ in $(seq "$RUNS"); do
  one="$(cargo bench -q -p podsim --bench throughput -- nomatch 2>&1)" || { echo "$one"; die "the native benchmark failed"; }
  echo "$one" | grep -E '^(schedule|run|peak)'
  native+="$one"$'\n'
done

log "wasm (crates/podsim-wasm-bench, release profile, in Node)"
cargo build -q --release -p podsim-wasm-bench --target wasm32-unknown-unknown || die "the wasm benchmark did not build"
wasm="$(node scripts/bench-core-wasm.mjs target/wasm32-unknown-unknown/release/podsim_wasm_bench.wasm "$RUNS" 2>&1)" || { echo "$wasm"; die "the wasm benchmark failed"; }
echo "$wasm"

# The median of the matching lines' wall seconds.
seconds() { sed -n "s/^$1: .* in \([0-9.]*\)s wall.*/\1/p" | sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'; }
log "summary"
for kind in schedule run; do
  n="$(echo "$native" | seconds "$kind")"
  w="$(echo "$wasm" | seconds "wasm $kind")"
  if [[ -n "$n" && -n "$w" ]]; then
    awk -v k="$kind" -v n="$n" -v w="$w" 'BEGIN {
      r = w / n
      printf "  %-9s native %6.3f s   wasm %6.3f s   (medians)   wasm/native %.2f×   budget 2×   %s\n", k, n, w, r, (r <= 2 ? "ok" : "OVER")
      # The native budgets themselves (PRODUCT.md §4 and the core issues): scheduling at
      # 50,000 pods/s or more, the ten-minute run in 2 s or less.
      if (k == "schedule") printf "  %-9s native %8.0f pods/s   budget >= 50000 pods/s   %s\n", k, 10000 / n, (10000 / n >= 50000 ? "ok" : "UNDER")
      if (k == "run") printf "  %-9s native %6.3f s   budget <= 2 s   %s\n", k, n, (n <= 2 ? "ok" : "OVER")
    }'
  fi
done
