#!/usr/bin/env bash
# Authoring commands timed with hyperfine: init, init+build, new on the real book, and the
# cost of the progress bar (a 1000-note corpus built in a pipe vs on a pseudo-terminal).
# Usage: benchmarks/authoring.sh   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
HB="$PWD/target/release/handbook"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

hyperfine -N --warmup 2 --runs 20 \
  --prepare "rm -rf $WORK/b" \
  "$HB -q init $WORK/b"

hyperfine --warmup 1 --runs 10 \
  --prepare "rm -rf $WORK/b" \
  "$HB -q init $WORK/b && $HB -q build --root $WORK/b"

mkdir -p "$WORK/real" && cp -r book.toml notes "$WORK/real/"
hyperfine -N --warmup 2 --runs 30 \
  --prepare "sh -c 'rm -f $WORK/real/notes/02-core-building-blocks/*-bench-note.md'" \
  "$HB new 'Bench Note' --section core-building-blocks --root $WORK/real"

python3 "${SHARED:-/work/shared}/bench/gen_corpus.py" 1000 "$WORK/corpus" >/dev/null
C="$WORK/corpus/handbook"
hyperfine --warmup 1 --runs 5 \
  -n pipe "$HB build --root $C 2>/dev/null" \
  -n terminal "script -qec '$HB build --root $C' /dev/null >/dev/null"
