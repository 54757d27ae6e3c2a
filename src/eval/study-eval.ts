/**
 * Pool-based evaluation of studies (ask/tell), as in HPO-B: on each held-out dataset the pool is the runs really
 * made there. The study asks for one run of the pool, is told its real outcome, and asks again; after n trials
 * its score is the normalised best-so-far (metrics.ts). Against, on the same pool: random search (exact
 * expectation), Optuna TPE (the real peer, same seeds and snapping as the ranking evaluation) and the zero-shot
 * top-n (the first n of the zero-shot ranking, no feedback). Folds as in protocol.ts: leave-one-dataset-out, or
 * train once and test every dataset of `test`; the study sees the held-out card and what it is told, nothing else.
 */
import { z } from "zod";
import type { MetaDataset } from "../metadata/schema.ts";
import type { Candidate } from "../recommend/candidates.ts";
import { rankByObjective } from "../recommend/ranking.ts";
import { scoreCandidates } from "../recommend/scoring.ts";
import { ConfigGeometry } from "../study/geometry.ts";
import { DEFAULT_LEARN, LearnSettings, StudyLearner, orientedPredictions, type Observation } from "../study/learn.ts";
import { DEFAULT_EXPERTS, ExpertKind, studyExperts, zeroShotExpert } from "../study/experts.ts";
import { bootstrapMeanInterval } from "../util/stats.ts";
import { silentProgress, type ProgressFactory } from "../util/progress.ts";
import { foldRecipe, toCandidate, type HporecRankerOptions } from "./hporec-ranker.ts";
import { normalisedScore, outcomeScale } from "./metrics.ts";
import { runTpe, scoreSeeds, tpeTable, type TpeOptions } from "./optuna-tpe.ts";
import { heldOutDatasets, spaceOf, type HeldOut } from "./protocol.ts";
import { expectedRandomSearch } from "./random-search.ts";
import { withoutDatasets } from "./ranker.ts";
import { EvaluationResult, LeftOut, Objective } from "./types.ts";

export interface StudyEvalOptions {
  train: MetaDataset;
  test?: MetaDataset;
  datasets?: string[];
  /** Trial counts to report, e.g. [1, 3, 5, 10, 20]. */
  trials: number[];
  objective?: Objective;
  ranker?: HporecRankerOptions;
  /**
   * Nested mode: the recipe of each fold is chosen from its training datasets only (nested.ts's inner
   * cross-validation), instead of `ranker`.
   */
  chooseRanker?: (training: MetaDataset, objective: Objective) => Promise<HporecRankerOptions>;
  learn?: LearnSettings;
  /** Past-dataset experts (experts.ts; default DEFAULT_EXPERTS). */
  experts?: ExpertKind;
  tpe?: TpeOptions | false;
  seed?: number;
  /** Held-out pools keep only the runs trained for at least this many epochs (protocol.ts heldOutDatasets). */
  minEpochs?: number;
  /** Configurations asked at once (parallel workers), all told before the next ask; default 1. */
  parallel?: number;
  progress?: ProgressFactory;
}

export const StudyMethod = z.enum(["hporec", "zero-shot", "random-search", "optuna-tpe"]);
export type StudyMethod = z.infer<typeof StudyMethod>;
export const STUDY_METHODS = StudyMethod.options;

/** Per method, one value per trial count. */
const Curves = z.partialRecord(StudyMethod, z.array(z.number()));
const Curve = z.array(z.object({ n: z.number(), mean: z.number(), interval: z.tuple([z.number(), z.number()]) }));

export const StudyDatasetResult = z.object({
  datasetId: z.string(),
  nCandidates: z.number(),
  /** Run ids in the order the study asked for them. */
  trajectory: z.array(z.string()),
  /** Normalised best-so-far after each of `trials`, per method (TPE: mean over seeds). */
  bestSoFar: Curves,
});
export type StudyDatasetResult = z.infer<typeof StudyDatasetResult>;

