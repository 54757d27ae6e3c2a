/**
 * Structured accuracy: the numbers an answer states for each configuration (`predicted`: score, spread, metric,
 * interval, seconds, prior, whatever the recommender states) against the recommender's own scoring of the same
 * configuration on the same dataset and neighbours, field by field within a stated tolerance. Nothing is
 * re-derived here: the expected values come from `Recommender.score` and `toConfig`, so the check follows any
 * change in how the recommender predicts, scales or rounds.
 */
import type { Predicted } from "../recommend/schema.ts";
import { fmt } from "../util/format.ts";

export interface PredictionTolerances {
  /** Metric points (and interval ends): 1% of the range of the pack's outcomes. */
  metric: number;
}

/** Rank scores, spreads and priors are stated to 4 decimals; a recomputation may differ in the 3rd. */
const SCORE_TOLERANCE = 0.002;
/** Metrics are stated to 2 decimals: a recomputation a hair away may round one unit apart. */
const METRIC_ROUNDING = 0.01;
const SECONDS_RELATIVE = 0.02;

/** Problems of one configuration's stated predictions ("metric 95.61 (meta-learner: 84.61, tolerance ±1)"). */
export function comparePredictions(stated: Predicted, expected: Predicted, tol: PredictionTolerances): string[] {
  const problems: string[] = [];
  const s = stated as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected) as [string, unknown][]) {
    const got = s[key];
    const tolerance = toleranceOf(key, want, tol);
    if (Array.isArray(want)) {
      const bad = !Array.isArray(got) || want.some((w, i) => !close(got[i], w, tolerance));
      if (bad) problems.push(`${key} ${show(got)} (meta-learner: ${show(want)}, tolerance ±${fmt(tolerance)})`);
    } else if (!close(got, want, tolerance)) problems.push(`${key} ${show(got)} (meta-learner: ${show(want)}, tolerance ±${fmt(tolerance)})`);
  }
  return problems;
}

function toleranceOf(key: string, want: unknown, tol: PredictionTolerances): number {
  if (key === "metric" || key === "interval") return tol.metric + METRIC_ROUNDING;
  if (key === "seconds") return Math.max(1, SECONDS_RELATIVE * Math.abs(Number(want)));
  return SCORE_TOLERANCE;
}

/** A prediction that exists: not null (unknown, e.g. no cost model), not NaN. */
export const known = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Unknown on both sides (null, NaN) is agreement. */
function close(got: unknown, want: unknown, tolerance: number): boolean {
  if (typeof want !== "number" && want !== null && want !== undefined) return got === want;
  if (!known(want)) return !known(got);
  return known(got) && Math.abs(got - want) <= tolerance + 1e-9;
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(", ")}]` : typeof v === "number" ? fmt(v) : String(v));
