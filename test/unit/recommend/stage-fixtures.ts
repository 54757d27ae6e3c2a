/**
 * What the unit tests of the recommendation stages share: a small search space matching the tiny real
 * meta-learner's features (test/unit/learner/tiny-learner.ts), past datasets, and scored candidates built by hand
 * for the stages that only read scores (budget, ranking, alternatives).
 */
import type { MetaLearner } from "../../../src/learner/meta-learner.ts";
import type { DatasetSummary, TopRun } from "../../../src/learner/pack.ts";
import type { SearchSpace } from "../../../src/metadata/schema.ts";
import { RegionShap } from "../../../src/explain/region-shap.ts";
import type { Candidate } from "../../../src/recommend/candidates.ts";
import type { ComposeContext } from "../../../src/recommend/compose.ts";
import type { Ranking } from "../../../src/recommend/ranking.ts";
import type { Scored } from "../../../src/recommend/scoring.ts";
import { tinyLearner } from "../learner/tiny-learner.ts";

/** lr and opt for every model; wd only in m1's space. */
export const space: SearchSpace = {
  source: "given",
  hyperparameters: {
    lr: { type: "float", low: 1e-5, high: 0.1, log: true },
    wd: { type: "float", low: 0, high: 1, log: false, condition: { parent: "model", values: ["m1"] } },
    opt: { type: "categorical", values: ["sgd", "adam"] },
  },
};
export const models = ["m1", "m2"];
export const packSpace = { searchSpace: space, models };

export const dataset = { name: "new", metaFeatures: { n_samples: 3000, n_classes: 7 }, domain: "a" };

export const run = (runId: string, model: string, lr: number, opt = "sgd"): TopRun => ({
  runId,
  model,
  hyperparameters: { lr, wd: model === "m1" ? 0.1 : null, opt },
  outcome: 0.9,
});

/** A past dataset with outcome quantiles from `low` to `high` (21 points, 0-100 %). */
export function summary(id: string, topRuns: TopRun[] = [], low = 50, high = 90): DatasetSummary {
  const quantiles = Array.from({ length: 21 }, (_, i) => low + ((high - low) * i) / 20);
  return {
    id,
    name: id,
    source: "test",
    metaFeatures: { n_samples: 1000, n_classes: 5 },
    nRuns: 40,
    best: high,
    median: (low + high) / 2,
    quantiles,
    topRuns,
    runs: topRuns.map((r, i) => ({ model: r.model, hyperparameters: r.hyperparameters, percentile: 1 - i / Math.max(1, topRuns.length) })),
  };
}

export const candidate = (id: string, model = "m1", hyperparameters: Candidate["hyperparameters"] = { lr: 0.001, wd: model === "m1" ? 0.1 : null, opt: "sgd" }): Candidate => ({
  id,
  model,
  hyperparameters,
  origin: "sample",
});

/** A scored candidate with the given fields; the others neutral (risk = order = mean). */
export function scored(id: string, s: Partial<Omit<Scored, "candidate">> & { model?: string } = {}): Scored {
  const { model, ...rest } = s;
  const mean = rest.mean ?? rest.risk ?? 0.5;
  return { candidate: candidate(id, model), mean, spread: 0.05, prior: 0, risk: mean, order: rest.risk ?? mean, seconds: 100, metric: 80, interval: [75, 85], ...rest };
}

let learner: MetaLearner | undefined;
/** The tiny real meta-learner (trained once per test file). */
export const tinyStageLearner = (): MetaLearner => (learner ??= tinyLearner(2, 300));

/** What composing needs, for the tiny pack: its space, a reduced space keeping both models, SHAP on the tiny learner. */
export function composeContext(extra: Partial<ComposeContext> = {}): ComposeContext {
  return {
    space: packSpace,
    manifest: { name: "tiny", metric: { name: "top1_accuracy", direction: "max" }, target: "rank" },
    reducedSpace: { hyperparameters: { lr: space.hyperparameters.lr, opt: space.hyperparameters.opt }, source: "inferred", models: ["m1", "m2"], fixed: { wd: 0 }, rationale: { wd: "fixed at 0: 1% of importance" } },
    shap: new RegionShap(tinyStageLearner()),
    evidenceText: () => undefined,
    ...extra,
  };
}

/** A ranking of the given scored candidates (all in the pool), with two neighbours. */
export function rankingOf(ranked: Scored[], warnings: string[] = [], extrapolation: string[] = [], smallerThanPast = false): Ranking {
  const neighbours = [
    { summary: summary("A"), similarity: 0.812345 },
    { summary: summary("B"), similarity: -0.1 },
  ];
  return { neighbours, scoredCount: ranked.length + 10, pool: ranked, ranked, warnings, extrapolation, smallerThanPast, budgetMet: true, headShare: 0 };
}
