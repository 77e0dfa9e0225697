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

say "brewline run --every $every --for $duration (the real cadence is rate(5 minutes)); data in $data"
"$bin" run --data-dir "$data" --every "$every" --for "$duration" \
  --buffer-interval 10s --poll-interval 500ms --table-sync-interval 5s &
pid=$!
# Ctrl-C stops the pipeline cleanly (it flushes every buffer), then the summary still prints.
trap 'kill -INT "$pid" 2>/dev/null || true' INT TERM

sleep 25 || true
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
MSG
