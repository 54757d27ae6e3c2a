/**
 * The rule judge, run on every answer: format (the Recommendation schema and its internal consistency),
 * accuracy (the choice and the stated predictions recomputed by the recommender, see accuracy-check.ts; every
 * claim of the text verified, see claim-check.ts; the similar datasets against the knowledge index when the
 * caller looked them up) and completeness (every hyperparameter in the space, citations of evidence that
 * exists, constraints respected, a text that names the recommended model and its predicted metric).
 * Deterministic and fast: no LLM, two meta-learner calls.
 */
import { z } from "zod";
import type { Pack } from "../learner/pack.ts";
import { MetaFeatures } from "../metadata/schema.ts";
import { Constraints, formatSeconds } from "../recommend/constraints.ts";
import type { Recommender } from "../recommend/recommender.ts";
import { Alternative, EvidenceRef, Recommendation, RecommendedConfig } from "../recommend/schema.ts";
import { counted, fmt } from "../util/format.ts";
import { checkAccuracy, type AccuracyInput } from "./accuracy-check.ts";
import { citedIds } from "./citations.ts";
import { checkText, falseClaimReasons, type CheckedClaim } from "./claims/check.ts";
import { packKnowledge, type PackKnowledge } from "./pack-knowledge.ts";
import { checkConfiguration } from "./space-check.ts";
import { CRITERIA, passes, type JudgeVerdict } from "./verdict.ts";

export interface JudgeContext {
  pack: Pack;
  /** When given, its explanations and scoring are used, and `judgeRecommendation` looks up similar datasets with it. */
  recommender?: Recommender;
  /** The knowledge index's most similar past datasets for the answer's dataset, to check the answer's list against. */
  similar?: { id: string; similarity: number }[];
}


type Judged = AccuracyInput & Pick<Recommendation, "evidence" | "justification" | "drivers" | "warnings"> & { metric: { name: string }; pack: { target: string } };

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
  drivers: z.array(z.object({ name: z.string(), value: z.string(), contribution: z.number() })).catch([]),
  warnings: z.array(z.string()).catch([]),
  metric: z.object({ name: z.string() }).catch({ name: "metric" }),
  pack: z.object({ target: z.string() }).catch({ target: "unknown" }),
});

/** Similarities are stated to 4 decimals; the index's may move in the 3rd with the embedder's float rounding. */
const SIMILARITY_TOLERANCE = 0.005;

export function ruleJudge(rec: unknown, ctx: JudgeContext): JudgeVerdict {
  const knowledge = packKnowledge(ctx.pack, ctx.recommender);
  const format = checkFormat(rec);
  const parts = Parts.safeParse(rec);
  let accuracy: Check, completeness: Check;
  let claims: CheckedClaim[] = [];
  if (parts.success) {
    const a = parts.data;
    const text = checkText(a, knowledge.vocabulary, knowledge.tolerances);
    claims = text.claims;
    accuracy = withClaims(checkAccuracy(a, ctx.pack, knowledge), claims, ctx.similar && similarityProblems(a, ctx.similar));
    completeness = checkCompleteness(a, ctx.pack, knowledge, text.missing);
  } else {
    const why = `not judged: the answer has no usable ${[...new Set(parts.error.issues.map((i) => String(i.path[0] ?? "object")))].join(", ")}`;
    accuracy = completeness = { score: 0, reasons: [why], problems: [why] };
  }
  const scores = { format: format.score, accuracy: accuracy.score, completeness: completeness.score };
  const flags = claims.filter((c) => c.status === "unsupported").map((c) => `the text claims "${c.claim}", which the data cannot support: ${c.why}`);
  const problems = { format: format.problems, accuracy: accuracy.problems, completeness: completeness.problems };
  return {
    pass: passes(scores),
    scores,
    reasons: { format: format.reasons, accuracy: accuracy.reasons, completeness: completeness.reasons },
    problems: CRITERIA.flatMap((c) => problems[c].map((p) => `${c}: ${p}`)),
    judge: "rules",
    claims: claims.map(({ sentence, ...c }) => ({ ...c, sentence })),
    ...(flags.length ? { flags } : {}),
  };
}

