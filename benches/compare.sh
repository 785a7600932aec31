#!/usr/bin/env bash
# Build benchmark against the peers; see benches/compare.py. Installs Hugo (Debian) and mdBook
# (crates.io) when missing, builds handbook in release mode, then measures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
command -v mdbook >/dev/null || cargo install mdbook --locked
cargo build --release --quiet
exec python3 benches/compare.py "$@"
