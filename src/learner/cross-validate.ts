/**
 * Leave-one-dataset-out check of the meta-learner: for each dataset, train without it and score its runs.
 * RMSE is on the training target; Spearman is between predictions and true outcomes within the dataset,
 * which is what ranking candidates needs.
 */
import type { MetaDataset } from "../metadata/schema.ts";
import { MetaLearner, type TrainOptions } from "./meta-learner.ts";
import { orientedOutcome, outcomeTargets } from "./targets.ts";
import { spearman } from "../util/stats.ts";

export interface FoldResult {
  datasetId: string;
  runs: number;
  rmse: number;
  spearman: number;
}

/** Returns the meta-dataset without one dataset: its runs AND its entry are removed. */
export function withoutDataset(md: MetaDataset, datasetId: string): MetaDataset {
  return { ...md, datasets: md.datasets.filter((d) => d.id !== datasetId), runs: md.runs.filter((r) => r.datasetId !== datasetId) };
}

export function crossValidate(md: MetaDataset, opts: TrainOptions, onFold?: (r: FoldResult) => void): FoldResult[] {
  const targets = outcomeTargets(md, opts.target);
  const results: FoldResult[] = [];
  for (const d of md.datasets) {
    const train = withoutDataset(md, d.id);
    // Scores the outcome models' predictions: no cost model or head needed.
    const trained = MetaLearner.train(train, { ...opts, head: "none", onModel: undefined });
    const learner = new MetaLearner(trained.featureMap, trained.outcome.map((m) => m.model), undefined, opts.target);
    const idx = md.runs.flatMap((r, i) => (r.datasetId === d.id ? [i] : []));
    const pred = learner.predict(d, idx.map((i) => md.runs[i])).mean;
    let se = 0;
    idx.forEach((i, k) => (se += (pred[k] - targets[i]) ** 2));
    const r: FoldResult = {
      datasetId: d.id,
      runs: idx.length,
      rmse: Math.sqrt(se / Math.max(idx.length, 1)),
      spearman: spearman(Array.from(pred), idx.map((i) => orientedOutcome(md, md.runs[i]))),
    };
    results.push(r);
    onFold?.(r);
  }
  return results;
}

