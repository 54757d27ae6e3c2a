/**
 * The one validated shape every importer produces: datasets (with meta-features), runs (model,
 * hyperparameters, outcomes, cost) and the search space they were sampled from.
 */
import { z } from "zod";

export const HpValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/**
 * Values by name (meta-features, hyperparameters), never under a name every JavaScript object already has
 * ("constructor", "toString", "__proto__"), which a lookup by name would find where nothing was given.
 */
export const byName = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value).superRefine((record, ctx) => {
    for (const k of Object.keys(record))
      if (k in Object.prototype) ctx.addIssue({ code: "custom", path: [k], message: `${JSON.stringify(k)} is a name every JavaScript object already has; use another name` });
  });
export type HpValue = z.infer<typeof HpValue>;

/**
 * A hyperparameter is active only when its parent takes one of these values (e.g. momentum when opt = sgd).
 * Parent "model" means Run.model (e.g. MedQuickTune growth_rate exists only for the DenseNets).
 */
export const Condition = z.object({ parent: z.string(), values: z.array(z.union([z.string(), z.number(), z.boolean()])) });

const common = { condition: Condition.optional(), description: z.string().optional() };
/** The observed grid when runs used few distinct values (e.g. weight_decay 0, 1e-5..0.1); may include a 0 outside a log range. */
const grid = { values: z.array(z.number()).optional() };

export const FloatParam = z.object({
  type: z.literal("float"),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  default: z.number().optional(),
  ...grid,
  ...common,
});
export const IntParam = z.object({
  type: z.literal("int"),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().default(false),
  default: z.number().int().optional(),
  ...grid,
  ...common,
});
export const CategoricalParam = z.object({
  type: z.literal("categorical"),
  values: z.array(z.string()).min(1),
  default: z.string().optional(),
  ...common,
});
export const BoolParam = z.object({ type: z.literal("bool"), default: z.boolean().optional(), ...common });

export const Hyperparameter = z.discriminatedUnion("type", [FloatParam, IntParam, CategoricalParam, BoolParam]);
export type Hyperparameter = z.infer<typeof Hyperparameter>;

/**
 * Hyperparameters by name. The model is not one of them: it is `Run.model` (choices in `MetaDataset.models`).
 * A reduced space for a follow-up run is the same format with the models to try, the values fixed, and why.
 */
export const SearchSpace = z.object({
  hyperparameters: z.record(z.string(), Hyperparameter),
  source: z.enum(["inferred", "given"]).default("inferred"),
  /** Models to try (a reduced space); all of the meta-dataset's when absent. */
  models: z.array(z.string()).optional(),
  /** Hyperparameters left out of the search and the value to fix them at (a reduced space). */
  fixed: byName(HpValue).optional(),
  /** Why each hyperparameter was kept, narrowed or fixed (a reduced space). */
  rationale: z.record(z.string(), z.string()).optional(),
});
export type SearchSpace = z.infer<typeof SearchSpace>;

/**
 * Numeric meta-features of a dataset. Standard names (see META_FEATURES) are shared across importers so a
 * meta-learner trained on one source can read another; importers may add their own.
 */
export const MetaFeatures = byName(z.number());
export type MetaFeatures = z.infer<typeof MetaFeatures>;

/** Standard meta-feature names (MetaLLMiX meta-features); absent ones are simply missing from the record. */
export const META_FEATURES = [
  "n_samples",
  "n_classes",
  "log_n_samples",
  "samples_per_class",
  "log_samples_per_class",
  "image_size",
  "channels",
  "depth",
  "imbalance_ratio",
  "class_entropy",
  "min_class_size",
  "max_class_size",
  "mean_class_size",
  "n_features",
] as const;

export const Dataset = z.object({
  id: z.string().min(1),
  name: z.string(),
  metaFeatures: MetaFeatures,
  /** Application domain (Meta-Album domain for Quick-Tune, e.g. "plants"); free text elsewhere. */
  domain: z.string().optional(),
  /** Data modality: "image", "mri", "ct", "tabular", "text". */
  modality: z.string().optional(),
  task: z.string().optional(),
  description: z.string().optional(),
  source: z.string(),
});
export type Dataset = z.infer<typeof Dataset>;

