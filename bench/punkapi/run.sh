#!/usr/bin/env bash
# bench/punkapi/run.sh BUILD_DIR OUT_MD: GET /v2/beers/random requests/s with wrk on loopback,
# `brewline punkapi serve` vs a Flask peer (Debian python3-flask), in the same run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
out="${2:-$root/docs/bench/punkapi.md}"
data="$root/.cache/npm/node_modules/punkapi-db/data.json"
duration="${BENCH_DURATION:-10s}"
threads=2
conns=32
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh bench" >&2; exit 1; }
cmake --build "$build" --target brewline >/dev/null

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

bench() {  # url → "requests/s p50 p99"
  wrk -t"$threads" -c"$conns" -d"$duration" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 } print rps, p50, p99 }'
}

port=$(free_port)
"$build/brewline" punkapi serve --data "$data" --listen "127.0.0.1:$port" --rate-limit 0 --threads 64 2>/dev/null &
pids+=($!)
wait_port "$port"
read -r ours ours_p50 ours_p99 < <(bench "http://127.0.0.1:$port/v2/beers/random")

peer_port=$(free_port)
/usr/bin/python3 "$root/bench/punkapi/flask_peer.py" "$data" "$peer_port" 2>/dev/null &
pids+=($!)
wait_port "$peer_port"
read -r peer peer_p50 peer_p99 < <(bench "http://127.0.0.1:$peer_port/v2/beers/random")

ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.1f", a / b }')
{
  echo "## Punk API server: GET /v2/beers/random"
  echo
  echo "wrk, $threads threads, $conns keep-alive connections, $duration per server, loopback, rate limit off;"
  echo "the load generator shares the machine ($(nproc) cores, $(uname -m)). Peer: the same endpoint in Flask"
  echo "(Debian python3-flask, threaded Werkzeug server), measured in the same run."
  echo
  echo "Reproduce: \`bench/punkapi/run.sh build docs/bench/punkapi.md\`"
  echo
  echo "| server | requests/s | p50 | p99 |"
  echo "|---|---|---|---|"
  echo "| brewline punkapi serve (cpp-httplib, --threads 64) | $ours | $ours_p50 | $ours_p99 |"
  echo "| Flask peer | $peer | $peer_p50 | $peer_p99 |"
  echo
  echo "Ratio (requests/s, brewline / Flask): **${ratio}×**"
} > "$out"
cat "$out"
