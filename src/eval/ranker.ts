/**
 * The contract between the evaluation and anything it evaluates (the recommender, its meta-learner alone, the
 * portfolio baseline), and the views that keep it honest: a ranker factory only ever sees training data with
 * the held-out datasets cut out, and a ranking function only sees the held-out dataset's card and the
 * candidates' configurations, never their outcomes, costs, epochs or status.
 */
import type { Dataset, HpValue, MetaDataset, Run } from "../metadata/schema.ts";
import type { Objective } from "./types.ts";

/** What a ranker may know of the held-out dataset: its card (meta-features, domain, modality, description). */
export type DatasetCard = Dataset;

/** A candidate as a ranker sees it: which configuration was run, not how it went. */
export interface CandidateConfig {
  id: string;
  model: string;
  space?: string;
  hyperparameters: Record<string, HpValue>;
}

/** What a ranker may say of its pick besides the order: the predicted metric and the range it states. */
export interface PickPrediction {
  /** Predicted metric of the pick, in the metric's own units. */
  metric: number;
  /** The range the recommender states for it (calibrated); absent when it states none. */
  interval?: [number, number];
}

/** A ranking: candidate run ids, best first (all of them or a prefix), and optionally the pick's prediction. */
export interface Ranking {
  ids: string[];
  pick?: PickPrediction;
}

/** Returns a ranking, or just the candidate run ids best first (top-k then uses what is there). */
export type RankFn = (dataset: DatasetCard, candidates: CandidateConfig[]) => Promise<string[] | Ranking>;

/** A RankFn's answer as a Ranking. */
export const rankingOf = (r: string[] | Ranking): Ranking => (Array.isArray(r) ? { ids: r } : r);

export interface RankerContext {
  objective: Objective;
}

/** Trains on the given meta-dataset (already stripped of the held-out datasets) and returns a ranking function. */
export type RankerFactory = (training: MetaDataset, context: RankerContext) => Promise<RankFn>;

export interface NamedRanker {
  name: string;
  makeRanker: RankerFactory;
}

/** A deep copy of `md` without the given datasets' cards and runs; a copy, so no ranker can alter another's data. */
export function withoutDatasets(md: MetaDataset, ids: ReadonlySet<string>): MetaDataset {
  return structuredClone({
    ...md,
    datasets: md.datasets.filter((d) => !ids.has(d.id)),
    runs: md.runs.filter((r) => !ids.has(r.datasetId)),
  });
}

/** The candidate view of a run: a fresh object holding only the configuration. */
export function candidateView(run: Run): CandidateConfig {
  const c: CandidateConfig = { id: run.id, model: run.model, hyperparameters: structuredClone(run.hyperparameters) };
  if (run.space !== undefined) c.space = run.space;
  return c;
}


/** Total training seconds of a run, or null when not recorded. */
export function runSeconds(run: Run): number | null {
  return run.cost.totalSeconds ?? run.cost.perEpochSeconds?.reduce((a, b) => a + b, 0) ?? null;
}
