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

def time_train(fit, reps=5):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); model = fit(); ts.append(time.perf_counter() - t)
    return model, sorted(ts)[len(ts) // 2]

def latency(predict_one, rounds=20):
    lat = []
    for r in range(rounds + 1):
        for i in range(len(X)):
            row = X[i:i + 1]
            t = time.perf_counter(); predict_one(row); dt = time.perf_counter() - t
            if r: lat.append(dt * 1e6)
    lat.sort()
    return lat[len(lat) // 2], lat[int(0.99 * (len(lat) - 1))]

out = {}
def record(name, t, lat): out[name] = dict(train_s=t, p50=lat[0], p99=lat[1])

booster, t = time_train(train_xgb)
record("xgboost-python (inplace_predict)", t, latency(lambda row: booster.inplace_predict(row)))
et, t = time_train(lambda: extra_trees().fit(X, y))
record("scikit-learn ExtraTrees (300 trees, same transform/imputation)", t,
       latency(lambda row: et.predict_proba(row), rounds=2))

def train_blend(): return train_xgb(), extra_trees().fit(X, y)
def predict_blend(models, row):
    b, f = models
    p = (1 - FOREST_WEIGHT) * b.inplace_predict(row) + FOREST_WEIGHT * f.predict_proba(row)
    return int(np.argmax(p[0] * CORRECTION))
blend, t = time_train(train_blend)
record("Python blend: xgboost-python + scikit-learn ExtraTrees", t, latency(lambda row: predict_blend(blend, row), rounds=2))

rf, t = time_train(lambda: RandomForestClassifier(300, class_weight="balanced_subsample", max_features=0.5,
                                                  random_state=0, n_jobs=1).fit(np.nan_to_num(X, nan=-1), y))
record("scikit-learn RandomForest (300 trees; context)", t,
       latency(lambda row: rf.predict_proba(np.nan_to_num(row, nan=-1)), rounds=2))
hgb, t = time_train(lambda: HistGradientBoostingClassifier(max_depth=4, learning_rate=0.05, max_iter=200,
                                                           class_weight="balanced", random_state=0).fit(X, y))
record("scikit-learn HistGradientBoosting (context)", t, latency(lambda row: hgb.predict_proba(row), rounds=5))
print(json.dumps(out))
