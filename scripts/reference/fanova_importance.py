#!/usr/bin/env python3
"""fANOVA hyperparameter importance (Optuna) of each dataset's real runs: the peer for hporec's tunability ranking.

Usage: /usr/bin/python3 scripts/reference/fanova_importance.py runs.json out.json
runs.json: {"distributions": {name: {"type": "int", "low": 0, "high": k} | {"type": "categorical", "choices": [...]}},
            "datasets": [{"id": ..., "runs": [{"params": {name: value}, "value": float}]}]}
out.json:  {dataset id: {name: importance}} (importances sum to 1 per dataset).
Needs Debian's python3-optuna (3.1) with scikit-learn: run it with /usr/bin/python3.
"""
import json
import sys

import optuna
from optuna.distributions import CategoricalDistribution, IntDistribution
from optuna.importance import FanovaImportanceEvaluator

optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(d):
    if d["type"] == "int":
        return IntDistribution(d["low"], d["high"])
    return CategoricalDistribution(d["choices"])


def main(src, dst):
    spec = json.load(open(src))
    dists = {name: distribution(d) for name, d in spec["distributions"].items()}
    out = {}
    for ds in spec["datasets"]:
        study = optuna.create_study(direction="maximize")
        for run in ds["runs"]:
            study.add_trial(optuna.trial.create_trial(params=run["params"], distributions=dists, value=run["value"]))
        out[ds["id"]] = FanovaImportanceEvaluator(seed=0).evaluate(study)
    json.dump(out, open(dst, "w"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
