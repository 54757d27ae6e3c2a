/**
 * The recommender as a RankerFactory for `hporec eval`, and the "meta-learner alone" baseline.
 *
 * Per fold (training meta-dataset already stripped of the held-out dataset by the protocol):
 *   1. train the meta-learner (seed ensemble + cost model) in memory, no pack on disk;
 *   2. build a knowledge index of the TRAINING datasets only (deterministic embedder fitted on them), so the
 *      held-out dataset can never be its own neighbour;
 *   3. rank candidates with the recommender's own scoring (`scoreCandidates` + `rankByObjective`, retrieval
 *      prior included: it reads the training datasets' runs only).
 *
 * The meta-learner baseline ranks by the ensemble mean alone: no risk aversion, no neighbours, no prior. Both
 * factories share one trained model per training set (a cache keyed by the training datasets and the options),
 * so a leave-one-out pass trains each fold once.
 */
import type { MetaDataset } from "../metadata/schema.ts";
import { ACCEPTABLE_REGRET, DEFAULT_BAG, DEFAULT_HEAD, DEFAULT_MODEL_DESCRIPTORS, MetaLearner, TOP_WEIGHT, type Head, type TrainOptions } from "../learner/meta-learner.ts";
import { summariseDatasets } from "../learner/summaries.ts";
import type { DatasetSummary } from "../learner/pack.ts";
import type { TargetKind } from "../learner/targets.ts";
import type { BoosterParamsInput } from "../learner/xgboost.ts";
import type { Candidate } from "../recommend/candidates.ts";
import { toNeighbours, type Neighbour } from "../recommend/neighbours.ts";
import { DEFAULT_HEAD_SHARE, DEFAULT_HEAD_WEIGHT, DEFAULT_RISK_AVERSION, scoreCandidates, type HeadShareRule, type ScoringModel } from "../recommend/scoring.ts";
import { extrapolationCheck } from "../recommend/extrapolation.ts";
import { rankByObjective } from "../recommend/ranking.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import { DEFAULT_PRIOR_WEIGHT, RetrievalPrior } from "../recommend/retrieval-prior.ts";
import { DeterministicEmbeddings } from "../retrieval/deterministic-embeddings.ts";
import { evidenceId, type EvidenceDocument } from "../retrieval/document.ts";
import { KnowledgeIndex } from "../retrieval/knowledge-index.ts";
import type { CandidateConfig, DatasetCard, RankerFactory } from "./ranker.ts";
import type { Objective } from "./types.ts";
import type { Calibration } from "../recommend/calibration.ts";
import { crossValidatedCalibration } from "./calibrate.ts";
import { trainedAtLeast } from "./protocol.ts";
import { defined } from "../util/object.ts";

export interface HporecRankerOptions {
  target?: TargetKind;

  /** Outcome models in the seed ensemble. */
  seeds?: number;
  /** Seed of the first member (TrainOptions.firstSeed). */
  firstSeed?: number;
  /** Booster parameters over the learner's defaults (eval uses cheaper ones than the pack build). */
  params?: Partial<BoosterParamsInput>;
  /** Times a run in the top fifth of its dataset counts in training (the pack's TOP_WEIGHT). */
  topWeight?: number;
  /** The head that ranks candidates besides the outcome ensemble (the pack's DEFAULT_HEAD). */
  head?: Head;
  /** Regret up to which a run counts as acceptable for the "acceptable" head. */
  acceptThreshold?: number;
  /** Fraction of the training datasets each ensemble member sees. */
  bag?: number;
  /** Model descriptors next to the model one-hot (the pack's DEFAULT_MODEL_DESCRIPTORS). */
  modelDescriptors?: boolean;
  /** Ranking by mean - riskAversion * spread (the recommender's default, DEFAULT_RISK_AVERSION). */
  riskAversion?: number;
  /** With an acceptable head: its weight in the pick against the outcome mean (scoring.ts DEFAULT_HEAD_WEIGHT). */
  headWeight?: number;
  /** With a ranking or full-length head: where and how much it shares the pick (scoring.ts DEFAULT_HEAD_SHARE). */
  headShare?: HeadShareRule;
  /** Members weighed by how many of the card's neighbours they were trained on (MetaLearner.memberWeights; 0 = off). */
  memberWeighting?: number;
  /** Train on the past runs trained for at least this many epochs only (0 = every run); an experiment on censoring. */
  trainMinEpochs?: number;
  /** Similar training datasets retrieved per held-out dataset. */
  neighbours?: number;
  /**
   * Weight of the retrieval prior: each candidate's percentile on the k most similar training datasets, read
   * off the nearest run of the same model there (similarity-weighted), added to the meta-learner's score.
   * 0 = off.
   */
  prior?: number;
}

