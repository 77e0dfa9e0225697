#!/usr/bin/env bash
# bench/server/run.sh BUILD_DIR OUT_MD: POST /v1/predict requests/s and p50/p99 latency with wrk on loopback,
# `brewline serve` (C++, cpp-httplib, compiled boosted trees blended with our ExtraTrees forest) against a Flask
# app predicting with XGBoost's Python package plus the forest in numpy under gunicorn (Debian python3-flask,
# python3-xgboost, python3-numpy, gunicorn), both serving the same registered model, in the same run. The run
# stops when the two servers do not answer alike (bench/server/agree.py). DURATION (default 10s), CONNECTIONS (default 16) and ROUNDS (default 3) override the load.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:?usage: run.sh BUILD_DIR OUT_MD}" && pwd)"
out="${2:?usage: run.sh BUILD_DIR OUT_MD}"
duration="${DURATION:-10s}"
conns="${CONNECTIONS:-16}"
py=/usr/bin/python3
brewline="$build/brewline"
[ -x "$brewline" ] || cmake --build "$build" --target brewline
for tool in wrk gunicorn; do command -v "$tool" >/dev/null || { echo "missing $tool: scripts/install-deps.sh bench" >&2; exit 1; }; done
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
data_json="$root/.cache/npm/node_modules/punkapi-db/data.json"

echo "training the model..." >&2
"$py" - "$data_json" > "$work/cleaned.csv" <<'PY'
import csv, json, sys
w = csv.writer(sys.stdout, lineterminator="\n")
cols = ["id", "name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]
w.writerow(cols)
for b in json.load(open(sys.argv[1])):
    w.writerow(["" if b.get(c) is None else b[c] for c in cols])
PY
"$brewline" model train --data-dir "$work/data" --from-csv "$work/cleaned.csv" --folds 3 --repeats 1 >/dev/null
model_dir="$work/data/buckets/models/ibu-classifier/v1"
[ -f "$model_dir/model.json" ] || { echo "no model at $model_dir" >&2; exit 1; }

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
ours_port=$(free_port)
"$brewline" --log-level warn serve --data-dir "$work/data" --listen "127.0.0.1:$ours_port" >/dev/null &
pids+=($!)
# The peer in two configurations: one sync worker per core, and gunicorn's documented starting point of
# 2 × cores + 1 workers; the ratio is taken against whichever serves more.
peer_port=$(free_port)
workers=$(nproc)
BREWLINE_MODEL_DIR="$model_dir" gunicorn --chdir "$root/bench/server" -w "$workers" -b "127.0.0.1:$peer_port" \
  --log-level warning flask_peer:app &
pids+=($!)
peer2_port=$(free_port)
workers2=$((2 * workers + 1))
BREWLINE_MODEL_DIR="$model_dir" gunicorn --chdir "$root/bench/server" -w "$workers2" -b "127.0.0.1:$peer2_port" \
  --log-level warning flask_peer:app &
pids+=($!)
# Gunicorn's master listens before its workers have imported XGBoost and loaded the model (seconds each on a busy
# machine), so each server must answer a prediction before agree.py or wrk talks to it.
wait_ready() {
  wait_port "$1"
  for _ in $(seq 1 240); do
    curl -fsS -m 5 -H 'Content-Type: application/json' -d '{"abv":5}' "http://127.0.0.1:$1/v1/predict" >/dev/null 2>&1 \
      && return 0
    sleep 0.5
  done
  echo "port $1 never answered a prediction" >&2; exit 1
}
wait_ready "$ours_port"
wait_ready "$peer_port"
wait_ready "$peer2_port"

agree=$("$py" "$root/bench/server/agree.py" "http://127.0.0.1:$ours_port" "http://127.0.0.1:$peer_port" "$data_json")
agree_field() { "$py" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$agree" "$1"; }
# The served model, from its metadata, so the prose cannot drift from what was measured.
model_desc=$("$py" - "$model_dir/metadata.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
h = m["hyperparameters"]
boosted = f"XGBoost ({h['rounds']} rounds × {len(m['bands']['labels'])} classes, depth {h['max_depth']})"
if m.get("format_version", 1) >= 2 and h.get("forest_trees", 0) > 0:
    print(f"a blend of {boosted} and our ExtraTrees forest ({h['forest_trees']} trees, weight {h['forest_weight']}) "
          f"on {len(m['features'])} features")
else:
    print(f"{boosted} alone on {len(m['features'])} features")
PY
)

bench() {  # url → "rps p50_ms p99_ms"
  curl -fsS -H 'Content-Type: application/json' -d '{"abv":5}' "$1/v1/predict" >/dev/null
  wrk -t2 -c"$conns" -d3s -s "$root/bench/server/post.lua" "$1/v1/predict" >/dev/null  # warm-up
  wrk -t2 -c"$conns" -d"$duration" --latency -s "$root/bench/server/post.lua" "$1/v1/predict" > "$work/wrk.txt"
  "$py" - "$work/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    if not m: sys.exit("unreadable wrk latency %r in:\n%s" % (s, t))
    v, u = m.groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))  # own line: the Stdev column can end "89.50%" too
p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if errs: sys.exit("non-2xx responses: " + errs.group(1))
print(f"{rps:.0f} {p50:.3f} {p99:.3f}")
PY
}
# ROUNDS rounds (default 3), each measuring the three servers back to back, so a burst of other load on the
# shared machine lands on one round of each rather than on one server; per server, the round with the median
# throughput is reported.
rounds="${ROUNDS:-3}"
: > "$work/rounds.txt"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for round in $(seq 1 "$rounds"); do
  for which in ours peer1 peer2; do
    case $which in
      ours) port=$ours_port ;; peer1) port=$peer_port ;; peer2) port=$peer2_port ;;
    esac
    echo "wrk: round $round/$rounds, $which..." >&2
    echo "$which $(bench "http://127.0.0.1:$port")" >> "$work/rounds.txt"
  done
