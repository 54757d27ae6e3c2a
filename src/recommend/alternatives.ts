/** The alternatives an answer offers beside its pick: cheaper, another model, the runners-up. */
import type { SearchSpace } from "../metadata/schema.ts";
import { toConfig } from "./answer-config.ts";
import { CHEAPEST_REASON, type Alternative } from "./schema.ts";
import type { Scored } from "./scoring.ts";

/** Alternatives offered at most. */
const MAX_ALTERNATIVES = 3;

export function pickAlternatives(ranked: Scored[], pool: Scored[], best: Scored, space: SearchSpace): Alternative[] {
  const out: Alternative[] = [];
  const used = new Set([best.candidate.id]);
  const push = (s: Scored | undefined, reason: string) => {
    if (!s || used.has(s.candidate.id)) return;
    used.add(s.candidate.id);
    out.push({ ...toConfig(s, space), reason });
  };
  const ok = Number.isFinite(best.metric);
  // The cheapest configuration predicted within 1 point of the pick, either way (a risk-averse pick need not have
  // the highest predicted metric), offered only if cheaper than the pick.
  const cheap = pool
    .filter((s) => (ok ? Math.abs(best.metric - s.metric) <= 1 : Math.abs(best.risk - s.risk) <= 0.01) && s.seconds < best.seconds)
    .sort((a, b) => a.seconds - b.seconds)[0];
  push(cheap, CHEAPEST_REASON);
  push(ranked.find((s) => s.candidate.model !== best.candidate.model), "best configuration with another model");
  // From the top: when a writer chose another candidate, the meta-learner's first choice stays on offer.
  for (const s of ranked) {
    if (out.length >= MAX_ALTERNATIVES) break;
    push(s, s === ranked[0] ? "ranked first by the meta-learner" : "runner-up");
  }
  return out;
}
