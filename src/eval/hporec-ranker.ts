/**
 * The recommender as a RankerFactory for `hporec eval`, and the "meta-learner alone" baseline.
 *
 * Per fold (training meta-dataset already stripped of the held-out dataset by the protocol):
 *   1. train the meta-learner (seed ensemble + cost model) in memory, no pack on disk;
 *   2. build a knowledge index of the TRAINING datasets only (deterministic embedder fitted on them), so the
 *      held-out dataset can never be its own neighbour;
 *   3. rank candidates with the recommender's own scoring (`scoreCandidates` + `rankByObjective`), plus the
 *      optional retrieval prior (below).
 *
 * The meta-learner baseline ranks by the ensemble mean alone: no risk aversion, no neighbours, no prior. Both
 * factories share one trained model per training set (a cache keyed by the training datasets and the options),
 * so a leave-one-out pass trains each fold once.
 */
import type { MetaDataset, Run } from "../metadata/schema.ts";
import { MetaLearner, type TrainOptions } from "../learner/meta-learner.ts";
import { summariseDatasets } from "../learner/summaries.ts";
import { orientedOutcome, type TargetKind } from "../learner/targets.ts";
import { averageRanks } from "../util/stats.ts";
import type { BoosterParamsInput } from "../learner/xgboost.ts";
import type { Candidate } from "../recommend/candidates.ts";
import type { Neighbour } from "../recommend/metric-scale.ts";
import { rankByObjective, scoreCandidates, type Scored, type ScoringModel } from "../recommend/recommender.ts";
import { DeterministicEmbeddings } from "../retrieval/deterministic-embeddings.ts";
import { evidenceId, type EvidenceDocument } from "../retrieval/document.ts";
import { KnowledgeIndex } from "../retrieval/knowledge-index.ts";
import type { CandidateConfig, RankerFactory } from "./ranker.ts";

export interface HporecRankerOptions {
  target?: TargetKind;

  /** Outcome models in the seed ensemble. */
  seeds?: number;
  /** Booster parameters over the learner's defaults (eval uses cheaper ones than the pack build). */
  params?: Partial<BoosterParamsInput>;
  /** Ranking by mean - riskAversion * spread (the recommender's default is 1). */
  riskAversion?: number;
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
  params: {},
  riskAversion: 1,
  neighbours: 5,
  // Off by default so `hporec eval` measures the recommender people use: the prior (+0.01 top-1, no catastrophic
  // pick on Quick-Tune LODO, docs/eval-experiments.md) needs every training run, which packs do not store yet.
  prior: 0,
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
  return JSON.stringify([md.name, ids, md.runs.length, o.target, o.seeds, o.params]);
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
  const opts: TrainOptions = { target, seeds: o.seeds, params: o.params, costParams: o.params };
  const models = MetaLearner.train(md, opts);
  const learner = new MetaLearner(models.featureMap, models.outcome.map((m) => m.model), models.cost?.model, target);
  return { learner, target, direction: md.metric.direction };
}

async function trainFold(md: MetaDataset, o: Required<HporecRankerOptions>): Promise<Fold> {
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
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...EVAL_DEFAULTS, ...set };
}

const toCandidate = (c: CandidateConfig): Candidate => ({ id: c.id, model: c.model, hyperparameters: c.hyperparameters, origin: "run" });

/** The recommender (meta-learner + retrieval + risk-aware, objective-aware ranking) as a ranker factory. */
export function hporecRanker(options: HporecRankerOptions = {}): RankerFactory {
  const o = withDefaults(options);
  return async (training, context) => {
    const f = await fold(training, o);
    const summaries = new Map(summariseDatasets(f.training).map((s) => [s.id, s]));
    return async (dataset, candidates) => {
      const hits = await f.index.similarDatasets(dataset, o.neighbours);
      const neighbours: Neighbour[] = hits.flatMap((h) => {
        const summary = summaries.get(h.doc.metadata.datasetId ?? "");
        return summary ? [{ summary, similarity: h.score }] : [];
      });
      const cands = candidates.map(toCandidate);
      const scored = scoreCandidates(f.scoring, { dataset, riskAversion: o.riskAversion }, cands, neighbours);
      if (o.prior > 0) applyPrior(scored, retrievalPrior(f.training, neighbours, cands, f.scoring), o.prior);
      return rankByObjective(scored, context.objective).map((s) => s.candidate.id);
    };
  };
}

/** The meta-learner alone: ensemble mean, no spread penalty, no retrieval. */
export function metaLearnerRanker(options: HporecRankerOptions = {}): RankerFactory {
  const o = withDefaults(options);
  return async (training, context) => {
    const f = await fold(training, o);
    return async (dataset, candidates) => {
      const scored = scoreCandidates(f.scoring, { dataset, riskAversion: 0 }, candidates.map(toCandidate), []);
      return rankByObjective(scored, context.objective).map((s) => s.candidate.id);
    };
  };
}

function applyPrior(scored: Scored[], prior: Float64Array, weight: number): void {
  scored.forEach((s, i) => {
    s.risk += weight * prior[i];
  });
}

/**
 * Retrieval prior: for each neighbour dataset, a candidate inherits the rank percentile of the most similar run
 * of the same model there (distance in the learner's encoded hyperparameter space); the prior is the
 * similarity-weighted mean over neighbours, centred so it only reorders. Only training runs are read.
 */
export function retrievalPrior(training: MetaDataset, neighbours: Neighbour[], candidates: Candidate[], scoring: ScoringModel): Float64Array {
  const out = new Float64Array(candidates.length);
  if (!neighbours.length) return out;
  const enc = scoring.learner.encoder;
  const n = enc.nCols;
  const hpCols = scoring.learner.featureMap.columns.flatMap((c, j) => (c.kind === "hp" ? [j] : []));
  const candRows = enc.encodeForDataset({ metaFeatures: {} }, candidates);
  let wsum = 0;
  for (const nb of neighbours) {
    const w = Math.max(nb.similarity, 0) + 1e-6;
    const runs: Run[] = training.runs.filter((r) => r.datasetId === nb.summary.id);
    if (!runs.length) continue;
    const pct = averageRanks(runs.map((r) => orientedOutcome(training, r))).map((r) => r / Math.max(runs.length - 1, 1));
    const runRows = enc.encodeForDataset({ metaFeatures: {} }, runs);
    candidates.forEach((c, i) => {
      let best = Infinity;
      let val = 0.5;
      runs.forEach((r, k) => {
        if (r.model !== c.model) return;
        let d = 0;
        for (const j of hpCols) {
          const a = candRows[i * n + j];
          const b = runRows[k * n + j];
          const an = Number.isNaN(a);
          const bn = Number.isNaN(b);
          d += an && bn ? 0 : an || bn ? 1 : (a - b) * (a - b);
        }
        if (d < best) {
          best = d;
          val = pct[k];
        }
      });
      out[i] += w * val;
    });
    wsum += w;
  }
  if (wsum > 0) for (let i = 0; i < out.length; i++) out[i] = out[i] / wsum - 0.5;
  return out;
}
