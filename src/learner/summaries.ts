/** Per-dataset summaries kept in a pack: what was run there and which configurations won. */
import type { MetaDataset } from "../metadata/schema.ts";
import type { DatasetSummary } from "./pack.ts";
import { orientedOutcome } from "./targets.ts";
import { median, quantiles, rankPercentiles } from "../util/stats.ts";

export function summariseDatasets(md: MetaDataset, topK = 10): DatasetSummary[] {
  return md.datasets.map((d) => {
    const runs = md.runs
      .filter((r) => r.datasetId === d.id)
      .sort((a, b) => orientedOutcome(md, b) - orientedOutcome(md, a));
    const outcomes = runs.map((r) => r.outcome.best);
    const percentiles = rankPercentiles(runs.map((r) => orientedOutcome(md, r)), 0.5);
    return {
      ...d,
      nRuns: runs.length,
      best: runs.length ? runs[0].outcome.best : NaN,
      median: runs.length ? median(outcomes) : NaN,
      quantiles: quantiles(outcomes, 20),
      topRuns: runs.slice(0, topK).map((r) => ({
        runId: r.id,
        model: r.model,
        hyperparameters: r.hyperparameters,
        outcome: r.outcome.best,
        seconds: r.cost.totalSeconds,
      })),
      runs: runs.map((r, i) => ({ model: r.model, hyperparameters: r.hyperparameters, percentile: percentiles[i] })),
    };
  });
}
