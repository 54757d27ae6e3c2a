/**
 * Kinds of false or missing claims, made from real answers. A text kind changes one fact in a copy of the
 * answer, writes the copy's text (the deterministic writer's or an LLM-like paraphrase) and puts that text back
 * into the untouched answer: the structure is right, the text says something false. A structure kind changes
 * the structure and rewrites the text from it, so text and structure agree and only recomputing from the pack
 * can tell. Each kind returns nothing where it does not apply (no cost model, no cheaper alternative, ...).
 * The corpus never uses the judge's own claim reader: its truth comes from how the text was made.
 */
import type { Pack } from "../../learner/pack.ts";
import type { HpValue, Hyperparameter } from "../../metadata/schema.ts";
import { describeConstraints } from "../../recommend/constraints.ts";
import { sampleConfigurations } from "../../recommend/candidates.ts";
import { toNeighbours } from "../../recommend/neighbours.ts";
import type { Recommender } from "../../recommend/recommender.ts";
import { toConfig } from "../../recommend/answer-config.ts";
import { CHEAPEST_REASON, type Recommendation } from "../../recommend/schema.ts";
import { writeJustification } from "../../recommend/writer.ts";
import { fmt } from "../../util/format.ts";
import { createRng, type Rng } from "../../util/random.ts";
import { paraphrase } from "./paraphrase.ts";
import { known } from "../prediction-check.ts";

export type Style = "writer" | "llm";

export interface CorpusEnv {
  pack: Pack;
  recommender: Recommender;
  rng: Rng;
  /** How far a metric claim is moved: 11% of the range of the pack's outcomes (11 points of a 0-100 accuracy). */
  metricShift: number;
  /** The range of the pack's outcomes, which a moved metric stays inside. */
  metricRange: [number, number];
}

export interface Perturbation {
  kind: string;
  /** What is false: the text (structure untouched) or the structure (text agreeing with it). */
  part: "text" | "structure";
  apply(a: Recommendation, env: CorpusEnv, style: Style): Recommendation | undefined;
}

/** The text an answer gets in a style; `full` makes the paraphrase state every fact (a perturbed one must show). */
export function textOf(a: Recommendation, style: Style, rng: Rng, full = false): string {
  return style === "writer" ? writeJustification(a) : paraphrase(a, rng, full);
}

/** Untouched answers in a style: expected to pass. */
export function untouched(a: Recommendation, style: Style, rng: Rng): Recommendation {
  return style === "writer" ? a : { ...a, justification: paraphrase(a, rng), source: "llm" };
}

/** A text kind: `edit` changes a copy (returns false where it does not apply); the copy's text goes into `a`. */
function textKind(kind: string, edit: (copy: Recommendation, env: CorpusEnv, style: Style) => boolean, styles: Style[] = ["writer", "llm"]): Perturbation {
  return {
    kind,
    part: "text",
    apply(a, env, style) {
      if (!styles.includes(style)) return undefined;
      const copy = structuredClone(a);
      if (!edit(copy, env, style)) return undefined;
      const seed = env.rng.int(2 ** 31);
      const text = textOf(copy, style, rngOf(seed), true);
      // A change the text does not show is no false claim.
      if (text === textOf(a, style, rngOf(seed), true)) return undefined;
      return { ...a, justification: text, ...(style === "llm" && { source: "llm" as const }) };
    },
  };
}

/** A structure kind: `edit` changes a copy, whose own text then agrees with it. */
function structureKind(kind: string, edit: (copy: Recommendation, env: CorpusEnv) => boolean): Perturbation {
  return {
    kind,
    part: "structure",
    apply(a, env, style) {
      const copy = structuredClone(a);
      if (!edit(copy, env)) return undefined;
      return { ...copy, justification: textOf(copy, style, env.rng, style === "llm"), ...(style === "llm" && { source: "llm" as const }) };
    },
  };
}

const finite = known;

