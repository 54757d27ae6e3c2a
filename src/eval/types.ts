/**
 * The result of `hporec eval` (its `--json` output): per held-out dataset the recommender's ranking and scores,
 * aggregates, then the same for every baseline on the same candidates. Outcomes are oriented "higher is better"
 * (a minimised metric is negated), so every score below reads the same way whatever the metric.
 */
import { z } from "zod";
import { Metric } from "../metadata/schema.ts";

export const Objective = z.enum(["accuracy", "balanced", "cost"]);
export type Objective = z.infer<typeof Objective>;

/** How many ranked run ids each record keeps: enough for top-k inspection without copying whole tables. */
export const RANKED_IDS_KEPT = 25;

/** Training time of the pick versus the most accurate candidate (the cheapest one when several tie). */
export const CostComparison = z.object({
  pickRunId: z.string(),
  pickSeconds: z.number().nullable(),
  bestRunId: z.string(),
  bestSeconds: z.number().nullable(),
  /** bestSeconds / pickSeconds: > 1 means the pick trains faster; null when either cost is unknown or zero. */
  speedup: z.number().nullable(),
  /** y[best] − y[pick] in the metric's own units (e.g. accuracy points); ≥ 0. */
  accuracyGivenUp: z.number(),
});
export type CostComparison = z.infer<typeof CostComparison>;

/** One held-out dataset scored for a ranker (the recommender, the portfolio, the meta-learner alone). */
export const RankedDatasetResult = z.object({
  datasetId: z.string(),
  nCandidates: z.number().int().positive(),
  rankedRunIds: z.array(z.string()).min(1),
  /** Normalised score of the first pick, and of the best among the first 3 / 5 picks. */
  top1: z.number(),
  top3: z.number(),
  top5: z.number(),
  /** Regret of the first pick, in [0, 1]. */
  regret: z.number(),
  catastrophic: z.boolean(),
  cost: CostComparison,
  /** Evaluations random search needs (in expectation) to match top1; null when even all candidates do not. */
  randomSearchN: z.number().int().positive().nullable(),
  /** The pick's real outcome, in the metric's own units. */
  pickOutcome: z.number(),
  /**
   * What the ranker predicted for its pick, when it says: the metric, the range it stated, and whether the real
   * outcome fell inside (`interval` is the jackknife+ range from the other held-out datasets' residuals when the
   * ranker states none; `stated` says which).
   */
  prediction: z
    .object({ metric: z.number(), interval: z.tuple([z.number(), z.number()]).nullable(), stated: z.boolean(), covered: z.boolean().nullable() })
    .optional(),
});
export type RankedDatasetResult = z.infer<typeof RankedDatasetResult>;

/** Mean and median over held-out datasets, with a 90% bootstrap interval of the mean (resampling datasets). */
export const Summary = z.object({ mean: z.number(), median: z.number(), interval: z.tuple([z.number(), z.number()]) });
export type Summary = z.infer<typeof Summary>;

export const RankedAggregate = z.object({
  datasets: z.number().int().nonnegative(),
  top1: Summary,
  top3: Summary,
  top5: Summary,
  regret: Summary,
  catastrophic: z.number().int().nonnegative(),
  /** 90% bootstrap interval of the number of catastrophic picks. */
  catastrophicInterval: z.tuple([z.number(), z.number()]),
  /** Geometric mean / median of speedups over datasets where both costs are known; null when none are. */
  speedup: z.object({ geometricMean: z.number(), median: z.number() }).nullable(),
  accuracyGivenUp: Summary,
  /** Share of held-out datasets whose pick's real outcome fell inside the predicted range (calibration). */
  coverage: z.object({ level: z.number(), covered: z.number().int(), of: z.number().int(), stated: z.boolean() }).nullable().default(null),
});
export type RankedAggregate = z.infer<typeof RankedAggregate>;

/** One held-out dataset for a baseline scored by expectation (random search exactly, TPE over seeds). */
export const ExpectedDatasetResult = z.object({
  datasetId: z.string(),
  nCandidates: z.number().int().positive(),
  /** Expected normalised score of the best configuration found. */
  score: z.number(),
  regret: z.number(),
  /** Probability (random search) or fraction of seeds (TPE) that the best found is catastrophic. */
  catastrophic: z.number().min(0).max(1),
});
export type ExpectedDatasetResult = z.infer<typeof ExpectedDatasetResult>;

