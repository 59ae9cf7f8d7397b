# The two set-up commands (see README.md). Everything else lives in scripts/.
.PHONY: serve test size bench-web bench-core help

help:
	@echo "make serve   install what is missing, build, serve on http://127.0.0.1:8080"
	@echo "make test    install what is missing, run all tests (Rust, browser), print sizes"
	@echo "make bench-web  the page benchmark on the last release build (dist/)"
	@echo "make bench-core the core throughput benchmark, native and in wasm (minutes: two optimised builds)"

serve:
	@scripts/serve.sh

test:
	@scripts/test.sh

# The size report of the last release build (dist/).
size:
	@node scripts/size-report.mjs dist

# The page benchmark of the last release build (dist/), served on a free port.
bench-web:
	@scripts/bench-web.sh

# The core throughput benchmark, native and in wasm, with the wasm/native ratio.
bench-core:
	@scripts/bench-core.sh
