/** Deterministic answers, written only from the engine's numbers and the pack's evidence. */
import { fmt, formatDriver, formatValueRange } from "../util/format.ts";
import { domainRanges, type Explanations } from "../explain/explain-learner.ts";
import type { GoodRange } from "../explain/good-ranges.ts";
import { formatSeconds } from "../recommend/constraints.ts";
import type { Recommendation, RecommendedConfig } from "../recommend/schema.ts";

export function predictedText(r: Recommendation, c: RecommendedConfig): string {
  const p = c.predicted;
  return Number.isFinite(p.metric)
    ? `${r.metric.name} ≈ ${p.metric.toFixed(1)} (${p.interval[0].toFixed(1)}–${p.interval[1].toFixed(1)})`
    : `score ${p.score.toFixed(3)} ± ${p.spread.toFixed(3)}`;
}

/** The justification's advice where single picks are unreliable, as the chat says it (results are told here). */
export const CHAT_STUDY_PLAN = 'run the alternatives too, and tell me each result here ("I got 71.2 %", "it ran out of memory"): I will suggest the next from them.';

/** The reply to a result told before there is anything to have run. */
export const NOTHING_RUN_YET =
  'I can record a result once I have recommended a configuration: describe your dataset first (e.g. "3,000 plant images, 30 classes, 224 px"), then tell me here how each suggestion went ("I got 71.2 %", "it ran out of memory") and I will suggest the next.';

const KEY_HPS = ["lr", "batch_size", "opt", "sched", "weight_decay", "drop"];

export function recommendationText(r: Recommendation, assumptions: string[] = []): string {
  const c = r.recommendation;
  const hps = KEY_HPS.filter((k) => c.hyperparameters[k] != null).map((k) => `${k}=${fmt(c.hyperparameters[k]!)}`);
  const lines = [
    `I recommend ${c.model} (${predictedText(r, c)}, training ≈ ${formatSeconds(c.predicted.seconds)}), with ${hps.join(", ")}.`,
    r.justification,
  ];
  const cheap = r.alternatives[0];
  if (cheap) lines.push(`Alternative: ${cheap.model} (${predictedText(r, cheap)}, ≈ ${formatSeconds(cheap.predicted.seconds)}; ${cheap.reason}).`);
  if (r.constraintsStated.length) lines.push(`Constraints: ${r.constraintsStated.join("; ")}.`);
  if (assumptions.length) lines.push(`Assumed: ${assumptions.join("; ")}.`);
  // The deterministic writer states the warnings in the justification already; an LLM may leave them out.
  lines.push(...r.warnings.filter((w) => !r.justification.includes(w)).map((w) => `Warning: ${w}.`));
  return lines.join("\n");
}

export function budgetText(before: Recommendation | undefined, after: Recommendation): string {
  const a = after.recommendation;
  const budget = after.constraints.budgetSeconds;
  const head = budget !== undefined ? `Within ${formatSeconds(budget)} of predicted training time` : "Under the new constraints";
  if (!before) return `${head}: ${recommendationText(after)}`;
  const b = before.recommendation;
  const same = b.model === a.model;
  const change = same
    ? `the model stays ${a.model}; the configuration changes to train in ≈ ${formatSeconds(a.predicted.seconds)} (was ≈ ${formatSeconds(b.predicted.seconds)})`
    : `switch from ${b.model} (≈ ${formatSeconds(b.predicted.seconds)}, ${predictedText(before, b)}) to ${a.model} (≈ ${formatSeconds(a.predicted.seconds)}, ${predictedText(after, a)})`;
  return [`${head}: ${change}.`, ...after.warnings.map((w) => `Warning: ${w}.`)].join("\n");
}

export function describeRange(r: GoodRange | undefined): string {
  if (!r?.good.length) return "no value range helps consistently in past experiments";
  return r.good
    .slice(0, 3)
    .map((g) => `${formatValueRange(g, "–")} (+${g.meanShap.toFixed(3)}, positive in ${(g.positiveShare * 100).toFixed(0)}% of ${g.n} runs)`)
    .join("; ");
}

export function rangesFor(ex: Explanations, domain?: string): GoodRange[] {
  return domainRanges(ex, domain) ?? ex.goodRanges.overall;
}

export function importanceText(ex: Explanations, rec?: Recommendation): string {
  const hps = ex.importance.filter((i) => i.kind === "hp" || i.kind === "model").slice(0, 8);
  const lines = [
    `Across past experiments the choices that move the outcome most are: ${hps.map((i) => `${i.name} (${(i.share * 100).toFixed(0)}%)`).join(", ")} (share of mean |SHAP|).`,
  ];
  const inter = ex.interactions.slice(0, 3);
  if (inter.length) lines.push(`Strongest interactions: ${inter.map((i) => `${i.a} × ${i.b}`).join(", ")}.`);
  for (const c of ex.trainingLength ?? []) if (hps.some((i) => i.name === c.name)) lines.push(`Caveat on ${c.name}: ${c.text}.`);
  if (rec?.drivers.length)
    lines.push(`For your dataset's recommended configuration: ${rec.drivers.map((d) => formatDriver(d, { sep: "=" })).join(", ")}.`);
  const rs = ex.reducedSpace;
  lines.push(`A follow-up search can keep ${Object.keys(rs.hyperparameters).length} hyperparameters and fix ${Object.keys(rs.fixed).length}.`);
  return lines.join("\n");
}
