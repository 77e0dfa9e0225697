"""Writes notebooks/ibu_classifier.ipynb from the cells below (run with /usr/bin/python3), so the notebook's
source is reviewable as code. Execute it afterwards with:
  BREWLINE_BUILD_DIR=build /usr/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/ibu_classifier.ipynb
"""
import nbformat as nbf
from pathlib import Path

cells = []
def md(text): cells.append(nbf.v4.new_markdown_cell(text.strip()))
def code(text): cells.append(nbf.v4.new_code_cell(text.strip()))

md(r"""
# brewline — classifying beers into IBU bands

This notebook is executed by `make test`. Everything model-related runs in **C++** (XGBoost's C API, through the
`brewline_py` bindings); scikit-learn only provides the baselines, trained on **exactly the same folds and the
same features**. The data is punkapi-db's 325 beers fed through brewline's own cleaned transform into the SQL
table, then read back from the `beers` view.
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
why macro-F1 (every band counts equally) is the headline metric and why the model corrects for class priors.
""")
code(r"""
ds = bl.dataset(data_dir)
labels = ["[0,20)","[20,40)","[40,60)","[60,80)","[80,100)","[100,inf)"]
counts = pd.Series(np.bincount(ds["band"], minlength=6), index=labels, name="rows")
print("cleaning applied:", ds["cleaning"]); counts.plot.bar(title="training rows per band"); counts.to_frame().T
""")
md(r"""
## The C++ model, cross-validated (5 × 5 repeated stratified k-fold)
XGBoost multi-class (softprob) on twelve features: the six measures (missing stays missing) plus OG points,
apparent attenuation, ABV per OG point, the EBC/SRM ratio, and two read from the beer's name through a fixed
brewing style lexicon written from style guidelines (not fitted to these labels): the style's typical IBU
("Double IPA" 90, "Gose" 8; missing when the name names no style) and that value in five coarse families. The
name is the only place the cleaned schema says anything about hops; the lexicon gives +0.02 macro-F1 on every
fold seed tried (docs/model.md). Rows are weighted toward rare bands
(class-weight power 0.5) and probabilities are divided by band frequency^0.6 before the argmax — two
knobs chosen on folds with a different seed from the reported ones.
""")
code(r"""
t = time.time()
cv = bl.evaluate(data_dir, folds=5, repeats=5)
print(f"C++ CV took {time.time()-t:.1f}s")
rep = cv["report"]
print(json.dumps({k: rep[k] for k in ["macro_f1","accuracy","within_one_band","mae_ibu","regression_band_macro_f1"]}, indent=1))
pd.DataFrame(rep["per_band"]).set_index("band").round(3)
""")
md("## Baselines from scikit-learn on the same folds and features")
code(r"""
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import f1_score, accuracy_score

X = np.asarray(cv["dataset"]["features"], dtype=float); y = np.asarray(cv["dataset"]["band"]); F = cv["folds"]
models = {
    "majority class": lambda: DummyClassifier(strategy="most_frequent"),
    "logistic regression": lambda: make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                                                 LogisticRegression(max_iter=2000, class_weight="balanced", C=1.0)),
    "random forest": lambda: make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                                           RandomForestClassifier(n_estimators=150, class_weight="balanced_subsample",
                                                                  max_features=0.5, random_state=0, n_jobs=1)),
    "HistGradientBoosting": lambda: HistGradientBoostingClassifier(max_depth=4, learning_rate=0.1, max_iter=100,
                                                                   class_weight="balanced", random_state=0),
}
def score(make):
    f1s, accs, near = [], [], []
    for r in range(F.shape[0]):
        for f in range(F.max() + 1):
            tr, te = F[r] != f, F[r] == f
            p = make().fit(X[tr], y[tr]).predict(X[te])
            f1s.append(f1_score(y[te], p, average="macro", labels=range(6), zero_division=0))
            accs.append(accuracy_score(y[te], p)); near.append(np.mean(np.abs(p - y[te]) <= 1))
    return np.mean(f1s), np.std(f1s, ddof=1), np.mean(accs), np.mean(near)
rows = []
for name, make in models.items():
    t = time.time(); m = score(make)
    rows.append((name, *m, time.time() - t))
rows.append(("brewline XGBoost (C++)", rep["macro_f1"]["mean"], rep["macro_f1"]["std"], rep["accuracy"]["mean"],
             rep["within_one_band"]["mean"], np.nan))
results = pd.DataFrame(rows, columns=["model","macro_f1","macro_f1_std","accuracy","within_one_band","seconds"]).set_index("model")
results.round(3)
""")
code(r"""
goal = 0.50
best = results.macro_f1.idxmax()
print(f"goal macro-F1 >= {goal}: brewline reaches {rep['macro_f1']['mean']:.3f} "
      f"({'met' if rep['macro_f1']['mean'] >= goal else 'NOT met'}); best model here: {best}")
results.macro_f1.plot.barh(xerr=results.macro_f1_std, title="macro-F1, 5x5 CV, same folds"); plt.axvline(goal, color="r", ls="--");
""")
md(r"""
### What was tried toward 0.50
Each idea below was scored on folds of seed 1 (where knobs are chosen) and on the reported folds of seed 0;
nested ones fit their knobs on inner out-of-fold predictions of the training part only
(`bench/ml/decision_experiments.py`, about 5 minutes, so not run here; details in `docs/model.md`).

| idea | seed 1 | seed 0 |
|---|---:|---:|
| shipped: probabilities × count^−0.6 | 0.465 | 0.463 |
| plain argmax | 0.471 | 0.467 |
| nested per-band probability multipliers | 0.449 | 0.452 |
| nested choice of the correction exponent | 0.459 | 0.459 |
| blend with cumulative ordinal models | 0.467 | 0.470 |
| blend with XGBoost random-forest mode | 0.468 | 0.466 |
| blend with ordinal + scikit-learn RF (not in C++) | 0.482 | 0.475 |
| identical-recipe lookup for exact matches | 0.470 | 0.471 |
| + name-token target encoding | 0.455 | 0.454 |
| multipliers fitted on the test folds (leaky bound) | 0.477 | 0.484 |

All within fold noise (standard error ≈ 0.01); plain argmax wins on these two seeds and loses on others, so the
shipped rule stays. Even a decision rule fitted on the test folds stops at about 0.484: the six measures, not the
decision rule, limit macro-F1.
""")
md("## Confusion matrix (all out-of-fold predictions of all repeats)")
code(r"""
C = np.asarray(cv["confusion"]); Cn = C / C.sum(axis=1, keepdims=True)
fig, ax = plt.subplots(figsize=(6, 5)); im = ax.imshow(Cn, cmap="Blues")
ax.set_xticks(range(6), labels, rotation=45); ax.set_yticks(range(6), labels); ax.set_xlabel("predicted"); ax.set_ylabel("true")
for i in range(6):
    for j in range(6): ax.text(j, i, f"{Cn[i,j]:.2f}", ha="center", va="center", fontsize=8)
plt.colorbar(im); plt.tight_layout()
""")
md("## Feature importance (total gain of the model trained on all rows)")
code(r"""
trained = bl.train(data_dir, evaluate=False)
print("published model version", trained["version"])
gain = pd.Series(bl.feature_importance(data_dir)).reindex(bl.feature_names).fillna(0).sort_values()
gain.plot.barh(title="total gain"); gain.round(1).to_frame("gain").T
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
md("## Error analysis")
code(r"""
oof = pd.DataFrame(cv["oof"]); d = cv["dataset"]
oof["id"] = np.asarray(d["id"])[oof.row]; oof["name"] = np.asarray(d["name"])[oof.row]
oof["ibu"] = np.asarray(d["ibu"])[oof.row]; oof["band"] = np.asarray(d["band"])[oof.row]
oof["miss"] = (oof.predicted_band - oof.band).abs()
per_beer = oof.groupby(["id","name","ibu","band"]).agg(mean_miss=("miss","mean"), predicted=("predicted_band", lambda s: s.mode()[0])).reset_index()
print("share of out-of-fold predictions off by >= 2 bands:", round((oof.miss >= 2).mean(), 3))
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
is not in the cleaned schema. That is the ceiling this model runs into, and why errors are mostly one band off.
""")

nb = nbf.v4.new_notebook(); nb["cells"] = cells
nb["metadata"] = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                  "language_info": {"name": "python"}}
out = Path(__file__).with_name("ibu_classifier.ipynb")
nbf.write(nb, out); print("wrote", out)
