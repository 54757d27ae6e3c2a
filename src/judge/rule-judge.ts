/**
 * The rule judge, run on every answer: format (the Recommendation schema and its internal consistency),
 * accuracy (see accuracy-check.ts) and completeness (every hyperparameter in the space, citations of evidence
 * that exists, constraints respected). Deterministic and fast: no LLM, one meta-learner call.
 */
import { z } from "zod";
import type { Pack } from "../learner/pack.ts";
import { MetaFeatures } from "../metadata/schema.ts";
import { Constraints, formatSeconds } from "../recommend/constraints.ts";
import type { Recommender } from "../recommend/recommender.ts";
import { Alternative, EvidenceRef, Recommendation, RecommendedConfig } from "../recommend/schema.ts";
import { fmt } from "../util/format.ts";
import { checkAccuracy, type AccuracyInput } from "./accuracy-check.ts";
import { packKnowledge } from "./pack-knowledge.ts";
import { checkConfiguration } from "./space-check.ts";
import { passes, type JudgeVerdict } from "./verdict.ts";

export interface JudgeContext {
  pack: Pack;
  /** When given, its already loaded explanations are used instead of reading the pack's file. */
  recommender?: Recommender;
}

/** Evidence citations in a justification: "[ds:APL]", "[hp:lr]" (a value like "[0.9, 0.99]" is not one). */
const CITATION = /\[([A-Za-z][\w-]*:[^\]\s,]+)\]/g;

export function citedIds(justification: string): string[] {
  return [...new Set([...justification.matchAll(CITATION)].map((m) => m[1]))];
}

type Judged = AccuracyInput & Pick<Recommendation, "evidence" | "justification">;

/** The parts accuracy and completeness need, read leniently so a format error does not hide the other checks. */
const Parts = z.object({
  dataset: z.object({ name: z.string().optional(), metaFeatures: MetaFeatures, domain: z.string().optional(), modality: z.string().optional() }),
  recommendation: RecommendedConfig,
  alternatives: z.array(Alternative).catch([]),
  constraints: Constraints.catch({}),
  objective: z.enum(["accuracy", "balanced", "cost"]).catch("accuracy"),
  similarDatasets: z.array(z.object({ id: z.string(), similarity: z.number() })).catch([]),
  evidence: z.array(EvidenceRef).catch([]),
  justification: z.string().catch(""),
});

export function ruleJudge(rec: unknown, ctx: JudgeContext): JudgeVerdict {
  const knowledge = packKnowledge(ctx.pack, ctx.recommender?.explanations);
  const format = checkFormat(rec);
  const parts = Parts.safeParse(rec);
  let accuracy: Check, completeness: Check;
  if (parts.success) {
    accuracy = checkAccuracy(parts.data, ctx.pack, knowledge.explanations);
    completeness = checkCompleteness(parts.data, ctx.pack, knowledge.evidenceIds);
  } else {
    const why = `not judged: the answer has no usable ${[...new Set(parts.error.issues.map((i) => String(i.path[0] ?? "object")))].join(", ")}`;
    accuracy = completeness = { score: 0, reasons: [why] };
  }
  const scores = { format: format.score, accuracy: accuracy.score, completeness: completeness.score };
  return { pass: passes(scores), scores, reasons: { format: format.reasons, accuracy: accuracy.reasons, completeness: completeness.reasons }, judge: "rules" };
}

interface Check {
  score: number;
  reasons: string[];
}

