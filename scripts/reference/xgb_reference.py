#!/usr/bin/python3
"""Reference computations with Debian's python3-xgboost (1.7.x) for hporec's tests and benchmarks.

Matrices travel as raw little-endian float32 files (row-major, NaN = missing); results are written as
float32 files into --out, with summary.json (shapes, timings in seconds, xgboost version): stdout is not
used because XGBoost's C++ warnings are printed there.

  explain: load a binary model, write pred.f32 (output scale), margin.f32, contribs.f32
           (rows x (features+1)) and interactions.f32 (first --interaction-rows rows x (features+1)^2)
  train:   train on --labels with the given --params (JSON, XGBoost names) and report the time
Timings cover the xgboost call only (no file I/O, no model loading); --repeat takes the best of n runs.
"""
import argparse
import json
import time

import numpy as np
import xgboost as xgb


def read_rows(path, ncols):
    return np.fromfile(path, dtype="<f4").reshape(-1, ncols)


def best_time(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def explain(a):
    booster = xgb.Booster(params={"nthread": a.nthread}, model_file=a.model)
    X = read_rows(a.rows, a.ncols)
    dm = xgb.DMatrix(X, missing=np.nan, nthread=a.nthread)
    seconds = {}
    pred, seconds["pred"] = best_time(lambda: booster.predict(dm), a.repeat)
    margin = booster.predict(dm, output_margin=True)
    contribs, seconds["contribs"] = best_time(lambda: booster.predict(dm, pred_contribs=True, approx_contribs=False), a.repeat)
    pred.astype("<f4").tofile(f"{a.out}/pred.f32")
    margin.astype("<f4").tofile(f"{a.out}/margin.f32")
    contribs.astype("<f4").tofile(f"{a.out}/contribs.f32")
    k = min(a.interaction_rows, X.shape[0])
    if k > 0:
        dk = xgb.DMatrix(X[:k], missing=np.nan, nthread=a.nthread)
        inter, seconds["interactions"] = best_time(
            lambda: booster.predict(dk, pred_interactions=True, approx_contribs=False), a.repeat)
        inter.astype("<f4").tofile(f"{a.out}/interactions.f32")
    summary(a, {"rows": X.shape[0], "features": booster.num_features(), "interactionRows": k, "seconds": seconds})


def train(a):
    X = read_rows(a.rows, a.ncols)
    y = np.fromfile(a.labels, dtype="<f4")
    params = json.loads(a.params)
    rounds = params.pop("n_estimators")
    params["nthread"] = a.nthread
    dm = xgb.DMatrix(X, label=y, missing=np.nan, nthread=a.nthread)
    _, seconds = best_time(lambda: xgb.train(params, dm, num_boost_round=rounds), a.repeat)
    summary(a, {"seconds": {"train": seconds}})


def summary(a, d):
    with open(f"{a.out}/summary.json", "w") as f:
        json.dump({"xgboost": xgb.__version__, **d}, f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["explain", "train"])
    p.add_argument("--rows", required=True)
    p.add_argument("--ncols", type=int, required=True)
    p.add_argument("--model")
    p.add_argument("--out", default=".")
    p.add_argument("--interaction-rows", type=int, default=0)
    p.add_argument("--labels")
    p.add_argument("--params", default="{}")
    p.add_argument("--nthread", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    xgb.set_config(verbosity=1)  # warnings only (e.g. "reg:linear is deprecated", "model from < 1.0.0")
    explain(a) if a.mode == "explain" else train(a)


if __name__ == "__main__":
    main()
