#!/usr/bin/env bash
# `make run`: the whole pipeline on embedded defaults, sped up so a newcomer sees beers arrive in the buckets
# `raw` and `cleaned` (and the table) within a minute; then where the data is and how to query it.
#   scripts/run-demo.sh [BREWLINE_BINARY] [DATA_DIR]
set -euo pipefail
bin="${1:-build/brewline}"
data="${2:-${BREWLINE_DATA_DIR:-./brewline-data}}"
every="${DEMO_EVERY:-5s}"
duration="${DEMO_FOR:-50s}"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Training data: the first time, backfill the catalogue onto the stream so the table has every beer and a model
# can be trained while the pipeline runs (the scorer picks the model up without a restart).
if ! "$bin" model list --data-dir "$data" 2>/dev/null | grep -q '^v'; then
  say "brewline ingest --all (backfill the 325-beer catalogue, so there is something to train on)"
  "$bin" ingest --all --data-dir "$data" --log-level warn
  train_model=1
else
  train_model=0
fi

say "brewline run --every $every --for $duration (the real cadence is rate(5 minutes)); data in $data"
"$bin" run --data-dir "$data" --every "$every" --for "$duration" \
  --buffer-interval 10s --poll-interval 500ms --table-sync-interval 5s &
pid=$!
# Ctrl-C stops the pipeline cleanly (it flushes every buffer), then the summary still prints.
trap 'kill -INT "$pid" 2>/dev/null || true' INT TERM

waited=0
if [ "$train_model" = 1 ]; then
  # Train as soon as the backfilled catalogue has reached the table (first flush + sync, ~15 s).
  while [ "$waited" -lt 30 ] && kill -0 "$pid" 2>/dev/null; do
    rows="$("$bin" sql --data-dir "$data" --format csv "SELECT count(*) FROM beers" 2>/dev/null | tail -n 1 || true)"
    [ "${rows:-0}" -ge 300 ] 2>/dev/null && break
    sleep 1; waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "brewline model train (XGBoost + ExtraTrees blend on the table's beers view; the running scorer picks it up)"
    "$bin" model train --data-dir "$data" --repeats 1 --log-level warn | tail -n 4 || true
  fi
fi
[ "$waited" -lt 25 ] && sleep $((25 - waited)) || true
if kill -0 "$pid" 2>/dev/null; then
  say "halfway: brewline status (from another process while the pipeline runs)"
  "$bin" status --data-dir "$data" || true
fi
wait "$pid" || { rc=$?; [ "$rc" -eq 130 ] || [ "$rc" -eq 0 ] || exit "$rc"; }
trap - INT TERM

say "brewline status"
"$bin" status --data-dir "$data"

say "bucket raw (JSON Lines, every field as received)"
"$bin" bucket ls --data-dir "$data" raw --recursive | tail -n 3
raw_key="$("$bin" bucket ls --data-dir "$data" raw --recursive | awk '{print $NF}' | grep -v '^processing-failed' | tail -n 1)"
[ -n "$raw_key" ] && "$bin" bucket cat --data-dir "$data" raw "$raw_key" | head -n 2 | cut -c 1-160

say "bucket cleaned (CSV: id,name,abv,ibu,target_fg,target_og,ebc,srm,ph)"
"$bin" bucket ls --data-dir "$data" cleaned --recursive | tail -n 3
clean_key="$("$bin" bucket ls --data-dir "$data" cleaned --recursive | awk '{print $NF}' | grep -v '^processing-failed' | tail -n 1)"
[ -n "$clean_key" ] && "$bin" bucket cat --data-dir "$data" cleaned "$clean_key" | head -n 5

say "table cleaned (SQL)"
"$bin" sql --data-dir "$data" "SELECT id, name, abv, ibu FROM cleaned ORDER BY rowid DESC LIMIT 5" || true

say "the model in the pipeline: latest predictions (table predictions, bucket predictions)"
"$bin" sql --data-dir "$data" "SELECT id, name, predicted_range, actual_range, model_version FROM predictions ORDER BY arrival_ms DESC LIMIT 5" || true

cat <<MSG

Where the data is (all under $data):
  streams/beers/   the stream (durable log, Kinesis semantics)   buckets/raw, buckets/cleaned   the objects
  delivery/        delivery state and checkpoints                 table/brewline.db              the SQL table
Query it:
  $bin sql --data-dir $data "SELECT count(*) FROM beers"
  $bin bucket ls --data-dir $data cleaned --recursive;  $bin bucket cat --data-dir $data raw KEY
  $bin status --data-dir $data [--json]
Fill the table for training:  $bin ingest --all --data-dir $data
Run at the real 5-minute cadence (Ctrl-C stops cleanly; a restart resumes where it stopped):
  $bin run --data-dir $data        # admin: http://127.0.0.1:9333/metrics /healthz /v1/status
Dashboard and prediction API while it runs: http://127.0.0.1:8080/   (POST /v1/predict; brewline serve runs it alone)
MSG
