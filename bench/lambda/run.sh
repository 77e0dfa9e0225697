#!/usr/bin/env bash
# bench/lambda/run.sh BUILD_DIR OUT_MD: cold start and per-event latency of the C++ transform bootstrap and
# of a Python handler (Debian's /usr/bin/python3, not the pyenv shim) through the same Runtime API server.
set -euo pipefail
build="${1:?usage: run.sh BUILD_DIR OUT_MD}"
out="${2:?usage: run.sh BUILD_DIR OUT_MD}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cmake --build "$build" --target lambda_bench lambda_transform >/dev/null
mkdir -p "$(dirname "$out")"
BREWLINE_SOURCE_DIR="$root" "$build/bench/lambda/lambda_bench" \
  --cxx "$build/lambdas/transform/bootstrap" \
  --python /usr/bin/python3 --python-handler "$root/bench/lambda/transform_handler.py" \
  --out "$out" --cold-runs "${COLD_RUNS:-15}" --warm-events "${WARM_EVENTS:-200}" --records "${RECORDS:-325}"
echo "wrote $out"
