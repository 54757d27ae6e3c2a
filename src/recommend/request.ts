/**
 * The one way a recommendation request is built and checked, whatever asks: the CLI's flags, an HTTP body, a
 * batch line, a chat conversation. Each entry point turns what it received into a `RecommendInput` (a card,
 * meta-features or words, plus constraints) or a resolved `RecommendRequest`; the same rules then apply to all:
 * meta-features inside sane bounds, model names the pack knows, fixed values inside the search space.
 * `Recommender.recommend` applies `checkRequest` again, so a library caller gets the same errors. This is the
 * first stage of the recommendation (validate -> neighbours -> candidates -> score -> rank -> compose -> write).
 */
import { z } from "zod";
import { datasetFromCard, datasetFromPartialCard } from "../chat/dataset-from-text.ts";
import { valueProblem } from "../judge/space-check.ts";
import { parseDatasetRequest } from "../llm/extract/parse-request.ts";
import { type Hyperparameter, type HpValue, MetaFeatures, type SearchSpace } from "../metadata/schema.ts";
import { deriveMetaFeatures } from "../metadata/meta-features.ts";
import { InputError } from "../util/errors.ts";
import { allowedModels } from "./candidates.ts";
import { Constraints } from "./constraints.ts";
import type { DatasetFeatures } from "../learner/features.ts";
import type { ImportanceRequest } from "../explain/games/recommendation-importance.ts";
import { defined } from "../util/object.ts";

export type Objective = "accuracy" | "balanced" | "cost";

/** A resolved request: what the recommender's stages read. */
export interface RecommendRequest {
  dataset: DatasetFeatures & { name?: string };
  constraints?: Constraints;
  objective?: Objective;
  /** Risk aversion: candidates are ranked by mean - riskAversion * spread + prior * retrieval prior (default DEFAULT_RISK_AVERSION = 1). */
  riskAversion?: number;
  /** Weight of the retrieval prior (retrieval-prior.ts; default 0 = off). */
  prior?: number;
  /** Random configurations sampled from the search space (default 2,000). */
  samples?: number;
  /** Similar past datasets whose winners become candidates (default 5). */
  neighbours?: number;
  seed?: number;
  /** Adds `importanceForDataset` (tunability game, ~0.3-3 s, hence only on request) and refines the reduced space by it. */
  importance?: boolean | ImportanceRequest;
}

export const OBJECTIVES = ["accuracy", "balanced", "cost"] as const satisfies readonly Objective[];

/** A dataset as meta-features directly (what the importers produce), for clients that computed them. */
/** A card's own fields: sent under `dataset` (meta-features), they are a card under the wrong name. */
const CARD_FIELDS = new Set(["samples", "classes", "imageSize", "channels", "classCounts"]);

export const DatasetFeaturesInput = z.strictObject(
  { name: z.string().optional(), metaFeatures: MetaFeatures, domain: z.string().optional(), modality: z.string().optional() },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" && issue.keys.some((k) => CARD_FIELDS.has(k))
        ? `${issue.keys.join(", ")} are a dataset card's fields: send the card as {"card": {...}}; dataset takes computed meta-features, {"dataset": {"metaFeatures": {...}}}`
        : undefined,
  },
);

/** How to rank, besides the dataset: shared by every entry point. */
export const RankingOptions = {
  constraints: Constraints.strict().optional(),
  objective: z.enum(OBJECTIVES).optional(),
  riskAversion: z.number().min(0).max(10).optional(),
  /** Weight of the retrieval prior (default 0 = off; 0.5 was the best weight before top-weighted training). */
  prior: z.number().min(0).max(10).optional(),
  /** Add the tunability game for this dataset ("importance for this dataset", ~0.3-3 s) and refine the reduced space by it. */
  importance: z.boolean().optional(),
  seed: z.int().min(0).max(2 ** 31 - 1).optional(),
  /** Configurations sampled from the search space (default: the server's, 2,000). */
  samples: z.int().min(10).max(20_000).optional(),
};

/** One dataset: a card, meta-features, or free text ("3,000 dermoscopy images, 7 classes, 224 px"). */
export const RecommendInput = z
  .object({
    card: z.unknown().optional().describe("a dataset card (samples, classes, imageSize, channels, domain, modality, classCounts)"),
    dataset: DatasetFeaturesInput.optional(),
    text: z.string().min(1).max(4000).optional(),
    ...RankingOptions,
  })
  .strict()
  .refine((b) => [b.card, b.dataset, b.text].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of card, dataset or text",
    path: ["card"],
  });
export type RecommendInput = z.infer<typeof RecommendInput>;