done
median() {  # which → "rps p50 p99" of the median-throughput round
  "$py" - "$work/rounds.txt" "$1" <<'PY'
import sys
rows = sorted((float(r), p50, p99) for w, r, p50, p99 in (l.split() for l in open(sys.argv[1])) if w == sys.argv[2])
rps, p50, p99 = rows[len(rows) // 2]
print(f"{rps:.0f} {p50} {p99}")
PY
}
all_rounds=$("$py" - "$work/rounds.txt" <<'PY'
import sys, collections
d = collections.defaultdict(list)
for l in open(sys.argv[1]):
    w, r, _, _ = l.split(); d[w].append(r)
print("; ".join(f"{w}: {', '.join(v)}" for w, v in d.items()))
PY
)
load_after=$(cut -d' ' -f1 /proc/loadavg)
read -r ours_rps ours_p50 ours_p99 < <(median ours)
read -r peer1_rps peer1_p50 peer1_p99 < <(median peer1)
read -r peer2_rps peer2_p50 peer2_p99 < <(median peer2)
if "$py" -c "import sys; sys.exit(0 if $peer2_rps > $peer1_rps else 1)"; then
  peer_rps=$peer2_rps; peer_p50=$peer2_p50; peer_p99=$peer2_p99; peer_workers=$workers2
else
  peer_rps=$peer1_rps; peer_p50=$peer1_p50; peer_p99=$peer1_p99; peer_workers=$workers
fi
calc() { "$py" -c "print($1)"; }
ratio=$(calc "round($ours_rps / $peer_rps, 1)")
p99_ratio=$(calc "round($peer_p99 / $ours_p99, 1)")

mkdir -p "$(dirname "$out")"
cat > "$out" <<MD
## server: POST /v1/predict throughput and latency

\`bench/server/run.sh BUILD_DIR docs/bench/server.md\` — wrk on loopback, 2 threads, $conns connections,
$duration per server after a 3 s warm-up, $rounds rounds (each server's median-throughput round is shown;
every round's requests/s: $all_rounds), one cleaned beer with its name per request (\`bench/server/post.lua\`). Both servers
serve the same registered model, trained on the 325 punkapi-db beers: $model_desc. The peer
reimplements the same cleaning, features, blend and prior correction (\`bench/server/flask_peer.py\`; the forest is
walked with numpy over all trees at once, one depth level per step, \`bench/server/extra_trees_np.py\`) and agreed on
the band for $(agree_field same) of $(agree_field total) catalogue beers, probabilities within $(agree_field max_probability_difference).
Peer: Flask $("$py" -c 'import flask;print(flask.__version__)' 2>/dev/null || echo "?") + XGBoost $("$py" -c 'import xgboost;print(xgboost.__version__)') + numpy $("$py" -c 'import numpy;print(numpy.__version__)') under gunicorn
(Debian's production WSGI server), measured with $workers sync workers (one per core) and with $workers2 (gunicorn's
documented 2 × cores + 1); the ratios use the faster of the two ($peer_workers workers). Same machine ($(nproc) cores,
shared with wrk; 1-minute load average $load_before before the rounds, $load_after after, the run itself included:
other work on a shared machine lowers both servers' figures). Ours predicts through the compiled tree ensemble (\`ml/tree_ensemble.h\`) blended with the
ExtraTrees forest (\`ml/extra_trees.h\`; single-row figures in docs/bench/ml.md) with \`--threads 32\` (the default:
cpp-httplib holds one thread per keep-alive connection).

| server | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| brewline serve (C++) | $ours_rps | $ours_p50 | $ours_p99 |
| Flask + xgboost + numpy forest (gunicorn, $workers workers) | $peer1_rps | $peer1_p50 | $peer1_p99 |
| Flask + xgboost + numpy forest (gunicorn, $workers2 workers) | $peer2_rps | $peer2_p50 | $peer2_p99 |

Throughput ratio: **${ratio}×**; p99 ratio (peer / ours): **${p99_ratio}×** (target: ≥ 10× throughput at lower p99).
MD
cat "$out"
