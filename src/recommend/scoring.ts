/**
 * The score stage: the meta-learner's prediction for each candidate on the new dataset, the ranking score
 * (risk-adjusted, plus the retrieval prior when weighted), and the predicted metric read off the neighbours'
 * outcome distributions (rank targets). The one scoring path of `recommend`, the judge and `hporec eval`.
 */
import type { MetaLearner, Prediction } from "../learner/meta-learner.ts";
import type { TargetKind } from "../learner/targets.ts";
import type { DatasetFeatures } from "../learner/features.ts";
import type { Calibration } from "./calibration.ts";
import type { CandidateBlock } from "./candidate-blocks.ts";
import type { Candidate } from "./candidates.ts";
import { smallerThanPast, type Extrapolation } from "./extrapolation.ts";
import { metricScale } from "./metric-scale.ts";
import type { Neighbour } from "./neighbours.ts";
import type { RecommendRequest } from "./request.ts";
import { DEFAULT_PRIOR_WEIGHT, type RetrievalPrior } from "./retrieval-prior.ts";

/**
 * Risk aversion: the pick maximises mean - lambda * spread. 1 by default, with members trained on different
 * subsets of the past datasets (DEFAULT_BAG): a configuration whose prediction hangs on a few past datasets is
 * passed over (issue #13, docs/eval-experiments.md; with seed-only members, 0 had been best, #20-25).
 */
export const DEFAULT_RISK_AVERSION = 1;

export interface Scored {
  candidate: Candidate;
  mean: number;
  spread: number;
  /** Retrieval prior (0 when off). */
  prior: number;
  risk: number;
  /** Where the ranking head places it (higher = earlier); the risk when the pack has no head. */
  order: number;
  seconds: number;
  metric: number;
  interval: [number, number];
}

/** What scoring needs of a pack: the meta-learner, its target, the metric's direction (no files on disk). */
export interface ScoringModel {
  learner: MetaLearner;
  target: TargetKind;
  direction: "max" | "min";
  /** Without it, no retrieval prior. */
  prior?: RetrievalPrior;
  /** Residual bounds of picks on held-out datasets: the stated ranges (calibration.ts); without it, the members' spread. */
  calibration?: Calibration;
  /** With an acceptable head and rank targets: the head's weight in the pick against the outcome mean (default DEFAULT_HEAD_WEIGHT). */
  headWeight?: number;
  /** Members weighed by how many of the neighbours they were trained on (MetaLearner.memberWeights; 0 = equal weights). */
  memberWeighting?: number;
  /** The pack's extrapolation check (extrapolation.ts); without it, no dataset counts as smaller than the past ones. */
  extrapolation?: (dataset: DatasetFeatures) => Extrapolation[];
  /** Where and how much the ranking (or full-length) head shares the pick (default DEFAULT_HEAD_SHARE). */
  headShare?: HeadShareRule;
}

/**
 * For a dataset smaller than every past dataset, the ranking head (trained to order configurations within each
 * past dataset) gets this share of the pick against the level the members predict from the meta-features, which
 * the trees can only read as the smallest past dataset's. Measured on the micro validation set and on the one
 * Quick-Tune dataset below the others' size (docs/eval-experiments.md, fourteenth session). The share weighs raw
 * scores: the head's scores spread 6-8 times as wide over the candidates, so it orders them and the members break near-ties.
 */
export const SMALL_DATA_HEAD_SHARE = 0.5;

/**
 * With a ranking or full-length head and rank targets, the pick maximises (1 − share) × ranking score + share × the
 * head's score. "smaller-than-past": only for a dataset below every past one in samples or samples per class (the
 * default); "everywhere": every dataset (an experiment, twelfth session, `hporec eval --pick-head-share`).
 */
export interface HeadShareRule {
  share: number;
  where: "smaller-than-past" | "everywhere";
}

export const DEFAULT_HEAD_SHARE: HeadShareRule = { share: SMALL_DATA_HEAD_SHARE, where: "smaller-than-past" };

/**
 * The ranking (or full-length) head's share in the pick for a dataset, given where it lies outside the past datasets
 * (the pack's extrapolation check of it): 0 = the ranking score alone, e.g. a pack without such a head.
 */
export function headShare(model: ScoringModel, outside: readonly Extrapolation[]): number {
  const kind = model.learner.headKind;
  if (model.target !== "rank" || (kind !== "ranking" && kind !== "full-length")) return 0;
  const rule = model.headShare ?? DEFAULT_HEAD_SHARE;
  return rule.where === "everywhere" || smallerThanPast(outside) ? rule.share : 0;
}

/**
 * An acceptable head's P(acceptable) and a rank target's mean (a predicted within-dataset percentile) are both in
 * [0, 1]; the pick weighs them by this (1 = the head alone). 0.5 was measured and lost on leave-one-dataset-out
 * (docs/eval-experiments.md, issue #13), so the head alone stays the default.
 */
