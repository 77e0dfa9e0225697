#!/usr/bin/env bash
# bench/beer/run.sh BUILD_DIR OUT_MD: beer parse + project + CSV, brewline (C++/simdjson) vs Python json+csv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
out="${2:-$root/docs/bench/beer.md}"
data="$root/.cache/npm/node_modules/punkapi-db/data.json"
cmake --build "$build" --target beer_bench >/dev/null
repeat_cpp=400   # 130,000 records
repeat_py=40     # 13,000 records (Python is slower; rates are per second)
read -r c_rec c_bytes c_s _ < <("$build/bench/beer/beer_bench" "$data" "$repeat_cpp")
read -r p_rec p_bytes p_s < <(/usr/bin/python3 "$root/bench/beer/python_peer.py" "$data" "$repeat_py")
row() { awk -v r="$2" -v b="$3" -v s="$4" -v n="$1" 'BEGIN { printf "| %s | %d | %.0f | %.1f |\n", n, r, r / s, b / s / 1e6 }'; }
ratio=$(awk -v a="$c_rec" -v as="$c_s" -v b="$p_rec" -v bs="$p_s" 'BEGIN { printf "%.1f", (a / as) / (b / bs) }')
{
  echo "## Beer record: parse + project + CSV"
  echo
  echo "Every punkapi-db beer (325 records, $(awk -v b="$c_bytes" -v r="$c_rec" 'BEGIN { printf "%.0f", b / r }') bytes on average) parsed from its own buffer, projected to the nine"
  echo "cleaned columns and appended as a CSV line; best of 5 runs. Peer: Debian's /usr/bin/python3 doing the"
  echo "same with \`json.loads\` + \`csv.writer\` in the same run. Machine: $(nproc) cores, $(uname -m), shared"
  echo "with other builds while measured, so absolute rates are noisy; the ratio is the comparable figure."
  echo
  echo "Reproduce: \`bench/beer/run.sh build docs/bench/beer.md\`"
  echo
  echo "| implementation | records | records/s | MB/s (JSON in) |"
  echo "|---|---|---|---|"
  row "brewline BeerParser (simdjson DOM) + AppendCsvLine" "$c_rec" "$c_bytes" "$c_s"
  row "Python 3 json + csv" "$p_rec" "$p_bytes" "$p_s"
  echo
  echo "Ratio (records/s, brewline / Python): **${ratio}×**"
} > "$out"
cat "$out"
