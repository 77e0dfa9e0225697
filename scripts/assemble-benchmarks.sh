#!/usr/bin/env bash
# Joins docs/bench/*.md (one per subsystem, written by bench/<subsystem>/run.sh) into docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docs/benchmarks.md"
{
  echo "# Benchmarks"
  echo
  echo "Measured on the project's 2-core machine with \`make bench\` (or the per-section command). Each"
  echo "section names its command, the peer measured in the same run, and the ratio."
  for f in beer punkapi stream delivery schedule pipeline table ml aws lambda server; do
    [ -f "$root/docs/bench/$f.md" ] || continue
    echo
    cat "$root/docs/bench/$f.md"
  done
} > "$out"
echo "wrote $out"
