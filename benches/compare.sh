#!/usr/bin/env bash
# Build benchmark against the peers; see benches/compare.py. Installs Hugo (Debian) and mdBook
# (crates.io) when missing, builds handbook in release mode, then measures.
# `--reader [options]`: the reader-side benchmark instead (benches/reader.mjs: the all-notes page
# in headless Chromium beside mdBook's print.html); needs `npm ci` in tests/browser.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--reader" ] || command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
command -v mdbook >/dev/null || cargo install mdbook --locked
cargo build --release --quiet
if [ "${1:-}" = "--reader" ]; then
  shift
  exec node benches/reader.mjs "$@"
fi
exec python3 benches/compare.py "$@"
