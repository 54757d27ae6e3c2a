/**
 * Training targets. Raw outcomes are not comparable across datasets (a "good" accuracy is 40 % on one and
 * 99 % on another), so the default target is the per-dataset rank: each run's outcome as a percentile within
 * its own dataset, in [0, 1], 1 = best. Cost is log10 of the run's total training seconds.
 */
import { z } from "zod";
import type { MetaDataset, Run } from "../metadata/schema.ts";
import { median, rankPercentiles } from "../util/stats.ts";

export const TargetKind = z.enum(["rank", "raw"]);
export type TargetKind = z.infer<typeof TargetKind>;

/** Outcome as "higher is better", whatever the metric's direction. */
export function orientedOutcome(md: MetaDataset, run: Run): number {
  return md.metric.direction === "max" ? run.outcome.best : -run.outcome.best;
}


/** Indices of `keys` grouped by key, each group in index order. */
export function groupIndices(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}

/** Run indices per dataset, in the order of `md.runs`. */
export function runsByDataset(md: MetaDataset): Map<string, number[]> {
  return groupIndices(md.runs.map((r) => r.datasetId));
}

/** Each value's rank percentile within its group (keys[i]): 0 = lowest, 1 = highest, ties averaged; 0 alone. */
export function ranksWithinGroups(values: readonly number[], keys: readonly string[]): number[] {
  const out = new Array<number>(values.length);
  for (const idx of groupIndices(keys).values()) {
    const ranks = rankPercentiles(idx.map((i) => values[i]), 0);
    idx.forEach((i, k) => (out[i] = ranks[k]));
  }
  return out;
}

/** Target value per run, in the order of `md.runs`. */
export function outcomeTargets(md: MetaDataset, kind: TargetKind): number[] {
  const oriented = md.runs.map((r) => orientedOutcome(md, r));
  return kind === "raw" ? oriented : ranksWithinGroups(oriented, md.runs.map((r) => r.datasetId));
}

/**
 * Relevance of each run for the ranking head: its dataset's normalised outcome, (y - median) / (max - median),
 * floored at 0, so that only above-median runs matter and the best counts 1 (what `hporec eval` scores a pick by).
 * When half the runs or more share the best value, those count 1 and the others 0.
 */
export function rankingGains(md: MetaDataset): number[] {
  const out = new Array<number>(md.runs.length);
  for (const idx of runsByDataset(md).values()) {
    const ys = idx.map((i) => orientedOutcome(md, md.runs[i]));
    const med = median(ys);
    const max = Math.max(...ys);
    idx.forEach((runIndex, k) => (out[runIndex] = max > med ? Math.max(0, (ys[k] - med) / (max - med)) : ys[k] === max ? 1 : 0));
  }
  return out;
}

/** log10 total seconds, or undefined when the run has no cost recorded. */
export function costTarget(run: Run): number | undefined {
  const s = run.cost.totalSeconds ?? run.cost.perEpochSeconds?.reduce((a, b) => a + b, 0);
  return s !== undefined && s > 0 ? Math.log10(s) : undefined;
}

/**
 * 1 for a run whose regret on its dataset, (max - y) / (max - min), is at most `threshold`, else 0: the runs a
 * pick may land on without being catastrophic (DESIGN.md). Relative to the dataset's range, so "acceptable"
 * means the same on a dataset where 95 % is easy as on one where 60 % is the best anyone got.
 */
export function acceptableLabels(md: MetaDataset, threshold: number): number[] {
  const out = new Array<number>(md.runs.length);
  for (const idx of runsByDataset(md).values()) {
    const ys = idx.map((i) => orientedOutcome(md, md.runs[i]));
    const max = Math.max(...ys);
    const min = Math.min(...ys);
    idx.forEach((runIndex, k) => (out[runIndex] = max === min || (max - ys[k]) / (max - min) <= threshold ? 1 : 0));
  }
  return out;
}
