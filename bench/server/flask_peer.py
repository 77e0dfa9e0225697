"""The peer of bench/server: the kind of service public solutions ran — a Flask app predicting with XGBoost's
Python package — serving POST /v1/predict on the SAME registered model as brewline, answering identically.

What it does per request, mirroring brewline's IbuClassifier: validate the body as `brewline serve` does, apply
the model's cleaning rules, compute the model's features (the style-lexicon and hop-word name features come from
bench/ml/style_lexicon.py, the Python mirror of src/ml/features.cc), predict with XGBoost's in-place predictor
(one thread per worker), and — when metadata.json names a forest (hyperparameters.forest_trees > 0, format 2) —
evaluate forest.json with numpy over all trees at once (extra_trees_np.py) and blend
p = (1 - forest_weight)·p_xgboost + forest_weight·p_forest; then multiply by decision.correction, renormalise and
take the first argmax. Intermediate roundings to float32 follow the C++ code so the bands agree exactly.
Boosted-only models (format 1, or forest_trees 0) are served without a forest. Loading checks forest_sha256.

Run with Debian's python3 under gunicorn: BREWLINE_MODEL_DIR=.../ibu-classifier/v1 gunicorn flask_peer:app
"""
import hashlib
import json
import os
import sys

import numpy as np
import xgboost as xgb
from flask import Flask, jsonify, request

MODEL_DIR = os.environ["BREWLINE_MODEL_DIR"]
with open(os.path.join(MODEL_DIR, "metadata.json")) as f:
    META = json.load(f)
BOOSTER = xgb.Booster()
BOOSTER.load_model(os.path.join(MODEL_DIR, "model.json"))
BOOSTER.set_param({"nthread": 1})
CORRECTION = np.array(META["decision"]["correction"], dtype=np.float64)
LABELS = META["bands"]["labels"]
EDGES = META["bands"]["edges"]
CLEANING = META["cleaning"]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "ml")]
from style_lexicon import hop_word, style_family, style_prior  # noqa: E402
from extra_trees_np import ExtraTreesNp  # noqa: E402
# The model's columns, by name, out of everything features() computes (older models use fewer).
ALL_FEATURES = ["abv", "target_fg", "target_og", "ebc", "srm", "ph", "og_points", "apparent_attenuation",
                "abv_per_og_point", "ebc_per_srm", "style_ibu_prior", "style_family", "hop_word"]
COLUMNS = [ALL_FEATURES.index(name) for name in META["features"]]
HYPER = META.get("hyperparameters", {})
FOREST = None
FOREST_WEIGHT = 0.0
if META.get("format_version", 1) >= 2 and HYPER.get("forest_trees", 0) > 0:
    with open(os.path.join(MODEL_DIR, "forest.json"), "rb") as f:
        text = f.read()
    if META.get("forest_sha256") and hashlib.sha256(text).hexdigest() != META["forest_sha256"]:
        raise SystemExit("forest.json does not match forest_sha256 in metadata.json")
    FOREST = ExtraTreesNp(text, len(COLUMNS))
    if FOREST.classes != len(LABELS):
        raise SystemExit("forest.json has %d classes, metadata.json %d bands" % (FOREST.classes, len(LABELS)))
    FOREST_WEIGHT = float(HYPER["forest_weight"])
MEASURES = ["abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]

app = Flask(__name__)


def features(b):
    b = dict(b)
    if CLEANING.get("ph_out_of_range_is_missing") and b["ph"] is not None and not 0 <= b["ph"] <= 14:
        b["ph"] = None
    fg, og = b["target_fg"], b["target_og"]
    if CLEANING.get("swap_fg_above_og") and fg is not None and og is not None and fg > og:
        b["target_fg"], b["target_og"] = og, fg
    fg, og = b["target_fg"], b["target_og"]
    nan = float("nan")
    v = lambda x: nan if x is None else float(x)
    ratio = lambda a, d: nan if a is None or not d > 1e-9 else a / d
    og_points = og - 1000.0 if og is not None else nan
    name = b.get("name") or ""
    prior = style_prior(name)
    row = [v(b["abv"]), v(fg), v(og), v(b["ebc"]), v(b["srm"]), v(b["ph"]),
           og_points,
           ratio(og - fg, og_points) if og is not None and fg is not None else nan,
           ratio(b["abv"], og_points) if og is not None else nan,
           ratio(b["ebc"], b["srm"]) if b["srm"] is not None else nan,
           prior, style_family(prior), hop_word(name)]
    return [row[i] for i in COLUMNS]


@app.post("/v1/predict")
def predict():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error={"status": 400, "field": None, "message": "expected a JSON object"}), 400
    beer = {}
    for k in MEASURES:
        x = body.get(k)
        if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
            return jsonify(error={"status": 400, "field": k, "message": "expected a number or null"}), 400
        beer[k] = x
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        return jsonify(error={"status": 400, "field": "name", "message": "expected a string"}), 400
    beer["name"] = name
    if all(beer[k] is None for k in MEASURES if k != "ibu"):
        return jsonify(error={"status": 400, "field": "abv", "message": "no measured feature"}), 400
    row = np.array([features(beer)], dtype=np.float32)
    p = BOOSTER.inplace_predict(row)[0]
    if FOREST is not None:
        f = FOREST.predict_proba(row[0])
        p = ((1 - FOREST_WEIGHT) * p.astype(np.float64) + FOREST_WEIGHT * f.astype(np.float64)).astype(np.float32)
    corrected = p.astype(np.float64) * CORRECTION
    total = corrected.sum()
    if total > 0:
        p = (corrected / total).astype(np.float32)
    band = int(np.argmax(p))
    return jsonify(band=band, range=LABELS[band], low=0 if band == 0 else EDGES[band - 1],
                   high=EDGES[band] if band < len(EDGES) else None,
                   probabilities={LABELS[i]: float(p[i]) for i in range(len(LABELS))},
                   model_version=META["version"])
