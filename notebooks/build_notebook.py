"""Writes notebooks/ibu_classifier.ipynb from the cells below (run with /usr/bin/python3), so the notebook's
source is reviewable as code. Execute it afterwards (about a minute and a half on one core) with:
  OMP_NUM_THREADS=1 PYTHONNOUSERSITE=1 BREWLINE_SOURCE_DIR=$PWD BREWLINE_BUILD_DIR=$PWD/build \
    /usr/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/ibu_classifier.ipynb
BREWLINE_BUILD_DIR must hold python/brewline_py (cmake --build BUILD --target brewline_py).
"""
import nbformat as nbf
from pathlib import Path

cells = []
def md(text): cells.append(nbf.v4.new_markdown_cell(text.strip()))
def code(text): cells.append(nbf.v4.new_code_cell(text.strip()))

md(r"""
# brewline — classifying beers into IBU bands

This notebook is executed by `make test`. The shipped model runs in **C++** through the `brewline_py` bindings: a
**blend** of a boosted model (XGBoost's C API) and brewline's own **ExtraTrees** forest (`src/ml/extra_trees`), on
13 features. scikit-learn provides the baselines and, with xgboost-python, a Python mirror of the blend; all of
them are trained on **exactly the same folds and the same features**. The data is punkapi-db's 325 beers fed
through brewline's own cleaned transform into the SQL table, then read back from the `beers` view.
""")
code(r"""
import os, sys, json, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
%matplotlib inline

repo = Path(os.environ.get("BREWLINE_SOURCE_DIR", Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()))
build = Path(os.environ.get("BREWLINE_BUILD_DIR", repo / "build"))
sys.path.insert(0, str(build / "python"))
import brewline_py as bl

data_dir = tempfile.mkdtemp(prefix="brewline-nb-")
n = bl.load_dataset_into_table(data_dir, str(repo / ".cache/npm/node_modules/punkapi-db/data.json"))
beers = pd.DataFrame(bl.query(data_dir, "SELECT id, name, abv, ibu, target_fg, target_og, ebc, srm, ph FROM beers ORDER BY id"))
print(f"{n} beers through the transform; {len(beers)} rows in the beers view")
beers.describe().round(2)
""")
md("## Exploration")
code(r"""
print("missing values per column:"); print(beers.isna().sum().to_string())
fig, ax = plt.subplots(1, 3, figsize=(15, 4))
beers.ibu.clip(upper=300).plot.hist(bins=40, ax=ax[0], title="IBU (clipped at 300)")
ax[1].scatter(beers.abv, beers.ibu.clip(upper=300), s=10); ax[1].set(xlabel="abv", ylabel="IBU (clipped)", title="IBU vs ABV")
ax[2].scatter(beers.target_og, beers.ibu.clip(upper=300), s=10); ax[2].set(xlabel="target_og", ylabel="IBU (clipped)", title="IBU vs OG")
plt.tight_layout()
print("Spearman correlation with IBU:"); print(beers[["abv","target_fg","target_og","ebc","srm","ph"]].corrwith(beers.ibu, method="spearman").round(3).to_string())
""")
md(r"""
### Known data problems, and how brewline handles them
* **IBU equal to the original gravity** (1085 and 1157): a copy error between columns; treated as an unknown IBU
  (not trained on, predicted like any unlabelled beer).
* **pH 79**: impossible; becomes missing.
* **Final gravity above original gravity** (13 beers): the columns were swapped at entry; swapped back.

The handling is switchable (`cleaning=False`, `brewline model evaluate --no-cleaning / --compare-cleaning`) and is
evaluated below.
""")
code(r"""
problems = pd.concat([
    beers[beers.ibu == beers.target_og].assign(problem="IBU = OG"),
    beers[beers.ph > 14].assign(problem="pH > 14"),
    beers[beers.target_fg > beers.target_og].assign(problem="FG > OG"),
])
problems[["problem","id","name","abv","ibu","target_fg","target_og","ph"]]
""")
md(r"""
## The bands
Edges 20, 40, 60, 80, 100 give six bands `[0,20) … [100,∞)`. Why these: they follow how bitterness is described
for styles (below 20 lagers, wheat and sours; 20–40 balanced ales and stouts; 40–60 pale ales; 60–80 IPAs; 80–100
double IPAs; above 100 the extreme beers where perceived bitterness saturates), each band is wide enough
(20 IBU) to absorb recipe-to-recipe noise, and equal widths make "within one band" mean "within about 20 IBU",
comparable with the regression solutions' MAE of 19–21 IBU. The cost: `[0,20)` is small (17 beers), which is
why macro-F1 (every band counts equally) is the headline metric and why the decision rule corrects for class priors.
""")
code(r"""
ds = bl.dataset(data_dir)
labels = ["[0,20)","[20,40)","[40,60)","[60,80)","[80,100)","[100,inf)"]
counts = pd.Series(np.bincount(ds["band"], minlength=6), index=labels, name="rows")
print("cleaning applied:", ds["cleaning"]); counts.plot.bar(title="training rows per band"); counts.to_frame().T
""")
md(r"""
## The C++ model, cross-validated (5 × 5 repeated stratified k-fold)
**Features (13).** The six measures (missing stays missing) plus OG points, apparent attenuation, ABV per OG point
and the EBC/SRM ratio, and three read from the beer's name through fixed word lists written from brewing knowledge,
not fitted to these labels: the typical IBU of the style the name states ("Double IPA" 90, "Gose" 8; missing when
the name names no style), that value in five coarse families, and **`hop_word`**, 1 when the name names a hop
variety or hops ("Citra", "Nelson Sauvin", "hoppy"). The name is the only place the cleaned schema says anything
about hops.

**Two models on the same rows and features, blended.**
* *Boosted*: XGBoost multi-class softprob through its C API (400 rounds, depth 6), rows weighted toward rare bands
  (class-weight power 0.5); a missing value follows each split's learnt default direction.
* *ExtraTrees*, brewline's own (`src/ml/extra_trees`, scikit-learn semantics): 300 trees, every tree on every row,
  at each node up to half the columns tried with one uniform random threshold each, at least 2 rows per leaf,
  balanced class weights. It has its own input transform, fitted on the training rows: log1p of abv, ebc, srm and
  og_points, ebc_per_srm clipped to [0, 4], a missing value replaced by the training median, plus a 0/1
  "was missing" column for every column that had missing values in training.
* *Decision*: p = 0.5·p_boosted + 0.5·p_forest, multiplied by count_band^−0.3 (training rows per band),
  renormalised, argmax. The registry stores both halves (`model.json`, `forest.json`) beside `metadata.json`.
""")
code(r"""
t = time.time()
cv = bl.evaluate(data_dir, folds=5, repeats=5)
print(f"C++ CV of the blend took {time.time()-t:.1f}s")
rep = cv["report"]
print(json.dumps({k: rep[k] for k in ["macro_f1","accuracy","within_one_band","mae_ibu","regression_band_macro_f1"]}, indent=1))
pd.DataFrame(rep["per_band"]).set_index("band").round(3)
""")
md(r"""
### Each half alone (C++, same folds)
The booster alone is the previous shipped rule on the 13 features (`forest_trees=0`, correction count^−0.6); the
forest alone is the blend with `forest_weight=1` (the booster then has weight 0, so it is trained for one round
only — that changes nothing but the regression counterpart's MAE, not shown for this run).
""")
code(r"""
t = time.time()
cv_boost = bl.evaluate(data_dir, folds=5, repeats=5, forest_trees=0, prior_correction=0.6)
cv_forest = bl.evaluate(data_dir, folds=5, repeats=5, forest_weight=1.0, rounds=1)
print(f"two more C++ CV runs took {time.time()-t:.1f}s")
pd.DataFrame({name: {k: run["report"][k]["mean"] for k in ["macro_f1","accuracy","within_one_band"]}
              for name, run in [("booster alone (x count^-0.6)", cv_boost), ("forest alone (x count^-0.3)", cv_forest),
                                ("blend (shipped)", cv)]}).T.round(3)
""")
md(r"""
## Baselines from scikit-learn, and the blend mirrored in Python, on the same folds and features
Baselines as before (majority class, logistic regression, random forest, HistGradientBoosting). Then the mirror of
the C++ model: **xgboost-python** with the booster's parameters and row weights, **scikit-learn's
ExtraTreesClassifier** with the forest's parameters behind the same transform, median imputation and missing
indicators, and their 0.5/0.5 blend with the same count^−0.3 correction. XGBoost is the same library in both
languages, so the Python booster must reproduce the C++ one exactly (checked below); the two forests draw their
random thresholds from different generators, so they can only agree statistically.
""")
code(r"""
import xgboost as xgb
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier, ExtraTreesClassifier
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, FunctionTransformer
from sklearn.metrics import f1_score, accuracy_score

K = 6
names = list(bl.feature_names)
X = np.asarray(cv["dataset"]["features"], dtype=np.float32); y = np.asarray(cv["dataset"]["band"])
F = np.asarray(cv["folds"]); R, NF = F.shape[0], F.max() + 1
assert X.shape[1] == len(names) == 13, names

LOG1P = [names.index(c) for c in ("abv", "ebc", "srm", "og_points")]; CLIP = names.index("ebc_per_srm")
def forest_input(A):
    # The C++ forest's transform; NaN passes through and the imputer then fills the training median.
    B = np.array(A, dtype=np.float32)
    B[:, LOG1P] = np.log1p(np.maximum(B[:, LOG1P], 0)); B[:, CLIP] = np.clip(B[:, CLIP], 0, 4)
    return B
def sk_extra_trees(seed=0):
    return make_pipeline(FunctionTransformer(forest_input), SimpleImputer(strategy="median", add_indicator=True),
                         ExtraTreesClassifier(n_estimators=300, max_features=0.5, min_samples_leaf=2, bootstrap=False,
                                              class_weight="balanced", random_state=seed, n_jobs=1))
XGB = {"booster": "gbtree", "tree_method": "hist", "eta": 0.05, "max_depth": 6, "subsample": 0.6, "colsample_bytree": 0.7,
       "min_child_weight": 4, "lambda": 10, "gamma": 0.1, "seed": 0, "nthread": 1, "verbosity": 0,
       "objective": "multi:softprob", "num_class": K}
def xgb_proba(tr, te):
    c = np.bincount(y[tr], minlength=K)
    dm = xgb.DMatrix(X[tr], label=y[tr], weight=(len(tr) / (K * c[y[tr]])) ** 0.5, missing=np.nan)
    return xgb.train(XGB, dm, 400).inplace_predict(X[te])

baselines = {
    "majority class": lambda: DummyClassifier(strategy="most_frequent"),
    "logistic regression": lambda: make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                                                 LogisticRegression(max_iter=2000, class_weight="balanced", C=1.0)),
    "random forest": lambda: make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                                           RandomForestClassifier(n_estimators=150, class_weight="balanced_subsample",
                                                                  max_features=0.5, random_state=0, n_jobs=1)),
    "HistGradientBoosting": lambda: HistGradientBoostingClassifier(max_depth=4, learning_rate=0.1, max_iter=100,
                                                                   class_weight="balanced", random_state=0),
}
pred = {name: np.zeros((R, len(y)), int) for name in baselines}
secs = dict.fromkeys(list(baselines) + ["xgboost", "extra trees", "extra trees seed 1"], 0.0)
P_gb, P_et, P_et1 = (np.zeros((R, len(y), K)) for _ in range(3))
train_counts = {}
def timed(key, fn):
    t = time.time(); out = fn(); secs[key] += time.time() - t; return out
for r in range(R):
    for f in range(NF):
        tr, te = np.where(F[r] != f)[0], np.where(F[r] == f)[0]
        train_counts[r, f] = np.bincount(y[tr], minlength=K)
        for name, make in baselines.items():
            pred[name][r, te] = timed(name, lambda: make().fit(X[tr], y[tr]).predict(X[te]))
        P_gb[r, te] = timed("xgboost", lambda: xgb_proba(tr, te))
        P_et[r, te] = timed("extra trees", lambda: sk_extra_trees(0).fit(X[tr], y[tr]).predict_proba(X[te]))
        P_et1[r, te] = timed("extra trees seed 1", lambda: sk_extra_trees(1).fit(X[tr], y[tr]).predict_proba(X[te]))

def decide(P, a):
    # The C++ DecideBand on every fold: x count_band^-a of that fold's training rows, argmax.
    out = np.zeros((R, len(y)), int)
    for (r, f), c in train_counts.items():
        te = F[r] == f; out[r, te] = np.argmax(P[r, te] * c.astype(float) ** -a, axis=1)
    return out
def cpp_pred(run):
    # The C++ out-of-fold predictions as a repeats x rows matrix of bands.
    o = run["oof"]; out = np.full((R, len(y)), -1)
    out[np.asarray(o["repeat"]), np.asarray(o["row"])] = o["predicted_band"]; return out
def scores(P):
    f1s, accs, near = [], [], []
    for r in range(R):
        for f in range(NF):
            te = F[r] == f; p, t = P[r, te], y[te]
            f1s.append(f1_score(t, p, average="macro", labels=range(K), zero_division=0))
            accs.append(accuracy_score(t, p)); near.append(np.mean(np.abs(p - t) <= 1))
    return np.array(f1s), np.mean(accs), np.mean(near)

pred["xgboost-python alone (x count^-0.6)"] = decide(P_gb, 0.6)
pred["scikit-learn ExtraTrees alone (x count^-0.3)"] = decide(P_et, 0.3)
pred["Python blend, xgboost + sklearn ET (x count^-0.3)"] = decide(0.5 * P_gb + 0.5 * P_et, 0.3)
secs["xgboost-python alone (x count^-0.6)"] = secs["xgboost"]
secs["scikit-learn ExtraTrees alone (x count^-0.3)"] = secs["extra trees"]
secs["Python blend, xgboost + sklearn ET (x count^-0.3)"] = secs["xgboost"] + secs["extra trees"]
for name, run in [("brewline booster alone (C++)", cv_boost), ("brewline forest alone (C++)", cv_forest),
                  ("brewline blend (C++, shipped)", cv)]:
    pred[name] = cpp_pred(run); secs[name] = np.nan
    assert (pred[name] >= 0).all(), "every row is predicted once per repeat"
    assert abs(scores(pred[name])[0].mean() - run["report"]["macro_f1"]["mean"]) < 1e-9, "per-fold F1 as in C++"

fold_f1 = {}; rows = []
for name, P in pred.items():
    f1s, acc, near = scores(P); fold_f1[name] = f1s
    rows.append((name, f1s.mean(), f1s.std(ddof=1), acc, near, secs[name]))
results = pd.DataFrame(rows, columns=["model","macro_f1","macro_f1_std","accuracy","within_one_band","seconds"]).set_index("model")
results.round(3)
""")
md(r"""
### Is the C++ model the Python model?
""")
code(r"""
def compare(a, b):
    d = fold_f1[a] - fold_f1[b]
    return {"macro_f1 (first)": fold_f1[a].mean(), "macro_f1 (second)": fold_f1[b].mean(),
            "per-fold difference mean": d.mean(), "per-fold difference sd": d.std(ddof=1),
            "same band, share of OOF predictions": np.mean(pred[a] == pred[b])}
pred["scikit-learn ExtraTrees seed 1 (x count^-0.3)"] = decide(P_et1, 0.3)
fold_f1["scikit-learn ExtraTrees seed 1 (x count^-0.3)"] = scores(pred["scikit-learn ExtraTrees seed 1 (x count^-0.3)"])[0]
pairs = {"C++ booster vs xgboost-python": ("brewline booster alone (C++)", "xgboost-python alone (x count^-0.6)"),
         "C++ forest vs sklearn ExtraTrees": ("brewline forest alone (C++)", "scikit-learn ExtraTrees alone (x count^-0.3)"),
         "sklearn ExtraTrees seed 0 vs seed 1 (yardstick)": ("scikit-learn ExtraTrees alone (x count^-0.3)",
                                                             "scikit-learn ExtraTrees seed 1 (x count^-0.3)"),
         "C++ blend vs Python blend": ("brewline blend (C++, shipped)", "Python blend, xgboost + sklearn ET (x count^-0.3)")}
equiv = pd.DataFrame({k: compare(*v) for k, v in pairs.items()}).T
assert equiv.loc["C++ booster vs xgboost-python", "same band, share of OOF predictions"] == 1.0, \
    "the C++ booster must reproduce xgboost-python exactly"
et_gap = abs(equiv.loc["C++ forest vs sklearn ExtraTrees", "per-fold difference mean"])
et_se = fold_f1["brewline forest alone (C++)"].std(ddof=1) / np.sqrt(R * NF)
same_cpp = equiv.loc["C++ forest vs sklearn ExtraTrees", "same band, share of OOF predictions"]
same_sk = equiv.loc["sklearn ExtraTrees seed 0 vs seed 1 (yardstick)", "same band, share of OOF predictions"]
print(f"C++ forest and scikit-learn ExtraTrees give the same band on {same_cpp:.1%} of out-of-fold predictions; "
      f"two scikit-learn forests differing only in their seed: {same_sk:.1%}")
print(f"their macro-F1 differs by {et_gap:.3f} (standard error of a 25-fold mean ≈ {et_se:.3f})")
assert same_cpp >= same_sk - 0.03 and et_gap < 2 * et_se, "the C++ forest no longer behaves like scikit-learn's"
equiv.round(3)
""")
md(r"""
The booster is bit-for-bit the same model in both languages (every out-of-fold band identical; asserted). The
forests cannot be: the C++ forest draws its features and thresholds from its own seeded generator. The fair
yardstick is how often two scikit-learn forests that differ only in their seed agree; the cell asserts that the C++
forest agrees with scikit-learn's about as often and that their macro-F1 differs by less than two standard errors.
So the shipped blend is the Python blend of `bench/ml/goal_experiments.py`, now served from C++.
""")
md(r"""
## The goal: macro-F1 ≥ 0.50 on the reported folds (seed 0)
Seed 0 are the reported folds; seed 1 is where the knobs were chosen; seeds 2 and 3 confirm. The C++ blend on the
other fold seeds:
""")
code(r"""
goal = 0.50
t = time.time()
by_seed = {0: rep["macro_f1"]}
for s in (1, 2, 3):
    by_seed[s] = bl.evaluate(data_dir, folds=5, repeats=5, seed=s)["report"]["macro_f1"]
print(f"three more C++ CV runs took {time.time()-t:.1f}s")
seeds = pd.DataFrame(by_seed).T.rename_axis("fold seed"); seeds["standard_error"] = seeds["std"] / np.sqrt(R * NF)
m, se = rep["macro_f1"]["mean"], seeds.loc[0, "standard_error"]
print(f"goal macro-F1 >= {goal}: the C++ blend reaches {m:.3f} on the reported folds "
      f"({'met' if m >= goal else 'NOT met'}, by {m - goal:+.3f}; one standard error is {se:.3f}, so the margin is "
      f"{'smaller' if abs(m - goal) < se else 'larger'} than the noise)")
print(f"on seeds 1/2/3: " + " / ".join(f"{by_seed[s]['mean']:.3f}" for s in (1, 2, 3))
      + f"; {sum(by_seed[s]['mean'] >= goal for s in (1, 2, 3))} of 3 at or above the goal")
print("best model on seed 0 here:", results.macro_f1.idxmax())
ax = results.macro_f1.plot.barh(xerr=results.macro_f1_std, title="macro-F1, 5x5 CV, same folds (seed 0)", figsize=(7, 5))
ax.axvline(goal, color="r", ls="--");
seeds.round(3)
""")
md(r"""
**Honestly:** the shipped blend lands at the goal on the reported folds, not comfortably above it. The margin is
smaller than one standard error of the 25-fold mean (≈0.01; the fold-to-fold standard deviation is ≈0.05), and on
the other fold seeds the same model lands on either side of 0.50 (printed above). What the data supports is
"about 0.50": a clear step up from either half alone, not a guaranteed 0.50 on new folds.

### What helped, and what did not
""")
code(r"""
history = pd.DataFrame([
    ("XGBoost on ten measure features, x count^-0.6 (first shipped)", 0.463, "docs/model.md"),
    ("+ style lexicon prior + style family (12 features)", 0.479, "docs/model.md"),
    ("+ hop_word (13 features): booster alone", results.loc["brewline booster alone (C++)", "macro_f1"], "this notebook"),
    ("ExtraTrees alone on the 13 features", results.loc["brewline forest alone (C++)", "macro_f1"], "this notebook"),
    ("blend 0.5/0.5, x count^-0.3 (shipped)", rep["macro_f1"]["mean"], "this notebook"),
], columns=["step (C++, seed 0)", "macro_f1", "source"]).set_index("step (C++, seed 0)")
history.round(3)
""")
md(r"""
Two changes carried the model from 0.463 to the goal: the **name** (style words +0.016 to +0.022 on every fold seed
tried; the hop word a little more) and **blending two different tree ensembles** (+0.02: boosted trees and
extremely randomised trees make different mistakes, and averaging their probabilities helps more than either
improves alone). What did not help, all within fold noise (`bench/ml/decision_experiments.py`,
`bench/ml/goal_experiments.py`, numbers in `docs/model.md`): tuned or nested decision rules (even per-band
multipliers fitted on the test folds stop at 0.484 for the booster), ordinal and regression-with-cut-points
models, XGBoost's random-forest mode in place of ExtraTrees (0.489), stacking with a learnt meta-model, free-form
name models (character n-grams, token target encoding), identical-recipe lookup, and distilling the blend into one
booster.
""")
md("## Confusion matrix of the blend (all out-of-fold predictions of all repeats)")
code(r"""
C = np.asarray(cv["confusion"]); Cn = C / C.sum(axis=1, keepdims=True)
fig, ax = plt.subplots(figsize=(6, 5)); im = ax.imshow(Cn, cmap="Blues")
ax.set_xticks(range(6), labels, rotation=45); ax.set_yticks(range(6), labels); ax.set_xlabel("predicted"); ax.set_ylabel("true")
for i in range(6):
    for j in range(6): ax.text(j, i, f"{Cn[i,j]:.2f}", ha="center", va="center", fontsize=8)
plt.colorbar(im); plt.tight_layout()
""")
md(r"""
## Feature importance
`bl.feature_importance` is the total gain of the **boosted half** of the model trained on all rows; the C++ forest
keeps no importance. As a look at the forest half, the impurity importance of the scikit-learn mirror trained on
the same rows (its extra "missing" columns are the imputer's indicators). Both are shown as shares of their total.
""")
code(r"""
trained = bl.train(data_dir, evaluate=False)
meta = trained["metadata"]
print("published model version", trained["version"], "| forest_weight", meta["hyperparameters"]["forest_weight"],
      "| forest_trees", meta["hyperparameters"]["forest_trees"], "| prior_correction", meta["hyperparameters"]["prior_correction"])
gain = pd.Series(bl.feature_importance(data_dir)).reindex(names).fillna(0)
mirror = sk_extra_trees(0).fit(X, y)
ind = mirror[1].indicator_.features_ if mirror[1].indicator_ is not None else []
et_imp = pd.Series(mirror[-1].feature_importances_, index=names + [f"{names[j]} missing" for j in ind])
imp = pd.DataFrame({"booster gain (C++)": gain / gain.sum(), "ExtraTrees impurity (sklearn mirror)": et_imp / et_imp.sum()}).fillna(0)
imp = imp.loc[imp.sum(axis=1).sort_values().index]
imp.plot.barh(figsize=(7, 6), title="share of importance"); imp.iloc[::-1].round(3)
""")
md("## Does the data handling help?")
code(r"""
raw = bl.evaluate(data_dir, folds=5, repeats=5, cleaning=False)["report"]
pd.DataFrame({"with handling": {k: rep[k]["mean"] for k in ["macro_f1","accuracy","within_one_band","mae_ibu"]},
              "without": {k: raw[k]["mean"] for k in ["macro_f1","accuracy","within_one_band","mae_ibu"]}}).round(3)
""")
md(r"""
Without the handling the two IBU=OG rows are trained on as 1085 and 1157 IBU: the classifier barely notices
(they sit in `[100,∞)` either way) but the regression's MAE is dominated by them when they are test rows. The
FG/OG swap and the pH fix touch features of 14 beers; their effect on macro-F1 is within the fold-to-fold noise
(see the standard deviations above) — which is itself the honest finding.
""")
md("## Error analysis (the shipped blend)")
code(r"""
oof = pd.DataFrame(cv["oof"]); d = cv["dataset"]
oof["id"] = np.asarray(d["id"])[oof.row]; oof["name"] = np.asarray(d["name"])[oof.row]
oof["ibu"] = np.asarray(d["ibu"])[oof.row]; oof["band"] = np.asarray(d["band"])[oof.row]
oof["miss"] = (oof.predicted_band - oof.band).abs()
per_beer = oof.groupby(["id","name","ibu","band"]).agg(mean_miss=("miss","mean"), predicted=("predicted_band", lambda s: s.mode()[0])).reset_index()
print("share of out-of-fold predictions off by >= 2 bands:", round((oof.miss >= 2).mean(), 3),
      "(booster alone:", round((np.abs(pred["brewline booster alone (C++)"] - y) >= 2).mean(), 3), ")")
named = ~np.isnan(X[:, names.index("style_ibu_prior")]) | (X[:, names.index("hop_word")] == 1)
print(f"names stating a style or a hop: {named.mean():.0%} of the labelled beers")
per_beer.sort_values("mean_miss", ascending=False).head(12).merge(beers[["id","abv","target_og","ebc"]], on="id")
""")
code(r"""
err = oof.assign(abs_err=(oof.predicted_ibu - oof.ibu).abs())
print(f"regression counterpart: MAE {err.abs_err.mean():.1f} IBU (public regression solutions: 19-21); "
      f"median abs error {err.abs_err.median():.1f}")
err.groupby("band").abs_err.mean().rename(index=dict(enumerate(labels))).round(1).to_frame("MAE by true band").T
""")
md(r"""
**Reading the errors.** The largest misses are beers whose bitterness is not implied by their malt bill: hop-forward
session beers (low ABV, high IBU), barrel-aged imperial stouts (very high ABV and colour, modest IBU) and the
extreme-IBU outliers. The six measures describe the malt side of a recipe; the hop schedule, which decides IBU,
is not in the cleaned schema. The name's style and hop words recover part of it only for the beers whose name says
so (the share printed above), which is why the blend still misses mostly by one band and the goal is met only narrowly.
""")

nb = nbf.v4.new_notebook(); nb["cells"] = cells
nb["metadata"] = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                  "language_info": {"name": "python"}}
out = Path(__file__).with_name("ibu_classifier.ipynb")
nbf.write(nb, out); print("wrote", out)
