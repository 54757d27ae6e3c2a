/**
 * Accuracy of an answer, by the meta-learner itself: the recommended configuration is re-predicted on the
 * answer's dataset and compared with the best of a reference set (the answer's alternatives plus configurations
 * sampled under the same constraints), its stated numbers must be the meta-learner's, and its important
 * hyperparameters should lie in the pack's good ranges.
 */
import type { Pack } from "../learner/pack.ts";
import type { PreparedConfigurations } from "../learner/meta-learner.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import type { HpValue } from "../metadata/schema.ts";
import { fmt, formatValueRange } from "../util/format.ts";
import { allowedModels, sampleConfigurations, type Candidate } from "../recommend/candidates.ts";
import type { Recommendation } from "../recommend/schema.ts";
import { createRng } from "../util/random.ts";
import { within } from "./space-check.ts";
import { rankByObjective } from "../recommend/ranking.ts";
import { toConfig } from "../recommend/answer-config.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import type { Scored } from "../recommend/scoring.ts";
import { toNeighbours } from "../recommend/neighbours.ts";
import type { PackKnowledge } from "./pack-knowledge.ts";
import { comparePredictions } from "./prediction-check.ts";

/** The reference samples for a set of allowed models and fixed values, prepared once per pack (judging is per request). */
const references = new WeakMap<Pack, Map<string, { candidates: Candidate[]; prepared: PreparedConfigurations }>>();

function referenceSamples(pack: Pack, models: string[], fixed: Record<string, HpValue>) {
  let byKey = references.get(pack);
  if (!byKey) references.set(pack, (byKey = new Map()));
  const key = JSON.stringify([models, fixed]);
  let r = byKey.get(key);
  if (!r) {
    const candidates = sampleConfigurations(pack.space.searchSpace, models, REFERENCE_SAMPLES, createRng(7), fixed).map((c, i) => ({ ...c, id: `ref${i}`, origin: "sample" }));
    r = { candidates, prepared: pack.learner.prepare(candidates) };
    // Few distinct constraint sets are expected; a bound keeps odd clients from growing it forever.
    if (byKey.size >= 64) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, r);
  }
  return r;
}

export type AccuracyInput = Pick<Recommendation, "dataset" | "recommendation" | "alternatives" | "constraints" | "objective" | "similarDatasets">;

/** Configurations sampled as an answer-independent reference (a bad answer cannot hide behind bad alternatives). */
const REFERENCE_SAMPLES = 128;
/** Gap to the best (in units of `scale`) that costs nothing; the cost and balanced objectives trade accuracy for time. */
const FREE_GAP = { accuracy: 0.03, balanced: 0.15, cost: 0.15 } as const;
/** Beyond the free gap, the prediction part of the score falls linearly to 0 over this much more. */
const GAP_RANGE = 0.2;
/** Hyperparameters (and the model) with at least this share of the importance are checked against good ranges. */
const IMPORTANT_SHARE = 0.02;

/**
 * Everything is scored by the recommender itself (`score`, `scoreBlocks`): the answer's configurations on the
 * answer's dataset with the neighbours it names, and the reference samples, ranked by the same risk.
 */