export const StudyDraws = z.object({
  firstSeeds: z.array(z.number()),
  /** Each draw's mean best-so-far after each n, per method. */
  perDraw: z.array(z.object({ firstSeed: z.number(), curves: Curves })),
  /** Per dataset: its best-so-far after each n, mean over draws, per method (absent in files written before it existed). */
  datasets: z.array(z.object({ datasetId: z.string(), bestSoFar: Curves })).optional(),
  /** Per method: per dataset the mean over draws, then mean and 90% bootstrap interval over datasets. */
  curves: z.array(z.object({ method: StudyMethod, curve: Curve })),
});
export type StudyDraws = z.infer<typeof StudyDraws>;

/** What `hporec eval --trials … --json` writes (and `hporec compare` reads back). */
export const StudyEvaluation = z.object({
  version: z.literal(1),
  kind: z.literal("study"),
  mode: z.enum(["leave-one-dataset-out", "train-test"]),
  train: z.string(),
  test: z.string().optional(),
  objective: Objective,
  trials: z.array(z.number()),
  learn: LearnSettings,
  /** The past-dataset experts the studies weighed. */
  experts: ExpertKind,
  datasets: z.array(StudyDatasetResult),
  /** Mean normalised best-so-far over datasets after each n, with a 90% bootstrap interval over datasets. */
  aggregate: z.array(z.object({ method: StudyMethod, curve: Curve })),
  /** Why TPE is missing, when it is. */
  skipped: z.string().optional(),
  /** Nested mode: the grid, and what each outer fold's inner cross-validation chose (as in the ranking evaluation). */
  nested: EvaluationResult.shape.nested,
  /** `--draws k`: the curves over k seed draws of the ensemble members (the rest of the result is the first draw's). */
  draws: StudyDraws.optional(),
  /** `--min-epochs n`: the held-out pools kept only runs trained for at least n epochs. */
  minEpochs: z.number().int().positive().optional(),
  /** Datasets of the held-out set left out of every figure, and why. */
  leftOut: z.array(LeftOut).optional(),
  /** `--parallel k`: the study (and TPE, with k workers) asked for k configurations at a time and was told all k before asking again. */
  parallel: z.number().int().min(2).optional(),
});
export type StudyEvaluation = z.infer<typeof StudyEvaluation>;

export async function evaluateStudies(opts: StudyEvalOptions): Promise<StudyEvaluation> {
  const trials = [...new Set(opts.trials)].sort((a, b) => a - b);
  const maxN = trials[trials.length - 1];
  const objective = opts.objective ?? "accuracy";
  const learn = opts.learn ?? DEFAULT_LEARN;
  const source = opts.test ?? opts.train;
  const { heldOut, leftOut } = heldOutDatasets(source, opts.datasets, opts.seed ?? 0, opts.minEpochs);
  const folds = opts.test ? [heldOut] : heldOut.map((h) => [h]);
  const bar = (opts.progress ?? silentProgress)("study eval", heldOut.length);
  const results: StudyDatasetResult[] = [];
  try {
    for (const fold of folds) {
      const training = withoutDatasets(opts.train, new Set(fold.map((h) => h.card.id)));
      const options = opts.chooseRanker ? await opts.chooseRanker(training, objective) : (opts.ranker ?? {});
      const recipe = await foldRecipe(training, options, "none", objective);
      const experts = studyExperts(recipe.scoring.learner, recipe.scoring.prior!, [...recipe.summaries.values()], opts.experts);
      for (const h of fold) {
        const card = structuredClone(h.card);
        const scored = scoreCandidates(recipe.scoring, recipe.request(card), h.candidates.map(toCandidate), await recipe.neighbours(card));
        const ranked = rankByObjective(scored, objective);
        const pool = ranked.map((s) => s.candidate);
        const learner = new StudyLearner(
          {
            pool,
            zeroShot: zeroShotExpert(pool, pool.map((_, i) => pool.length - i), () => { throw new Error("internal: the evaluation only tells pool runs"); }),
            experts,
            geometry: new ConfigGeometry(recipe.scoring.learner.encoder, pool),
            predicted: orientedPredictions(ranked, recipe.scoring.direction),
          },
          learn,
        );
        const trajectory = runStudy(learner, h, Math.min(maxN, pool.length), opts.parallel ?? 1);
        results.push(scoreDataset(h, trajectory, pool, trials));
        bar.tick(1, h.card.id);
      }
    }
  } finally {
    bar.stop();
  }
  const skipped = opts.tpe === false ? "left out (--no-tpe)" : await addTpe(results, heldOut, source, trials, opts.tpe ?? {}, opts.parallel ?? 1, opts.progress);
  return {
    version: 1,
    kind: "study",
    mode: opts.test ? "train-test" : "leave-one-dataset-out",
    train: opts.train.name,
    ...(opts.test ? { test: opts.test.name } : {}),
    ...(opts.minEpochs ? { minEpochs: opts.minEpochs } : {}),
    ...(leftOut.length ? { leftOut } : {}),
    ...((opts.parallel ?? 1) > 1 ? { parallel: opts.parallel } : {}),
    objective,
    trials,
    learn,
    experts: opts.experts ?? DEFAULT_EXPERTS,
    datasets: results,
    aggregate: STUDY_METHODS.flatMap((method) => (results.every((r) => r.bestSoFar[method]) ? [{ method, curve: curve(results, method, trials) }] : [])),
    ...(skipped ? { skipped } : {}),
  };
}

