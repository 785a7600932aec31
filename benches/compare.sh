#!/usr/bin/env bash
# Build benchmark against the peers; see benches/compare.py. Installs Hugo (Debian) and mdBook
# (crates.io) when missing, builds handbook in release mode, then measures. Zola is not installed
# here (it is neither on crates.io nor in Debian): it is measured when `zola` is on PATH or ZOLA
# names a binary, and skipped with a note otherwise. HUGO and MDBOOK name other peer binaries;
# HANDBOOK_BIN names a handbook binary to measure instead of building target/release/handbook
# (not for --reader, which always measures target/release/handbook).
# `--reader [options]`: the reader-side benchmark instead (benches/reader.mjs: the all-notes page
# in headless Chromium beside mdBook's print.html); needs `npm ci` in tests/browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--reader" ]; then
  [ -n "${HUGO:-}" ] || command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
  [ -n "${ZOLA:-}" ] || command -v zola >/dev/null ||
    echo "compare.sh: zola not found (put it on PATH or set ZOLA=/path/to/zola); Zola is skipped" >&2
fi
[ -n "${MDBOOK:-}" ] || command -v mdbook >/dev/null || cargo install mdbook --locked
if [ "${1:-}" = "--reader" ]; then
  shift
  cargo build --release --quiet
  exec node benches/reader.mjs "$@"
fi
[ -n "${HANDBOOK_BIN:-}" ] || cargo build --release --quiet
exec python3 benches/compare.py "$@"
