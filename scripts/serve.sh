#!/usr/bin/env bash
# `make serve`: installs what is missing, builds the playground and serves it on
# http://127.0.0.1:8080 (Trunk.toml [serve]), rebuilding and reloading on every change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
log "trunk serve → http://127.0.0.1:8080/"
# A dist of its own, so a running `make serve` and `make test` (which builds dist/) never collide.
exec trunk serve --dist target/serve-dist "$@"
