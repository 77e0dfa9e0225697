"""The Python reference for beer_bench: json.loads + the same projection + csv.writer, best of 5 runs.
Usage: /usr/bin/python3 python_peer.py DATA_JSON REPEAT  → prints "records bytes seconds"."""
import csv
import io
import json
import sys
import time

COLS = ["abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]
beers = json.load(open(sys.argv[1], encoding="utf-8"))
records = [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in beers]
nbytes = sum(len(r.encode("utf-8")) for r in records)
repeat = int(sys.argv[2])


def num(v):
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("not a number")
    return repr(int(v)) if float(v).is_integer() else repr(float(v))


best = float("inf")
for _ in range(5):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    start = time.perf_counter()
    for _ in range(repeat):
        for rec in records:
            b = json.loads(rec)
            if not isinstance(b.get("id"), int) or b["id"] < 1 or not isinstance(b.get("name"), str) or not b["name"]:
                raise ValueError("bad beer")
            w.writerow([b["id"], b["name"]] + [num(b.get(c)) for c in COLS])
    best = min(best, time.perf_counter() - start)
print(len(records) * repeat, nbytes * repeat, f"{best:.6f}")
