/** Per-dataset summaries kept in a pack: what was run there and which configurations won. */
import type { MetaDataset } from "../metadata/schema.ts";
import type { DatasetSummary } from "./pack.ts";
import { orientedOutcome } from "./targets.ts";

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summariseDatasets(md: MetaDataset, topK = 10): DatasetSummary[] {
  return md.datasets.map((d) => {
    const runs = md.runs
      .filter((r) => r.datasetId === d.id)
      .sort((a, b) => orientedOutcome(md, b) - orientedOutcome(md, a));
    const outcomes = runs.map((r) => r.outcome.best);
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
    };
  });
}

/** Values at 0, 1/steps, ..., 1 of the sorted sample (linear interpolation). */
export function quantiles(values: readonly number[], steps: number): number[] {
  if (!values.length) return [];
  const s = [...values].sort((a, b) => a - b);
  return Array.from({ length: steps + 1 }, (_, k) => interpolate(s, (k / steps) * (s.length - 1)));
}

function interpolate(sorted: number[], pos: number): number {
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