export const Direction = z.enum(["max", "min"]);
export const Metric = z.object({ name: z.string(), direction: Direction });
export type Metric = z.infer<typeof Metric>;

export const Run = z.object({
  id: z.string().min(1),
  datasetId: z.string().min(1),
  model: z.string().min(1),
  /** Search-space key for meta-datasets with several spaces (HPO-B); absent when there is one space. */
  space: z.string().optional(),
  hyperparameters: z.record(z.string(), HpValue),
  outcome: z.object({
    /** Best value of the metric over the run (max or min according to the metric's direction). */
    best: z.number(),
    /** Value at the last epoch. */
    final: z.number(),
    /** Per-epoch metric, when known. */
    curve: z.array(z.number()).optional(),
  }),
  epochs: z.number().int().nonnegative().optional(),
  cost: z.object({
    totalSeconds: z.number().nonnegative().optional(),
    perEpochSeconds: z.array(z.number()).optional(),
  }),
  status: z.enum(["completed", "stopped", "diverged", "unknown"]).default("unknown"),
  /** Other settings the tracker recorded that are not hyperparameters (e.g. W&B test_mode, device). */
  attributes: z.record(z.string(), HpValue).optional(),
});
export type Run = z.infer<typeof Run>;

/**
 * A run that did not produce a result: it crashed, failed, was killed or pruned, logged no metric, or stopped
 * before its configured epochs. Kept beside the runs (never among them) as evidence of which configurations fail.
 */
export const FailureReason = z.enum(["crashed", "failed", "killed", "pruned", "no-metric", "non-finite-metric", "stopped-early"]);
export type FailureReason = z.infer<typeof FailureReason>;
export const Failure = z.object({
  id: z.string().min(1),
  datasetId: z.string().min(1),
  model: z.string().min(1),
  hyperparameters: z.record(z.string(), HpValue),
  attributes: z.record(z.string(), HpValue).optional(),
  reason: FailureReason,
  /** In words, e.g. "State crashed", "stopped at epoch 25 of 50". */
  detail: z.string(),
  /** The last metric value the run logged, if any. */
  lastMetric: z.number().optional(),
  epochs: z.number().int().nonnegative().optional(),
  cost: z.object({ totalSeconds: z.number().nonnegative().optional() }),
});
export type Failure = z.infer<typeof Failure>;

/** What an import did: rows read, rows skipped per reason, values rewritten to a reference's spelling, warnings. */
export const ImportReport = z.object({
  format: z.string(),
  sources: z.array(z.string()),
  mapping: z.string().optional(),
  rows: z.number().int().nonnegative(),
  /** Rows that became neither a run nor a failure, per reason (filtered, still running, duplicate id, ...). */
  skipped: z.record(z.string(), z.number().int().nonnegative()),
  /** The reference named by `hyperparameters: {like: ...}`, and the values written in its spelling. */
  reference: z.string().optional(),
  reconciled: z.array(z.object({ hyperparameter: z.string(), from: z.string(), to: HpValue, count: z.number().int().positive() })),
  warnings: z.array(z.string()),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const MetaDataset = z.object({
  name: z.string(),
  format: z.enum(["quicktune", "medquicktune", "hpob", "generic", "wandb", "optuna", "mlflow"]),
  /** "table": runs sampled without selection; "experience-pool": only good configurations were kept (HPO-B top-5). */
  kind: z.enum(["table", "experience-pool"]),
  metric: Metric,
  datasets: z.array(Dataset),
  runs: z.array(Run),
  models: z.array(z.string()),
  searchSpace: SearchSpace,
  /** Per-space definitions when runs come from several search spaces (HPO-B); keyed by Run.space. */
  searchSpaces: z.record(z.string(), SearchSpace).optional(),
  citation: z.string().optional(),
  /** Caveats found while importing (placeholders, skipped records), shown by `hporec data inspect`. */
  notes: z.array(z.string()).optional(),
});
export type MetaDataset = z.infer<typeof MetaDataset>;