/** Edits shared by a text kind (the fact changed in the text only) and a structure kind (in both). */
function scaleSeconds(c: Recommendation, env: CorpusEnv): boolean {
  const p = c.recommendation.predicted;
  if (!finite(p.seconds)) return false;
  const scaled = Math.round(p.seconds * factor(env.rng));
  // A second or two either way is rounding, not a false claim (a 1-second prediction scaled down rounds back to 1).
  if (Math.abs(scaled - p.seconds) <= 2) return false;
  p.seconds = scaled;
  return true;
}

/** One of the three similar datasets both phrasings name, replaced by a past dataset the answer does not list. */
function replaceSimilarDataset(c: Recommendation, env: CorpusEnv): boolean {
  const listed = new Set(c.similarDatasets.map((s) => s.id));
  const others = env.pack.datasets.map((d) => d.id).filter((id) => !listed.has(id));
  if (!others.length || !c.similarDatasets.length) return false;
  c.similarDatasets[env.rng.int(Math.min(3, c.similarDatasets.length))].id = others[env.rng.int(others.length)];
  return true;
}

function shiftSimilarity(c: Recommendation, env: CorpusEnv): boolean {
  if (!c.similarDatasets.length) return false;
  const s = c.similarDatasets[0];
  const d = 0.15 + 0.15 * env.rng.next();
  s.similarity = Number((s.similarity + d <= 1 ? s.similarity + d : s.similarity - d).toFixed(4));
  return true;
}

