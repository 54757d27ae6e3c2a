/** A scored candidate as answers state it, rounded (the judge recomputes answers through this too). */
import type { HpValue, SearchSpace } from "../metadata/schema.ts";
import { roundTo } from "../util/format.ts";
import type { Candidate } from "./candidates.ts";
import type { Predicted, RecommendedConfig } from "./schema.ts";
import type { Scored } from "./scoring.ts";

export function toConfig(s: Scored, space: SearchSpace): RecommendedConfig {
  const predicted: Predicted = {
    score: roundTo(s.mean, 4),
    spread: roundTo(s.spread, 4),
    metric: roundTo(s.metric, 2),
    interval: [roundTo(s.interval[0], 2), roundTo(s.interval[1], 2)],
    seconds: Number.isFinite(s.seconds) ? roundTo(s.seconds, 0) : null,
    ...(s.prior ? { prior: roundTo(s.prior, 4) } : {}),
  };
  return { candidateId: s.candidate.id, model: s.candidate.model, hyperparameters: applying(s.candidate, space), predicted, origin: s.candidate.origin };
}

/** The hyperparameters that apply to the candidate's model: those of other models' spaces are left out. */
function applying(c: Candidate, space: SearchSpace): Record<string, HpValue> {
  const elsewhere = (k: string) => {
    const cond = space.hyperparameters[k]?.condition;
    return cond?.parent === "model" && !cond.values.some((m) => String(m) === c.model);
  };
  return Object.fromEntries(Object.entries(c.hyperparameters).filter(([k, v]) => v !== null || !elsewhere(k)));
}
