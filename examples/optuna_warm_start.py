#!/usr/bin/env python3
"""Warm-start an Optuna study with hporec's suggestions, and tell hporec every result (ask/tell over HTTP).

    hporec serve --port 8080 &
    python3 examples/optuna_warm_start.py --url http://127.0.0.1:8080 --trials 8

hporec's first suggestions are queued with study.enqueue_trial (their `optuna` field is already in Optuna's
params format: {"model": ..., "lr": ..., ...}); Optuna's TPE takes over after them, and every result, whichever
sampler proposed it, is told to hporec so its next suggestions learn from it. `train` below is a stand-in (a
smooth function of the learning rate and batch size) so the example runs anywhere: put your training there.
Needs only the standard library and optuna (Debian: apt-get install python3-optuna).
"""
import argparse
import json
import math
import sys
import urllib.request

import optuna

CARD = {"name": "my-plants", "samples": 3000, "classes": 30, "imageSize": 224, "channels": 3, "domain": "plants"}


def call(url, path, body=None, method="POST", headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=120) as res:
        return json.loads(res.read() or b"null")


def train(params):
    """Stand-in for a real training run: returns a top-1 accuracy in %."""
    lr = float(params.get("lr", 1e-3))
    batch = float(params.get("batch_size", 32))
    return round(90 - 6 * (math.log10(lr) + 3.5) ** 2 - 2 * abs(math.log2(batch / 32)) / 3, 3)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--trials", type=int, default=8)
    ap.add_argument("--warm", type=int, default=3, help="hporec suggestions queued before TPE")
    args = ap.parse_args()

    hp_study = call(args.url, "/v1/studies", {"card": CARD})["study"]["id"]
    first = call(args.url, f"/v1/studies/{hp_study}/ask", {"n": args.warm})["suggestions"]
    models = sorted({s["model"] for s in first})

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
    for s in first:
        study.enqueue_trial(s["optuna"])
    by_params = {json.dumps(s["optuna"], sort_keys=True): s["candidateId"] for s in first}

    def objective(trial):
        params = {
            "model": trial.suggest_categorical("model", models),
            "lr": trial.suggest_float("lr", 1e-6, 1.0, log=True),
            "batch_size": trial.suggest_int("batch_size", 1, 1024, log=True),
        }
        # An enqueued trial carries hporec's whole configuration; the parameters Optuna does not search stay fixed.
        fixed = trial.system_attrs.get("fixed_params", {})
        full = {**fixed, **params}
        value = train(full)
        key = json.dumps(fixed, sort_keys=True)
        config = by_params.get(key) or {"model": params["model"], "hyperparameters": {k: v for k, v in full.items() if k != "model"}}
        call(args.url, f"/v1/studies/{hp_study}/tell", {"config": config, "value": value}, headers={"idempotency-key": f"optuna-{trial.number}"})
        return value

    study.optimize(objective, n_trials=args.trials)
    after = call(args.url, f"/v1/studies/{hp_study}/ask", {"n": 1})
    call(args.url, f"/v1/studies/{hp_study}", method="GET")
    print(json.dumps({
        "hporecStudy": hp_study,
        "firstSuggestion": first[0]["candidateId"],
        "firstOptunaParams": {k: study.trials[0].params[k] for k in ("model", "lr", "batch_size")},
        "trials": len(study.trials),
        "bestValue": study.best_value,
        "told": after["belief"]["trials"],
        "nextSuggestion": after["suggestions"][0]["candidateId"] if after["suggestions"] else None,
        "explanation": after["belief"]["explanation"],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
