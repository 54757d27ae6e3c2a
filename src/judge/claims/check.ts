/**
 * Each claim of the text verified against the answer's structured content: the configurations and their
 * predictions, the similar datasets, the SHAP drivers, the constraints, the dataset. (The structured content is
 * itself recomputed from the pack: prediction-check.ts.) A claim is true, false, unsupported (the data cannot
 * back it, e.g. "better than about 100%": flagged, not failed) or unchecked (about something the answer does
 * not hold). Tolerances are stated: the metric within 1% of its range across the pack's datasets plus the
 * rounding of the number as written.
 */
import type { Hyperparameter } from "../../metadata/schema.ts";
import { CHEAPEST_REASON, type Recommendation, type RecommendedConfig } from "../../recommend/schema.ts";
import { formatSeconds } from "../../recommend/constraints.ts";
import { fmt, signed } from "../../util/format.ts";
import { known } from "../prediction-check.ts";
import { extractClaims, squeeze, type Claim, type ClaimKind, type Stated, type Vocabulary } from "./extract.ts";

export type ClaimStatus = "true" | "false" | "unsupported" | "unchecked";

export interface CheckedClaim {
  kind: ClaimKind;
  /** The words that make the claim. */
  claim: string;
  sentence: string;
  status: ClaimStatus;
  /** What the answer says instead, or why it holds. */
  why: string;
}

export interface TextTolerances {
  /** Metric points always allowed (1% of the range of the pack's outcomes). */
  metric: number;
  /** Whether the metric is a fraction (0-1): "85%" then means 0.85. */
  fraction: boolean;
}

/** The parts of an answer the text is checked against. */
export type TextFacts = Pick<Recommendation, "recommendation" | "alternatives" | "similarDatasets" | "drivers" | "constraints" | "objective" | "dataset" | "justification" | "warnings"> & {
  metric: { name: string };
  /** The pack's target: only a rank pack predicts a percentile. */
  pack: { target: string };
};

export interface TextCheck {
  claims: CheckedClaim[];
  /** Completeness problems: the recommended model or its predicted metric not named, nothing checkable. */
  missing: string[];
}

const SIMILARITY_TOLERANCE = 0.01;
const DRIVER_TOLERANCE = 0.002;
const PERCENTILE_TOLERANCE = 5;
const SCORE_TOLERANCE = 0.005;
/** "Within N points" is a rule, not a measurement: only the 2-decimal rounding of stated metrics is allowed. */
const POINTS_TOLERANCE = 0.02;
/** Training times: 10% or the rounding of the number as written, whichever is larger. */
const SECONDS_RELATIVE = 0.1;

export function checkText(a: TextFacts, vocab: Vocabulary, tol: TextTolerances): TextCheck {
  const configs: RecommendedConfig[] = [a.recommendation, ...a.alternatives];
  // The writer copies the answer's warnings into the text; they are the answer's own words, not claims.
  let text = a.justification;
  for (const w of a.warnings) text = text.replace(`Warning: ${w}.`, "");
  const { claims, models } = extractClaims(text, vocab, configs);
  const checked = claims.map((c) => ({ kind: c.kind, claim: c.text, sentence: c.sentence, ...verify(c, a, configs, vocab, tol) }));
  const rec = a.recommendation;
  const missing: string[] = [];
  if (!models.has(rec.model)) missing.push(`the text does not name the recommended model ${rec.model}`);
  const own = (k: ClaimKind) => claims.some((c) => c.kind === k && c.about.includes(0));
  if (Number.isFinite(rec.predicted.metric) ? !own("metric") : !own("score") && !own("metric"))
    missing.push(
      Number.isFinite(rec.predicted.metric)
        ? `the text does not state the predicted ${a.metric.name} of the recommendation (${rec.predicted.metric})`
        : `the text does not state the predicted score of the recommendation (${rec.predicted.score})`,
    );
  if (!checked.some((c) => c.status === "true" || c.status === "false")) missing.push("the text makes no claim that can be checked");
  return { claims: checked, missing };
}

/** One reason per false claim, quoting it, saying why and where. */
export function falseClaimReasons(claims: CheckedClaim[]): string[] {
  return claims.filter((c) => c.status === "false").map((c) => `the text claims "${c.claim}", which is false: ${c.why} (in: "${c.sentence}")`);
}

type Result = { status: ClaimStatus; why: string };

