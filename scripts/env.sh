# Sourced by the other scripts: the project's pinned tool versions and the environment the build
# needs. Versions come from the files that pin them, so there is one source of truth each.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

TRUNK_VERSION="0.21.14"  # trunk 0.22 does not build on rustc 1.95; keep in step with Trunk.toml
# The wasm-bindgen CLI must equal the `wasm-bindgen = "=X"` pin in Cargo.toml.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")"
export TRUNK_VERSION WASM_BINDGEN_VERSION

# cargo-installed tools, and wasm-opt from npm's binaryen (Debian's binaryen 108 breaks the wasm).
export PATH="$ROOT/node_modules/binaryen/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Trunk's update check needs the internet; `offline = true` in Trunk.toml does not disable it.
export TRUNK_SKIP_VERSION_CHECK=true

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
