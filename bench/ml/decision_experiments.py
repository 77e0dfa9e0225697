"""Attempts to lift the IBU classifier's six-band macro-F1 toward the 0.50 goal, without leaking test folds.
Records the numbers quoted in docs/model.md ("What was tried toward 0.50").

  /usr/bin/python3 bench/ml/decision_experiments.py [BUILD_DIR]      # ~5 min on one core

It studies the decision rules of the boosted half of the classifier: XGBoost's Python package (Debian
python3-xgboost, the same libxgboost 1.7 as the C++ code) with the shipped booster parameters on the model's 13
features, decided x count^-0.6 as before the blend. It checks that this reproduces the C++ cross-validation of the
booster alone (brewline_py.evaluate(forest_trees=0, prior_correction=0.6)) exactly, and prints the shipped blend's
C++ figure (booster + ExtraTrees, x count^-0.3) for reference. Folds come from the C++
MakeStratifiedFolds: seed 1 (the selection seed, where knobs are chosen) and seed 0 (the reported seed).
Each idea is scored on both; nested procedures fit their knobs on inner out-of-fold predictions of the outer
training part only.
"""
import os, re, sys, tempfile, time
from pathlib import Path
import numpy as np, xgboost as xgb
from sklearn.metrics import f1_score
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline

repo = Path(__file__).resolve().parents[2]
build = Path(sys.argv[1] if len(sys.argv) > 1 else repo / "build")
sys.path.insert(0, str(build / "python"))
import brewline_py as bl

K = 6
data_dir = tempfile.mkdtemp(prefix="brewline-exp-")
bl.load_dataset_into_table(data_dir, str(repo / ".cache/npm/node_modules/punkapi-db/data.json"))
BOOSTED = dict(forest_trees=0, prior_correction=0.6)  # the booster alone, with the pre-blend decision
cpp = bl.evaluate(data_dir, folds=5, repeats=5, **BOOSTED)
d = cpp["dataset"]
X = np.asarray(d["features"], np.float32); y = np.asarray(d["band"]); names = list(d["name"])
FOLDS = {0: np.asarray(cpp["folds"]), 1: np.asarray(bl.evaluate(data_dir, seed=1, rounds=1, **BOOSTED)["folds"])}
HP = dict(eta=0.05, max_depth=6, subsample=0.6, colsample_bytree=0.7, min_child_weight=4, reg_lambda=10, gamma=0.1,
          rounds=400, cwp=0.5)

def params(seed, objective="multi:softprob"):
    p = {"booster": "gbtree", "tree_method": "hist", "eta": HP["eta"], "max_depth": HP["max_depth"],
         "subsample": HP["subsample"], "colsample_bytree": HP["colsample_bytree"],
         "min_child_weight": HP["min_child_weight"], "lambda": HP["reg_lambda"], "gamma": HP["gamma"],
         "seed": seed, "nthread": 1, "verbosity": 0, "objective": objective}
    if objective.startswith("multi"): p["num_class"] = K
    return p

def weights(yy, power):
    c = np.bincount(yy, minlength=K); return (len(yy) / (K * c[yy])) ** power

def gb(Xtr, ytr, Xte, seed):
    dm = xgb.DMatrix(Xtr, label=ytr, weight=weights(ytr, HP["cwp"]), missing=np.nan)
    return xgb.train(params(seed), dm, HP["rounds"]).inplace_predict(Xte)

def ordinal(Xtr, ytr, Xte, seed):  # cumulative binary models P(band >= b)
    cum = np.ones((len(Xte), K + 1)); cum[:, K] = 0
    for b in range(1, K):
        dm = xgb.DMatrix(Xtr, label=(ytr >= b).astype(np.float32), weight=weights(ytr, HP["cwp"]), missing=np.nan)
        cum[:, b] = xgb.train(params(seed, "binary:logistic"), dm, HP["rounds"]).inplace_predict(Xte)
    c = np.minimum.accumulate(cum, axis=1)
    return np.clip(c[:, :K] - c[:, 1:], 1e-6, None)

def xgb_forest(Xtr, ytr, Xte, seed):  # XGBoost in random-forest mode (one round of 300 parallel trees)
    p = dict(params(seed), eta=1, max_depth=10, subsample=0.632, colsample_bytree=1, colsample_bynode=0.5,
             num_parallel_tree=300, min_child_weight=1, gamma=0)
    p["lambda"] = 1e-3
    return xgb.train(p, xgb.DMatrix(Xtr, label=ytr, weight=weights(ytr, 1.0), missing=np.nan), 1).inplace_predict(Xte)