function verify(c: Claim, a: TextFacts, configs: RecommendedConfig[], vocab: Vocabulary, tol: TextTolerances): Result {
  const rec = a.recommendation;
  const subjects = c.about.map((i) => configs[i]);
  const label = (i: number) => (i === 0 ? `the recommendation (${configs[0].model})` : `alternative ${configs[i].candidateId} (${configs[i].model})`);
  /** True when the value holds for one of the subjects; else the first subject's value says why not. */
  /** `readings`: the stated value as it may be meant (a number, or "0.85" of a 0-100 metric also as 85). */
  const anyOf = (value: (cfg: RecommendedConfig) => number, readings: Reading[], base: number, unit = ""): Result => {
    if (!c.about.length) return unchecked("it is about a model the answer does not contain");
    const vals = c.about.map((i) => ({ i, v: value(configs[i]) }));
    const finite = vals.filter((x) => Number.isFinite(x.v));
    if (!finite.length) return { status: "unsupported", why: "the answer has no such prediction" };
    const tolerance = base + readings[0].precision;
    const hit = finite.find((x) => readings.some((r) => Math.abs(x.v - r.value) <= base + r.precision + 1e-9));
    if (hit) return { status: "true", why: `${label(hit.i)}: ${fmt(hit.v)}${unit}` };
    return { status: "false", why: `the answer says ${finite.map((x) => `${fmt(x.v)}${unit} for ${label(x.i)}`).join(", ")} (tolerance ±${fmt(tolerance)}${unit})` };
  };
  switch (c.kind) {
    case "model": {
      if (c.role === "recommended")
        return c.model === rec.model ? { status: "true", why: "it is the recommended model" } : { status: "false", why: `it is presented as the recommendation, but the answer recommends ${rec.model}` };
      if (c.candidateId) {
        const cfg = configs.find((x) => x.candidateId === c.candidateId);
        if (!cfg) return { status: "false", why: `the answer has no candidate ${c.candidateId}` };
        return cfg.model === c.model ? { status: "true", why: `${c.candidateId} is ${cfg.model}` } : { status: "false", why: `candidate ${c.candidateId} is ${cfg.model}, not ${c.model}` };
      }
      return c.about.length ? { status: "true", why: "it is one of the answer's configurations" } : { status: "false", why: `${c.model} is not among the answer's configurations (${[...new Set(configs.map((x) => x.model))].join(", ")})` };
    }
    case "metric": {
      return anyOf((x) => x.predicted.metric, readings(c.stated, tol.fraction), tol.metric);
    }
    case "score": {
      const r = anyOf((x) => x.predicted.score, [c.stated], SCORE_TOLERANCE);
      if (r.status !== "true" || !c.spread) return r;
      return anyOf((x) => x.predicted.spread, [c.spread], SCORE_TOLERANCE);
    }
    case "interval": {
      if (!c.about.length) return unchecked("it is about a model the answer does not contain");
      const near = (v: number, s: Stated) => readings(s, tol.fraction).some((r) => Math.abs(v - r.value) <= tol.metric + r.precision + 1e-9);
      const fits = (x: RecommendedConfig) => near(x.predicted.interval[0], c.low) && near(x.predicted.interval[1], c.high);
      if (subjects.every((x) => !Number.isFinite(x.predicted.interval[0]))) return { status: "unsupported", why: "the answer has no predicted range" };
      const hit = c.about.find((i) => fits(configs[i]));
      if (hit !== undefined) return { status: "true", why: `${label(hit)}: ${rangeText(configs[hit])}` };
      return { status: "false", why: `the answer's range is ${c.about.map((i) => `${rangeText(configs[i])} for ${label(i)}`).join(", ")} (tolerance ±${fmt(tol.metric)})` };
    }
    case "seconds": {
      if (!c.about.length) return unchecked("it is about a model the answer does not contain");
      if (subjects.every((x) => !known(x.predicted.seconds))) return { status: "unsupported", why: "the pack predicts no training time (it has no cost model)" };
      const hit = c.about.find((i) => {
        const p = configs[i].predicted.seconds;
        if (!known(p)) return false;
        const slack = Math.max(SECONDS_RELATIVE * p, c.tolerance);
        return c.bound === "at most" ? p <= c.seconds + slack : Math.abs(p - c.seconds) <= slack;
      });
      if (hit !== undefined) return { status: "true", why: `${label(hit)}: ${formatSeconds(configs[hit].predicted.seconds)}` };
      return { status: "false", why: `the predicted training time is ${c.about.map((i) => `${formatSeconds(configs[i].predicted.seconds)} for ${label(i)}`).join(", ")}` };
    }
    case "hyperparameter": {
      if (!c.about.length) return unchecked("it is about a model the answer does not contain");
      const hp = vocab.hyperparameters[c.name];
      const hit = c.about.find((i) => sameValue(configs[i].hyperparameters[c.name], c.value, c.precision, hp));
      if (hit !== undefined) return { status: "true", why: `${label(hit)}: ${c.name} = ${fmt(configs[hit].hyperparameters[c.name] ?? "null")}` };
      return { status: "false", why: `the answer sets ${c.about.map((i) => `${c.name} = ${showValue(configs[i].hyperparameters[c.name])} for ${label(i)}`).join(", ")}` };
    }
    case "driver": {
      if (!c.about.includes(0)) return unchecked("SHAP drivers are given for the recommendation only");
      const d = a.drivers.find((x) => x.name === c.name);
      if (!d) return unchecked(`${c.name} is not among the answer's drivers`);
      const ok = Math.abs(d.contribution - c.stated.value) <= DRIVER_TOLERANCE + c.stated.precision;
      return ok ? { status: "true", why: `SHAP ${d.contribution}` } : { status: "false", why: `the SHAP contribution of ${c.name} is ${signed(d.contribution, String)}` };
    }
    case "similar-dataset": {
      const s = a.similarDatasets.find((x) => x.id === c.id);
      return s ? { status: "true", why: `similarity ${s.similarity}` } : { status: "false", why: `${c.id} is not among the similar datasets of the answer (${a.similarDatasets.map((x) => x.id).join(", ") || "none"})` };
    }
    case "similarity": {
      const s = a.similarDatasets.find((x) => x.id === c.id);
      if (!s) return { status: "false", why: `${c.id} is not among the similar datasets of the answer` };
      const v = c.stated.percent ? c.stated.value / 100 : c.stated.value;
      const p = c.stated.percent ? c.stated.precision / 100 : c.stated.precision;
      return Math.abs(s.similarity - v) <= SIMILARITY_TOLERANCE + p + 1e-9
        ? { status: "true", why: `similarity ${s.similarity}` }
        : { status: "false", why: `the similarity of ${c.id} is ${s.similarity.toFixed(2)}` };
    }
    case "percentile":
      return percentile(c, rec, a.pack.target);
    case "within": {
      const alts = c.about.filter((i) => i > 0);
      if (!alts.length) return unchecked("no alternative is named");
      const gap = (i: number) => Math.abs(configs[i].predicted.metric - rec.predicted.metric);
      if (alts.every((i) => !Number.isFinite(gap(i)))) return { status: "unsupported", why: "the answer has no predicted metric to compare" };
      const hit = alts.find((i) => gap(i) <= c.points.value + POINTS_TOLERANCE);
      return hit !== undefined
        ? { status: "true", why: `${label(hit)} is ${fmt(gap(hit))} points from the recommendation` }
        : { status: "false", why: `${alts.map((i) => `${label(i)} is ${fmt(gap(i))} points from the recommendation`).join(", ")}` };
    }
    case "none-faster": {
      // The answer's own "cheapest within 1 point" alternative, or any alternative that close (either way: a
      // risk-averse pick need not have the highest predicted metric) and faster.
      const faster = a.alternatives.find(
        (x) =>
          (x.reason === CHEAPEST_REASON || Math.abs(x.predicted.metric - rec.predicted.metric) <= c.points.value - POINTS_TOLERANCE) &&
          known(x.predicted.seconds) &&
          known(rec.predicted.seconds) &&
          x.predicted.seconds < rec.predicted.seconds,
      );
      return faster
        ? { status: "false", why: `alternative ${faster.candidateId} (${faster.model}) is predicted at ${fmt(faster.predicted.metric)} in ${formatSeconds(faster.predicted.seconds)}, faster than ${formatSeconds(rec.predicted.seconds)}` }
        : { status: "true", why: "no alternative of the answer is both that close and faster" };
    }
    case "budget": {
      const b = a.constraints.budgetSeconds;
      if (b === undefined) return { status: "false", why: "the answer has no time budget" };
      return Math.abs(b - c.seconds) <= Math.max(c.tolerance, 0.02 * b)
        ? { status: "true", why: `budget ${formatSeconds(b)}` }
        : { status: "false", why: `the budget is ${formatSeconds(b)}` };
    }
    case "fixed": {
      const fixed = a.constraints.fixed ?? {};
      if (!(c.name in fixed)) return { status: "false", why: `${c.name} is not fixed by the answer's constraints` };
      return sameValue(fixed[c.name], c.value, c.precision, vocab.hyperparameters[c.name])
        ? { status: "true", why: `${c.name} fixed at ${fmt(fixed[c.name])}` }
        : { status: "false", why: `${c.name} is fixed at ${showValue(fixed[c.name])}` };
    }
    case "models-allowed":
    case "models-denied": {
      const list = (c.kind === "models-allowed" ? a.constraints.allowModels : a.constraints.denyModels) ?? [];
      const same = list.length === c.models.length && c.models.every((m) => list.includes(m));
      const what = c.kind === "models-allowed" ? "allowed" : "excluded";
      return same ? { status: "true", why: `${what}: ${list.join(", ")}` } : { status: "false", why: list.length ? `the ${what} models are ${list.join(", ")}` : `the answer has no ${what} models` };
    }
    case "objective":
      return c.objective === a.objective ? { status: "true", why: `objective ${a.objective}` } : { status: "false", why: `the objective is ${a.objective}` };
    case "dataset": {
      const v = a.dataset.metaFeatures[c.feature];
      if (v === undefined) return unchecked(`the answer's dataset has no ${c.feature}`);
      return Math.abs(v - c.stated.value) <= Math.max(c.stated.precision, 0.01 * Math.abs(v))
        ? { status: "true", why: `${c.feature} ${fmt(v)}` }
        : { status: "false", why: `the dataset has ${c.feature} = ${fmt(v)}` };
    }
  }
}