function checkFormat(rec: unknown): Check {
  const r = Recommendation.safeParse(rec);
  if (!r.success)
    return { score: 0, reasons: r.error.issues.slice(0, 8).map((i) => `schema: ${i.path.join(".") || "(root)"}: ${i.message}`) };
  const a = r.data;
  const problems: string[] = [];
  if (!a.justification.trim()) problems.push("the justification is empty");
  const ids = [a.recommendation.candidateId, ...a.alternatives.map((x) => x.candidateId)];
  if (new Set(ids).size < ids.length) problems.push(`candidate ids repeat among the recommendation and its alternatives (${ids.join(", ")})`);
  const ev = a.evidence.map((e) => e.id);
  if (new Set(ev).size < ev.length) problems.push("evidence ids repeat");
  if (problems.length) return { score: 0.5, reasons: problems };
  return { score: 1, reasons: [`valid Recommendation (source ${a.source})`] };
}

function checkCompleteness(a: Judged, pack: Pack, evidenceIds: Set<string>): Check {
  const space = checkConfiguration(pack.space.searchSpace, pack.space.models, a.recommendation.model, a.recommendation.hyperparameters);
  const citations = checkCitations(a, evidenceIds);
  const constraints = checkConstraints(a);
  const part = (problems: number, items: number) => Math.max(0, 1 - problems / Math.max(1, items));
  const score = (part(space.problems.length, space.checked) + citations.score + constraints.score) / 3;
  const reasons = [
    ...(space.problems.length ? space.problems : [`all ${space.checked - 1} hyperparameters present and inside the space`]),
    ...citations.reasons,
    ...constraints.reasons,
  ];
  return { score: Number(score.toFixed(3)), reasons };
}

function checkCitations(a: Judged, evidenceIds: Set<string>): Check {
  const cited = citedIds(a.justification);
  const listed = new Set(a.evidence.map((e) => e.id));
  const problems: string[] = [];
  for (const id of cited) {
    if (!evidenceIds.has(id)) problems.push(`the justification cites [${id}], which is no evidence document of the pack`);
    else if (!listed.has(id)) problems.push(`the justification cites [${id}] but the answer's evidence list lacks it`);
  }
  for (const id of listed) if (!evidenceIds.has(id)) problems.push(`evidence ${id} does not exist in the pack`);
  if (!cited.length && listed.size) problems.push("the justification cites no evidence id");
  const items = cited.length + listed.size + (cited.length ? 0 : 1);
  if (!problems.length) return { score: 1, reasons: [`cites ${cited.length} evidence id${cited.length === 1 ? "" : "s"}, all existing`] };
  return { score: Math.max(0, 1 - problems.length / Math.max(1, items)), reasons: problems };
}

function checkConstraints(a: Judged): Check {
  const c = a.constraints;
  const rec = a.recommendation;
  const results: [ok: boolean, problem: string][] = [];
  if (c.budgetSeconds !== undefined)
    results.push(
      rec.predicted.seconds === null
        ? [false, `the budget of ${formatSeconds(c.budgetSeconds)} cannot be checked: the training time is unknown (the pack has no training-time data)`]
        : [rec.predicted.seconds <= c.budgetSeconds, `predicted training time ${formatSeconds(rec.predicted.seconds)} exceeds the budget of ${formatSeconds(c.budgetSeconds)}`],
    );
  if (c.allowModels?.length) results.push([c.allowModels.includes(rec.model), `model ${rec.model} is not among the allowed ${c.allowModels.join(", ")}`]);
  if (c.denyModels?.length) results.push([!c.denyModels.includes(rec.model), `model ${rec.model} is excluded by the constraints`]);
  for (const [name, v] of Object.entries(c.fixed ?? {})) {
    const got = rec.hyperparameters[name];
    const same = typeof v === "number" && typeof got === "number" ? Math.abs(got - v) <= 1e-3 * Math.max(Math.abs(v), 1e-12) : got === v;
    results.push([same, `${name} = ${got === undefined ? "missing" : fmt(got)} although fixed at ${fmt(v)}`]);
  }
  if (!results.length) return { score: 1, reasons: [] };
  const broken = results.filter(([ok]) => !ok).map(([, p]) => p);
  return {
    score: (results.length - broken.length) / results.length,
    reasons: broken.length ? broken : [`all ${results.length} constraints respected`],
  };
}