/** What the checks need of a pack: its search space and model names. */
export interface RequestContext {
  space: SearchSpace;
  models: readonly string[];
}

/** The context of a pack (or of anything holding its space and model names). */
export function packContext(pack: { space: { searchSpace: SearchSpace; models: string[] } }): RequestContext {
  return { space: pack.space.searchSpace, models: pack.space.models };
}

export interface BuiltRequest {
  req: RecommendRequest;
  /** What was assumed because the input did not say it (image size, channels from words). */
  assumptions: string[];
}

/** Where a field of the input is, for error messages: "body.card", "line 3: constraints.fixed.lr". */
export type Locator = (field: string) => string;

/** Fields under a prefix, dotted: "body" -> "body.constraints.fixed". */
export const under =
  (prefix: string): Locator =>
  (field) =>
    [prefix, field].filter(Boolean).join(".");

/**
 * An input -> a checked request. `where` locates its fields in error messages (`under("body")` for a request
 * body); `defaults` fill what the input leaves out (the server's candidate count).
 */
export function buildRequest(input: RecommendInput, ctx: RequestContext, where: string | Locator = "", defaults: Partial<RecommendRequest> = {}): BuiltRequest {
  const at = typeof where === "string" ? under(where) : where;
  let dataset: RecommendRequest["dataset"];
  let assumptions: string[] = [];
  let constraints = input.constraints ?? {};
  let objective = input.objective;
  if (input.card !== undefined) dataset = datasetFromCard(input.card, at("card"));
  else if (input.dataset !== undefined) dataset = { ...input.dataset, metaFeatures: withDerived(input.dataset.metaFeatures) };
  else {
    const parsed = parseDatasetRequest(input.text!, { knownModels: ctx.models });
    ({ dataset, assumptions } = datasetFromPartialCard(parsed.card, at("text")));
    // What the JSON states wins over what was read from the words.
    constraints = { ...parsed.constraints, ...constraints };
    objective ??= parsed.objective;
  }
  const req: RecommendRequest = {
    ...defaults,
    dataset,
    constraints,
    ...defined({ objective, riskAversion: input.riskAversion, prior: input.prior, importance: input.importance, seed: input.seed, samples: input.samples }),
  };
  return { req: checkRequest(req, ctx, at), assumptions };
}

/**
 * Meta-features given by name get the ones a card derives from the counts (log_n_samples, samples_per_class, …)
 * where they are left out, so the same dataset is answered alike in either form; values given win.
 */
function withDerived(mf: MetaFeatures): MetaFeatures {
  const { n_samples, n_classes } = mf;
  if (!(n_samples > 0 && n_classes > 0 && Number.isFinite(n_samples) && Number.isFinite(n_classes))) return mf;
  return { ...deriveMetaFeatures({ n_samples, n_classes }), ...mf };
}

/** Checks a resolved request against the rules and the pack (throws InputError naming the field); returns it. */
export function checkRequest(req: RecommendRequest, ctx: RequestContext, where: string | Locator = ""): RecommendRequest {
  const at = typeof where === "string" ? under(where) : where;
  checkMetaFeatures(req.dataset.metaFeatures, at("dataset.metaFeatures"));
  checkConstraints(req.constraints ?? {}, ctx, at("constraints"));
  if (req.objective !== undefined && !OBJECTIVES.includes(req.objective))
    throw new InputError(`unknown objective ${JSON.stringify(req.objective)}`, at("objective"), `one of: ${OBJECTIVES.join(", ")}`);
  return req;
}

/** Bounds of the standard meta-features (the CLI's flags use the same): [min, max, whole number]. */
const BOUNDS: Record<string, [number, number, boolean]> = {
  n_samples: [1, 1e10, true],
  n_classes: [2, 1e7, true],
  image_size: [1, 1e5, false],
  channels: [1, 64, true],
  depth: [1, 1e5, false],
  samples_per_class: [0, 1e10, false],
  min_class_size: [0, 1e10, false],
  max_class_size: [0, 1e10, false],
  mean_class_size: [0, 1e10, false],
  imbalance_ratio: [1, 1e10, false],
  class_entropy: [0, 1, false],
  n_features: [1, 1e7, true],
};