def sk_forest(Xtr, ytr, Xte, seed):
    m = make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                      RandomForestClassifier(n_estimators=300, class_weight="balanced_subsample", max_features=0.5,
                                             random_state=seed, n_jobs=1))
    return m.fit(Xtr, ytr).predict_proba(Xte)

def mf1(yt, yp): return f1_score(yt, yp, average="macro", labels=range(K), zero_division=0)

def splits(seed):
    F = FOLDS[seed]
    for r in range(F.shape[0]):
        for f in range(F.max() + 1):
            yield r, f, np.where(F[r] != f)[0], np.where(F[r] == f)[0]

def strat_inner(yy, k, seed):
    rng = np.random.RandomState(seed); fold = np.empty(len(yy), int); nxt = 0
    for b in range(K):
        idx = np.where(yy == b)[0]; rng.shuffle(idx)
        for i in idx: fold[i] = nxt % k; nxt += 1
    return fold

def fit_multipliers(P, yy, start, grid, iters):  # coordinate ascent on per-band log multipliers
    sc = lambda m: mf1(yy, np.argmax(np.log(P + 1e-9) + m, 1))
    m = start.copy(); best = sc(m)
    for _ in range(iters):
        changed = False
        for b in range(K):
            for g in grid:
                mm = m.copy(); mm[b] = start[b] + g; s = sc(mm)
                if s > best + 1e-9: best, m, changed = s, mm, True
        if not changed: break
    return m

STOP = {"the", "with", "of", "and", "w", "by", "edition", "is", "in", "to", "for", "my", "on", "de"}
TOKENS = [{t for t in re.findall(r"[a-z0-9]+", n.lower()) if len(t) >= 2 and t not in STOP and not t.isdigit()}
          for n in names]

def name_encoding(tr, q, m=2.0):  # smoothed mean band of training rows sharing a name token
    prior = y[tr].mean(); tok = {}
    for i in tr:
        for t in TOKENS[i]: tok.setdefault(t, []).append(y[i])
    out = np.full(len(q), np.nan, np.float32)
    for j, i in enumerate(q):
        v = [(len(tok[t]), np.mean(tok[t])) for t in TOKENS[i] if t in tok]
        if v:
            n = np.array([a for a, _ in v]); mu = np.array([b for _, b in v])
            out[j] = np.sum(n * (n * mu + m * prior) / (n + m)) / n.sum()
    return out

def nearest_recipe(tr, q):  # band of, and L1 distance (robust-scaled, 1 per missing) to, the nearest training row
    A = X[tr][:, :6].astype(float); Q = X[q][:, :6].astype(float)
    med = np.nanmedian(A, 0); iqr = np.nanpercentile(A, 75, 0) - np.nanpercentile(A, 25, 0); iqr[iqr <= 0] = 1
    diff = (Q - med)[:, None, :] / iqr - (A - med)[None, :, :] / iqr
    dist = np.where(np.isnan(diff), 1.0, np.abs(diff)).sum(2)
    j = np.argmin(dist, 1)
    return y[tr][j], dist[np.arange(len(q)), j]

results = []
def report(name, seed, scores):
    results.append((name, seed, np.mean(scores), np.std(scores, ddof=1)))
    print(f"{name:58s} seed {seed}: macro-F1 {np.mean(scores):.4f} ± {np.std(scores, ddof=1):.3f}", flush=True)

