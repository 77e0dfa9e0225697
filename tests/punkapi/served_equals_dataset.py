"""Fetches every beer from a running brewline Punk API server (argv[1] = base URL) page by page and checks that
it equals the punkapi-db dataset (argv[2]) sorted by id: same beers, same fields in the same order, same values.
Prints OK N and exits 0, or prints the first difference."""
import json
import sys
import urllib.request

base, data_path = sys.argv[1], sys.argv[2]
want = sorted(json.load(open(data_path, encoding="utf-8")), key=lambda b: b["id"])
got = []
page = 1
while True:
    with urllib.request.urlopen(f"{base}/v2/beers?page={page}&per_page=80", timeout=10) as r:
        assert r.status == 200, r.status
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        beers = json.loads(r.read().decode("utf-8"))
    if not beers:
        break
    got.extend(beers)
    page += 1
if len(got) != len(want):
    print(f"served {len(got)} beers, dataset has {len(want)}")
    sys.exit(1)
for g, w in zip(got, want):
    if json.dumps(g) != json.dumps(w):  # dumps keeps key order, so this also checks field order
        print(f"beer {w['id']} differs")
        sys.exit(1)
print(f"OK {len(got)}")
