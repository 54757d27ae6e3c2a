/**
 * The rank stage: the pool the constraints leave (the budget filter), ordered by the request's objective. One
 * ranking is shared by the deterministic answer and a writer's choice.
 */
import { withinBudget } from "./budget.ts";
import type { TrainingLengthCaveat } from "../explain/training-length.ts";
import { smallerThanPast, type Extrapolation } from "./extrapolation.ts";
import type { Neighbour } from "./neighbours.ts";
import type { Objective, RecommendRequest } from "./request.ts";
import type { Scored } from "./scoring.ts";

export interface Ranking {
  neighbours: Neighbour[];
  /** Candidates scored before the budget filter. */
  scoredCount: number;
  /** Candidates the constraints leave. */
  pool: Scored[];
  /** The pool by objective, best first. */
  ranked: Scored[];
  /** What the answer must warn of: the extrapolation warnings, then the budget's, then the context's notes. */
  warnings: string[];
  /** The dataset's features outside what the pack learnt from (each also among the warnings). */
  extrapolation: string[];
  /** Smaller than every past dataset (extrapolation.ts): the pack's track record does not hold there. */
  smallerThanPast: boolean;
  /** false when a budget was given and no candidate is known to fit it (the budget stage's warnings say why). */
  budgetMet: boolean;
  /** The ranking head's share in the pick's score for this dataset (scoring.ts headShare): the drivers explain the same blend. */
  headShare: number;
}

/** What the ranking needs to know besides the scored candidates. */
export interface RankContext {
  /** The pack predicts training seconds (a budget can be checked). */
  hasCost: boolean;
  /** The dataset's features outside what the pack learnt from. */
  outside?: readonly Extrapolation[];
  /** The ranking head's share in the score (scoring.ts headShare). */
  headShare?: number;
  /** Configurations whose predicted time is not a full run's (training-length.ts): not known to fit a budget. */
  caveats?: readonly TrainingLengthCaveat[];
  /** Further warnings, after the budget's (e.g. meta-features the pack ignores). */
  notes?: readonly string[];
}

export function rank(req: RecommendRequest, scored: Scored[], neighbours: Neighbour[], context: RankContext): Ranking {
  const { hasCost, outside = [], headShare = 0, caveats = [], notes = [] } = context;
  const budget = withinBudget(scored, req.constraints?.budgetSeconds, hasCost, caveats);
  return {
    neighbours,
    scoredCount: scored.length,
    pool: budget.pool,
    ranked: rankByObjective(budget.pool, req.objective ?? "accuracy"),
    warnings: [...outside.map((e) => e.warning), ...budget.warnings, ...notes],
    budgetMet: budget.warnings.length === 0,
    extrapolation: outside.map((e) => e.feature),
    smallerThanPast: smallerThanPast(outside),
    headShare,
  };
}

/**
 * Accuracy: the best risk-adjusted prediction first, then the ranking head's order (docs/eval-experiments.md
 * #28-31); balanced and cost trade predicted metric points against predicted seconds.
 */
export function rankByObjective(pool: Scored[], objective: Objective): Scored[] {
  const byRisk = [...pool].sort((a, b) => b.risk - a.risk);
  if (objective === "accuracy") return byRisk.length ? [byRisk[0], ...byRisk.slice(1).sort((a, b) => b.order - a.order)] : byRisk;
  const top = byRisk[0];
  const metricOk = Number.isFinite(top.metric);
  // Distance from the best in metric points (or in rank points x100 when the metric is unknown).
  const gap = (s: Scored) => (metricOk ? top.metric - s.metric : 100 * (top.risk - s.risk));
  if (objective === "cost") {
    const within = byRisk.filter((s) => gap(s) <= 5);
    return [...within.sort((a, b) => a.seconds - b.seconds || b.risk - a.risk), ...byRisk.filter((s) => gap(s) > 5)];
  }
  // balanced: one metric point is worth a halving of training time.
  const value = (s: Scored) => -gap(s) - (Number.isFinite(s.seconds) ? Math.log2(Math.max(s.seconds, 1)) : 0);
  return [...byRisk].sort((a, b) => value(b) - value(a));
}
