/**
 * Calibrated ranges for predicted metrics (split-conformal by dataset). The meta-learner's own spread measures
 * how much its members disagree, not how far a pick's real outcome lands from the prediction on a dataset it
 * never saw. So the range a recommendation states comes from held-out datasets: for each one, the pick's real
 * outcome minus its predicted metric (a residual); the stated range is the prediction plus the residuals'
 * lower and upper quantiles. With residuals from datasets like the new one, the range covers the real outcome
 * at the stated level (Vovk et al.; Barber et al., "Predictive inference with the jackknife+", 2021).
 */
import { z } from "zod";
import { ACCEPTABLE_REGRET } from "../learner/meta-learner.ts";

/** The level of the stated range: 80% of picks should land inside it. */
export const STATED_LEVEL = 0.8;

/**
 * How picks made this way did on datasets smaller than every past one (a regime the pack never trained on),
 * measured when the pack was built on a meta-dataset of such datasets (`hporec train --small-data-record`):
 * answers for a dataset that small state it instead of the record above, which does not hold there.
 */
export const TransferRecord = z.object({
  /** The meta-dataset the held-out datasets come from (never trained on). */
  source: z.string(),
  datasets: z.number().int().positive(),
  /** Picks at most 30% of the way from their dataset's best run to its worst (regret <= 0.3). */
  acceptable: z.number().int().nonnegative(),
  /** The other picks: more than 30% of the way from the best run to the worst (regret > 0.3, catastrophic in `hporec eval`). */
  catastrophic: z.number().int().nonnegative(),
  /** Mean normalised score of the picks (1 = the best run there, 0 = the median run). */
  meanScore: z.number(),
  /** Mean normalised score of the best of the three highest-ranked configurations (top-3). */
  top3Score: z.number(),
  /** Random trials whose expected best matches the picks' mean score, and the top-3's (absent: more than 50). */
  randomTrials: z.number().int().positive().optional(),
  randomTrialsTop3: z.number().int().positive().optional(),
  /** Picks whose real outcome fell inside the range stated for them. */
  covered: z.number().int().nonnegative(),
  /** A study (ask/tell) on the same pools: its mean normalised best-so-far after `trials` told results. */
  study: z.object({ trials: z.number().int().positive(), score: z.number(), randomTrials: z.number().int().positive().optional() }).optional(),
});
export type TransferRecord = z.infer<typeof TransferRecord>;

export const Calibration = z.object({
  /** Intended coverage of the stated range. */
  level: z.number().gt(0).lt(1),
  /** Residual quantiles (real outcome - predicted metric, in the metric's units): the range is [metric + low, metric + high]. */
  low: z.number(),
  high: z.number(),
  /** Held-out datasets the residuals come from. */
  datasets: z.number().int().nonnegative(),
  /** Of those, how many picks were acceptable (regret <= 0.3, not catastrophic). */
  acceptable: z.number().int().nonnegative(),
  /** Mean normalised score of those picks (1 = the best run there, 0 = the median run). */
  meanScore: z.number(),
  smallerThanPast: TransferRecord.optional(),
});
export type Calibration = z.infer<typeof Calibration>;

/** A pick on a held-out dataset: what was predicted, what happened. */
export interface HeldOutPick {
  predicted: number;
  outcome: number;
  regret: number;
  score: number;
}

/**
 * Conformal quantiles of the residuals: with n residuals, the k-th smallest with k = floor((n + 1) * (1 - level) / 2)
 * below and the k'-th with k' = ceil((n + 1) * (1 + level) / 2) above (clamped to the sample), so that a new
 * exchangeable residual falls between them with probability >= level.
 */
export function residualBounds(residuals: readonly number[], level: number): [number, number] {
  const r = residuals.filter(Number.isFinite).sort((a, b) => a - b);
  const n = r.length;
  if (!n) return [NaN, NaN];
  // The epsilon keeps (n + 1)(1 - level)/2 = 2 from flooring to 1 when 1 - 0.8 is 0.19999999999999996.
  const lo = Math.min(n, Math.max(1, Math.floor(((n + 1) * (1 - level)) / 2 + 1e-9)));
  const hi = Math.min(n, Math.max(1, Math.ceil(((n + 1) * (1 + level)) / 2 - 1e-9)));
  return [r[lo - 1], r[hi - 1]];
}

/** The calibration of picks on held-out datasets (residuals oriented as outcome - prediction). */
export function calibrationFrom(picks: readonly HeldOutPick[], level = STATED_LEVEL): Calibration | undefined {
  const usable = picks.filter((p) => Number.isFinite(p.predicted) && Number.isFinite(p.outcome));
  if (usable.length < 3) return undefined;
  const [low, high] = residualBounds(
    usable.map((p) => p.outcome - p.predicted),
    level,
  );
  return {
    level,
    low,
    high,
    datasets: usable.length,
    acceptable: usable.filter((p) => p.regret <= ACCEPTABLE_REGRET).length,
    meanScore: usable.reduce((a, p) => a + p.score, 0) / usable.length,
  };
}

/** The stated range of a predicted metric: the prediction plus the calibrated residual bounds, within [floor, ceil]. */
export function statedInterval(metric: number, cal: Pick<Calibration, "low" | "high">, floor = -Infinity, ceil = Infinity): [number, number] {
  const clamp = (v: number) => Math.min(ceil, Math.max(floor, v));
  return [clamp(metric + cal.low), clamp(metric + cal.high)];
}