export const PERTURBATIONS: Perturbation[] = [
  textKind("text-model", (c, env) => {
    const used = new Set([c.recommendation.model, ...c.alternatives.map((x) => x.model)]);
    const other = env.pack.space.models.filter((m) => !used.has(m));
    if (!other.length) return false;
    c.recommendation.model = other[env.rng.int(other.length)];
    return true;
  }),
  textKind("text-metric", (c, env) => {
    const p = c.recommendation.predicted;
    if (!finite(p.metric)) return false;
    p.metric = moved(p.metric, env);
    return true;
  }),
  textKind("text-interval", (c, env) => {
    const p = c.recommendation.predicted;
    if (!finite(p.interval[0])) return false;
    const d = moved(p.interval[1], env) - p.interval[1];
    p.interval = [p.interval[0] + d, p.interval[1] + d];
    return true;
  }),
  textKind("text-seconds", scaleSeconds),
  textKind("text-hyperparameter", (c, env) => {
    const d = c.drivers.filter((x) => x.name !== "model" && c.recommendation.hyperparameters[x.name] !== null && x.name in env.pack.space.searchSpace.hyperparameters);
    if (!d.length) return false;
    const driver = d[env.rng.int(Math.min(3, d.length))];
    const v = otherValue(env.pack.space.searchSpace.hyperparameters[driver.name], c.recommendation.hyperparameters[driver.name], env.rng);
    if (v === undefined) return false;
    c.recommendation.hyperparameters[driver.name] = v;
    driver.value = fmt(v);
    return true;
  }),
  textKind("text-shap", (c) => {
    // The strongest hyperparameter: both phrasings state its contribution.
    const driver = c.drivers.find((x) => x.name !== "model");
    if (!driver) return false;
    driver.contribution = Math.abs(driver.contribution) >= 0.03 ? -driver.contribution : driver.contribution + (driver.contribution >= 0 ? 0.1 : -0.1);
    return true;
  }),
  textKind("text-similar-dataset", replaceSimilarDataset),
  textKind("text-similarity", shiftSimilarity),
  textKind("text-percentile", (c, env) => {
    const p = c.recommendation.predicted;
    if (c.pack.target !== "rank") return false;
    // Moved by 25-50 points, never to "about 100%" (a claim the judge flags instead of failing).
    const before = p.score;
    const d = 0.25 + 0.25 * env.rng.next();
    p.score = before - d >= 0.02 ? before - d : Math.min(0.9, before + d);
    return Math.abs(p.score - before) >= 0.2;
  }),
  textKind("text-cheaper-alternative", (c, env) => {
    const cheap = c.alternatives.find((x) => x.reason === CHEAPEST_REASON);
    if (!cheap || !finite(cheap.predicted.seconds)) return false;
    cheap.predicted.seconds = Math.round(cheap.predicted.seconds * factor(env.rng));
    return true;
  }),
  textKind("text-none-faster", (c) => {
    const before = c.alternatives.length;
    c.alternatives = c.alternatives.filter((x) => x.reason !== CHEAPEST_REASON);
    return c.alternatives.length < before && c.alternatives.length > 0;
  }),
  textKind("text-budget", (c, env) => {
    const s = c.recommendation.predicted.seconds;
    if (!finite(s)) return false;
    const b = c.constraints.budgetSeconds;
    c.constraints = { ...c.constraints, budgetSeconds: b !== undefined ? Math.round(b * factor(env.rng)) : Math.round(Math.max(s, 60) * (1.5 + env.rng.next())) };
    c.constraintsStated = describeConstraints(c.constraints);
    return true;
  }),
  textKind(
    "text-dataset",
    (c, env) => {
      const n = c.dataset.metaFeatures.n_samples;
      if (n === undefined) return false;
      c.dataset = { ...c.dataset, metaFeatures: { ...c.dataset.metaFeatures, n_samples: Math.round(n * factor(env.rng)) } };
      return true;
    },
    ["llm"],
  ),
  {
    kind: "text-nonsense",
    part: "text",
    apply(a, env, style) {
      const ids = a.evidence.map((e) => e.id);
      const words = NONSENSE[env.rng.int(NONSENSE.length)];
      return { ...a, justification: `${words} [${ids[env.rng.int(ids.length)]}]`, ...(style === "llm" && { source: "llm" as const }) };
    },
  },
  {
    kind: "text-without-metric",
    part: "text",
    apply(a, env, style) {
      // The text says why but never what: neither the model nor its predicted metric.
      const text = textOf(a, style, env.rng, true);
      const kept = text.split(/(?<=\.)\s+/).filter((s) => !s.includes(a.recommendation.model) && !/predicted|should|expect|score/i.test(s));
      if (!kept.length) return undefined;
      return { ...a, justification: kept.join(" "), ...(style === "llm" && { source: "llm" as const }) };
    },
  },
  structureKind("struct-metric", (c, env) => {
    const p = c.recommendation.predicted;
    if (!finite(p.metric)) return false;
    const d = moved(p.metric, env) - p.metric;
    p.metric += d;
    p.interval = [p.interval[0] + d, p.interval[1] + d];
    return true;
  }),
  structureKind("struct-interval", (c, env) => {
    const p = c.recommendation.predicted;
    if (!finite(p.interval[0])) return false;
    p.interval = [p.interval[0] - env.metricShift, p.interval[1] + env.metricShift];
    return true;
  }),
  structureKind("struct-seconds", scaleSeconds),
  structureKind("struct-score", (c, env) => {
    const p = c.recommendation.predicted;
    const d = 0.1 + 0.2 * env.rng.next();
    p.score = Number((p.score - d).toFixed(4));
    return true;
  }),
  structureKind("struct-alternative", (c, env) => {
    const alt = c.alternatives[env.rng.int(c.alternatives.length)];
    if (!alt || !finite(alt.predicted.metric)) return false;
    const d = moved(alt.predicted.metric, env) - alt.predicted.metric;
    alt.predicted.metric += d;
    alt.predicted.interval = [alt.predicted.interval[0] + d, alt.predicted.interval[1] + d];
    return true;
  }),
  structureKind("struct-similarity", shiftSimilarity),
  structureKind("struct-similar-dataset", replaceSimilarDataset),
  structureKind("struct-worse-pick", (c, env) => worsePick(c, env)),
  structureKind("struct-out-of-space", (c, env) => {
    const space = env.pack.space.searchSpace.hyperparameters;
    const numeric = Object.entries(c.recommendation.hyperparameters).filter(([n, v]) => typeof v === "number" && (space[n]?.type === "float" || space[n]?.type === "int"));
    if (!numeric.length) return false;
    const [name] = numeric[env.rng.int(numeric.length)];
    const hp = space[name] as Extract<Hyperparameter, { type: "float" | "int" }>;
    const v = hp.high + Math.max(1, hp.type === "int" ? Math.ceil(0.5 * (hp.high - hp.low)) : 0.5 * (hp.high - hp.low));
    c.recommendation.hyperparameters[name] = v;
    for (const d of c.drivers) if (d.name === name) d.value = fmt(v);
    return true;
  }),
  structureKind("struct-budget", (c) => {
    const s = c.recommendation.predicted.seconds;
    if (!finite(s) || s < 120) return false;
    c.constraints = { ...c.constraints, budgetSeconds: Math.round(s / 2) };
    c.constraintsStated = describeConstraints(c.constraints);
    return true;
  }),
];