export const ExpectedAggregate = z.object({
  datasets: z.number().int().nonnegative(),
  score: Summary,
  regret: Summary,
  /** Expected number of catastrophic datasets (sum of the per-dataset probabilities). */
  catastrophic: z.number().nonnegative(),
});
export type ExpectedAggregate = z.infer<typeof ExpectedAggregate>;

export const RankedResults = z.object({ datasets: z.array(RankedDatasetResult), aggregate: RankedAggregate });
export type RankedResults = z.infer<typeof RankedResults>;

export const Baseline = z.discriminatedUnion("kind", [
  z.object({ name: z.string(), kind: z.literal("ranking"), ...RankedResults.shape }),
  z.object({
    name: z.string(),
    kind: z.literal("expected"),
    /** Evaluations (random search draws, TPE trials) the baseline spends per dataset. */
    evaluations: z.number().int().positive(),
    datasets: z.array(ExpectedDatasetResult),
    aggregate: ExpectedAggregate,
  }),
  z.object({ name: z.string(), kind: z.literal("skipped"), reason: z.string() }),
]);
export type Baseline = z.infer<typeof Baseline>;

/** `hporec eval --draws k`: the same evaluation with k seed draws for the ensemble members (src/eval/draws.ts). */
export const DrawsSummary = z.object({
  /** First seed of each draw. */
  firstSeeds: z.array(z.number().int().nonnegative()),
  /** Each draw's own figures. */
  perDraw: z.array(
    z.object({
      firstSeed: z.number().int(),
      top1: z.number(),
      top3: z.number(),
      top5: z.number(),
      catastrophic: z.number().int(),
      /** Picks whose real outcome fell inside the stated range, of those judged (null when no range was judged). */
      coverage: z.object({ covered: z.number().int(), of: z.number().int() }).nullable().optional(),
    }),
  ),
  /** Over draws: per dataset the mean over draws, then mean and 90% bootstrap interval over datasets. */
  top1: Summary,
  top3: Summary,
  top5: Summary,
  /** Mean number of catastrophic picks per draw. */
  catastrophic: z.number().nonnegative(),
  /** Datasets whose pick was catastrophic in at least one draw. */
  catastrophicSomewhere: z.array(z.string()),
  /** Per dataset: its mean over draws, and in how many draws its pick was catastrophic (absent in older results). */
  datasets: z
    .array(z.object({ datasetId: z.string(), top1: z.number(), top3: z.number(), top5: z.number(), catastrophicDraws: z.number().int().nonnegative() }))
    .optional(),
});
export type DrawsSummary = z.infer<typeof DrawsSummary>;

/** A dataset of the held-out set that could not be scored (one run is no ranking), and why. */
export const LeftOut = z.object({ datasetId: z.string(), runs: z.number().int().nonnegative(), reason: z.string() });
export type LeftOut = z.infer<typeof LeftOut>;

export const EvaluationResult = z.object({
  version: z.literal(1),
  mode: z.enum(["leave-one-dataset-out", "train-test"]),
  objective: Objective,
  train: z.string(),
  test: z.string().optional(),
  metric: Metric,
  hporec: RankedResults,
  baselines: z.array(Baseline),
  /** Nested evaluation (`--nested`): the grid, and what each outer fold's inner cross-validation chose. */
  nested: z
    .object({
      grid: z.array(z.object({ name: z.string(), options: z.record(z.string(), z.unknown()) })),
      innerFolds: z.number().int().positive(),
      choices: z.array(
        z.object({
          trainingDatasets: z.number().int(),
          chosen: z.string(),
          inner: z.array(z.object({ setting: z.string(), top1: z.number(), catastrophic: z.number().int() })),
        }),
      ),
    })
    .optional(),
  /** `--draws k`: the hporec figures over k seed draws (the rest of the result is the first draw's). */
  draws: DrawsSummary.optional(),
  /** `--min-epochs n`: the held-out pools kept only runs trained for at least n epochs. */
  minEpochs: z.number().int().positive().optional(),
  /** Datasets of the held-out set left out of every figure, and why. */
  leftOut: z.array(LeftOut).optional(),
  /** Mean over datasets of random search's expected score after N evaluations, N = 1..50 (for the report). */
  randomSearchCurve: z.array(z.object({ evaluations: z.number().int().positive(), score: z.number() })),
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;
