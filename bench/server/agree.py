"""Checks that both servers give the same band for every beer of the catalogue (same model, same features)."""
import json
import sys
import urllib.request

ours, peer, data = sys.argv[1], sys.argv[2], sys.argv[3]
beers = json.load(open(data))
keys = ["name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]  # the name feeds the style features


def band(url, beer):
    req = urllib.request.Request(url + "/v1/predict", data=json.dumps(beer).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)["band"]
    except urllib.error.HTTPError as e:
        return "http %d" % e.code


same = total = 0
for b in beers:
    beer = {k: b.get(k) for k in keys}
    total += 1
    same += band(ours, beer) == band(peer, beer)
print(json.dumps({"same": same, "total": total}))