/** The recommendation replaced by the worst of 64 sampled configurations, with its own true predictions and drivers. */
function worsePick(c: Recommendation, env: CorpusEnv): boolean {
  const { pack, recommender } = env;
  const models = pack.space.models.filter((m) => !c.constraints.denyModels?.includes(m) && (!c.constraints.allowModels?.length || c.constraints.allowModels.includes(m)));
  const samples = sampleConfigurations(pack.space.searchSpace, models, 64, env.rng, c.constraints.fixed ?? {}).map((x, i) => ({ ...x, id: `bad${i}`, origin: "sample" }));
  const req = { dataset: c.dataset, objective: c.objective, constraints: c.constraints };
  const neighbours = toNeighbours(c.similarDatasets, new Map(pack.datasets.map((d) => [d.id, d])));
  const scored = recommender.score(req, samples, neighbours);
  const worst = scored.reduce((w, s) => (s.risk < w.risk ? s : w));
  if (!(c.recommendation.predicted.score - worst.mean > 0.3)) return false;
  c.recommendation = toConfig(worst, pack.space.searchSpace);
  c.drivers = recommender.drivers(c.dataset, worst.candidate);
  return true;
}

/** A value of the hyperparameter clearly unlike `v`: another category, the other boolean, a number moved far. */
function otherValue(hp: Hyperparameter | undefined, v: HpValue | undefined, rng: Rng): HpValue | undefined {
  if (!hp || v === null || v === undefined) return undefined;
  if (hp.type === "categorical") {
    const others = hp.values.filter((x) => x !== v);
    return others.length ? others[rng.int(others.length)] : undefined;
  }
  if (hp.type === "bool") return typeof v === "boolean" ? !v : undefined;
  if (typeof v !== "number") return undefined;
  const grid = hp.values?.filter((g) => Math.abs(g - v) > 0.25 * Math.abs(v) + 1e-12);
  if (grid?.length) return grid[rng.int(grid.length)];
  let x: number;
  if (hp.log && hp.low > 0 && v > 0) {
    const f = 4 + 6 * rng.next();
    x = v * f <= hp.high ? v * f : v / f;
  } else {
    const d = (0.3 + 0.3 * rng.next()) * (hp.high - hp.low);
    x = v + d <= hp.high ? v + d : v - d;
  }
  x = Math.min(hp.high, Math.max(hp.low, x));
  if (hp.type === "int") x = Math.round(x);
  return Math.abs(x - v) > 1e-9 ? Number(x.toPrecision(4)) : undefined;
}

/** A metric value moved by the shift, up or down, staying inside the range seen on the pack's datasets. */
function moved(v: number, env: CorpusEnv): number {
  const d = env.metricShift * (1 + 0.4 * env.rng.next());
  return v + d <= env.metricRange[1] ? v + d : v - d;
}

/** 2.5-4 times more or less. */
function factor(rng: Rng): number {
  const f = 2.5 + 1.5 * rng.next();
  return rng.next() < 0.5 ? f : 1 / f;
}

const rngOf = (seed: number) => createRng(seed);

/** What the tiny test GGUFs write (and worse): fluent or not, it says nothing about the answer. */
const NONSENSE = [
  "I will you go to the park and make a pictround.",
  "Once upon a time there was a little dog who liked to play with the ball.",
  "This is a good model because it is good and the data is good.",
  "The recommended configuration is the best one for your dataset according to the evidence.",
  "lol lol the the and and so so",
];