export const EVAL_DEFAULTS: Required<HporecRankerOptions> = {
  target: "rank",
  // The shipped pack's recipe (DEFAULT_PARAMS, 5 seeds), so the figure is the product's.
  seeds: 5,
  firstSeed: 0,
  params: {},
  riskAversion: DEFAULT_RISK_AVERSION,
  headWeight: DEFAULT_HEAD_WEIGHT,
  memberWeighting: 0,
  headShare: DEFAULT_HEAD_SHARE,
  trainMinEpochs: 0,
  topWeight: TOP_WEIGHT,
  head: DEFAULT_HEAD,
  acceptThreshold: ACCEPTABLE_REGRET,
  bag: DEFAULT_BAG,
  modelDescriptors: DEFAULT_MODEL_DESCRIPTORS,
  neighbours: 5,
  // The recommender's default (src/recommend/retrieval-prior.ts), read off the fold's training runs only.
  prior: DEFAULT_PRIOR_WEIGHT,
};

interface Fold {
  scoring: ScoringModel;
  training: MetaDataset;
  index: KnowledgeIndex;
}

/** Trained folds by training-set key: hporec and the meta-learner baseline share one model per fold. */
const cache = new Map<string, Promise<Fold>>();

function foldKey(md: MetaDataset, o: Required<HporecRankerOptions>): string {
  const ids = md.datasets.map((d) => d.id).sort();
  return JSON.stringify([md.name, ids, md.runs.length, o.trainMinEpochs, o.target, o.seeds, o.firstSeed, o.topWeight, o.head, o.acceptThreshold, o.bag, o.modelDescriptors, o.params]);
}

/** Dataset documents of the training datasets: what the similarity search compares a held-out card with. */
export function datasetDocuments(md: MetaDataset): EvidenceDocument[] {
  return md.datasets.map((d) => ({
    id: evidenceId("dataset", d.id),
    kind: "dataset" as const,
    text: [`Dataset ${d.name}`, d.domain && `domain ${d.domain}`, d.modality && `modality ${d.modality}`, d.task && `task ${d.task}`, d.description]
      .filter(Boolean)
      .join("\n"),
    metadata: { datasetId: d.id, domain: d.domain, modality: d.modality, metaFeatures: d.metaFeatures },
  }));
}

function trainLearner(md: MetaDataset, o: Required<HporecRankerOptions>, target: TargetKind): ScoringModel {
  const opts: TrainOptions = { target, seeds: o.seeds, firstSeed: o.firstSeed, topWeight: o.topWeight, head: o.head, acceptThreshold: o.acceptThreshold, bag: o.bag, modelDescriptors: o.modelDescriptors, params: o.params, costParams: o.params };
  const models = MetaLearner.train(md, opts);
  const learner = MetaLearner.from(models, target);
  return { learner, target, direction: md.metric.direction, prior: RetrievalPrior.of(learner) };
}

async function trainFold(all: MetaDataset, o: Required<HporecRankerOptions>): Promise<Fold> {
  const md = o.trainMinEpochs ? { ...all, runs: all.runs.filter((r) => trainedAtLeast(r, o.trainMinEpochs)) } : all;
  const scoring = trainLearner(md, o, o.target);
  const docs = datasetDocuments(md);
  const index = await KnowledgeIndex.build(docs, DeterministicEmbeddings.fit(docs));
  return { scoring, training: md, index };
}