export function checkAccuracy(a: AccuracyInput, pack: Pack, k: PackKnowledge): { score: number; reasons: string[]; problems: string[] } {
  const reasons: string[] = [];
  const problems: string[] = [];
  const c = a.constraints;
  const models = allowedModels(pack.space.models, c);
  const reference = referenceSamples(pack, models, c.fixed ?? {});
  const answered = [a.recommendation, ...a.alternatives];
  const candidates: Candidate[] = answered.map((x) => ({ id: x.candidateId, model: x.model, hyperparameters: x.hyperparameters, origin: x.origin }));
  const req: RecommendRequest = { dataset: { metaFeatures: a.dataset.metaFeatures, domain: a.dataset.domain, modality: a.dataset.modality }, objective: a.objective, constraints: c };
  const neighbours = toNeighbours(a.similarDatasets, k.summaries);
  const own = k.recommender.score(req, candidates, neighbours);
  const scored: Scored[] = [...own, ...k.recommender.scoreBlocks(req, [reference], neighbours)];
  const risk = (i: number) => scored[i].risk;
  // The best within the budget; when nothing fits it (the answer then warns), the best of all.
  const others = scored.map((_, i) => i).slice(1);
  const feasible = others.filter((i) => c.budgetSeconds === undefined || !(scored[i].seconds > c.budgetSeconds));
  const best = (feasible.length ? feasible : others).reduce((b, i) => (risk(i) > risk(b) ? i : b), 0);
  const scale = pack.manifest.target === "rank" ? 1 : rawScale(pack);
  const gap = (risk(best) - risk(0)) / scale;
  const free = FREE_GAP[a.objective];
  // Balanced and cost trade prediction for time as the recommender's own ranking does: first by it is right.
  const firstByObjective = a.objective !== "accuracy" && rankByObjective([0, ...(feasible.length ? feasible : others)].map((i) => scored[i]), a.objective)[0] === scored[0];
  const predScore = gap <= free || firstByObjective ? 1 : Math.max(0, 1 - (gap - free) / GAP_RANGE);
  const refs = `${scored.length - 1} reference configurations (${a.alternatives.length} alternatives, ${reference.candidates.length} sampled)`;
  if (best === 0) reasons.push(`the recommended configuration has the best risk-adjusted prediction (${risk(0).toFixed(3)}) of itself and ${refs}`);
  else if (firstByObjective) reasons.push(`the recommended configuration ranks first under the ${a.objective} objective among itself and ${refs}`);
  else if (gap <= free) reasons.push(`risk-adjusted prediction ${risk(0).toFixed(3)} is within ${fmt(free * scale)} of the best of ${refs} (${risk(best).toFixed(3)})`);
  else
    problems.push(
      `risk-adjusted prediction ${risk(0).toFixed(3)} is ${fmt(gap * scale)} below the best of ${refs} (${risk(best).toFixed(3)}, ${scored[best].candidate.model}${best <= a.alternatives.length ? `, alternative ${a.alternatives[best - 1].candidateId}` : ""})`,
    );

  const misstated = answered.flatMap((x, i) => {
    const problems = comparePredictions(x.predicted, toConfig(own[i], pack.space.searchSpace).predicted, k.tolerances);
    return problems.length ? [`${i === 0 ? "recommendation" : `alternative ${x.candidateId}`}: ${problems.join(", ")}`] : [];
  });
  if (misstated.length) problems.push(`stated predictions are not the meta-learner's: ${misstated.join("; ")}`);
  else reasons.push(`the stated predictions of all ${answered.length} configurations are the meta-learner's`);

  const good = goodRangeFraction(a.recommendation.model, a.recommendation.hyperparameters, k.explanations);
  reasons.push(...good.reasons);
  const score = (0.75 * predScore + 0.25 * good.fraction) * (misstated.length ? 0.5 : 1);
  return { score: round(score), reasons: [...problems, ...reasons], problems };
}

/** What choosing well is worth on a typical past dataset (median of best - median), for raw-target packs. */
function rawScale(pack: Pack): number {
  const worth = pack.datasets.map((d) => Math.abs(d.best - d.median)).filter((v) => v > 0).sort((x, y) => x - y);
  return worth.length ? worth[Math.floor(worth.length / 2)] : 1;
}

function goodRangeFraction(model: string, hps: Record<string, HpValue>, ex: Explanations): { fraction: number; reasons: string[] } {
  const ranges = new Map(ex.goodRanges.overall.map((r) => [r.name, r]));
  const important = ex.importance.filter((i) => (i.kind === "hp" || i.kind === "model") && i.share >= IMPORTANT_SHARE);
  const outside: string[] = [];
  let judged = 0;
  for (const imp of important) {
    const range = ranges.get(imp.name);
    const v = imp.name === "model" ? model : hps[imp.name];
    if (!range?.good.length || v === null || v === undefined) continue;
    judged++;
    const inside = range.good.some((g) => (g.category !== undefined ? g.category === String(v) : typeof v === "number" && within(v, g.low!, g.high!)));
    if (!inside) outside.push(`${imp.name} = ${typeof v === "number" ? fmt(v) : v} (good: ${range.good.slice(0, 3).map((g) => formatValueRange(g)).join(", ")})`);
  }
  if (!judged) return { fraction: 1, reasons: [] };
  const fraction = (judged - outside.length) / judged;
  const head = `${judged - outside.length} of ${judged} important hyperparameters inside the pack's good ranges`;
  return { fraction, reasons: [outside.length ? `${head}; outside: ${outside.join("; ")}` : head] };
}

const round = (v: number) => Number(v.toFixed(3));