/** Percentile claims: of the predicted rank (score) or of the retrieval prior; beating ~all is never supported. */
function percentile(c: Extract<Claim, { kind: "percentile" }>, rec: RecommendedConfig, target: string): Result {
  const v = c.stated.value;
  if (v > 100) return { status: "false", why: "a percentage of configurations cannot exceed 100%" };
  if (v >= 99.5)
    return { status: "unsupported", why: "no prediction supports beating (nearly) every configuration tried: the best past runs were not predicted to be worse" };
  const p = rec.predicted;
  // A rank pack's score is the predicted percentile within a dataset (an ensemble mean may leave [0, 1] a little).
  const actual = c.of === "prior" ? (p.prior === undefined ? NaN : 100 * (p.prior + 0.5)) : target === "rank" ? 100 * Math.min(1, Math.max(0, p.score)) : NaN;
  if (!Number.isFinite(actual)) return { status: "unsupported", why: c.of === "prior" ? "the answer has no retrieval prior" : "the pack predicts no rank percentile" };
  return Math.abs(actual - v) <= PERCENTILE_TOLERANCE + c.stated.precision
    ? { status: "true", why: `${c.of === "prior" ? "the nearest runs' percentile" : "the predicted rank percentile"} is ${actual.toFixed(0)}%` }
    : { status: "false", why: `${c.of === "prior" ? "the nearest runs' percentile" : "the predicted rank percentile"} is ${actual.toFixed(0)}%` };
}