export const DEFAULT_HEAD_WEIGHT = 1;

const priorWeight = (req: Pick<RecommendRequest, "prior">) => req.prior ?? DEFAULT_PRIOR_WEIGHT;

/** The ranking score: mean - risk aversion x spread + prior weight x retrieval prior (the request's or the defaults). */
export function rankingScore(mean: number, spread: number, prior: number, req: Pick<RecommendRequest, "riskAversion" | "prior"> = {}): number {
  return mean - (req.riskAversion ?? DEFAULT_RISK_AVERSION) * spread + priorWeight(req) * prior;
}

/**
 * Scores candidates with the meta-learner: risk = mean - riskAversion * spread (+ prior weight x retrieval prior
 * when the model has one and neighbours kept their runs), and the predicted metric read off
 * the neighbours' outcome distributions (rank targets). `share` is the head's share in the pick for the request's
 * dataset (`headShare`), when the caller has it already (else it is found here).
 */
export function scoreCandidates(model: ScoringModel, req: RecommendRequest, candidates: Candidate[], neighbours: Neighbour[], share?: number): Scored[] {
  const prior = model.prior && priorWeight(req) > 0 ? model.prior.prior(candidates, neighbours) : undefined;
  return scorePredictions(model, req, candidates, model.learner.predict(req.dataset, candidates, memberWeights(model, neighbours)), neighbours, prior, share);
}

/** The ensemble members' weights for this dataset's neighbours (undefined: equal weights, the default). */
function memberWeights(model: ScoringModel, neighbours: Neighbour[]): Float64Array | undefined {
  // MetaLearner.memberWeights returns undefined when weighting is off (strength 0, the default).
  return model.learner.memberWeights(neighbours.map((n) => ({ id: n.summary.id, similarity: n.similarity })), model.memberWeighting ?? 0);
}

/** Scores every candidate of prepared blocks (candidate-blocks.ts): the same result as `scoreCandidates` on their candidates. */
export function scoreBlocks(model: ScoringModel, req: RecommendRequest, blocks: CandidateBlock[], neighbours: Neighbour[], share?: number): Scored[] {
  const candidates = blocks.flatMap((b) => b.candidates);
  const weights = memberWeights(model, neighbours);
  const preds = blocks.map((b) => model.learner.predictPrepared(req.dataset, b.prepared, weights));
  const cat = (parts: Float64Array[]) => {
    const out = new Float64Array(candidates.length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const order = preds.every((p) => p.order) ? cat(preds.map((p) => p.order!)) : undefined;
  const orderSpread = preds.every((p) => p.orderSpread) ? cat(preds.map((p) => p.orderSpread!)) : undefined;
  const pred = { mean: cat(preds.map((p) => p.mean)), spread: cat(preds.map((p) => p.spread)), seconds: cat(preds.map((p) => p.seconds)), order, orderSpread };
  // Per block, so each block's inherited percentiles are cached across requests.
  const prior = model.prior && priorWeight(req) > 0 ? cat(blocks.map((b) => model.prior!.prior(b.candidates, neighbours))) : undefined;
  return scorePredictions(model, req, candidates, pred, neighbours, prior, share);
}

function scorePredictions(model: ScoringModel, req: RecommendRequest, candidates: Candidate[], pred: Prediction, neighbours: Neighbour[], prior?: Float64Array, given?: number): Scored[] {
  const { target, direction } = model;
  const scale = target === "rank" ? metricScale(neighbours, direction, model.calibration) : undefined;
  // An acceptable head picks: its P(acceptable) (minus its spread x risk aversion) is the ranking score.
  const byHead = model.learner.headKind === "acceptable" && pred.order !== undefined && pred.orderSpread !== undefined;
  // Other targets are in metric units, not comparable with a probability: the head alone.
  const w = byHead && target === "rank" ? (model.headWeight ?? DEFAULT_HEAD_WEIGHT) : 1;
  const share = !byHead && pred.order !== undefined ? (given ?? headShare(model, model.extrapolation?.(req.dataset) ?? [])) : 0;
  return candidates.map((candidate, i) => {
    const mean = pred.mean[i];
    const spread = pred.spread[i];
    const m = scale
      ? scale(mean, spread)
      : { metric: direction === "max" ? mean : -mean, interval: [mean - 2 * spread, mean + 2 * spread].map((v) => (direction === "max" ? v : -v)).sort((a, b) => a - b) as [number, number] };
    const p = prior ? prior[i] : 0;
    const risk = byHead
      ? rankingScore((1 - w) * mean + w * pred.order![i], (1 - w) * spread + w * pred.orderSpread![i], p, req)
      : (1 - share) * rankingScore(mean, spread, p, req) + (share > 0 ? share * pred.order![i] : 0);
    return { candidate, mean, spread, prior: p, risk, order: pred.order && !byHead ? pred.order[i] : risk, seconds: pred.seconds[i], metric: m.metric, interval: m.interval };
  });
}
