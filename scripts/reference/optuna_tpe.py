#!/usr/bin/python3
"""Reference peer for `hporec eval`: Optuna's TPE restricted to a table of configurations that were really run.

Run with Debian's /usr/bin/python3 (python3-optuna 3.1). Usage: optuna_tpe.py INPUT.json > OUTPUT.json

Input:  {"trials": 20, "seeds": [0, 1, ...], "startup_trials": 5, "parallel": 1,
         "tables": [{"key": "...",
                     "columns": [{"name", "kind": "numeric", "low", "high", "log"} |
                                 {"name", "kind": "categorical", "choices": [str, ...]}],
                     "rows": [{"id": "...", "values": [number | str | null per column], "y": number}]}]}
Output: {"tables": [{"key": "...", "picks": [[run ids in evaluation order] per seed]}]}; on stderr, a line
"done KEY" after each table (progress).

Each configuration TPE suggests is snapped to the nearest row not evaluated yet (squared distance over columns
scaled to [0, 1], log10 scale where "log"; a categorical mismatch, or a missing numeric value, counts 1), and
the snapped row's true outcome y (higher is better) is told to the study as a trial carrying the SNAPPED
parameters (the suggestion itself is marked failed, which TPE ignores), so TPE models what was really evaluated.
With "parallel": k > 1 the study runs as k workers would: k suggestions are asked (and snapped) before any of
them is told, TPE's constant liar keeping the pending ones from being suggested again; then all k are told.
Exit code 3: optuna or numpy is not importable.
"""
import json
import sys
import warnings

try:
    import numpy as np
    import optuna
    from optuna.distributions import CategoricalDistribution, FloatDistribution
    from optuna.trial import TrialState, create_trial
except ImportError as e:
    print(f"optuna not importable: {e}", file=sys.stderr)
    sys.exit(3)


class Table:
    def __init__(self, spec):
        self.columns = spec["columns"]
        self.ids = [r["id"] for r in spec["rows"]]
        self.y = [float(r["y"]) for r in spec["rows"]]
        self.values = [r["values"] for r in spec["rows"]]
        self.dists = {
            c["name"]: FloatDistribution(c["low"], c["high"], log=c["log"])
            if c["kind"] == "numeric"
            else CategoricalDistribution(c["choices"])
            for c in self.columns
        }
        # Scaled numeric columns (NaN = missing) and categorical columns, for vectorised distances.
        self.numeric = [j for j, c in enumerate(self.columns) if c["kind"] == "numeric"]
        self.categorical = [j for j, c in enumerate(self.columns) if c["kind"] != "numeric"]
        self.x = np.array(
            [[np.nan if v[j] is None else self.scale(j, v[j]) for j in self.numeric] for v in self.values],
            dtype=float,
        ).reshape(len(self.ids), len(self.numeric))
        self.c = np.array([[v[j] for j in self.categorical] for v in self.values], dtype=object).reshape(
            len(self.ids), len(self.categorical)
        )

    def scale(self, j, v):
        c = self.columns[j]
        lo, hi, v = c["low"], c["high"], float(v)
        if c["log"]:
            lo, hi, v = np.log10(lo), np.log10(hi), np.log10(v)
        return (v - lo) / (hi - lo)

    def distances(self, params):
        d = np.zeros(len(self.ids))
        for k, j in enumerate(self.numeric):
            diff = self.x[:, k] - self.scale(j, params[self.columns[j]["name"]])
            d += np.where(np.isnan(diff), 1.0, diff**2)
        for k, j in enumerate(self.categorical):
            d += self.c[:, k] != params[self.columns[j]["name"]]
        return d

    def params_of(self, i):
        """The row's parameters as Optuna sees them; a missing numeric value is an absent (inactive) parameter."""
        present = [(c["name"], v) for c, v in zip(self.columns, self.values[i]) if v is not None]
        return {n: v for n, v in present}, {n: self.dists[n] for n, _ in present}


def run(table, trials, seed, startup, parallel=1):
    # constant_liar only matters while trials are pending, i.e. with parallel workers; k = 1 stays plain TPE.
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup, constant_liar=parallel > 1)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    done = np.zeros(len(table.ids), dtype=bool)
    picks = []
    n = min(trials, len(table.ids))
    while len(picks) < n:
        batch = []
        for _ in range(min(parallel, n - len(picks))):
            trial = study.ask(table.dists)  # pending (RUNNING) until the whole batch is told
            d = table.distances(trial.params)
            d[done] = np.inf
            i = int(np.argmin(d))
            done[i] = True
            picks.append(table.ids[i])
            batch.append((trial, i))
        for trial, i in batch:
            study.tell(trial, state=TrialState.FAIL)
            params, dists = table.params_of(i)
            study.add_trial(create_trial(params=params, distributions=dists, value=table.y[i]))
    return picks


def main():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    out = []
    for t in spec["tables"]:
        table = Table(t)
        picks = [run(table, spec["trials"], seed, spec["startup_trials"], spec.get("parallel", 1)) for seed in spec["seeds"]]
        out.append({"key": t["key"], "picks": picks})
        print(f"done {t['key']}", file=sys.stderr, flush=True)  # progress for the caller
    json.dump({"tables": out}, sys.stdout)


if __name__ == "__main__":
    main()
