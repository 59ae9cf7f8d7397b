#!/usr/bin/env bash
# Installs what the build (and, with --browser, the browser tests) needs, skipping whatever is
# already there. Needs only the package registries: crates.io, npm and Debian's apt.
#
#   scripts/setup.sh            # wasm32 target, trunk, wasm-bindgen-cli, npm packages, crates
#   scripts/setup.sh --browser  # ... and Debian's chromium + chromium-driver (needs root or sudo)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

with_browser=false
[[ "${1:-}" == "--browser" ]] && with_browser=true

for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null || die "$tool is missing: install the Rust toolchain (rustup) and Node.js 20+ first"
done
# Rust links with cc on Linux, and the CLI's allocator (mimalloc) compiles C with it.
command -v cc >/dev/null || die "cc is missing: install a C compiler (Debian: apt-get install gcc)"
[[ -n "$WASM_BINDGEN_VERSION" ]] || die "no 'wasm-bindgen = \"=X.Y.Z\"' pin found in Cargo.toml"
grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml \
  || die "Trunk.toml [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\" (the Cargo.toml pin)"

# 1. The WebAssembly target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "ok: rust target wasm32-unknown-unknown"
else
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk, pinned (about 9 minutes to compile on 2 cores).
if [[ "$(trunk --version 2>/dev/null || true)" == "trunk $TRUNK_VERSION" ]]; then
  echo "ok: trunk $TRUNK_VERSION"
else
  log "cargo install --locked trunk@$TRUNK_VERSION (takes several minutes)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli, exactly the crate's version. Not --locked: its lock file pins a crate
#    version the registry no longer has.
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" == "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  echo "ok: wasm-bindgen $WASM_BINDGEN_VERSION"
else
  log "cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION (takes a few minutes)"
  cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

# 4. npm packages from the committed lock file: binaryen (wasm-opt), esbuild, monaco-editor,
#    monaco-yaml, playwright-core. npm writes node_modules/.package-lock.json on every install.
if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json \
      && node_modules/.package-lock.json -nt package.json ]]; then
  echo "ok: npm packages"
else
  log "npm ci"
  npm ci --no-audit --no-fund
fi
[[ -x node_modules/binaryen/bin/wasm-opt ]] || die "node_modules/binaryen/bin/wasm-opt is missing"

# 5. Crates, so the offline Trunk build (cargo --offline) finds everything. Fast when cached.
cargo fetch --quiet
echo "ok: crates fetched"

# 6. Chromium for the browser tests (Playwright drives /usr/bin/chromium; it cannot download its own).
if $with_browser; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    echo "ok: chromium, chromedriver"
  else
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || die "installing chromium needs root (or sudo)"
      sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when apt does not know the packages yet.
    if ! apt-cache show chromium >/dev/null 2>&1 || ! apt-cache show chromium-driver >/dev/null 2>&1; then
      log "apt-get update"
      $sudo apt-get update
    fi
    log "apt-get install chromium chromium-driver"
    $sudo apt-get install -y chromium chromium-driver
  fi
fi
