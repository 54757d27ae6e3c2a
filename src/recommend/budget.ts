/**
 * The budget filter of the rank stage: only candidates predicted to train within the budget stay in the pool.
 * When none does, the cheapest stay (with a warning); when the pack has no training-time data, nothing can be
 * filtered and the answer says so. A configuration whose past runs all stopped after their first epoch (a
 * training-length caveat) is predicted that epoch's time, not a full training's: it is not known to fit, and
 * stays only when nothing else does, with a warning that says so.
 */
import { stoppedEarlyCaveat, type TrainingLengthCaveat } from "../explain/training-length.ts";
import { formatSeconds } from "./constraints.ts";
import { fmt } from "../util/format.ts";
import type { Scored } from "./scoring.ts";

/** Candidates kept when none fits the budget: the cheapest ones. */
const CHEAPEST_KEPT = 50;

export interface BudgetPool {
  pool: Scored[];
  /** Why the budget could not be applied as stated. */
  warnings: string[];
}

export function withinBudget(scored: Scored[], budgetSeconds: number | undefined, hasCost: boolean, caveats: readonly TrainingLengthCaveat[] = []): BudgetPool {
  if (budgetSeconds === undefined) return { pool: scored, warnings: [] };
  if (!hasCost) return { pool: scored, warnings: [`the budget of ${formatSeconds(budgetSeconds)} cannot be applied: this pack has no training-time data, so the cost is unknown`] };
  // An unknown (NaN) cost is not known to exceed the budget.
  const fits = scored.filter((s) => !(s.seconds > budgetSeconds));
  const pool = fits.filter((s) => !stoppedEarlyCaveat(caveats, s.candidate.hyperparameters));
  if (pool.length) return { pool, warnings: [] };
  if (fits.length) {
    const c = stoppedEarlyCaveat(caveats, fits[0].candidate.hyperparameters)!;
    const epochs = c.medianEpochs === undefined ? "early" : `after ${fmt(c.medianEpochs)} epoch${c.medianEpochs === 1 ? "" : "s"}`;
    return {
      pool: fits,
      warnings: [
        `only configurations with ${c.name} = ${c.value} are predicted to train within ${formatSeconds(budgetSeconds)}, and their past runs stopped ${epochs}: the time predicted is that of a run stopped there, not of a full training, so none is known to fit the budget`,
      ],
    };
  }
  const cheapest = Math.min(...scored.map((s) => s.seconds));
  return {
    pool: [...scored].sort((a, b) => a.seconds - b.seconds).slice(0, CHEAPEST_KEPT),
    warnings: [`no candidate is predicted to train within the budget; the cheapest needs about ${Math.round(cheapest)} s`],
  };
}
