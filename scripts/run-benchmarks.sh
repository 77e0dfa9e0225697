#!/usr/bin/env bash
# `make bench`: runs every bench/<subsystem>/run.sh against the build, each writing docs/bench/<subsystem>.md,
# then assembles docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
mkdir -p "$root/docs/bench"
for run in "$root"/bench/*/run.sh; do
  [ -x "$run" ] || continue
  sub="$(basename "$(dirname "$run")")"
  echo "== bench: $sub"
  "$run" "$build" "$root/docs/bench/$sub.md"
done
"$root/scripts/assemble-benchmarks.sh"