/** Asks, tells the real outcomes, asks again (`parallel` at a time, each batch told in full): the run ids in the order asked for. */
function runStudy(learner: StudyLearner, h: HeldOut, n: number, parallel: number): string[] {
  const y = new Map(h.outcomes.map((o) => [o.id, o.y]));
  const told: Observation[] = [];
  const trajectory: string[] = [];
  while (trajectory.length < n) {
    const batch = learner.ask(told, Math.min(parallel, n - trajectory.length)).suggestions;
    if (!batch.length) break;
    for (const next of batch) {
      trajectory.push(next.candidate.id);
      told.push({ config: next.candidate, candidateId: next.candidate.id, value: y.get(next.candidate.id)! });
    }
  }
  return trajectory;
}

function scoreDataset(h: HeldOut, trajectory: string[], pool: Candidate[], trials: number[]): StudyDatasetResult {
  const ys = h.outcomes.map((o) => o.y);
  const y = new Map(h.outcomes.map((o) => [o.id, o.y]));
  const s = outcomeScale(ys);
  const best = (ids: string[], n: number) => normalisedScore(Math.max(...ids.slice(0, n).map((id) => y.get(id)!)), s);
  return {
    datasetId: h.card.id,
    nCandidates: ys.length,
    trajectory,
    bestSoFar: {
      hporec: trials.map((n) => best(trajectory, n)),
      "zero-shot": trials.map((n) => best(pool.map((c) => c.id), n)),
      "random-search": trials.map((n) => expectedRandomSearch(ys, n).score),
    },
  };
}

/**
 * Adds TPE's best-so-far to each result (one study of max(trials) per seed, as many workers as the study has);
 * returns why not when it cannot run.
 */
async function addTpe(results: StudyDatasetResult[], heldOut: HeldOut[], source: MetaDataset, trials: number[], tpe: TpeOptions, parallel: number, progress?: ProgressFactory): Promise<string | undefined> {
  const datasets = heldOut.map((h) => ({ datasetId: h.card.id, candidates: h.candidates, outcomes: h.outcomes, searchSpace: spaceOf(source, h.candidates[0]) }));
  const r = await runTpe(datasets.map(tpeTable), {
    trials: trials[trials.length - 1],
    seeds: tpe.seeds ?? 3,
    startupTrials: tpe.startupTrials ?? 5,
    python: tpe.python ?? "/usr/bin/python3",
    parallel,
    progress: tpe.progress ?? progress,
  });
  if (!r.ok) return r.reason;
  for (const [i, d] of datasets.entries()) results[i].bestSoFar["optuna-tpe"] = trials.map((n) => scoreSeeds(d, r.picks.get(d.datasetId)!, n).score);
  return undefined;
}

function curve(results: StudyDatasetResult[], method: StudyMethod, trials: number[]) {
  return trials.map((n, j) => {
    const values = results.map((r) => r.bestSoFar[method]![j]);
    return { n, mean: values.reduce((a, b) => a + b, 0) / values.length, interval: bootstrapMeanInterval(values) };
  });
}