for seed in (1, 0):
    t0 = time.time()
    cache = {}
    for r, f, tr, te in splits(seed):
        cache[(r, f)] = {"gb": gb(X[tr], y[tr], X[te], seed), "ord": ordinal(X[tr], y[tr], X[te], seed),
                         "xrf": xgb_forest(X[tr], y[tr], X[te], seed), "skrf": sk_forest(X[tr], y[tr], X[te], seed)}
    S = {}
    def add(name, r, f, te, pred): S.setdefault(name, []).append(mf1(y[te], pred))
    for r, f, tr, te in splits(seed):
        c = cache[(r, f)]; cnt = np.bincount(y[tr], minlength=K); lc = np.log(cnt)
        for a in (0, 0.3, 0.6, 0.9):
            add(f"booster, probabilities x count^-{a}" + (" (C++ booster alone)" if a == 0.6 else ""), r, f, te,
                np.argmax(c["gb"] * cnt ** -a, 1))
        # nested: decision knobs fitted on inner 5-fold OOF predictions of the training part only
        inner = strat_inner(y[tr], 5, 1000 + 10 * r + f); Pin = np.zeros((len(tr), K))
        for g in range(5):
            Pin[inner == g] = gb(X[tr][inner != g], y[tr][inner != g], X[tr][inner == g], seed)
        m = fit_multipliers(Pin, y[tr], -0.6 * lc, np.linspace(-1, 1, 21), 3)
        add("nested per-band multipliers (grid ±1)", r, f, te, np.argmax(np.log(c["gb"] + 1e-9) + m, 1))
        m = fit_multipliers(Pin, y[tr], -0.6 * lc, np.linspace(-0.3, 0.3, 7), 1)
        add("nested per-band multipliers (shrunk, grid ±0.3)", r, f, te, np.argmax(np.log(c["gb"] + 1e-9) + m, 1))
        grid = [0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.2]
        a = grid[int(np.argmax([mf1(y[tr], np.argmax(Pin * cnt ** -g, 1)) for g in grid]))]
        add("nested prior-correction exponent", r, f, te, np.argmax(c["gb"] * cnt ** -a, 1))
        norm = lambda P: P / P.sum(1, keepdims=True)
        add("blend softprob + ordinal, x count^-0.3", r, f, te, np.argmax((c["gb"] + norm(c["ord"])) * cnt ** -0.3, 1))
        add("blend softprob + XGBoost forest, x count^-0.3", r, f, te, np.argmax((c["gb"] + c["xrf"]) * cnt ** -0.3, 1))
        add("blend softprob + ordinal + sklearn RF, x count^-0.3 (not C++)", r, f, te,
            np.argmax((c["gb"] + norm(c["ord"]) + c["skrf"]) * cnt ** -0.3, 1))
        nb, nd = nearest_recipe(tr, te)
        p = np.argmax(c["gb"] * cnt ** -0.6, 1); p[nd < 0.2] = nb[nd < 0.2]
        add("identical-recipe override (nearest training row)", r, f, te, p)
        add("nearest training recipe alone (1-NN)", r, f, te, nb)
        # name tokens, target-encoded per fold (training rows encoded out-of-fold within the training part)
        enc_tr = np.zeros(len(tr), np.float32)
        for g in range(5):
            enc_tr[inner == g] = name_encoding(tr[inner != g], tr[inner == g])
        P = gb(np.column_stack([X[tr], enc_tr]), y[tr], np.column_stack([X[te], name_encoding(tr, te)]), seed)
        add("+ name-token target encoding feature", r, f, te, np.argmax(P * cnt ** -0.6, 1))
    # Leaky upper bound, not a model: one set of per-band multipliers fitted on the test folds themselves.
    keys = list(splits(seed))
    def pooled_mean(m):
        return np.mean([mf1(y[te], np.argmax(np.log(cache[(r, f)]["gb"] + 1e-9) + m, 1)) for r, f, _, te in keys])
    m = -0.6 * np.log(np.bincount(y, minlength=K) * 0.8); best = pooled_mean(m)
    for _ in range(3):
        for b in range(K):
            for g in np.linspace(-1.5, 1.5, 31):
                mm = m.copy(); mm[b] += g; v = pooled_mean(mm)
                if v > best + 1e-9: best, m = v, mm
    S["per-band multipliers fitted ON THE TEST FOLDS (leaky bound)"] = [
        mf1(y[te], np.argmax(np.log(cache[(r, f)]["gb"] + 1e-9) + m, 1)) for r, f, _, te in keys]
    for name, v in S.items(): report(name, seed, v)
    print(f"seed {seed}: {time.time() - t0:.0f}s", flush=True)

cpp_f1 = cpp["report"]["macro_f1"]["mean"]
py_f1 = [v for n, s, v, _ in results if s == 0 and n.endswith("(C++ booster alone)")][0]
print(f"C++ CrossValidate seed 0, booster alone (forest_trees=0, prior_correction=0.6): {cpp_f1:.4f}; "
      f"this script's reproduction: {py_f1:.4f}")
print(f"C++ CrossValidate seed 0, the shipped blend (booster + ExtraTrees, x count^-0.3), for reference: "
      f"{bl.evaluate(data_dir, folds=5, repeats=5)['report']['macro_f1']['mean']:.4f}")
assert abs(cpp_f1 - py_f1) < 1e-6, "the Python reproduction must match the C++ cross-validation exactly"