function fold(md: MetaDataset, o: Required<HporecRankerOptions>): Promise<Fold> {
  const key = foldKey(md, o);
  let f = cache.get(key);
  if (!f) {
    // Only the current fold is kept: leave-one-out never comes back to an earlier training set.
    cache.clear();
    f = trainFold(md, o);
    cache.set(key, f);
  }
  return f;
}

/** The defaults, overridden by every option that is set (an explicit undefined keeps the default). */
function withDefaults(options: HporecRankerOptions): Required<HporecRankerOptions> {
  return { ...EVAL_DEFAULTS, ...defined(options) };
}

export const toCandidate = (c: CandidateConfig): Candidate => ({ id: c.id, model: c.model, hyperparameters: c.hyperparameters, origin: "run" });

/**
 * How the ranker states a range for its pick: "cv" calibrates on the training datasets by a grouped
 * cross-validation first (what a pack does when it is built; calibrate.ts), a Calibration is used as given
 * (e.g. from a nested evaluation's inner folds), "none" states no range (the evaluation then judges the
 * jackknife+ range from the other held-out datasets).
 */
export type CalibrationSource = "cv" | "none" | Calibration;

/**
 * One fold's recipe as the recommender applies it: the trained scoring model (calibrated as asked), the training
 * datasets' summaries and the similarity search over them. The ranker below and the ask/tell evaluation
 * (study-eval.ts) rank with it, so both follow the same recipe.
 */
export interface FoldRecipe {
  scoring: ScoringModel;
  summaries: Map<string, DatasetSummary>;
  /** The training datasets most similar to a card (the recommender's neighbours). */
  neighbours(card: DatasetCard): Promise<Neighbour[]>;
  /** The request a card is scored with (risk aversion and prior of the options). */
  request(card: DatasetCard): RecommendRequest;
}

export async function foldRecipe(training: MetaDataset, options: HporecRankerOptions, calibrate: CalibrationSource, objective: Objective): Promise<FoldRecipe> {
  const o = withDefaults(options);
  const calibration = calibrate === "cv" ? await crossValidatedCalibration(training, options, { objective }) : calibrate === "none" ? undefined : calibrate;
  const f = await fold(training, o);
  const summaries = new Map(summariseDatasets(f.training).map((s) => [s.id, s]));
  return {
    scoring: {
      ...f.scoring,
      calibration,
      headWeight: o.headWeight,
      memberWeighting: o.memberWeighting,
      extrapolation: extrapolationCheck(f.training.datasets),
      headShare: o.headShare,
    },
    summaries,
    neighbours: async (card) => toNeighbours((await f.index.similarDatasets(card, o.neighbours)).map((h) => ({ id: h.doc.metadata.datasetId ?? "", similarity: h.score })), summaries),
    request: (card) => ({ dataset: card, riskAversion: o.riskAversion, prior: o.prior }),
  };
}

/** The recommender (meta-learner + retrieval + risk-aware, objective-aware ranking) as a ranker factory. */
export function hporecRanker(options: HporecRankerOptions = {}, calibrate: CalibrationSource = "none"): RankerFactory {
  return async (training, context) => {
    const f = await foldRecipe(training, options, calibrate, context.objective);
    return async (dataset, candidates) => {
      const scored = scoreCandidates(f.scoring, f.request(dataset), candidates.map(toCandidate), await f.neighbours(dataset));
      const ranked = rankByObjective(scored, context.objective);
      const pick = ranked[0];
      return {
        ids: ranked.map((s) => s.candidate.id),
        pick: Number.isFinite(pick.metric) ? { metric: pick.metric, ...(f.scoring.calibration ? { interval: pick.interval } : {}) } : undefined,
      };
    };
  };
}

/** The meta-learner alone: ensemble mean, no spread penalty, no retrieval. */
export function metaLearnerRanker(options: HporecRankerOptions = {}): RankerFactory {
  const o = withDefaults(options);
  return async (training, context) => {
    const f = await fold(training, o);
    return async (dataset, candidates) => {
      const scored = scoreCandidates(f.scoring, { dataset, riskAversion: 0, prior: 0 }, candidates.map(toCandidate), []);
      return rankByObjective(scored, context.objective).map((s) => s.candidate.id);
    };
  };
}
