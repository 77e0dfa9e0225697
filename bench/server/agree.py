"""Checks that both servers answer alike for every beer of the catalogue (same model, same features): the same band
(or the same HTTP error) for every beer, and band probabilities within TOLERANCE. A single tree of the 300-tree
forest walking another way would move a probability by up to forest_weight / 300 ≈ 0.0017, far above float
rounding (~1e-7), so the tolerance catches a forest that is evaluated differently, not only a different band.

Prints {"same": n, "total": n, "max_probability_difference": x}; exits 1 unless every beer agrees.
usage: agree.py OURS_URL PEER_URL DATA_JSON
"""
import json
import sys
import urllib.error
import urllib.request

TOLERANCE = 1e-5
ours, peer, data = sys.argv[1], sys.argv[2], sys.argv[3]
beers = json.load(open(data))
keys = ["name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]  # the name feeds the style features


def answer(url, beer):
    req = urllib.request.Request(url + "/v1/predict", data=json.dumps(beer).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.load(r)
            return body["band"], body["probabilities"]
    except urllib.error.HTTPError as e:
        return "http %d" % e.code, {}


same = total = 0
max_diff = 0.0
for b in beers:
    beer = {k: b.get(k) for k in keys}
    total += 1
    (band_a, p_a), (band_b, p_b) = answer(ours, beer), answer(peer, beer)
    diff = max((abs(p_a[k] - p_b[k]) for k in p_a), default=0.0) if p_a.keys() == p_b.keys() else float("inf")
    max_diff = max(max_diff, diff)
    if band_a == band_b and diff <= TOLERANCE:
        same += 1
    else:
        print("beer %s %r: ours %s, peer %s, max probability difference %.3g" % (b.get("id"), b.get("name"), band_a,
                                                                                 band_b, diff), file=sys.stderr)
print(json.dumps({"same": same, "total": total, "max_probability_difference": float("%.3g" % max_diff)}))
sys.exit(0 if same == total else 1)
