#!/usr/bin/env bash
# Delivery benchmarks: throughput of the raw/cleaned deliveries, and the transform vs a Python reference
# handler, in process and as a cold process. Usage: bench/delivery/run.sh BUILD_DIR OUT_MD
set -euo pipefail
build="$(cd "$1" && pwd)"
out="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$root/.cache/npm/node_modules/punkapi-db/data.json"
cmake --build "$build" --target delivery_bench brewline-transform >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$build/bench/delivery/delivery_bench" "$data" "$tmp/event.json" 20000 >"$tmp/ours.txt"
val() { awk -v k="$1" '$1==k {print $2}' "$tmp/ours.txt"; }
py_ms="$(/usr/bin/python3 "$root/bench/delivery/reference_handler.py" --bench "$tmp/event.json" 50)"
ours_ms="$(val transform_ms_per_event)"
# Sanity: the cold handler answers every record Ok.
"$build/brewline-transform" <"$tmp/event.json" | /usr/bin/python3 -c '
import json,sys; r=json.load(sys.stdin)["records"]; assert len(r)==500 and all(x["result"]=="Ok" for x in r)'

# Cold: the dedicated build/brewline-transform (what a cold Lambda would run) vs a fresh /usr/bin/python3 (never
# a pyenv shim, which adds its own start-up). The full CLI binary is timed too when it is built, for reference.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
cmds=("$build/brewline-transform" "/usr/bin/python3 $root/bench/delivery/reference_handler.py")
[[ -x "$build/brewline" ]] && cmds+=("$build/brewline transform")
hyperfine -N --warmup 3 --runs 30 --export-json "$tmp/cold.json" --input "$tmp/event.json" "${cmds[@]}" >/dev/null 2>&1 || {
  shell_cmds=()
  for c in "${cmds[@]}"; do shell_cmds+=("$c < $tmp/event.json"); done
  hyperfine --warmup 3 --runs 30 --export-json "$tmp/cold.json" "${shell_cmds[@]}" >/dev/null
}
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r cold_ours cold_py cold_cli < <(/usr/bin/python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))["results"]
print(" ".join("%.2f" % (x["mean"]*1000) for x in r), "" if len(r) > 2 else "n/a")' "$tmp/cold.json")
size_small="$(stat -c %s "$build/brewline-transform")"
size_cli="$([[ -x "$build/brewline" ]] && stat -c %s "$build/brewline" || echo n/a)"

ratio() { /usr/bin/python3 -c "print('%.1f' % ($1/$2))"; }
mkdir -p "$(dirname "$out")"
cat >"$out" <<MD
## Delivery

Reproduce: \`bench/delivery/run.sh build docs/bench/delivery.md\` ($(nproc) cores, $(date -u +%Y-%m-%d); load
average $load_before before the cold runs, $load_after after: the machine is shared, so figures move between runs).

### Transform: one 500-record Firehose event of Punk API beers ($(val event_bytes) bytes)

| handler | in process (ms/event) | whole cold process (ms) |
|---|---|---|
| brewline \`FirehoseTransformer\` / \`build/brewline-transform\` | $ours_ms | $cold_ours |
| Python reference (json, csv, base64; /usr/bin/python3) | $py_ms | $cold_py |
| **ratio** | **$(ratio "$py_ms" "$ours_ms")×** (target ≥ 10×) | **$(ratio "$cold_py" "$cold_ours")×** (target ≥ 4×) |

In process: the fastest of 5 batches on each side (80 calls each for ours, 10 for Python; our median batch
took $(val transform_ms_median_batch) ms). Cold runs by hyperfine (30 runs, 3 warm-up), the event on stdin. \`build/brewline-transform\` is the transform
alone ($size_small bytes; only transform, beer and common are linked); the full CLI \`brewline transform\`
($size_cli bytes, every subsystem and its shared libraries) takes $cold_cli ms cold and answers byte for byte the
same (tests/delivery/transform_binary_test.cc).

### Delivery throughput: LocalStream (2 shards) → Delivery → FsObjectStore, $(val raw_records) records

| delivery | records/s | MB/s (record bytes) | objects | seconds |
|---|---|---|---|---|
| raw | $(val raw_records_per_s) | $(val raw_mb_per_s) | $(val raw_objects) | $(val raw_seconds) |
| raw, GZIP | $(val raw_gzip_records_per_s) | $(val raw_gzip_mb_per_s) | $(val raw_gzip_objects) | $(val raw_gzip_seconds) |
| cleaned (transform → CSV) | $(val cleaned_records_per_s) | $(val cleaned_mb_per_s) | $(val cleaned_objects) | $(val cleaned_seconds) |

Default buffering hints (5 MiB / 300 s); \`Drain\` reads everything, then flushes. Each object is written with
the exactly-once protocol (state fsynced before and after the object).
MD
cat "$out"
