/**
 * Scores of a pick on one held-out dataset, from that dataset's true outcomes y (oriented: higher is better).
 *   normalised score = (y[pick] − median(y)) / (max(y) − median(y))   1 = best, 0 = median, < 0 below median
 *   regret           = (max(y) − y[pick]) / (max(y) − min(y))          0 = best, 1 = worst
 * Degenerate cases, so no score is ever NaN:
 *   max == median (half the runs or more share the best value): a pick at max scores 1, any other pick scores
 *     −regret (it is below the median, and max − min is the only scale left);
 *   max == min (all runs equal): score 1, regret 0.
 */
import { ACCEPTABLE_REGRET } from "../learner/meta-learner.ts";
import { bootstrapMeanInterval, median } from "../util/stats.ts";
import { STATED_LEVEL } from "../recommend/calibration.ts";
import type {
  CostComparison,
  ExpectedAggregate,
  ExpectedDatasetResult,
  RankedAggregate,
  RankedDatasetResult,
  Summary,
} from "./types.ts";

/** A regret above this is a catastrophic pick (DESIGN.md, evaluation protocol). */
export const CATASTROPHIC_REGRET = ACCEPTABLE_REGRET;

/** What the evaluator knows of one candidate: its true outcome and training seconds (null when unknown). */
export interface CandidateOutcome {
  id: string;
  y: number;
  seconds: number | null;
}

export interface OutcomeScale {
  min: number;
  median: number;
  max: number;
}


export function outcomeScale(ys: readonly number[]): OutcomeScale {
  if (ys.length === 0) throw new Error("no outcomes to scale");
  return { min: Math.min(...ys), median: median(ys), max: Math.max(...ys) };
}

export function regret(y: number, s: OutcomeScale): number {
  return s.max === s.min ? 0 : (s.max - y) / (s.max - s.min);
}

export function normalisedScore(y: number, s: OutcomeScale): number {
  if (y >= s.max) return 1;
  return s.max === s.median ? -regret(y, s) : (y - s.median) / (s.max - s.median);
}

export function isCatastrophic(r: number): boolean {
  return r > CATASTROPHIC_REGRET;
}

/** Normalised score of the best of the first k picks (all of them when fewer than k). */
export function bestOfTopK(rankedYs: readonly number[], k: number, s: OutcomeScale): number {
  if (rankedYs.length === 0) throw new Error("empty ranking");
  return normalisedScore(Math.max(...rankedYs.slice(0, k)), s);
}

/** The most accurate candidate; among ties the cheapest with a known cost, so the speedup is not flattered. */
export function mostAccurate(candidates: readonly CandidateOutcome[]): CandidateOutcome {
  const max = Math.max(...candidates.map((c) => c.y));
  const tied = candidates.filter((c) => c.y === max);
  const costed = tied.filter((c) => c.seconds !== null).sort((a, b) => a.seconds! - b.seconds!);
  return costed[0] ?? tied[0];
}

export function costComparison(candidates: readonly CandidateOutcome[], pick: CandidateOutcome): CostComparison {
  const best = mostAccurate(candidates);
  const known = pick.seconds !== null && best.seconds !== null && pick.seconds > 0 && best.seconds > 0;
  return {
    pickRunId: pick.id,
    pickSeconds: pick.seconds,
    bestRunId: best.id,
    bestSeconds: best.seconds,
    speedup: known ? best.seconds! / pick.seconds! : null,
    accuracyGivenUp: best.y - pick.y,
  };
}

/**
 * The per-dataset record of a ranking (without `randomSearchN`, which the protocol adds from random-search.ts).
 * The ranking may be a prefix of the candidates: top-k then uses what is there.
 */
export function scoreRanking(
  datasetId: string,
  candidates: readonly CandidateOutcome[],
  rankedIds: readonly string[],
  keep: number,
): Omit<RankedDatasetResult, "randomSearchN"> {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  if (rankedIds.length === 0) throw new Error(`${datasetId}: the ranker returned no run ids`);
  if (new Set(rankedIds).size !== rankedIds.length) throw new Error(`${datasetId}: the ranking repeats run ids`);
  const ranked = rankedIds.map((id) => {
    const c = byId.get(id);
    if (!c) throw new Error(`${datasetId}: the ranking names run "${id}", which is not a candidate`);
    return c;
  });
  const s = outcomeScale(candidates.map((c) => c.y));
  const ys = ranked.map((c) => c.y);
  const r = regret(ys[0], s);
  return {
    datasetId,
    nCandidates: candidates.length,
    rankedRunIds: rankedIds.slice(0, keep),
    top1: bestOfTopK(ys, 1, s),
    top3: bestOfTopK(ys, 3, s),
    top5: bestOfTopK(ys, 5, s),
    regret: r,
    catastrophic: isCatastrophic(r),
    cost: costComparison(candidates, ranked[0]),
    pickOutcome: ys[0],
  };
}

/** Mean, median and a 90% bootstrap interval of the mean over the units (held-out datasets). */
export function summarise(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error("nothing to summarise");
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, median: median(xs), interval: bootstrapMeanInterval(xs) };
}

export function aggregateRanked(records: readonly RankedDatasetResult[]): RankedAggregate {
  const speedups = records.map((r) => r.cost.speedup).filter((v): v is number => v !== null);
  return {
    datasets: records.length,
    top1: summarise(records.map((r) => r.top1)),
    top3: summarise(records.map((r) => r.top3)),
    top5: summarise(records.map((r) => r.top5)),
    regret: summarise(records.map((r) => r.regret)),
    catastrophic: records.filter((r) => r.catastrophic).length,
    catastrophicInterval: countInterval(records.map((r) => (r.catastrophic ? 1 : 0))),
    // Speedups are ratios: the geometric mean treats 2x faster and 2x slower symmetrically.
    speedup: speedups.length
      ? { geometricMean: Math.exp(summarise(speedups.map(Math.log)).mean), median: median(speedups) }
      : null,
    accuracyGivenUp: summarise(records.map((r) => r.cost.accuracyGivenUp)),
    coverage: coverage(records),
  };
}

/** How many picks' real outcomes fell inside their predicted ranges (null when no ranker range was judged). */
export function coverage(records: readonly RankedDatasetResult[]): RankedAggregate["coverage"] {
  const judged = records.filter((r) => r.prediction?.covered !== null && r.prediction?.covered !== undefined);
  if (!judged.length) return null;
  return { level: STATED_LEVEL, covered: judged.filter((r) => r.prediction!.covered).length, of: judged.length, stated: judged.every((r) => r.prediction!.stated) };
}

export function aggregateExpected(records: readonly ExpectedDatasetResult[]): ExpectedAggregate {
  return {
    datasets: records.length,
    score: summarise(records.map((r) => r.score)),
    regret: summarise(records.map((r) => r.regret)),
    catastrophic: records.reduce((a, r) => a + r.catastrophic, 0),
  };
}

/** 90% bootstrap interval of a count of events over the units (e.g. catastrophic picks among the datasets). */
function countInterval(flags: number[]): [number, number] {
  const [lo, hi] = bootstrapMeanInterval(flags);
  return [lo * flags.length, hi * flags.length];
}