interface Reading {
  value: number;
  precision: number;
}

/** "85%" of a 0-1 metric is 0.85; "0.85" of a 0-100 metric may be 0.85 (a low bound) or 85 (a fraction). */
function readings(s: Stated, fraction: boolean): Reading[] {
  if (fraction && (s.percent || Math.abs(s.value) > 1.5)) return [{ value: s.value / 100, precision: s.precision / 100 }];
  if (!fraction && !s.percent && Math.abs(s.value) <= 1 && s.value !== 0) return [s, { value: s.value * 100, precision: s.precision * 100 }];
  return [s];
}

/**
 * A stated hyperparameter value against the answer's. Numbers: within the rounding of the number as written, but
 * never looser than 15% on a log scale or 2% of the range on a linear one ("drop = 0" is not 0.3); integers exact.
 */
function sameValue(actual: unknown, stated: number | string | boolean, precision: number, hp: Hyperparameter | undefined): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof stated === "string") return squeeze(String(actual)) === squeeze(stated);
  if (typeof stated === "boolean") return actual === stated || actual === (stated ? 1 : 0);
  if (typeof actual === "boolean") return stated === (actual ? 1 : 0);
  if (typeof actual !== "number") return false;
  let cap = Infinity;
  if (hp?.type === "float" || hp?.type === "int") cap = hp.log ? 0.15 * Math.abs(actual) : 0.02 * (hp.high - hp.low);
  const tolerance = Math.max(Math.min(precision, cap), 1e-3 * Math.abs(actual));
  return Math.abs(actual - stated) <= tolerance + 1e-12;
}

const unchecked = (why: string): Result => ({ status: "unchecked", why });
const showValue = (v: unknown) => (v === null || v === undefined ? "null (inactive)" : fmt(v as number | string | boolean));
const rangeText = (x: RecommendedConfig) => `${fmt(x.predicted.interval[0])}-${fmt(x.predicted.interval[1])}`;
