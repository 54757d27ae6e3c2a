/**
 * The best-on-average portfolio baseline: the configuration family (default: the model) that ranked best across
 * the training datasets, whatever the new dataset looks like. It is an ordinary RankerFactory, so the protocol
 * holds it to the same honesty rules as the recommender: it only ever sees training runs.
 *
 * Family score: on each training dataset every run gets its rank percentile (0 = worst, 1 = best, ties share
 * their mean rank); a family's score on a dataset is the mean percentile of its runs there, and its overall
 * score the mean over the datasets where it was run. Mean (not best) percentile, because the portfolio fixes the
 * family but not the hyperparameters: the mean is what an arbitrary member of the family delivers.
 *
 * Candidates are ranked by family score; families never seen in training go last. Within a family the
 * candidates keep the order they are given in, which the protocol shuffles with a fixed seed: the pick is a
 * reproducible random member of the best family, the very thing the family score measured. (Choosing
 * hyperparameters within the family would make this a second meta-learner, not a portfolio.)
 */
import type { MetaDataset, Run } from "../metadata/schema.ts";
import { orientedOutcome } from "../learner/targets.ts";
import { rankPercentiles } from "../util/stats.ts";
import type { CandidateConfig, RankerFactory } from "./ranker.ts";

export type FamilyKey = (c: CandidateConfig) => string;

export const byModel: FamilyKey = (c) => c.model;


/** Family → mean over training datasets of the family's mean rank percentile there. */
export function familyScores(training: MetaDataset, key: FamilyKey = byModel): Map<string, number> {
  const runsByDataset = new Map<string, Run[]>();
  for (const r of training.runs) {
    const list = runsByDataset.get(r.datasetId) ?? [];
    list.push(r);
    runsByDataset.set(r.datasetId, list);
  }
  const perFamily = new Map<string, number[]>();
  for (const runs of runsByDataset.values()) {
    const pct = rankPercentiles(runs.map((r) => orientedOutcome(training, r)));
    const sums = new Map<string, { sum: number; n: number }>();
    runs.forEach((r, i) => {
      const f = key(r);
      const s = sums.get(f) ?? { sum: 0, n: 0 };
      s.sum += pct[i];
      s.n++;
      sums.set(f, s);
    });
    for (const [f, s] of sums) perFamily.set(f, [...(perFamily.get(f) ?? []), s.sum / s.n]);
  }
  return new Map([...perFamily].map(([f, xs]) => [f, xs.reduce((a, b) => a + b, 0) / xs.length]));
}

export function portfolioRanker(key: FamilyKey = byModel): RankerFactory {
  return async (training) => {
    const scores = familyScores(training, key);
    return async (_dataset, candidates) =>
      candidates
        .map((c, i) => ({ id: c.id, i, score: scores.get(key(c)) ?? -Infinity }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .map((c) => c.id);
  };
}