/** A false claim fails accuracy whatever the rest scores; each is a reason quoting the claim and saying why. */
function withClaims(acc: Check, claims: CheckedClaim[], similarity: string[] | undefined): Check {
  const falses = falseClaimReasons(claims);
  const problems = [...falses, ...(similarity ?? [])];
  const checked = claims.filter((c) => c.status === "true" || c.status === "false").length;
  const summary = `${checked - falses.length} of ${checked} checkable claims of the text hold${similarity && !similarity.length ? "; the similar datasets are the knowledge index's" : ""}`;
  return {
    score: problems.length ? round3(Math.min(acc.score, 0.5) * 0.5 ** (problems.length - 1)) : acc.score,
    reasons: [...acc.reasons, ...(problems.length ? problems : [summary])],
    problems: [...acc.problems, ...problems],
  };
}

/** The answer's similar datasets against the knowledge index's (same ids, similarities within tolerance). */
function similarityProblems(a: Judged, similar: { id: string; similarity: number }[]): string[] {
  const truth = new Map(similar.map((s) => [s.id, s.similarity]));
  const problems: string[] = [];
  for (const s of a.similarDatasets) {
    const t = truth.get(s.id);
    if (t === undefined) problems.push(`similarDatasets lists ${s.id}, which is not among the ${similar.length} datasets the knowledge index finds most similar (${similar.map((x) => x.id).join(", ")})`);
    else if (Math.abs(t - s.similarity) > SIMILARITY_TOLERANCE) problems.push(`similarDatasets gives ${s.id} similarity ${s.similarity}, the knowledge index ${t.toFixed(4)}`);
  }
  return problems;
}

const round3 = (v: number) => Number(v.toFixed(3));

interface Check {
  score: number;
  /** What was checked: the problems found, and sentences confirming what holds. */
  reasons: string[];
  /** The problems alone (a subset of the reasons). */
  problems: string[];
}

const holds = (score: number, reasons: string[]): Check => ({ score, reasons, problems: [] });
const fails = (score: number, problems: string[]): Check => ({ score, reasons: problems, problems });

function checkFormat(rec: unknown): Check {
  const r = Recommendation.safeParse(rec);
  if (!r.success)
    return fails(0, r.error.issues.slice(0, 8).map((i) => `schema: ${i.path.join(".") || "(root)"}: ${i.message}`));
  const a = r.data;
  const problems: string[] = [];
  if (!a.justification.trim()) problems.push("the justification is empty");
  const ids = [a.recommendation.candidateId, ...a.alternatives.map((x) => x.candidateId)];
  if (new Set(ids).size < ids.length) problems.push(`candidate ids repeat among the recommendation and its alternatives (${ids.join(", ")})`);
  const ev = a.evidence.map((e) => e.id);
  if (new Set(ev).size < ev.length) problems.push("evidence ids repeat");
  if (problems.length) return fails(0.5, problems);
  return holds(1, [`valid Recommendation (source ${a.source})`]);
}

function checkCompleteness(a: Judged, pack: Pack, k: PackKnowledge, textMissing: string[]): Check {
  const space = checkConfiguration(pack.space.searchSpace, pack.space.models, a.recommendation.model, a.recommendation.hyperparameters);
  const citations = checkCitations(a, k.evidenceIds);
  const constraints = checkConstraints(a);
  const part = (problems: number, items: number) => Math.max(0, 1 - problems / Math.max(1, items));
  // The text must say what is recommended and what it is predicted to reach (3 items: model, metric, a claim).
  const score = (part(space.problems.length, space.checked) + citations.score + constraints.score + part(textMissing.length, 3)) / 4;
  const reasons = [
    ...(space.problems.length ? space.problems : [`all ${space.checked - 1} hyperparameters present and inside the space`]),
    ...citations.reasons,
    ...constraints.reasons,
    ...(textMissing.length ? textMissing : ["the text names the recommended model and its predicted metric"]),
  ];
  return { score: Number(score.toFixed(3)), reasons, problems: [...space.problems, ...citations.problems, ...constraints.problems, ...textMissing] };
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
  if (!problems.length) return holds(1, [`cites ${counted(cited.length, "evidence id")}, all existing`]);
  return fails(Math.max(0, 1 - problems.length / Math.max(1, items)), problems);
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
  if (!results.length) return holds(1, []);
  const broken = results.filter(([ok]) => !ok).map(([, p]) => p);
  const score = (results.length - broken.length) / results.length;
  return broken.length ? fails(score, broken) : holds(score, [`all ${results.length} constraints respected`]);
}
