"""Peers for bench/ml: scikit-learn (RandomForest, HistGradientBoosting) and XGBoost's Python package, trained
on the exact rows ml_bench exported, with XGBoost given the same parameters as the C++ model. Prints JSON."""
import json, sys, time
import numpy as np, pandas as pd
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier

df = pd.read_csv(sys.argv[1])
X = df.drop(columns=["band"]).to_numpy(dtype=np.float32)
y = df.band.to_numpy()
counts = np.bincount(y)
w = ((len(y) / (len(counts) * counts)) ** 0.5)[y]
params = dict(booster="gbtree", tree_method="hist", eta=0.05, max_depth=6, subsample=0.6, colsample_bytree=0.7,
              min_child_weight=4, reg_lambda=10, gamma=0.1, seed=0, nthread=1, objective="multi:softprob",
              num_class=len(counts), verbosity=0)

def time_train(fit, reps=3):
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
booster, t = time_train(lambda: xgb.train(params, xgb.DMatrix(X, label=y, weight=w), num_boost_round=400))
booster.set_param({"nthread": 1})
p50, p99 = latency(lambda row: booster.inplace_predict(row))
out["xgboost-python (inplace_predict)"] = dict(train_s=t, p50=p50, p99=p99)
rf, t = time_train(lambda: RandomForestClassifier(300, class_weight="balanced_subsample", max_features=0.5,
                                                  random_state=0, n_jobs=1).fit(np.nan_to_num(X, nan=-1), y))
p50, p99 = latency(lambda row: rf.predict_proba(np.nan_to_num(row, nan=-1)), rounds=2)
out["scikit-learn RandomForest (300 trees)"] = dict(train_s=t, p50=p50, p99=p99)
hgb, t = time_train(lambda: HistGradientBoostingClassifier(max_depth=4, learning_rate=0.05, max_iter=200,
                                                           class_weight="balanced", random_state=0).fit(X, y))
p50, p99 = latency(lambda row: hgb.predict_proba(row), rounds=5)
out["scikit-learn HistGradientBoosting"] = dict(train_s=t, p50=p50, p99=p99)
print(json.dumps(out))
