/**
 * The budget filter of the rank stage: only candidates predicted to train within the budget stay in the pool.
 * When none does, the cheapest stay (with a warning); when the pack has no training-time data, nothing can be
 * filtered and the answer says so.
 */
import { formatSeconds } from "./constraints.ts";
import type { Scored } from "./scoring.ts";

/** Candidates kept when none fits the budget: the cheapest ones. */
const CHEAPEST_KEPT = 50;

export interface BudgetPool {
  pool: Scored[];
  /** Why the budget could not be applied as stated. */
  warnings: string[];
}

export function withinBudget(scored: Scored[], budgetSeconds: number | undefined, hasCost: boolean): BudgetPool {
  if (budgetSeconds === undefined) return { pool: scored, warnings: [] };
  if (!hasCost) return { pool: scored, warnings: [`the budget of ${formatSeconds(budgetSeconds)} cannot be applied: this pack has no training-time data, so the cost is unknown`] };
  // An unknown (NaN) cost is not known to exceed the budget.
  const pool = scored.filter((s) => !(s.seconds > budgetSeconds));
  if (pool.length) return { pool, warnings: [] };
  const cheapest = Math.min(...scored.map((s) => s.seconds));
  return {
    pool: [...scored].sort((a, b) => a.seconds - b.seconds).slice(0, CHEAPEST_KEPT),
    warnings: [`no candidate is predicted to train within the budget; the cheapest needs about ${Math.round(cheapest)} s`],
  };
}