export function checkMetaFeatures(mf: Record<string, number>, where = "metaFeatures"): void {
  if (mf.n_samples === undefined || mf.n_classes === undefined)
    throw new InputError("the meta-features must give n_samples and n_classes", where, "e.g. {n_samples: 3000, n_classes: 7, image_size: 224, channels: 3}");
  for (const [name, v] of Object.entries(mf)) {
    const field = `${where}.${name}`;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${name} must be a finite number, got ${JSON.stringify(v)}`, field);
    if (!Object.hasOwn(BOUNDS, name)) continue;
    const b = BOUNDS[name];
    const [min, max, whole] = b;
    if (v < min || v > max || (whole && !Number.isInteger(v)))
      throw new InputError(`${name} = ${v} is outside its range`, field, `${whole ? "a whole number" : "a number"} from ${min} to ${max}`);
  }
  if (mf.n_samples < mf.n_classes)
    throw new InputError(`n_samples = ${mf.n_samples} is fewer than n_classes = ${mf.n_classes}`, `${where}.n_samples`, "every class has at least one sample: check the two numbers (samples is the size of the training set)");
}

/** Models the pack knows, a non-empty choice left, fixed hyperparameters of the space at values inside it. */
export function checkConstraints(c: Constraints, ctx: RequestContext, where = "constraints"): void {
  const { models, space } = ctx;
  for (const k of ["allowModels", "denyModels"] as const) for (const m of c[k] ?? []) checkModel(m, models, `${where}.${k}`);
  if (!allowedModels(models, c).length)
    throw new InputError("no model is left after the allow/deny lists", `${where}.allowModels`, `choose among: ${models.join(", ")}`);
  if (c.budgetSeconds !== undefined && !(c.budgetSeconds > 0 && Number.isFinite(c.budgetSeconds)))
    throw new InputError(`the budget must be a positive number of seconds, got ${c.budgetSeconds}`, `${where}.budgetSeconds`);
  for (const [name, v] of Object.entries(c.fixed ?? {})) {
    const hp = knownHyperparameter(space, name, `${where}.fixed`);
    const problem = v === null ? `${name} = null cannot be fixed` : valueProblem(name, hp, v);
    if (problem) throw new InputError(problem, `${where}.fixed.${name}`, rangeText(hp));
  }
}

function checkModel(m: string, models: readonly string[], where: string): void {
  if (models.includes(m)) return;
  const near = models.filter((x) => x.includes(m) || m.includes(x.split("_")[0]));
  throw new InputError(`unknown model ${JSON.stringify(m)}`, where, near.length ? `did you mean ${near.slice(0, 3).join(", ")}?` : `one of: ${models.join(", ")}`);
}

/** The space's hyperparameter of that name (own keys only: "constructor" is none), else an error listing them. */
function knownHyperparameter(space: SearchSpace, name: string, where: string): Hyperparameter {
  if (Object.hasOwn(space.hyperparameters, name)) return space.hyperparameters[name];
  throw new InputError(`unknown hyperparameter ${JSON.stringify(name)}`, where, `one of: ${Object.keys(space.hyperparameters).join(", ")}`);
}

/**
 * A configuration someone ran and tells a study: a model of the pack and hyperparameters of its space, each a
 * value of the right kind (errors name the field). What is only unusual comes back as warnings: a number outside
 * the past runs' range (the trees read it as the nearest edge), hyperparameters left out (read as unknown).
 */
export function checkConfig(config: { model: string; hyperparameters: Record<string, HpValue> }, ctx: RequestContext, where: string): string[] {
  checkModel(config.model, ctx.models, `${where}.model`);
  const warnings: string[] = [];
  for (const [name, v] of Object.entries(config.hyperparameters)) {
    const hp = knownHyperparameter(ctx.space, name, `${where}.hyperparameters`);
    const problem = v === null ? undefined : valueProblem(name, hp, v);
    if (!problem) continue;
    const onlyOutside = (hp.type === "float" || (hp.type === "int" && Number.isInteger(v))) && typeof v === "number" && Number.isFinite(v);
    if (!onlyOutside) throw new InputError(problem, `${where}.hyperparameters.${name}`, rangeText(hp));
    warnings.push(`${problem}: the past runs never went there, so the study reads it as the nearest value they tried`);
  }
  const missing = Object.keys(ctx.space.hyperparameters).filter((k) => !Object.hasOwn(config.hyperparameters, k));
  if (missing.length)
    warnings.push(`${missing.length} of the ${Object.keys(ctx.space.hyperparameters).length} hyperparameters not given (${missing.slice(0, 6).join(", ")}${missing.length > 6 ? ", …" : ""}): the study reads them as unknown, so it learns less from this result`);
  return warnings;
}

function rangeText(hp: SearchSpace["hyperparameters"][string]): string {
  if (hp.type === "categorical") return `one of: ${hp.values.join(", ")}`;
  if (hp.type === "bool") return "true or false";
  const grid = hp.values?.length ? ` (or one of ${hp.values.join(", ")})` : "";
  return `${hp.type === "int" ? "a whole number" : "a number"} from ${hp.low} to ${hp.high}${grid}`;
}

