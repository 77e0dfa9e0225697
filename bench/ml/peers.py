"""Peers for bench/ml, trained on the exact rows ml_bench exported (13 features, six bands), one core each:
- XGBoost's Python package with the C++ booster's parameters (the boosted half of the shipped blend);
- scikit-learn's ExtraTreesClassifier with the C++ forest's parameters and input transform (log1p / clip to [0, 4]
  per column, training-median imputation plus missing-indicator columns), the forest half;
- the Python equivalent of the whole shipped model: both of the above, p = (1 - w)·xgboost + w·forest, then the
  prior correction count_band^-a and the argmax — training = both fits, one prediction = both predicts;
- scikit-learn RandomForest and HistGradientBoosting, as before, for context.
Prints JSON: {name: {train_s, p50, p99}} (seconds; microseconds per single-row call).

  OMP_NUM_THREADS=1 /usr/bin/python3 bench/ml/peers.py ROWS_CSV [FOREST_WEIGHT] [PRIOR_CORRECTION]
"""
import json, sys, time
import numpy as np, pandas as pd
import xgboost as xgb
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

df = pd.read_csv(sys.argv[1])
FOREST_WEIGHT = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
PRIOR_CORRECTION = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
names = [c for c in df.columns if c != "band"]
X = df[names].to_numpy(dtype=np.float32)
y = df.band.to_numpy()
counts = np.bincount(y)
K = len(counts)
w = ((len(y) / (K * counts)) ** 0.5)[y]
CORRECTION = counts.astype(float) ** -PRIOR_CORRECTION
params = dict(booster="gbtree", tree_method="hist", eta=0.05, max_depth=6, subsample=0.6, colsample_bytree=0.7,
              min_child_weight=4, reg_lambda=10, gamma=0.1, seed=0, nthread=1, objective="multi:softprob",
              num_class=K, verbosity=0)

# The C++ ExtraTrees::TransformFor, by column name: log1p(max(x, 0)) of right-skewed measures, ebc_per_srm clipped.
LOG1P = [names.index(n) for n in ("abv", "ebc", "srm", "og_points")]
CLIP = [names.index("ebc_per_srm")]

def forest_transform(A):
    B = np.array(A, dtype=np.float32, copy=True)
    B[:, LOG1P] = np.log1p(np.maximum(B[:, LOG1P], 0))  # NaN stays NaN (np.maximum propagates it)
    B[:, CLIP] = np.clip(B[:, CLIP], 0, 4)
    return B

def extra_trees():
    return make_pipeline(FunctionTransformer(forest_transform),
                         SimpleImputer(strategy="median", add_indicator=True),
                         ExtraTreesClassifier(n_estimators=300, max_features=0.5, min_samples_leaf=2,
                                              class_weight="balanced", bootstrap=False, random_state=0, n_jobs=1))

def train_xgb():
    b = xgb.train(params, xgb.DMatrix(X, label=y, weight=w), num_boost_round=400)
    b.set_param({"nthread": 1})
    return b

# Every peer is measured interleaved with the others (fit A, fit B, …; row i through A, B, …), so a burst of load
# from other work on the shared machine hits all of them alike and their comparison stays fair.
def time_train(fits, reps=5):
    times, models = {k: [] for k in fits}, {}
    for _ in range(reps):
        for k, fit in fits.items():
            t = time.perf_counter(); models[k] = fit(); times[k].append(time.perf_counter() - t)
    return models, {k: sorted(v)[len(v) // 2] for k, v in times.items()}

def latency(predictors, passes):
    lat = {k: [] for k in predictors}
    for r in range(passes + 1):
        for i in range(len(X)):
            row = X[i:i + 1]
            for k, predict_one in predictors.items():
                t = time.perf_counter(); predict_one(row); dt = time.perf_counter() - t
                if r: lat[k].append(dt * 1e6)  # pass 0 warms up
    return {k: (sorted(v)[len(v) // 2], sorted(v)[int(0.99 * (len(v) - 1))]) for k, v in lat.items()}

def predict_blend(models, row):
    b, f = models
    p = (1 - FOREST_WEIGHT) * b.inplace_predict(row) + FOREST_WEIGHT * f.predict_proba(row)
    return int(np.argmax(p[0] * CORRECTION))

XGB = "xgboost-python (inplace_predict)"
ET = "scikit-learn ExtraTrees (300 trees, same transform/imputation)"
BLEND = "Python blend: xgboost-python + scikit-learn ExtraTrees"
RF = "scikit-learn RandomForest (300 trees; context)"
HGB = "scikit-learn HistGradientBoosting (context)"
m, t = time_train({
    XGB: train_xgb,
    ET: lambda: extra_trees().fit(X, y),
    BLEND: lambda: (train_xgb(), extra_trees().fit(X, y)),
    RF: lambda: RandomForestClassifier(300, class_weight="balanced_subsample", max_features=0.5, random_state=0,
                                       n_jobs=1).fit(np.nan_to_num(X, nan=-1), y),
    HGB: lambda: HistGradientBoostingClassifier(max_depth=4, learning_rate=0.05, max_iter=200, class_weight="balanced",
                                                random_state=0).fit(X, y),
})
lat = latency({XGB: lambda row: m[XGB].inplace_predict(row)}, passes=20)
lat.update(latency({
    BLEND: lambda row: predict_blend(m[BLEND], row),
    ET: lambda row: m[ET].predict_proba(row),
    RF: lambda row: m[RF].predict_proba(np.nan_to_num(row, nan=-1)),
    HGB: lambda row: m[HGB].predict_proba(row),
}, passes=2))  # scikit-learn's single-row calls take milliseconds: two passes are enough
print(json.dumps({k: dict(train_s=t[k], p50=lat[k][0], p99=lat[k][1]) for k in (XGB, ET, BLEND, RF, HGB)}))
